// The registry of monitored hosts: job hosts whose agent feeds this console pulls.
import { z } from 'zod';
import type { Store } from '../store/db';
import { hostNameSchema } from '../domain/events';
import { InputError, inRenderingLang, parseInput, says, words } from '../input';
import { tokenProblem } from '../domain/feed-token';
import { readProblem, type FeedProblem } from '../domain/feed-problems';
import { BOTH_TRUSTS, feedTlsView, tlsCaSchema, tlsFingerprintSchema, type FeedTlsView } from '../feed/feed-trust';

const hostFields = {
  name: hostNameSchema,
  address: z.union([z.ipv4(), z.ipv6(), hostNameSchema], says('address must be an IP address or a host name', 'アドレスは IP アドレスかホスト名です')),
  feedPort: z.number(says('feed port must be a number from 1 to 65535', 'フィードのポートは 1 から 65535 の数です')).int().min(1).max(65535),
  // The feed over TLS (server/feed/feed-trust.ts): a CA certificate or a pinned fingerprint; neither, plain http.
  tlsCa: tlsCaSchema,
  tlsFingerprint: tlsFingerprintSchema,
};
/** One way to check a feed's certificate, not two. */
const oneTrust = (host: { tlsCa?: string | null; tlsFingerprint?: string | null }, ctx: z.RefinementCtx) => {
  if (host.tlsCa && host.tlsFingerprint) ctx.addIssue({ code: 'custom', path: ['tlsFingerprint'], message: inRenderingLang(BOTH_TRUSTS) });
};
const tokenText = z.string(says('token is required', 'トークンは必須です'));

/** A host a person registers now: its token long and random-looking (server/domain/feed-token.ts). */
export const newHostSchema = z
  .object({
    ...hostFields,
    token: tokenText.superRefine((token, ctx) => {
      const problem = tokenProblem(token);
      if (problem) ctx.addIssue({ code: 'custom', message: inRenderingLang(problem) });
    }),
  })
  .strict()
  .superRefine(oneTrust);

/**
 * A registration as an export carries it: its token as it was registered, under the
 * rule of its time (16 characters at least), so that registrations made before the
 * rule above move between consoles and keep working.
 */
export const registeredHostSchema = z
  .object({
    ...hostFields,
    token: tokenText
      .min(16, says('token must have at least 16 characters', 'トークンは 16 文字以上です'))
      .max(256)
      .regex(/^[\x21-\x7e]+$/, says('token must be printable ASCII characters without spaces', 'トークンは空白を含まない ASCII の印字可能文字です')),
  })
  .strict()
  .superRefine(oneTrust);

export interface HostView {
  name: string;
  address: string;
  feedPort: number;
  /** How the feed's TLS is checked; null: plain http. */
  tls: FeedTlsView;
  lastContactAt: string | null;
  lastError: FeedProblem | null;
  /** How many monitoring objects name the host. */
  objects: number;
  /** The feed token: only when asked for (for admins), never otherwise. */
  token?: string;
}

/** The registry with each feed's last known contact; with the feed tokens only when `tokens` is set. */
export async function listHosts(store: Store, { tokens = false }: { tokens?: boolean } = {}): Promise<HostView[]> {
  const hosts = await store.monitoredHost.findMany({ orderBy: { name: 'asc' }, include: { feed: true, _count: { select: { objects: true } } } });
  return hosts.map((h) => ({
    name: h.name,
    address: h.address,
    feedPort: h.feedPort,
    tls: feedTlsView(h),
    lastContactAt: h.feed?.lastContactAt?.toISOString() ?? null,
    lastError: readProblem(h.feed?.lastError ?? null),
    objects: h._count.objects,
    ...(tokens ? { token: h.token } : {}),
  }));
}

export async function addHost(store: Store, input: unknown) {
  const host = parseInput(newHostSchema, input);
  if (await store.monitoredHost.findUnique({ where: { name: host.name } })) {
    throw new InputError(words(`host ${host.name} is already registered`, `ホスト ${host.name} はすでに登録されています`), { name: words('already registered', '登録済みです') }, 409);
  }
  const tls = { tlsCa: host.tlsCa ?? null, tlsFingerprint: host.tlsFingerprint ?? null };
  await store.monitoredHost.create({ data: { ...host, ...tls, feed: { create: {} } } });
  return { name: host.name, address: host.address, feedPort: host.feedPort, tls: feedTlsView(tls) };
}

export async function removeHost(store: Store, name: string): Promise<void> {
  const objects = await store.monitoringObject.count({ where: { host: name } });
  if (objects > 0) {
    throw new InputError(
      words(
        `host ${name} is the target host of ${objects} monitoring object${objects === 1 ? '' : 's'}: delete those objects or give them another host first`,
        `ホスト ${name} は ${objects} 個の監視オブジェクトの対象ホストです。先にそれらを削除するか、別のホストにしてください`,
      ),
      {},
      409,
    );
  }
  const { count } = await store.monitoredHost.deleteMany({ where: { name } });
  if (count === 0) throw new InputError(words(`no monitored host ${name}`, `監視対象ホスト ${name} はありません`), {}, 404);
}
