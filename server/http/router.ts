// A small router for the REST API: each route names the permission it needs,
// and the one authorisation function checks it before the handler runs.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AccessError, authorize, credentialsOf } from '../auth/authorize';
import type { SessionUser } from '../auth/sessions';
import type { DisplayPrincipal } from '../auth/display-credentials';
import type { Permission } from '../auth/roles';
import { InputError, requestLang, words, type Lang, type Words } from '../input';
import { isSameOrigin } from './origin';
import { isStoreDataFault } from '../host/footing';
import type { Store } from '../store/db';
import type { Logger } from '../host/log';

const MAX_BODY_BYTES = 64 * 1024;

/** A numeric id from a path; anything else names nothing (404). */
export const idParam = (value: string) => {
  if (!/^\d{1,9}$/.test(value)) throw new InputError(words(`"${value}" is not an id`, `"${value}" は ID ではありません`), {}, 404);
  return Number(value);
};
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface Reply {
  status: number;
  /** JSON, or bytes sent as they are (the headers then name their content-type). */
  body?: unknown;
  /** A list sends the header once per value (Set-Cookie). */
  headers?: Record<string, string | string[]>;
}

/** How a mutating route takes its body: JSON (the default) or the raw bytes, up to a limit of its own. */
export interface RouteOptions {
  body?: 'json' | 'raw';
  /** Bytes; 64 KiB unless said. */
  limit?: number;
}

/** A request body over its route's limit (413). */
export class TooLargeError extends Error {
  constructor(readonly text: Words) {
    super(text.en);
  }
}

export interface Context {
  req: IncomingMessage;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON, or a Buffer on a route with the raw body option. */
  body: unknown;
  /** Present on every route that needs a permission held by people. */
  user: SessionUser;
  /** Present on every route that needs a wall display's permission. */
  display: DisplayPrincipal;
  sessionToken: string | undefined;
  /** The language the request asks its messages in. */
  lang: Lang;
}

type Handler = (ctx: Context) => Promise<Reply>;

interface Route {
  method: string;
  path: string;
  pattern: RegExp;
  keys: string[];
  /** null: public (no credential needed; mutating public routes still need a same-origin request). */
  permission: Permission | null;
  handler: Handler;
  options: Required<RouteOptions>;
}

export class Router {
  private routes: Route[] = [];

  constructor(
    private store: Store,
    private log: Logger,
    private beforeWrite: () => Promise<void> = async () => {},
    /** Told of every error no route expected (after its 500 is sent): the daemon's fault policy. */
    private unexpected: (err: unknown) => void = () => {},
  ) {}

  add(method: string, path: string, permission: Permission | null, handler: Handler, options: RouteOptions = {}): this {
    const keys: string[] = [];
    const pattern = new RegExp('^' + path.replace(/:(\w+)/g, (_, key) => (keys.push(key), '([^/]+)')) + '$');
    this.routes.push({ method, path, pattern, keys, permission, handler, options: { body: 'json', limit: MAX_BODY_BYTES, ...options } });
    return this;
  }

  /** Every route with the permission it needs, for tests that check each one. */
  table(): { method: string; path: string; permission: Permission | null }[] {
    return this.routes.map(({ method, path, permission }) => ({ method, path, permission }));
  }

