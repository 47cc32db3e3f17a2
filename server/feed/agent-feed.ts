// The agent's feed: a host's spool served to console managers over HTTP.
//   GET /feed/events?after=N&limit=M&wait=S  events after sequence N (long-poll up to S seconds)
//   GET /feed/snapshot                       every unit's latest run, as of lastSeq
//   GET /feed/health                         {host, spoolId, instance}; no token needed
// An empty answer to a long-poll is the heartbeat that tells a manager the host is alive.
// Plain functions do the work; the node:http server on top only translates. With
// the host's TLS pair it is an HTTPS server.
import http from 'node:http';
import https from 'node:https';
import crypto from 'node:crypto';
import { FEED_PROTOCOL, type FeedEvents, type FeedSnapshot } from '../domain/events';
import type { Logger } from '../host/log';
import type { SpoolReader } from '../spool/spool';
import { FeedTokenThrottle, type RefusalKind, type RefusalReport } from './token-throttle';

export const DEFAULT_LIMIT = 1000;
export const MAX_LIMIT = 5000;
export const MAX_WAIT_SECONDS = 25;
export const WATCH_INTERVAL_MS = 150;

/** Notices sequences appended by other processes (`jobscope exec`) and wakes the long-polls waiting for them. */
export interface SpoolWatch {
  lastSeq(): number;
  /** Resolves once the spool's last sequence passes `seq`, the time is up, the signal aborts, or the watch closes. */
  waitBeyond(seq: number, ms: number, signal?: AbortSignal): Promise<void>;
  close(): void;
}

export function watchSpool(reader: SpoolReader, o: { intervalMs?: number; onError: (err: Error) => void }): SpoolWatch {
  let last = reader.lastSeq();
  let closed = false;
  const waiters = new Set<{ beyond: number; wake: () => void }>();
  const timer = setInterval(() => {
    try {
      last = reader.lastSeq();
    } catch (err) {
      clearInterval(timer);
      o.onError(err as Error);
      return;
    }
    for (const w of waiters) if (last > w.beyond) w.wake();
  }, o.intervalMs ?? WATCH_INTERVAL_MS);
  timer.unref();

  return {
    lastSeq: () => last,
    waitBeyond(seq, ms, signal) {
      if (closed || last > seq || signal?.aborted) return Promise.resolve();
      return new Promise((resolve) => {
        const waiter = {
          beyond: seq,
          wake: () => {
            waiters.delete(waiter);
            clearTimeout(deadline);
            signal?.removeEventListener('abort', waiter.wake);
            resolve();
          },
        };
        const deadline = setTimeout(waiter.wake, ms);
        signal?.addEventListener('abort', waiter.wake, { once: true });
        waiters.add(waiter);
      });
    },
    close() {
      closed = true;
      clearInterval(timer);
      for (const w of waiters) w.wake();
    },
  };
}

export interface Feed {
  host: string;
  /** Which agent process serves the feed (random at its start): a console long-polling one that went silent sees another answer. */
  instance: string;
  reader: SpoolReader;
  watch: SpoolWatch;
  /** sha256 (hex) of the token managers present. */
  tokenSha256: string;
}

export class FeedRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface EventsQuery {
  after: number;
  limit: number;
  wait: number;
}

function wholeParam(params: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const values = params.getAll(name);
  if (values.length === 0) return fallback;
  if (values.length > 1) throw new FeedRequestError(400, `${name} is given more than once`);
  const text = values[0];
  const value = /^\d{1,16}$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new FeedRequestError(400, `${name} must be a whole number from ${min} to ${max}, not ${JSON.stringify(text)}`);
  }
  return value;
}

function refuseUnknownParams(params: URLSearchParams, known: string[]): void {
  for (const name of params.keys()) {
    if (!known.includes(name)) throw new FeedRequestError(400, `unknown parameter ${JSON.stringify(name)}`);
  }
}

export function parseEventsQuery(params: URLSearchParams): EventsQuery {
  refuseUnknownParams(params, ['after', 'limit', 'wait']);
  return {
    after: wholeParam(params, 'after', 0, 0, Number.MAX_SAFE_INTEGER),
    limit: wholeParam(params, 'limit', DEFAULT_LIMIT, 1, MAX_LIMIT),
    wait: wholeParam(params, 'wait', 0, 0, MAX_WAIT_SECONDS),
  };
}

class TokenRefused extends FeedRequestError {
  constructor(readonly kind: RefusalKind) {
    super(401, kind === 'missing' ? 'missing bearer token' : 'wrong token');
  }
}

/** Compares the presented bearer token's hash in constant time; throws 401 when it is missing or wrong. */
export function checkBearer(authorization: string | undefined, tokenSha256: string): void {
  const match = /^Bearer ([\x21-\x7e]+)$/.exec(authorization ?? '');
  if (!match) throw new TokenRefused('missing');
  const presented = crypto.createHash('sha256').update(match[1]).digest();
  const expected = Buffer.from(tokenSha256, 'hex');
  if (expected.length !== presented.length || !crypto.timingSafeEqual(presented, expected)) {
    throw new TokenRefused('wrong');
  }
}

export function readEvents(feed: Feed, after: number, limit: number): FeedEvents {
  const batch = feed.reader.eventsAfter(after, limit);
  return {
    protocol: FEED_PROTOCOL,
    host: feed.host,
    spoolId: feed.reader.spoolId,
    now: new Date().toISOString(),
    lastSeq: batch.lastSeq,
    resync: batch.resync,
    events: batch.events,
  };
}

