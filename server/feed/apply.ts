// Applying a host's feed to the console store. Each batch is one transaction
// that also commits the feed offset, so a crash at any point leaves either the
// whole batch with its offset or neither: replaying it changes nothing.
import type { Store, Tx } from '../store/db';
import { assertEpoch, SupersededError } from '../store/fence';
import { enqueueNotifications, WebhookRoutes, type NotifyOptions } from '../notifications/outbox';
import { foldEvent, type FeedEvents, type FeedSnapshot, type Run } from '../domain/events';
import type { Status } from '../domain/status';
import type { UnitState, UnitsDelta } from '../domain/live';
import { storableText } from '../domain/text';

// Prisma ends an interactive transaction after 5 s by default. A batch a host is entitled to
// send must be applied however long the store takes (a refused one would be retried for
// ever); this bounds it only against a store that hangs.
const BATCH_TRANSACTION = { timeout: 60_000, maxWait: 10_000 };
/** Runs of a snapshot applied in one transaction. */
const SNAPSHOT_PART = 500;

// Each statement of a transaction resolves at once on SQLite, so a long one would hold the
// event loop to its end: every this many rows it lets the loop run (health checks, pings,
// requests that need no store answer meanwhile).
const ROWS_PER_BREATH = 100;
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

/** What a manager applies feeds with: its fencing epoch and how it notifies. */
export interface ApplyContext {
  epoch: number;
  notify: NotifyOptions;
}

type RunRow = NonNullable<Awaited<ReturnType<Tx['run']['findUnique']>>>;
type UnitRow = NonNullable<Awaited<ReturnType<Tx['unit']['findUnique']>>>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const date = (s: string | null) => (s ? new Date(s) : null);

function runFromRow(r: RunRow): Run {
  return {
    host: r.host, unit: r.unit, execId: r.execId, runId: r.runId, status: r.status as Status,
    startSeq: r.startSeq, lastSeq: r.lastSeq, startedAt: iso(r.startedAt), endedAt: iso(r.endedAt),
    node: r.node, pid: r.pid, exitCode: r.exitCode, signal: r.signal, outputTail: r.outputTail, reason: r.reason,
  };
}

/** A run as the store keeps it: a job's own texts may hold what a provider cannot store (storableText). */
function runColumns(run: Run, spoolId: string) {
  return {
    unit: run.unit, runId: run.runId, spoolId, status: run.status, startSeq: run.startSeq, lastSeq: run.lastSeq,
    startedAt: date(run.startedAt), endedAt: date(run.endedAt), exitCode: run.exitCode, signal: storableText(run.signal),
    node: storableText(run.node), pid: run.pid, outputTail: storableText(run.outputTail), reason: storableText(run.reason),
  };
}

export function unitStateFromRow(u: UnitRow): UnitState {
  return {
    host: u.host, unit: u.path, status: u.status as Status, runId: u.runId, execId: u.execId, startSeq: u.startSeq,
    startedAt: iso(u.startedAt), endedAt: iso(u.endedAt), exitCode: u.exitCode, node: u.node, reason: u.reason,
    ack: u.ackBy ? { by: u.ackBy, at: iso(u.ackAt)!, comment: u.ackComment ?? '' } : null,
  };
}

/** The unit shows the run that started last; a run from a newer spool always replaces one from an older. */
function isLatest(current: UnitRow | null, run: Run, spoolId: string): boolean {
  return !current || current.spoolId !== spoolId || current.execId === run.execId || run.startSeq > current.startSeq;
}

async function saveRun(tx: Tx, run: Run, spoolId: string, version: number, changed: Map<string, UnitRow>): Promise<void> {
  const columns = runColumns(run, spoolId);
  const execId = run.execId;
  await tx.run.upsert({ where: { host_execId: { host: run.host, execId } }, create: { host: run.host, execId, ...columns }, update: columns });
  const current = changed.get(run.unit) ?? (await tx.unit.findUnique({ where: { host_path: { host: run.host, path: run.unit } } }));
  if (!isLatest(current, run, spoolId)) return;
  const unit = {
    spoolId, execId, runId: run.runId, status: run.status, startSeq: run.startSeq, startedAt: columns.startedAt,
    endedAt: columns.endedAt, exitCode: run.exitCode, node: columns.node, reason: columns.reason, version,
    // A new run starts unacknowledged; the same run keeps its acknowledgement.
    ...(current?.execId === execId ? {} : { ackBy: null, ackAt: null, ackComment: null }),
  };
  changed.set(
    run.unit,
    await tx.unit.upsert({ where: { host_path: { host: run.host, path: run.unit } }, create: { host: run.host, path: run.unit, ...unit }, update: unit }),
  );
}