  /** Answers the request if a route matches its path; returns false otherwise. */
  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const candidates = this.routes.filter((r) => r.pattern.test(url.pathname));
    if (candidates.length === 0) return false;
    const route = candidates.find((r) => r.method === req.method);
    const lang = requestLang(req.headers['accept-language']);
    let reply: Reply;
    try {
      if (!route) throw new InputError(words(`${req.method} is not allowed here`, `ここでは ${req.method} は使えません`), {}, 404);
      reply = await this.run(route, req, url, lang);
    } catch (err) {
      reply = errorReply(err, lang, this.log);
      if (reply.status === 500) {
        send(res, reply);
        this.unexpected(err);
        return true;
      }
    }
    send(res, reply);
    return true;
  }

  private async run(route: Route, req: IncomingMessage, url: URL, lang: Lang): Promise<Reply> {
    const match = route.pattern.exec(url.pathname)!;
    const params = Object.fromEntries(route.keys.map((k, i) => [k, decodeParam(match[i + 1])]));
    const credentials = credentialsOf(req);
    const sessionToken = credentials.session;
    const mutating = MUTATING.has(req.method ?? '');
    if (mutating && !isSameOrigin(req)) throw new AccessError(403, words('Cross-origin request refused', '別のオリジンからの要求は受け付けません'));
    let user = undefined as unknown as SessionUser;
    let display = undefined as unknown as DisplayPrincipal;
    if (route.permission) {
      const principal = await authorize(this.store, credentials, route.permission);
      // A display has no synchroniser token, and nothing to change.
      if (principal.kind === 'display' && mutating) throw new AccessError(403, words('A wall display may not change anything', 'ウォールディスプレイは何も変更できません'));
      if (principal.kind === 'display') display = principal.display;
      else user = principal.user;
      // Synchroniser token: a forged request from another site cannot read it.
      if (mutating && req.headers['x-csrf-token'] !== user.csrfToken) throw new AccessError(403, words('Missing or wrong CSRF token', 'CSRF トークンがないか、正しくありません'));
    }
    let body: unknown;
    if (mutating) {
      const bytes = await readBody(req, route.options.limit);
      body = route.options.body === 'raw' ? bytes : parseJson(req, bytes);
    }
    if (mutating) await this.beforeWrite();
    return route.handler({ req, params, query: url.searchParams, body, user, display, sessionToken, lang });
  }
}

function decodeParam(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new InputError(words('the path of the request is not valid percent-encoding', '要求のパスのパーセントエンコーディングが正しくありません'));
  }
}

/** Read and dropped past a route's limit, so that the client finishes sending and reads the 413. */
const DRAIN_MAX_BYTES = 16 * 1024 * 1024;

/**
 * Reads a body up to limit bytes. A body somewhat over it is read to its end and
 * dropped (a client still sending would otherwise see a broken pipe instead of
 * the refusal); a flood is cut off at once and the reply closes the connection.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = () => new TooLargeError(words(`request body is larger than ${limit} bytes`, `要求の本文が ${limit} バイトを超えています`));
  if (Number(req.headers['content-length']) > limit + DRAIN_MAX_BYTES) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > limit + DRAIN_MAX_BYTES) {
        req.off('data', onData).pause();
        reject(tooLarge());
      }
    };
    req.on('data', onData);
    req.once('end', () => (size > limit ? reject(tooLarge()) : resolve(Buffer.concat(chunks, size))));
    req.once('error', reject);
  });
}

function parseJson(req: IncomingMessage, bytes: Buffer): unknown {
  if (bytes.length === 0) return undefined;
  if (String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase() !== 'application/json') throw new InputError(words('request body must be application/json', '要求の本文は application/json でなければなりません'));
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new InputError(words('request body is not valid JSON', '要求の本文が正しい JSON ではありません'));
  }
}

const UNSTORABLE = words('A value of the request cannot be stored (a character or a number the console does not keep)', '要求の値を保存できません (コンソールが扱えない文字や数値があります)');
const INTERNAL_ERROR = words('Internal error; see the console manager log', '内部エラーです。コンソールマネージャーのログを見てください');

function errorReply(err: unknown, lang: Lang, log: Logger): Reply {
  if (err instanceof InputError) return { status: err.status, body: err.in(lang) };
  if (err instanceof AccessError) return { status: err.status, body: { error: err.text[lang] } };
  // The rest of the body is left unread: close the connection rather than drain it.
  if (err instanceof TooLargeError) return { status: 413, body: { error: err.text[lang] }, headers: { connection: 'close' } };
  // A value no check foresaw, refused by the store: the request's, never the server's fault.
  if (isStoreDataFault(err)) {
    log.warn({ err }, 'the store refused a value of a request');
    return { status: 400, body: { error: UNSTORABLE[lang] } };
  }
  log.error({ err }, 'request failed');
  return { status: 500, body: { error: INTERNAL_ERROR[lang] } };
}

export function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string | string[]> = { 'cache-control': 'no-store', ...reply.headers };
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers).end();
    return;
  }
  if (reply.body instanceof Uint8Array) {
    res.writeHead(reply.status, headers).end(reply.body);
    return;
  }
  res.writeHead(reply.status, { ...headers, 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(reply.body));
}
