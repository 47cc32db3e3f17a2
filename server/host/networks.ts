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
