// Who is at the other end of a request to the console: the client's address and
// whether its connection is secure. The socket says both, unless the immediate peer
// is one of the host's trusted proxies (configuration `trustedProxies`): then the
// right-most address of X-Forwarded-For that is not a trusted proxy is the client,
// and X-Forwarded-Proto: https makes the connection secure. From any other peer
// those headers are ignored: anyone can send them.
import net from 'node:net';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { inNetworks, networkList } from '../host/networks';

export interface ClientView {
  /** The client's address: the socket's peer, or what a trusted proxy says. */
  address: string;
  /** TLS all the way to the console, or to a trusted proxy that says the client used https. */
  secure: boolean;
}

export type ClientOf = (req: IncomingMessage) => ClientView;

/** Every response to a client on a secure connection carries it; no includeSubDomains: other services may share the domain. */
export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000';

/** The address of one X-Forwarded-For entry (1.2.3.4, 1.2.3.4:5678, 2001:db8::1, [2001:db8::1]:443); null when it is none. */
function hopAddress(entry: string): string | null {
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(entry);
  if (bracketed) return net.isIPv6(bracketed[1]) ? bracketed[1] : null;
  if (net.isIP(entry)) return entry;
  const withPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(entry);
  return withPort && net.isIPv4(withPort[1]) ? withPort[1] : null;
}

const entries = (header: string | string[] | undefined): string[] =>
  (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);

/**
 * From the right (the hop nearest the console) leftwards: each trusted proxy passes on
 * the address it got its request from. The first address that is no trusted proxy is
 * the client; what lies left of it was written by the client and is not believed. An
 * entry that is no address ends the walk at the last address believed.
 */
function forwardedClient(header: string | string[] | undefined, trusted: net.BlockList): string | undefined {
  const hops = entries(header);
  let client: string | undefined;
  for (let i = hops.length - 1; i >= 0; i--) {
    const address = hopAddress(hops[i]);
    if (address === null) break;
    client = address;
    if (!inNetworks(trusted, address)) break;
  }
  return client;
}

/** The scheme the nearest proxy says the client used: its value, or the right-most of a list. */
function forwardedProto(header: string | string[] | undefined): string | undefined {
  return entries(header).at(-1)?.toLowerCase();
}

/** The resolver for a console host's trusted proxies (addresses or CIDR networks, already checked by its configuration). */
export function clientResolver(trustedProxies: readonly string[] = []): ClientOf {
  const trusted = trustedProxies.length > 0 ? networkList(trustedProxies) : null;
  return (req) => {
    const peer = req.socket.remoteAddress ?? '';
    const secure = (req.socket as TLSSocket).encrypted === true;
    if (!trusted || !inNetworks(trusted, peer)) return { address: peer, secure };
    return {
      address: forwardedClient(req.headers['x-forwarded-for'], trusted) ?? peer,
      secure: secure || forwardedProto(req.headers['x-forwarded-proto']) === 'https',
    };
  };
}
