// Pulls the feed of every registered host that a monitoring object names, one
// loop per host: long-poll for events after the committed offset, apply them
// (store first), then hand the change to the live hub (emit second).
import type { Store } from '../store/db';
import type { Logger } from '../host/log';
import { feedEventsSchema, feedSnapshotSchema, type FeedEvents } from '../domain/events';
import { applyEvents, applySnapshot, type ApplyContext, type AppliedBatch } from './apply';
import type { HostState, UnitsDelta } from '../domain/live';
import type { z } from 'zod';
import { feedProblems, problemWords, readProblem, storedProblem, type FeedProblem } from '../domain/feed-problems';
import { FeedConnection, FeedConnectionError, feedAddress, type FeedEndpoint } from './feed-client';
import { isStoreFootingFault, type Footing } from '../host/footing';
import type { StoreWatch } from '../store/probe';

const WAIT_SECONDS = 10;
/** Events asked for at most per batch: one transaction each. */
export const FEED_BATCH_LIMIT = 2000;
const REQUEST_TIMEOUT_MS = (WAIT_SECONDS + 5) * 1000;
const MAX_BACKOFF_MS = 10_000;
/** How often a waiting long-poll's agent is asked who it is, and how long that may take. */
// Probes start on a fixed beat, not after the last one ended: a probe that hangs on a connection to a
// node that was silently cut must not hold back the one that reaches the standby.
const WATCH_MS = 1_000;
const PROBE_TIMEOUT_MS = 1_500;
/** The pause after a long-poll answered early with nothing new. */
const EARLY_EMPTY_PAUSE_MS = 1000;
/** A batch the store refused is retried this much later at first, doubling up to the maximum. */
const POISON_BACKOFF_MS = 5_000;
const MAX_POISON_BACKOFF_MS = 5 * 60_000;
/** A reachable host's contact and lag are published at most this often; a change of reachability at once. */
export const CONTACT_PUBLISH_MS = 5_000;

interface Target extends FeedEndpoint {
  token: string;
  /** Plain http, or TLS checked as the registry says (server/feed/feed-client.ts). */
  connection: FeedConnection;
}

export interface FeedListener {
  /** A batch was committed; `notifications` of them went to the outbox. */
  applied(batch: UnitsDelta, notifications: number): void;
  hostChanged(state: HostState): void;
}

/** What a puller needs of the daemon: its fault policy and the store's probe. */
export interface FeedFooting {
  footing: Footing;
  store: StoreWatch;
}

