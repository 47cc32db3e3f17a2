// Which addresses webhooks may post to: the built-in ranges, IPv6 forms of IPv4
// addresses, a host's own addresses, and a configured list of networks.
import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { embeddedIpv4, ipv6Bytes } from '../host/networks';
import { builtInRefusal, checkedLookup, TargetRefusedError, webhookTargetProblem, WebhookTargets } from './targets';

const noNodeAddresses = { nodeAddresses: () => [] };

describe('the built-in ranges', () => {
  it('refuses IPv4 loopback, unspecified, link-local, multicast and broadcast, and nothing else', () => {
    const cases: [string, string | null][] = [
      ['127.0.0.1', 'loopback'],
      ['127.255.255.254', 'loopback'],
      ['0.0.0.0', 'unspecified'],
      ['0.1.2.3', 'unspecified'],
      ['169.254.169.254', 'link-local'],
      ['169.254.0.1', 'link-local'],
      ['224.0.0.1', 'multicast'],
      ['239.255.255.250', 'multicast'],
      ['255.255.255.255', 'multicast'],
      ['10.0.0.1', null],
      ['192.168.1.1', null],
      ['172.16.0.1', null],
      ['192.0.2.10', null],
      ['8.8.8.8', null],
      ['169.253.255.255', null],
      ['128.0.0.1', null],
    ];
    for (const [address, refusal] of cases) expect(builtInRefusal(address), address).toBe(refusal);
  });

  it('refuses IPv6 loopback, unspecified, link-local and multicast', () => {
    const cases: [string, string | null][] = [
      ['::1', 'loopback'],
      ['0:0:0:0:0:0:0:1', 'loopback'],
      ['::', 'unspecified'],
      ['fe80::1', 'link-local'],
      ['febf:ffff::1', 'link-local'],
      ['ff02::1', 'multicast'],
      ['ff05::1:3', 'multicast'],
      ['fec0::1', null],
      ['fd00::1', null],
      ['2001:db8::1', null],
      ['::2:1', 'unspecified'], // IPv4-compatible ::0.2.0.1
    ];
    for (const [address, refusal] of cases) expect(builtInRefusal(address), address).toBe(refusal);
  });

  it('judges an IPv6 form of an IPv4 address by that address: mapped, translated, compatible, NAT64', () => {
    const cases: [string, string | null][] = [
      ['::ffff:127.0.0.1', 'loopback'],
      ['::ffff:7f00:1', 'loopback'],
      ['::FFFF:7F00:0001', 'loopback'],
      ['0:0:0:0:0:ffff:7f00:1', 'loopback'],
      ['::ffff:169.254.169.254', 'link-local'],
      ['::ffff:a9fe:a9fe', 'link-local'],
      ['::ffff:0.0.0.0', 'unspecified'],
      ['::ffff:224.0.0.1', 'multicast'],
      ['::ffff:0:127.0.0.1', 'loopback'],
      ['::127.0.0.1', 'loopback'],
      ['::169.254.169.254', 'link-local'],
      ['64:ff9b::127.0.0.1', 'loopback'],
      ['64:ff9b::a9fe:a9fe', 'link-local'],
      ['::ffff:10.1.2.3', null],
      ['64:ff9b::8.8.8.8', null],
    ];
    for (const [address, refusal] of cases) expect(builtInRefusal(address), address).toBe(refusal);
  });

  it('reads IPv6 addresses to their bytes and finds the IPv4 address inside', () => {
    expect([...ipv6Bytes('2001:db8::1')!]).toEqual([0x20, 0x01, 0x0d, 0xb8, ...Array(11).fill(0), 1]);
    expect([...ipv6Bytes('::ffff:1.2.3.4')!].slice(10)).toEqual([0xff, 0xff, 1, 2, 3, 4]);
    expect([...ipv6Bytes('1::')!]).toEqual([0, 1, ...Array(14).fill(0)]);
    expect(ipv6Bytes('1.2.3.4')).toBeNull();
    expect(ipv6Bytes('not an address')).toBeNull();
    expect(embeddedIpv4('::ffff:c000:20a')).toBe('192.0.2.10');
    expect(embeddedIpv4('::1')).toBeNull();
    expect(embeddedIpv4('::')).toBeNull();
    expect(embeddedIpv4('2001:db8::c000:20a')).toBeNull();
    expect(embeddedIpv4('fe80::1')).toBeNull();
  });
});

