// Where webhooks may post. Operators type a webhook's URL and the console posts
// to it from inside the network: unchecked, that reaches the console's own
// services (loopback), a cloud's metadata service (169.254.169.254) and whatever
// else the console's node can see. A host's configuration may name the only
// networks webhooks go to (webhookNetworks); without it any address is allowed
// but loopback, unspecified, link-local, multicast and the console's own.
// Checked when a webhook is saved, for a clear message, and on every send, where
// it counts: a name's addresses are resolved once, every one is checked, and the
// connection goes to a checked address, never to a second lookup's answer.
import dns from 'node:dns';
import net from 'node:net';
import os from 'node:os';
import type { HostConfig } from '../host/config';
import { embeddedIpv4, inNetworks, networkList } from '../host/networks';
import { words, type Words } from '../domain/words';

export type Refusal = 'loopback' | 'unspecified' | 'link-local' | 'multicast' | 'console-address' | 'outside-webhook-networks';

/** What a notification keeps as its last error when its target is refused: a code, never a sentence. */
export const refusalCode = (refusal: Refusal) => `target-refused:${refusal}`;
export const isRefusalCode = (error: string) => error.startsWith('target-refused:');

/** Addresses never posted to unless webhookNetworks names them. */
const BUILT_IN: [Refusal, net.BlockList][] = (
  [
    ['loopback', ['127.0.0.0/8', '::1/128']],
    ['unspecified', ['0.0.0.0/8', '::/128']],
    ['link-local', ['169.254.0.0/16', 'fe80::/10']],
    // With the broadcast address: no receiver of a webhook sits there either.
    ['multicast', ['224.0.0.0/4', '255.255.255.255/32', 'ff00::/8']],
  ] as const
).map(([refusal, networks]) => [refusal, networkList(networks)]);

/** Which built-in range an address lies in; an IPv6 address that stands for an IPv4 one is judged by that too. */
export function builtInRefusal(address: string): Refusal | null {
  for (const candidate of candidates(address)) {
    for (const [refusal, list] of BUILT_IN) if (inNetworks(list, candidate)) return refusal;
  }
  return null;
}

/** The address and, for an IPv6 form of an IPv4 address (::ffff:127.0.0.1), that IPv4 address. */
function candidates(address: string): string[] {
  const v4 = embeddedIpv4(address);
  return v4 ? [address, v4] : [address];
}

export interface TargetOptions {
  /** Every address of a name, as connections would use them (default: the system's resolver). */
  resolve?: (hostname: string) => Promise<string[]>;
  /** This node's own addresses, asked at each check: a floating address comes and goes (default: its interfaces'). */
  nodeAddresses?: () => string[];
}

const systemResolve = async (hostname: string) => (await dns.promises.lookup(hostname, { all: true })).map((a) => a.address);
const interfaceAddresses = () =>
  Object.values(os.networkInterfaces())
    .flat()
    .map((i) => i?.address ?? '')
    .filter((a) => net.isIP(a) !== 0);

/** The webhook targets a console host allows: its configuration's webhookNetworks, else everything but the built-in ranges and its own addresses. */
export class WebhookTargets {
  private readonly allowed: net.BlockList | null;
  private readonly own: string[];
  readonly resolve: (hostname: string) => Promise<string[]>;
  private readonly nodeAddresses: () => string[];

  constructor(config: Partial<Pick<HostConfig, 'address' | 'aliases' | 'webhookNetworks'>> = {}, o: TargetOptions = {}) {
    this.allowed = config.webhookNetworks?.length ? networkList(config.webhookNetworks) : null;
    this.own = [config.address ?? '', ...(config.aliases ?? [])].filter((a) => net.isIP(a) !== 0);
    this.resolve = o.resolve ?? systemResolve;
    this.nodeAddresses = o.nodeAddresses ?? interfaceAddresses;
  }

  /** Why the console may not post to this address; null when it may. */
  refusal(address: string): Refusal | null {
    if (net.isIP(address) === 0) throw new Error(`not an address: ${address}`);
    if (this.allowed) return candidates(address).some((a) => inNetworks(this.allowed!, a)) ? null : 'outside-webhook-networks';
    const builtIn = builtInRefusal(address);
    if (builtIn) return builtIn;
    const own = new net.BlockList();
    for (const a of [...this.own, ...this.nodeAddresses()]) own.addAddress(a, net.isIPv4(a) ? 'ipv4' : 'ipv6');
    return candidates(address).some((a) => inNetworks(own, a)) ? 'console-address' : null;
  }
}

