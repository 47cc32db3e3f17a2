// Pulls the feed of every registered host that a monitoring object names, one
// loop per host: long-poll for events after the committed offset, apply them
// (store first), then hand the change to the live hub (emit second).
import type { Store } from '../store/db';
import type { Logger } from '../host/log';
import { feedEventsSchema, feedSnapshotSchema } from '../domain/events';
import { applyEvents, applySnapshot, type ApplyContext } from './apply';
import type { HostState, UnitsDelta } from '../domain/live';
import type { z } from 'zod';
import { feedProblems } from './feed-problems';
import { FeedConnection, FeedConnectionError, feedAddress, type FeedEndpoint } from './feed-client';

const WAIT_SECONDS = 10;
const BATCH_LIMIT = 200; // keeps each transaction short: better-sqlite3 blocks the event loop
const REQUEST_TIMEOUT_MS = (WAIT_SECONDS + 5) * 1000;
const MAX_BACKOFF_MS = 10_000;
/** A reachable host's contact and lag are published at most this often; a change of reachability at once. */
export const CONTACT_PUBLISH_MS = 5_000;

interface Target extends FeedEndpoint {
  token: string;
  /** Plain http, or TLS checked as the registry says (server/feed/feed-client.ts). */
  connection: FeedConnection;
}

export interface FeedListener {
  applied(batch: UnitsDelta): void;
  hostChanged(state: HostState): void;
}

class FeedError extends Error {}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function getJson<T extends z.ZodType<{ host: string }>>(target: Target, path: string, schema: T, signal: AbortSignal): Promise<z.infer<T>> {
  // Unreachable, a certificate that fails its check, a timeout: all a FeedError, kept as the host's last error.
  const res = await target.connection.get(path, { authorization: `Bearer ${target.token}` }, signal, REQUEST_TIMEOUT_MS).catch((err: unknown) => {
    throw err instanceof FeedConnectionError ? new FeedError(err.message) : err;
  });
  if (res.status === 401) throw new FeedError(feedProblems.tokenRefused());
  if (res.status < 200 || res.status > 299) throw new FeedError(feedProblems.httpStatus(res.status));
  const parsed = schema.safeParse(parseJson(res.text));
  if (!parsed.success) throw new FeedError(feedProblems.malformed(parsed.error.issues[0]?.message ?? 'not JSON'));
  if (parsed.data.host !== target.name) throw new FeedError(feedProblems.otherHost(feedAddress(target), parsed.data.host, target.name));
  return parsed.data;
}

class HostPuller {
  private abort = new AbortController();
  state: HostState;
  done: Promise<void>;

  constructor(
    readonly target: Target,
    private store: Store,
    private context: ApplyContext,
    private log: Logger,
    private listener: FeedListener,
    lastContactAt: string | null,
  ) {
    this.state = { name: target.name, stale: true, lastContactAt };
    this.done = this.loop();
  }

  stop(): Promise<void> {
    this.abort.abort();
    return this.done.finally(() => this.target.connection.close());
  }

  private publishedAt = 0;

  /**
   * Records a contact (or its loss) and how many events the feed had beyond the
   * committed offset. Browsers hear of it at once when the host becomes stale or
   * reachable, or catches up; otherwise at most every CONTACT_PUBLISH_MS, so that
   * the last contact they show stays live without a message per batch.
   */
  private setContact(stale: boolean, at: string | null, pending?: number) {
    const before = this.state;
    this.state = {
      name: this.target.name,
      stale,
      lastContactAt: at ?? before.lastContactAt,
      ...(pending === undefined ? (before.pending === undefined ? {} : { pending: before.pending }) : { pending }),
    };
    const now = Date.now();
    const caughtUp = (this.state.pending ?? 0) === 0 && (before.pending ?? 0) > 0;
    if (stale !== before.stale || caughtUp || (!stale && now - this.publishedAt >= CONTACT_PUBLISH_MS)) {
      this.publishedAt = now;
      this.listener.hostChanged(this.state);
    }
  }

