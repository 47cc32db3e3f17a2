// A small router for the REST API: each route names the permission it needs,
// and the one authorisation function checks it before the handler runs.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AccessError, authorize } from '../auth/authorize';
import { readCookie, SESSION_COOKIE, type SessionUser } from '../auth/sessions';
import type { Permission } from '../auth/roles';
import { InputError } from '../input';
import { isSameOrigin } from './origin';
import type { Store } from '../store/db';
import type { Logger } from '../host/log';

const MAX_BODY_BYTES = 64 * 1024;
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Context {
  req: IncomingMessage;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  /** Present on every route that needs a permission. */
  user: SessionUser;
  sessionToken: string | undefined;
}

type Handler = (ctx: Context) => Promise<Reply>;

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  /** null: public (no session needed; mutating public routes still need a same-origin request). */
  permission: Permission | null;
  handler: Handler;
}

export class Router {
  private routes: Route[] = [];

  constructor(
    private store: Store,
    private log: Logger,
    private beforeWrite: () => Promise<void> = async () => {},
  ) {}

  add(method: string, path: string, permission: Permission | null, handler: Handler): this {
    const keys: string[] = [];
    const pattern = new RegExp('^' + path.replace(/:(\w+)/g, (_, key) => (keys.push(key), '([^/]+)')) + '$');
    this.routes.push({ method, pattern, keys, permission, handler });
    return this;
  }

  /** Answers the request if a route matches its path; returns false otherwise. */
  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const candidates = this.routes.filter((r) => r.pattern.test(url.pathname));
    if (candidates.length === 0) return false;
    const route = candidates.find((r) => r.method === req.method);
    let reply: Reply;
    try {
      if (!route) throw new InputError(`${req.method} is not allowed here`, {}, 404);
      reply = await this.run(route, req, url);
    } catch (err) {
      reply = errorReply(err, this.log);
    }
    send(res, reply);
    return true;
  }

  private async run(route: Route, req: IncomingMessage, url: URL): Promise<Reply> {
    const match = route.pattern.exec(url.pathname)!;
    const params = Object.fromEntries(route.keys.map((k, i) => [k, decodeURIComponent(match[i + 1])]));
    const sessionToken = readCookie(req.headers.cookie, SESSION_COOKIE);
    const mutating = MUTATING.has(req.method ?? '');
    if (mutating && !isSameOrigin(req)) throw new AccessError(403, 'Cross-origin request refused');
    let user = undefined as unknown as SessionUser;
    if (route.permission) {
      user = await authorize(this.store, sessionToken, route.permission);
      // Synchroniser token: a forged request from another site cannot read it.
      if (mutating && req.headers['x-csrf-token'] !== user.csrfToken) throw new AccessError(403, 'Missing or wrong CSRF token');
    }
    const body = mutating ? await readJson(req) : undefined;
    if (mutating) await this.beforeWrite();
    return route.handler({ req, params, query: url.searchParams, body, user, sessionToken });
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new InputError(`request body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  if (size === 0) return undefined;
  if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) throw new InputError('request body must be application/json');
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new InputError('request body is not valid JSON');
  }
}

function errorReply(err: unknown, log: Logger): Reply {
  if (err instanceof InputError) return { status: err.status, body: { error: err.message, fields: err.fields } };
  if (err instanceof AccessError) return { status: err.status, body: { error: err.message } };
  log.error({ err }, 'request failed');
  return { status: 500, body: { error: 'Internal error; see the console manager log' } };
}

export function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { 'cache-control': 'no-store', ...reply.headers };
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers).end();
    return;
  }
  res.writeHead(reply.status, { ...headers, 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(reply.body));
}