/** Without a host's configuration (tests, tools): the built-in ranges and this node's addresses. */
export const DEFAULT_TARGETS = new WebhookTargets({});

/** A send refused because a name resolved to an address it may not post to. */
export class TargetRefusedError extends Error {
  readonly code = 'EWEBHOOKTARGET';
  constructor(
    readonly address: string,
    readonly refusal: Refusal,
  ) {
    super(`webhook target ${address} refused (${refusal})`);
  }
}

/** A URL's host as an address, or null when it is a name ([::1] → ::1). */
export function literalAddress(url: URL): string | null {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return net.isIP(host) ? host : null;
}

/**
 * node:http(s)'s `lookup` for a webhook's connection: resolves the name once,
 * refuses it whole when any of its addresses is refused (the next lookup could pick
 * that one), and hands the connection the checked addresses only. Addresses in the
 * URL itself never reach a lookup: check them with `refusal` first.
 */
export function checkedLookup(targets: WebhookTargets): net.LookupFunction {
  return (hostname, options, callback) => {
    targets.resolve(hostname).then(
      (addresses) => {
        for (const address of addresses) {
          const refusal = targets.refusal(address);
          if (refusal) return callback(new TargetRefusedError(address, refusal), '', 0);
        }
        const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
        const usable = addresses.filter((a) => !family || net.isIP(a) === family);
        if (usable.length === 0) {
          return callback(Object.assign(new Error(`${hostname} has no usable address`), { code: 'ENOTFOUND' }), '', 0);
        }
        if (options.all) return callback(null, usable.map((address) => ({ address, family: net.isIP(address) })));
        callback(null, usable[0], net.isIP(usable[0]));
      },
      (err: Error) => callback(err as NodeJS.ErrnoException, '', 0),
    );
  };
}

const RESOLVE_TIMEOUT_MS = 5000;

const WHY: Record<Refusal, Words> = {
  loopback: words('a loopback address', 'ループバックアドレス'),
  unspecified: words('an unspecified address', '未指定アドレス'),
  'link-local': words('a link-local address', 'リンクローカルアドレス'),
  multicast: words('a multicast or broadcast address', 'マルチキャストまたはブロードキャストのアドレス'),
  'console-address': words("this console's own address", 'このコンソール自身のアドレス'),
  'outside-webhook-networks': words(
    'outside the networks this console lets webhooks post to (jobscope setup --webhook-networks)',
    'このコンソールが Webhook の送信を許すネットワーク (jobscope setup --webhook-networks) の外',
  ),
};

/** Said for people: why this address (that `name` resolves to) may not be posted to. */
export function refusalWords(address: string, refusal: Refusal, name?: string): Words {
  const why = WHY[refusal];
  return name === undefined
    ? words(`webhooks may not post to ${address}: it is ${why.en}`, `Webhook は ${address} に送信できません。${address} は${why.ja}です`)
    : words(`webhooks may not post to ${name}: it resolves to ${address}, ${why.en}`, `Webhook は ${name} に送信できません。${name} の解決先 ${address} は${why.ja}です`);
}

/**
 * Why a webhook URL may not be saved, said for people; null when it may. A name is
 * resolved and refused when any of its addresses is. A name that does not resolve
 * now (or not within a few seconds) is let through: every send checks again.
 */
export async function webhookTargetProblem(targets: WebhookTargets, url: string): Promise<Words | null> {
  const parsed = new URL(url);
  const literal = literalAddress(parsed);
  if (literal) {
    const refusal = targets.refusal(literal);
    return refusal ? refusalWords(literal, refusal) : null;
  }
  let timer: NodeJS.Timeout | undefined;
  const addresses = await Promise.race([
    targets.resolve(parsed.hostname).catch(() => [] as string[]),
    new Promise<string[]>((resolve) => (timer = setTimeout(() => resolve([]), RESOLVE_TIMEOUT_MS))),
  ]);
  clearTimeout(timer);
  for (const address of addresses) {
    const refusal = targets.refusal(address);
    if (refusal) return refusalWords(address, refusal, parsed.hostname);
  }
  return null;
}