  private async loop(): Promise<void> {
    const signal = this.abort.signal;
    let backoff = 500;
    let newSpool = false; // the feed showed a spool other than the committed one: read it from its start
    while (!signal.aborted) {
      try {
        const feed = await this.store.feedState.findUniqueOrThrow({ where: { host: this.target.name } });
        const after = newSpool || !feed.spoolId ? 0 : feed.offset;
        // While stale (at start, after a failure) ask without waiting: an idle host's long-poll
        // would keep it marked stale for WAIT_SECONDS after it is reachable again.
        const wait = this.state.stale ? 0 : WAIT_SECONDS;
        const batch = await getJson(this.target, `/feed/events?after=${after}&limit=${BATCH_LIMIT}&wait=${wait}`, feedEventsSchema, signal);
        if (batch.spoolId !== feed.spoolId && after !== 0) {
          this.log.warn({ feedHost: this.target.name, spoolId: batch.spoolId, was: feed.spoolId }, 'new spool: resynchronising from its start');
          newSpool = true;
          continue;
        }
        let applied: UnitsDelta | null;
        let committed: number;
        if (batch.resync) {
          const snapshot = await getJson(this.target, '/feed/snapshot', feedSnapshotSchema, signal);
          applied = await applySnapshot(this.store, this.context, this.target.name, snapshot);
          committed = snapshot.lastSeq;
          this.log.info({ feedHost: this.target.name, lastSeq: snapshot.lastSeq }, 'resynchronised from snapshot');
        } else {
          applied = await applyEvents(this.store, this.context, this.target.name, batch, after);
          committed = batch.events.reduce((last, e) => Math.max(last, e.seq), after);
        }
        newSpool = false;
        backoff = 500;
        this.setContact(false, batch.now, Math.max(0, batch.lastSeq - committed));
        if (applied) this.listener.applied(applied);
      } catch (err) {
        if (signal.aborted) break;
        if (!(err instanceof FeedError) && !isNetworkError(err)) throw err; // a store failure: no degraded running
        const message = err instanceof FeedError ? err.message : feedProblems.unreachable(feedAddress(this.target), networkCause(err));
        if (!this.state.stale) this.log.warn({ feedHost: this.target.name, err: message }, 'feed unreachable; keeping last known statuses');
        this.setContact(true, null);
        await this.store.feedState.update({ where: { host: this.target.name }, data: { lastError: message } });
        await sleep(backoff, signal);
        backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
      }
    }
  }
}

function networkCause(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).name;
}

function isNetworkError(err: unknown): boolean {
  // fetch reports refused connections as TypeError, timeouts as TimeoutError, bad bodies as SyntaxError
  return err instanceof TypeError || (err instanceof Error && ['TimeoutError', 'AbortError', 'SyntaxError'].includes(err.name));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}

/** Keeps one puller per watched host, following changes to the registry and the objects. */
export class FeedSupervisor {
  private pullers = new Map<string, HostPuller>();
  private timer: NodeJS.Timeout | undefined;
  private reconciling: Promise<void> = Promise.resolve();

  constructor(
    private store: Store,
    /** The manager's fencing epoch (every batch checks it) and notification options. */
    private context: ApplyContext,
    private log: Logger,
    private listener: FeedListener,
    private onFailure: (err: unknown) => void,
  ) {}

  start(everyMs = 3000): Promise<void> {
    this.timer = setInterval(() => this.reconcile(), everyMs);
    return this.reconcile();
  }

  hostStates(): HostState[] {
    return [...this.pullers.values()].map((p) => p.state);
  }

  /** Starts and stops pullers to match the registry; also called after definitions change. */
  reconcile(): Promise<void> {
    this.reconciling = this.reconciling.then(async () => {
      const watched = await this.store.monitoredHost.findMany({ where: { objects: { some: {} } }, include: { feed: true } });
      const wanted = new Map(watched.map((h) => [h.name, h]));
      for (const [name, puller] of this.pullers) {
        const h = wanted.get(name);
        const same = h && h.address === puller.target.address && h.feedPort === puller.target.feedPort && h.token === puller.target.token;
        if (!same || h.tlsCa !== puller.target.tlsCa || h.tlsFingerprint !== puller.target.tlsFingerprint) {
          this.pullers.delete(name);
          await puller.stop();
        }
      }
      for (const h of watched) {
        if (this.pullers.has(h.name)) continue;
        if (!h.feed) await this.store.feedState.create({ data: { host: h.name } });
        const target = { ...h, connection: new FeedConnection(h) };
        const puller = new HostPuller(target, this.store, this.context, this.log, this.listener, h.feed?.lastContactAt?.toISOString() ?? null);
        puller.done.catch(this.onFailure);
        this.pullers.set(h.name, puller);
        this.listener.hostChanged(puller.state);
      }
    });
    return this.reconciling;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.reconciling.catch(() => {});
    await Promise.all([...this.pullers.values()].map((p) => p.stop()));
    this.pullers.clear();
  }
}
