// Addresses and networks named in a host's configuration (trusted proxies,
// webhook targets), matched with Node's own BlockList.
import net from 'node:net';

export interface Network {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

/** "10.0.0.0/8", "fd00::/8" or a single address; null when it is neither. */
export function parseNetwork(text: string): Network | null {
  const [address, prefixText, ...rest] = text.trim().split('/');
  if (rest.length > 0) return null;
  const version = net.isIP(address);
  if (version === 0) return null;
  const bits = version === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefix > bits) return null;
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/** A matcher for a list of networks (each already checked by parseNetwork). */
export function networkList(networks: readonly string[]): net.BlockList {
  const list = new net.BlockList();
  for (const text of networks) {
    const n = parseNetwork(text);
    if (!n) throw new Error(`not an address or network: ${text}`);
    list.addSubnet(n.address, n.prefix, n.family);
  }
  return list;
}

/** Whether an address (IPv4, IPv6, or IPv4-mapped IPv6 as sockets report it) lies in the list. */
export function inNetworks(list: net.BlockList, address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return list.check(mapped[1], 'ipv4');
  const version = net.isIP(address);
  if (version === 0) return false;
  return list.check(address, version === 4 ? 'ipv4' : 'ipv6');
}

/** An IPv6 address as its 16 bytes; null when it is not one. */
export function ipv6Bytes(address: string): Uint8Array | null {
  if (!net.isIPv6(address)) return null;
  let text = address.replace(/%.*$/, '');
  // A trailing dotted quad (::ffff:10.1.2.3) is the last two groups.
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number);
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const before = groups(head);
  const after = groups(tail);
  const all = tail === undefined ? before : [...before, ...Array<string>(8 - before.length - after.length).fill('0'), ...after];
  const bytes = new Uint8Array(16);
  all.forEach((g, i) => {
    const value = parseInt(g, 16);
    bytes[2 * i] = value >> 8;
    bytes[2 * i + 1] = value & 0xff;
  });
  return bytes;
}

/**
 * The IPv4 address an IPv6 address stands for: IPv4-mapped (::ffff:a.b.c.d, what
 * dual-stack sockets report), IPv4-translated (::ffff:0:a.b.c.d), IPv4-compatible
 * (::a.b.c.d, but not :: or ::1) and NAT64 (64:ff9b::a.b.c.d); null for any other.
 */
export function embeddedIpv4(address: string): string | null {
  const b = ipv6Bytes(address);
  if (!b) return null;
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  const v4 = () => `${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return v4();
  if (zeros(0, 8) && b[8] === 0xff && b[9] === 0xff && zeros(10, 12)) return v4();
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12)) return v4();
  if (zeros(0, 12) && !(zeros(12, 15) && b[15] <= 1)) return v4();
  return null;
}