class FeedError extends Error {
  constructor(readonly problem: FeedProblem) {
    super(problemWords(problem).en);
  }
}

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
    throw err instanceof FeedConnectionError ? new FeedError(err.problem) : err;
  });
  if (res.status === 401) throw new FeedError(feedProblems.tokenRefused());
  if (res.status < 200 || res.status > 299) throw new FeedError(feedProblems.httpStatus(res.status));
  const parsed = schema.safeParse(parseJson(res.text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new FeedError(feedProblems.malformed(issue ? `${issue.path.join('.') || '(message)'}: ${issue.message}` : 'not JSON'));
  }
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
    private guard: FeedFooting,
    last: { contactAt: string | null; error: FeedProblem | null },
  ) {
    this.state = { name: target.name, stale: true, lastContactAt: last.contactAt, error: last.error };
    this.done = this.loop();
  }

  stop(): Promise<void> {
    this.abort.abort();
    return this.done.finally(() => this.target.connection.close());
  }

  private publishedAt = 0;

  /**
   * Records a contact (or its loss) and how many events the feed had beyond the
   * committed offset, and why it failed last. Browsers hear of it at once when the
   * host becomes stale or reachable, its error changes, or it catches up; otherwise at most every CONTACT_PUBLISH_MS, so that
   * the last contact they show stays live without a message per batch.
   */
  private setContact(stale: boolean, at: string | null, pending?: number, error: FeedProblem | null = null) {
    const before = this.state;
    this.state = {
      name: this.target.name,
      stale,
      lastContactAt: at ?? before.lastContactAt,
      ...(pending === undefined ? (before.pending === undefined ? {} : { pending: before.pending }) : { pending }),
      error,
    };
    const now = Date.now();
    const caughtUp = (this.state.pending ?? 0) === 0 && (before.pending ?? 0) > 0;
    if (stale !== before.stale || storedOrNull(error) !== storedOrNull(before.error ?? null) || caughtUp || (!stale && now - this.publishedAt >= CONTACT_PUBLISH_MS)) {
      this.publishedAt = now;
      this.listener.hostChanged(this.state);
    }
  }

  private async loop(): Promise<void> {
    const signal = this.abort.signal;
    let backoff = 500;
    let poisonBackoff = POISON_BACKOFF_MS;
    let limit = FEED_BATCH_LIMIT; // halved after a batch the store refused, to apply what comes before the culprit
    let newSpool = false; // the feed showed a spool other than the committed one: read it from its start
    // While a batch is applied, the next one is already asked for when the feed has more:
    // the agent reads it on the other core. Used only if the offset it asked after is the committed one.
    let ahead: { after: number; limit: number; answer: Promise<FeedEvents> } | null = null;
    while (!signal.aborted) {
      let pulled: { first: number; count: number; unit: string | null } | null = null;
      try {
        const feed = await this.store.feedState.findUniqueOrThrow({ where: { host: this.target.name } });
        const after = newSpool || !feed.spoolId ? 0 : feed.offset;
        // While stale (at start, after a failure) ask without waiting: an idle host's long-poll
        // would keep it marked stale for WAIT_SECONDS after it is reachable again.
        const wait = this.state.stale ? 0 : WAIT_SECONDS;
        const asked = Date.now();
        const prefetched: Promise<FeedEvents> | null = ahead?.after === after && ahead.limit === limit ? ahead.answer : null;
        ahead = null;
        let answer: FeedEvents;
        if (prefetched) {
          answer = await prefetched;
        } else {
          const poll = new AbortController();
          const stopPoll = () => poll.abort();
          signal.addEventListener('abort', stopPoll, { once: true });
          const watch = wait > 0 ? this.watchAgent(poll) : null;
          try {
            answer = await getJson(this.target, `/feed/events?after=${after}&limit=${limit}&wait=${wait}`, feedEventsSchema, poll.signal);
          } catch (err) {
            // Another agent answers at the host's address (its node failed over): ask it at once.
            if (watch?.moved && !signal.aborted) continue;
            throw err;
          } finally {
            watch?.stop();
            signal.removeEventListener('abort', stopPoll);
          }
        }
        // No more than was asked for: a feed that sends more does not make a longer transaction.
        const batch: FeedEvents = answer.events.length > limit ? { ...answer, events: [...answer.events].sort((a, b) => a.seq - b.seq).slice(0, limit) } : answer;
        if (batch.spoolId !== feed.spoolId && after !== 0) {
          this.log.warn({ feedHost: this.target.name, spoolId: batch.spoolId, was: feed.spoolId }, 'new spool: resynchronising from its start');
          newSpool = true;
          continue;
        }
        let applied: AppliedBatch | null;
        let committed: number;
        if (batch.resync) {
          const snapshot = await getJson(this.target, '/feed/snapshot', feedSnapshotSchema, signal);
          pulled = { first: 0, count: snapshot.runs.length, unit: null };
          await applySnapshot(this.store, this.context, this.target.name, snapshot, (delta) => this.listener.applied(delta, 0));
          applied = null;
          committed = snapshot.lastSeq;
          this.log.info({ feedHost: this.target.name, lastSeq: snapshot.lastSeq }, 'resynchronised from snapshot');
        } else {
          const fresh = batch.events.filter((e) => e.seq > after);
          pulled = fresh.length ? { first: fresh[0].seq, count: fresh.length, unit: fresh[0].unit } : null;
          const through = fresh.reduce((last, e) => Math.max(last, e.seq), after);
          if (pulled && batch.lastSeq > through) {
            const next = getJson(this.target, `/feed/events?after=${through}&limit=${limit}&wait=0`, feedEventsSchema, signal);
            next.catch(() => {}); // a failure counts when it is used, not if it is dropped
            ahead = { after: through, limit, answer: next };
          }
          applied = await applyEvents(this.store, this.context, this.target.name, batch, after);
          committed = batch.events.reduce((last, e) => Math.max(last, e.seq), after);
        }
        newSpool = false;
        backoff = 500;
        poisonBackoff = POISON_BACKOFF_MS;
        limit = Math.min(FEED_BATCH_LIMIT, limit * 2);
        this.setContact(false, batch.now, Math.max(0, batch.lastSeq - committed));
        if (applied) this.listener.applied(applied.delta, applied.notifications);
        // An agent answers a long-poll early only with something new: a feed that answers at once
        // with nothing would have the console ask it again and again, as fast as it can.
        if (wait > 0 && !pulled && Date.now() - asked < (wait * 1000) / 2) await sleep(EARLY_EMPTY_PAUSE_MS, signal);
      } catch (err) {
        if (signal.aborted) break;
        if (err instanceof FeedError || isNetworkError(err)) {
          const problem = err instanceof FeedError ? err.problem : feedProblems.unreachable(feedAddress(this.target), networkCause(err));
          if (!this.state.stale) this.log.warn({ feedHost: this.target.name, err: problemWords(problem).en }, 'feed unreachable; keeping last known statuses');
          await this.markStale(problem);
          await sleep(backoff, signal);
          backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
          continue;
        }
        // The store refused something: its own footing (the daemon exits), or this host's batch.
        if (isStoreFootingFault(err)) this.guard.footing.lost(`applying the feed of ${this.target.name}`, err);
        if (!(await this.guard.store.check())) {
          await sleep(backoff, signal); // the store's probe decides; meanwhile nothing is marked
          continue;
        }
        if (pulled && pulled.first > 0 && pulled.count > 1) {
          // Apply the events before the culprit: try again at once with half as many.
          limit = Math.max(1, Math.floor(Math.min(limit, pulled.count) / 2));
          continue;
        }
        const problem = feedProblems.notApplied(pulled?.first ?? null, pulled?.unit ?? null, storeRefusal(err));
        this.log.error({ feedHost: this.target.name, err, seq: pulled?.first }, 'the store refused a feed batch of this host; it is marked and retried later, other hosts go on');
        await this.markStale(problem);
        await sleep(poisonBackoff, signal);
        poisonBackoff = Math.min(MAX_POISON_BACKOFF_MS, poisonBackoff * 2);
      }
    }
  }

  /**
   * While a long-poll waits, asks the agent's health every WATCH_MS on another connection.
   * A job host's node that fails over silently leaves the long-poll waiting on a dead
   * connection; once the standby's agent answers at the host's address with another
   * instance, the long-poll is given up so that the next request reaches it at once.
   */
  private watchAgent(poll: AbortController): { readonly moved: boolean; stop(): void } {
    let first: string | undefined;
    let moved = false;
    let stopped = false;
    const probe = async () => {
      const res = await this.target.connection.get('/feed/health', {}, poll.signal, PROBE_TIMEOUT_MS).catch(() => null);
      if (stopped) return;
      const instance = res?.status === 200 ? (parseJson(res.text) as { instance?: unknown } | undefined)?.instance : undefined;
      if (typeof instance === 'string') {
        first ??= instance;
        if (instance !== first) {
          moved = true;
          return poll.abort();
        }
      }
    };
    const timer = setInterval(() => void probe(), WATCH_MS);
    void probe();
    return {
      get moved() {
        return moved;
      },
      stop() {
        stopped = true;
        clearInterval(timer);
      },
    };
  }

  /** Keeps the last known statuses, marked stale, and records why in the store for the hosts page. */
  private async markStale(problem: FeedProblem): Promise<void> {
    this.setContact(true, null, undefined, problem);
    try {
      await this.store.feedState.update({ where: { host: this.target.name }, data: { lastError: storedProblem(problem) } });
    } catch (err) {
      if (isStoreFootingFault(err)) this.guard.footing.lost(`recording the feed error of ${this.target.name}`, err);
      this.guard.footing.contain(`recording the feed error of ${this.target.name}`, err);
    }
  }
}