/** Answers at once when there is something to say; otherwise waits up to `wait` seconds for new events. */
export async function waitForEvents(feed: Feed, q: EventsQuery, signal?: AbortSignal): Promise<FeedEvents> {
  const batch = readEvents(feed, q.after, q.limit);
  if (batch.events.length > 0 || batch.resync || q.wait === 0) return batch;
  await feed.watch.waitBeyond(q.after, q.wait * 1000, signal);
  return readEvents(feed, q.after, q.limit);
}

export function readSnapshot(feed: Feed): FeedSnapshot {
  const snapshot = feed.reader.snapshot();
  return {
    protocol: FEED_PROTOCOL,
    host: feed.host,
    spoolId: feed.reader.spoolId,
    now: new Date().toISOString(),
    lastSeq: snapshot.lastSeq,
    runs: snapshot.runs,
  };
}

export interface FeedRequest {
  method: string;
  url: string;
  authorization?: string;
  signal?: AbortSignal;
  /** Where it comes from: wrong tokens are counted per address (with a throttle). */
  remote?: string;
}

/**
 * One request in, one JSON answer out: the whole feed protocol, callable without a server.
 * With a throttle, an address that gave too many wrong tokens is answered 429 (Retry-After)
 * before its token is looked at.
 */
export async function handleFeedRequest(
  feed: Feed,
  req: FeedRequest,
  throttle?: FeedTokenThrottle,
): Promise<{ status: number; body: unknown; headers?: Record<string, string> }> {
  try {
    if (!req.url.startsWith('/')) throw new FeedRequestError(400, 'the request target must be a path');
    const url = new URL(req.url, 'http://feed');
    const route = ['/feed/events', '/feed/snapshot', '/feed/health'].includes(url.pathname) ? url.pathname : null;
    if (!route) throw new FeedRequestError(404, `no such path: ${url.pathname}`);
    if (req.method !== 'GET') throw new FeedRequestError(405, `${req.method} is not allowed; use GET`);
    if (route === '/feed/health') return { status: 200, body: { host: feed.host, spoolId: feed.reader.spoolId, instance: feed.instance } };
    const remote = req.remote ?? '';
    const wait = throttle?.waitFor(remote) ?? 0;
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      return { status: 429, body: { error: `too many refused tokens from this address; try again in ${seconds} s` }, headers: { 'retry-after': String(seconds) } };
    }
    try {
      checkBearer(req.authorization, feed.tokenSha256);
    } catch (err) {
      if (err instanceof TokenRefused) throttle?.refused(remote, err.kind);
      throw err;
    }
    throttle?.accepted(remote);
    if (route === '/feed/snapshot') {
      refuseUnknownParams(url.searchParams, []);
      return { status: 200, body: readSnapshot(feed) };
    }
    return { status: 200, body: await waitForEvents(feed, parseEventsQuery(url.searchParams), req.signal) };
  } catch (err) {
    if (err instanceof FeedRequestError) return { status: err.status, body: { error: err.message } };
    throw err;
  }
}

const KEEP_ALIVE_MS = 65_000;
/** How often the throttle's pending refusals are looked at for a log line. */
const FLUSH_MS = 5000;

/** One log line for an address's refused tokens: how many, first and last; never a token. */
export function tokenRefusalLogger(log: Logger): (r: RefusalReport) => void {
  return (r) => log.warn(r, `feed requests refused from ${r.remote}: ${r.refused} missing or wrong token${r.refused === 1 ? '' : 's'}, ${r.throttled} throttled`);
}

/** The feed over HTTP, or HTTPS with the host's pair; wrong tokens throttled per address. */
export function createFeedServer(
  feed: Feed,
  log: Logger,
  { tls, throttle = new FeedTokenThrottle(tokenRefusalLogger(log)) }: { tls?: { cert: Buffer; key: Buffer }; throttle?: FeedTokenThrottle } = {},
): http.Server {
  // Idle connections stay open longer than any pause between a console's requests, so
  // that a console never reuses a connection the agent is closing at that moment.
  const options = { keepAliveTimeout: KEEP_ALIVE_MS, headersTimeout: KEEP_ALIVE_MS + 1000 };
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const aborted = new AbortController();
    // The client went away (or the server is closing): stop waiting for it.
    res.on('close', () => aborted.abort());
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      if (res.destroyed) return;
      const json = JSON.stringify(body);
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(json),
        'cache-control': 'no-store',
        // A closing server answers its last long-polls and lets their connections go.
        ...(server.listening ? {} : { connection: 'close' }),
        ...(status === 401 ? { 'www-authenticate': 'Bearer' } : {}),
        ...headers,
      });
      res.end(json);
    };
    const request = { method: req.method ?? 'GET', url: req.url ?? '/', authorization: req.headers.authorization, signal: aborted.signal, remote: req.socket.remoteAddress };
    // Refused tokens are logged by the throttle, a line per address and interval.
    handleFeedRequest(feed, request, throttle).then(
      ({ status, body, headers }) => send(status, body, headers),
      (err: Error) => {
        // A damaged record is reported to the manager; an unreadable spool stops the agent through its watch.
        log.error({ err, path: req.url?.split('?')[0] }, 'feed request failed');
        send(500, { error: err.message });
      },
    );
  };
  const server: http.Server = tls ? https.createServer({ ...options, cert: tls.cert, key: tls.key }, onRequest) : http.createServer(options, onRequest);
  const flush = setInterval(() => throttle.flush(), FLUSH_MS).unref();
  server.on('close', () => {
    clearInterval(flush);
    throttle.flush(true);
  });
  return server;
}