/** Raises the store version, checking in the same statement's result that the store is still ours. */
export async function nextVersion(tx: Tx, epoch: number): Promise<number> {
  const meta = await tx.storeMeta.update({ where: { id: 1 }, data: { version: { increment: 1 } } });
  if (meta.epoch !== epoch) throw new SupersededError(epoch, meta.epoch); // rolls the batch back
  return meta.version;
}

/**
 * Applies the events after the committed offset. A batch from a spool other
 * than the committed one is applied only if it reads that spool from its start.
 */
export async function applyEvents(store: Store, { epoch, notify }: ApplyContext, host: string, batch: FeedEvents, after: number): Promise<UnitsDelta | null> {
  return store.$transaction(async (tx) => {
    const feed = await tx.feedState.findUnique({ where: { host } });
    if (!feed) throw new Error(`host ${host} is not registered`);
    const sameSpool = feed.spoolId === batch.spoolId;
    if (!sameSpool && after !== 0) throw new Error(`host ${host}: a batch of spool ${batch.spoolId} must start from its beginning`);
    const from = sameSpool ? feed.offset : 0;
    const fresh = batch.events.filter((e) => e.seq > from).sort((a, b) => a.seq - b.seq);
    if (fresh.length === 0) {
      await assertEpoch(tx, epoch);
      await tx.feedState.update({ where: { host }, data: { spoolId: batch.spoolId, lastContactAt: new Date(batch.now), lastError: null } });
      return null;
    }
    const version = await nextVersion(tx, epoch);
    const runs = new Map<string, Run | null>();
    const changed = new Map<string, UnitRow>();
    const routes = await WebhookRoutes.load(tx, host);
    for (const [i, event] of fresh.entries()) {
      if (i > 0 && i % ROWS_PER_BREATH === 0) await breathe();
      if (event.host !== host) throw new Error(`feed of ${host} carries an event of host ${event.host}`);
      let run = runs.get(event.execId);
      if (run === undefined) {
        const row = await tx.run.findUnique({ where: { host_execId: { host, execId: event.execId } } });
        run = row && row.spoolId === batch.spoolId ? runFromRow(row) : null;
      }
      run = foldEvent(run, event);
      runs.set(event.execId, run);
      await saveRun(tx, run, batch.spoolId, version, changed);
      await enqueueNotifications(tx, routes, batch.spoolId, event, notify);
    }
    await tx.feedState.update({
      where: { host },
      data: { spoolId: batch.spoolId, offset: fresh[fresh.length - 1].seq, lastContactAt: new Date(batch.now), lastError: null },
    });
    return { version, prevVersion: version - 1, units: [...changed.values()].map(unitStateFromRow) };
  }, BATCH_TRANSACTION);
}

/**
 * Replaces what the store knows of a host's units with a snapshot, and adopts its
 * spool and offset. A snapshot is a state, not events: it notifies nobody. A large
 * one goes in parts, each its own transaction told to `applied` as it commits, so
 * that other hosts' batches go in between; the spool and offset are adopted with
 * the last part (a crash before it takes the snapshot again, which changes nothing).
 */
export async function applySnapshot(
  store: Store,
  { epoch }: ApplyContext,
  host: string,
  snapshot: FeedSnapshot,
  applied: (delta: UnitsDelta) => void,
): Promise<void> {
  for (let start = 0; start === 0 || start < snapshot.runs.length; start += SNAPSHOT_PART) {
    const runs = snapshot.runs.slice(start, start + SNAPSHOT_PART);
    const last = start + SNAPSHOT_PART >= snapshot.runs.length;
    const delta = await store.$transaction(async (tx) => {
      const version = await nextVersion(tx, epoch);
      const changed = new Map<string, UnitRow>();
      for (const [i, run] of runs.entries()) {
        if (i > 0 && i % ROWS_PER_BREATH === 0) await breathe();
        if (run.host !== host) throw new Error(`snapshot of ${host} carries a run of host ${run.host}`);
        await saveRun(tx, run, snapshot.spoolId, version, changed);
      }
      if (last) {
        await tx.feedState.update({
          where: { host },
          data: { spoolId: snapshot.spoolId, offset: snapshot.lastSeq, lastContactAt: new Date(snapshot.now), lastError: null },
        });
      }
      return { version, prevVersion: version - 1, units: [...changed.values()].map(unitStateFromRow) };
    }, BATCH_TRANSACTION);
    applied(delta);
  }
}

/** Everything a browser needs to start: units of the watched hosts, stamped with the store version. */
export async function statusSnapshot(store: Store): Promise<{ version: number; units: UnitState[] }> {
  return store.$transaction(async (tx) => {
    const meta = await tx.storeMeta.findUniqueOrThrow({ where: { id: 1 } });
    const watched = await tx.monitoringObject.findMany({ distinct: ['host'], select: { host: true } });
    const units = await tx.unit.findMany({ where: { host: { in: watched.map((w) => w.host) } } });
    return { version: meta.version, units: units.map(unitStateFromRow) };
  });
}