/** Why the store refused a batch, short and free of the data itself (codes, never values). */
function storeRefusal(err: unknown): string {
  const cause = (err as { meta?: { driverAdapterError?: { cause?: { originalCode?: string; kind?: string } } } }).meta?.driverAdapterError?.cause;
  if (cause?.kind || cause?.originalCode) return [cause.kind, cause.originalCode].filter(Boolean).join(' ');
  return (err as { code?: string }).code ?? (err as Error).name ?? 'error';
}

const storedOrNull = (problem: FeedProblem | null) => (problem ? storedProblem(problem) : null);

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
    private guard: FeedFooting,
  ) {}

  start(everyMs = 3000): Promise<void> {
    // A reconcile that fails (the store, briefly) is tried again at the next tick.
    this.timer = setInterval(() => this.reconcile().catch((err) => this.guard.footing.contain('following the registry', err)), everyMs);
    return this.reconcile();
  }

  hostStates(): HostState[] {
    return [...this.pullers.values()].map((p) => p.state);
  }

  /** Starts and stops pullers to match the registry; also called after definitions change. */
  reconcile(): Promise<void> {
    // One at a time; one that failed does not stop the next (the chain goes on from its end).
    const run = this.reconciling.then(() => this.follow());
    this.reconciling = run.catch(() => {});
    return run;
  }

  private async follow(): Promise<void> {
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
      const puller = new HostPuller(target, this.store, this.context, this.log, this.listener, this.guard, {
        contactAt: h.feed?.lastContactAt?.toISOString() ?? null,
        error: readProblem(h.feed?.lastError ?? null),
      });
      // The loop contains what each batch does; anything escaping it is the store's footing.
      puller.done.catch((err) => this.guard.footing.lost(`pulling the feed of ${h.name}`, err));
      this.pullers.set(h.name, puller);
      this.listener.hostChanged(puller.state);
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.reconciling.catch(() => {});
    await Promise.all([...this.pullers.values()].map((p) => p.stop()));
    this.pullers.clear();
  }
}