describe('a host’s webhook targets', () => {
  it('without webhookNetworks: refuses the built-in ranges and the console’s own addresses, lets the rest through', () => {
    const targets = new WebhookTargets(
      { address: '192.0.2.10', aliases: ['console.example', '198.51.100.7', '2001:db8::7'] },
      { nodeAddresses: () => ['203.0.113.5', 'fd00::5'] },
    );
    expect(targets.refusal('192.0.2.10')).toBe('console-address');
    expect(targets.refusal('::ffff:192.0.2.10')).toBe('console-address');
    expect(targets.refusal('198.51.100.7')).toBe('console-address');
    expect(targets.refusal('2001:db8:0::7')).toBe('console-address');
    expect(targets.refusal('203.0.113.5')).toBe('console-address');
    expect(targets.refusal('fd00::5')).toBe('console-address');
    expect(targets.refusal('127.0.0.1')).toBe('loopback');
    expect(targets.refusal('169.254.169.254')).toBe('link-local');
    expect(targets.refusal('192.0.2.11')).toBeNull();
    expect(targets.refusal('fd00::6')).toBeNull();
    expect(() => targets.refusal('console.example')).toThrow(/not an address/);
  });

  it('with webhookNetworks: lets through only addresses inside them, whatever they are', () => {
    const targets = new WebhookTargets({ address: '10.0.0.5', webhookNetworks: ['10.0.0.0/8', 'fd00::/8', '127.0.0.0/8'] }, noNodeAddresses);
    expect(targets.refusal('10.200.1.1')).toBeNull();
    expect(targets.refusal('::ffff:10.200.1.1')).toBeNull();
    expect(targets.refusal('fd12::1')).toBeNull();
    expect(targets.refusal('127.0.0.1')).toBeNull(); // listed: the operator's choice
    expect(targets.refusal('10.0.0.5')).toBeNull();
    expect(targets.refusal('11.0.0.1')).toBe('outside-webhook-networks');
    expect(targets.refusal('169.254.169.254')).toBe('outside-webhook-networks');
    expect(targets.refusal('::1')).toBe('outside-webhook-networks');
    expect(targets.refusal('fe80::1')).toBe('outside-webhook-networks');
    expect(new WebhookTargets({ webhookNetworks: ['192.0.2.7'] }).refusal('192.0.2.8')).toBe('outside-webhook-networks');
    expect(new WebhookTargets({ webhookNetworks: ['192.0.2.7'] }).refusal('192.0.2.7')).toBeNull();
  });

  it('says at save time why a URL is refused, in both languages; a name is refused when any of its addresses is', async () => {
    const names: Record<string, string[]> = {
      'hooks.example': ['192.0.2.20', '2001:db8::20'],
      'sneaky.example': ['192.0.2.21', '127.0.0.1'],
      'metadata.example': ['169.254.169.254'],
    };
    const targets = new WebhookTargets({ address: '192.0.2.10' }, {
      ...noNodeAddresses,
      resolve: async (name) => {
        if (names[name]) return names[name];
        throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
      },
    });
    expect(await webhookTargetProblem(targets, 'https://hooks.example/x?secret=1')).toBeNull();
    expect(await webhookTargetProblem(targets, 'http://127.0.0.1:8080/x')).toEqual({
      en: 'webhooks may not post to 127.0.0.1: it is a loopback address',
      ja: 'Webhook は 127.0.0.1 に送信できません。127.0.0.1 はループバックアドレスです',
    });
    expect((await webhookTargetProblem(targets, 'http://[::ffff:127.0.0.1]/'))?.en).toMatch(/loopback/);
    expect((await webhookTargetProblem(targets, 'http://2130706433/'))?.en).toMatch(/127\.0\.0\.1: it is a loopback address/);
    expect((await webhookTargetProblem(targets, 'http://0x7f.1/'))?.en).toMatch(/loopback/);
    expect((await webhookTargetProblem(targets, 'http://[fe80::1]/'))?.en).toMatch(/link-local/);
    expect((await webhookTargetProblem(targets, 'http://192.0.2.10:9/'))?.en).toMatch(/this console's own address/);
    expect(await webhookTargetProblem(targets, 'http://sneaky.example/')).toEqual({
      en: 'webhooks may not post to sneaky.example: it resolves to 127.0.0.1, a loopback address',
      ja: 'Webhook は sneaky.example に送信できません。sneaky.example の解決先 127.0.0.1 はループバックアドレスです',
    });
    expect((await webhookTargetProblem(targets, 'http://metadata.example/'))?.en).toMatch(/resolves to 169\.254\.169\.254, a link-local address/);
    // Not resolvable now: let through, as every send checks again.
    expect(await webhookTargetProblem(targets, 'http://nowhere.example/')).toBeNull();
    const listed = new WebhookTargets({ webhookNetworks: ['10.0.0.0/8'] }, { resolve: async () => ['192.0.2.20'] });
    expect((await webhookTargetProblem(listed, 'http://hooks.example/'))?.en).toBe(
      'webhooks may not post to hooks.example: it resolves to 192.0.2.20, outside the networks this console lets webhooks post to (jobscope setup --webhook-networks)',
    );
  });
});

describe('the lookup a send connects through', () => {
  const lookupWith = (targets: WebhookTargets, name: string, options: { all?: boolean; family?: number }) =>
    new Promise<{ err: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family?: number }>((resolve) =>
      checkedLookup(targets)(name, options, (err, address, family) => resolve({ err, address, family })),
    );

  it('answers the checked addresses, all or the first, of the family asked for', async () => {
    const targets = new WebhookTargets({}, { ...noNodeAddresses, resolve: async () => ['192.0.2.20', '2001:db8::20'] });
    expect(await lookupWith(targets, 'hooks.example', { all: true })).toMatchObject({
      err: null,
      address: [{ address: '192.0.2.20', family: 4 }, { address: '2001:db8::20', family: 6 }],
    });
    expect(await lookupWith(targets, 'hooks.example', {})).toMatchObject({ err: null, address: '192.0.2.20', family: 4 });
    expect(await lookupWith(targets, 'hooks.example', { family: 6 })).toMatchObject({ err: null, address: '2001:db8::20', family: 6 });
  });

  it('refuses the whole name when any address is refused, and passes resolver errors on', async () => {
    const mixed = new WebhookTargets({}, { ...noNodeAddresses, resolve: async () => ['192.0.2.20', '::1'] });
    const refused = await lookupWith(mixed, 'hooks.example', { all: true });
    expect(refused.err).toBeInstanceOf(TargetRefusedError);
    expect(refused.err).toMatchObject({ address: '::1', refusal: 'loopback', code: 'EWEBHOOKTARGET' });
    const failing = new WebhookTargets({}, { resolve: async () => Promise.reject(Object.assign(new Error('nope'), { code: 'ENOTFOUND' })) });
    expect((await lookupWith(failing, 'x.example', {})).err?.code).toBe('ENOTFOUND');
    const v6only = new WebhookTargets({}, { ...noNodeAddresses, resolve: async () => ['2001:db8::20'] });
    expect((await lookupWith(v6only, 'x.example', { family: 4 })).err?.code).toBe('ENOTFOUND');
  });
});
