// Requests to a console as any role would make them, or as no well-behaved
// client would: any method, raw paths, any body and content type, with or
// without the same-origin and CSRF proof, from another source address.
import http from 'node:http';
import type { Rig, Role } from './rig';
import { show } from './rig';

export type Who = 'anonymous' | Role;
export const WHO: Who[] = ['anonymous', 'guest', 'operator', 'admin'];

export interface Hit {
  method: string;
  /** As sent: already percent-encoded where it should be, or not where a case means it not to be. */
  path: string;
  who: Who;
  body?: string | Buffer;
  /** The body's content type; null: none; undefined: application/json when there is a body. */
  contentType?: string | null;
  /** Origin: this console's own unless given; null: none. */
  origin?: string | null;
  /** The session's CSRF token (default), none (false), or this one. */
  csrf?: boolean | string;
  headers?: Record<string, string | string[]>;
  /** The source address (a login throttle counts per address). */
  localAddress?: string;
  timeoutMs?: number;
}

export interface Answer {
  /** 0: no answer (the connection failed or broke before one). */
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  error?: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

export function send(rig: Rig, h: Hit): Promise<Answer> {
  const headers: Record<string, string | string[]> = {};
  if (h.origin !== null) headers.origin = h.origin ?? rig.url;
  if (h.who !== 'anonymous') {
    const client = rig.clients[h.who];
    headers.cookie = client.cookie;
    if (h.csrf !== false) headers['x-csrf-token'] = typeof h.csrf === 'string' ? h.csrf : client.csrfToken;
  }
  if (h.body !== undefined) {
    if (h.contentType !== null) headers['content-type'] = h.contentType ?? 'application/json';
    headers['content-length'] = String(Buffer.byteLength(h.body));
  }
  Object.assign(headers, h.headers);
  return new Promise((resolve) => {
    let settled = false;
    const done = (a: Answer) => {
      if (!settled) {
        settled = true;
        resolve(a);
      }
    };
    let req: http.ClientRequest;
    try {
      // A request whose length is a lie leaves its connection unusable: it gets one of its own.
      const own = h.localAddress !== undefined || h.headers?.['content-length'] !== undefined;
      req = http.request({ host: rig.host.address, port: rig.host.managerPort, method: h.method, path: h.path, headers, agent: own ? false : agent, localAddress: h.localAddress });
    } catch (err) {
      return done({ status: -1, headers: {}, text: '', error: `not sent: ${(err as Error).message}` });
    }
    req.setTimeout(h.timeoutMs ?? 30_000, () => req.destroy(new Error('timed out')));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', () => done({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    // A server may answer (and close) before a large body is sent: the answer is what counts.
    req.on('error', (err) => setTimeout(() => done({ status: 0, headers: {}, text: '', error: err.message }), 50));
    req.end(h.body);
  });
}

/** The request as someone would type it to reproduce it. */
export function describeHit(h: Hit): string {
  const parts = [`${h.who} ${h.method} ${h.path.length > 160 ? `${h.path.slice(0, 160)}…(${h.path.length} chars)` : h.path}`];
  if (h.body !== undefined) parts.push(`body ${show(typeof h.body === 'string' ? h.body : h.body, 100)}`);
  if (h.contentType !== undefined) parts.push(`content-type ${JSON.stringify(h.contentType)}`);
  if (h.origin !== undefined) parts.push(`origin ${JSON.stringify(h.origin)}`);
  if (h.csrf !== undefined && h.csrf !== true) parts.push(`csrf ${JSON.stringify(h.csrf)}`);
  if (h.headers) parts.push(`headers ${show(h.headers, 160)}`);
  return parts.join(', ');
}

/** What is wrong with an answer to a request that must be refused: a 4xx, and from the API, a message. */
export function notRefused(h: Hit, a: Answer): string | null {
  if (a.status >= 400 && a.status < 500) {
    if (String(a.headers['content-type']).startsWith('application/json') && h.method !== 'HEAD') {
      try {
        const body = JSON.parse(a.text) as { error?: unknown };
        if (typeof body.error !== 'string' || body.error === '') return `${a.status} without an error message: ${a.text.slice(0, 200)}`;
      } catch {
        return `${a.status} with a body that is not JSON: ${a.text.slice(0, 200)}`;
      }
    }
    return null;
  }
  // A path with dot segments is normalised (/api/v1/users/%2e%2e is /api/v1): a redirect there is an answer too.
  if (a.status >= 300 && a.status < 400 && /%2e|\/\.\.?(\/|$)/i.test(h.path)) return null;
  return `${a.status || a.error} ${a.text.slice(0, 300)}`;
}
