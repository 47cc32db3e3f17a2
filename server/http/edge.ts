// What every request to the console passes before a route, a page or
// socket.io sees it: the Host it names must be one of the console's own (a page
// served under any other name could be a DNS-rebinding attack: a foreign name
// resolved to this console, whose pages the attacker's script would then read),
// its path must decode, and its HTML gets a strict Content-Security-Policy.
import crypto from 'node:crypto';
import net from 'node:net';
import type http from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { HostConfig } from '../host/config';
import { requestLang, words, type Words } from '../input';
import { send } from './router';

/** The names a browser may put in Host: the host's name and address, its aliases, and localhost on a loopback address. */
export function consoleNames(config: Pick<HostConfig, 'host' | 'address' | 'aliases'>): Set<string> {
  const loopback = config.address.startsWith('127.') || config.address === '::1';
  return new Set([config.host, config.address, ...(config.aliases ?? []), ...(loopback ? ['localhost'] : [])].map(normalName));
}

const normalName = (name: string) => name.toLowerCase().replace(/\.$/, '');

/** The name part of a Host header: "Name.:8080" → "name", "[::1]:7420" → "::1"; null when it is not a host. */
export function hostHeaderName(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]+))(?::\d{1,5})?$/.exec(header);
  if (!m) return null;
  const name = m[1] ?? m[2];
  if (m[1] && net.isIPv6(name) === false) return null;
  return normalName(name);
}

export interface EdgeRefusal {
  status: 400 | 421;
  text: Words;
}

/** Why a request is refused at the edge, or null when it may go on. */
export function edgeRefusal(req: IncomingMessage, names: Set<string>): EdgeRefusal | null {
  const name = hostHeaderName(req.headers.host);
  if (name === null || !names.has(name)) {
    const shown = (req.headers.host ?? '').slice(0, 100);
    return {
      status: 421,
      text: words(
        `This console does not answer to the name "${shown}"; use its own host name or address (or have it added to the console's aliases)`,
        `このコンソールは "${shown}" という名前では応答しません。コンソールのホスト名かアドレスを使ってください (別名として登録することもできます)`,
      ),
    };
  }
  // Only a path (origin-form): not "*", not a whole URL.
  if (!(req.url ?? '').startsWith('/')) return { status: 400, text: words('The request target must be a path', '要求の対象はパスでなければなりません') };
  try {
    decodeURIComponent(new URL(req.url ?? '/', 'http://console').pathname);
  } catch {
    return { status: 400, text: words('The path of the request is not valid percent-encoding', '要求のパスのパーセントエンコーディングが正しくありません') };
  }
  return null;
}

/**
 * Puts the edge in front of everything the server answers: pages, the API and
 * socket.io, whose own handlers (attached to the server) would otherwise see a
 * request or a WebSocket upgrade first. Call it once every handler is attached.
 */
export function guardServer(server: http.Server, names: Set<string>): void {
  const requestHandlers = server.listeners('request') as ((req: IncomingMessage, res: http.ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: http.ServerResponse) => {
    const refusal = edgeRefusal(req, names);
    if (!refusal) return requestHandlers.forEach((handler) => handler.call(server, req, res));
    send(res, { status: refusal.status, body: { error: refusal.text[requestLang(req.headers['accept-language'])] }, headers: { 'content-security-policy': DATA_POLICY } });
  });
  const upgradeHandlers = server.listeners('upgrade') as ((req: IncomingMessage, socket: Duplex, head: Buffer) => void)[];
  server.removeAllListeners('upgrade');
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refusal = edgeRefusal(req, names);
    if (!refusal) return upgradeHandlers.forEach((handler) => handler.call(server, req, socket, head));
    socket.end(`HTTP/1.1 ${refusal.status} ${refusal.status === 421 ? 'Misdirected Request' : 'Bad Request'}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
  });
}

/**
 * The policy of the View's pages: scripts only from this console and only those
 * Next.js marks with this response's nonce, no plugins, no framing, no base or
 * form target elsewhere. Style attributes stay allowed (React renders them).
 */
export function pagePolicy(nonce: string, secure: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
    `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(secure ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

/** The policy of everything that is not a page (API answers): nothing may run or load from it. */
export const DATA_POLICY = "default-src 'none'; frame-ancestors 'none'";

export const newNonce = () => crypto.randomBytes(16).toString('base64');
