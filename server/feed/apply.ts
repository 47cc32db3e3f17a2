// Applying a host's feed to the console store. Each batch is one transaction
// that also commits the feed offset, so a crash at any point leaves either the
// whole batch with its offset or neither: replaying it changes nothing.
// A batch is folded in memory first (each run and each unit written once, however
// many of its events the batch holds) and written through the store's driver:
// a handful of statements a batch, not a few per event (docs/architecture.md, "Ingest").
import type { Store, Tx } from '../store/db';
import { SupersededError } from '../store/fence';
import { storeDriver, type Row, type Sql, type Table } from '../store/driver';
import { mayNotify, notificationsFor, WebhookRoutes, type NotifyOptions, type ScopeRoute } from '../notifications/outbox';
import { foldEvent, type FeedEvents, type FeedSnapshot, type Run } from '../domain/events';
import type { Status } from '../domain/status';
import type { UnitState, UnitsDelta } from '../domain/live';
import { storableText } from '../domain/text';

/** Runs of a snapshot applied in one transaction: other hosts' batches go in between. */
const SNAPSHOT_PART = 1000;

/** What a manager applies feeds with: its fencing epoch and how it notifies. */
export interface ApplyContext {
  epoch: number;
  notify: NotifyOptions;
}

const RUN: Table = {
  name: 'Run',
  columns: ['host', 'execId', 'unit', 'runId', 'spoolId', 'status', 'startSeq', 'lastSeq', 'startedAt', 'endedAt', 'exitCode', 'signal', 'node', 'pid', 'outputTail', 'reason'],
  key: ['host', 'execId'],
};
const UNIT: Table = {
  name: 'Unit',
  columns: ['host', 'path', 'spoolId', 'execId', 'runId', 'status', 'startSeq', 'startedAt', 'endedAt', 'exitCode', 'node', 'reason', 'ackBy', 'ackAt', 'ackComment', 'version'],
  key: ['host', 'path'],
};
const NOTIFICATION: Table = { name: 'Notification', columns: ['key', 'scopeId', 'channel', 'url', 'payload', 'createdAt', 'nextAttemptAt'], key: [] };

/** A unit as the store keeps it, its times as Prisma reads them (Date) or as the driver does (text). */
export type StoredUnit = Pick<
  NonNullable<Awaited<ReturnType<Tx['unit']['findUnique']>>>,
  'host' | 'path' | 'status' | 'runId' | 'execId' | 'startSeq' | 'exitCode' | 'node' | 'reason' | 'ackBy' | 'ackComment'
> & { startedAt: Date | string | null; endedAt: Date | string | null; ackAt: Date | string | null };

/** A time as the driver reads it (SQLite's text, PostgreSQL's ISO) in ISO 8601. */
const iso = (value: string | Date | null) => (value === null ? null : new Date(value).toISOString());
const date = (s: string | null) => (s ? new Date(s) : null);

/** A run as the driver reads it. */
interface StoredRun extends Omit<Run, 'startedAt' | 'endedAt'> {
  spoolId: string;
  startedAt: string | null;
  endedAt: string | null;
}

/** What deciding a unit's latest run needs of the unit as stored, and its acknowledgement. */
interface CurrentUnit {
  spoolId: string;
  execId: string;
  startSeq: number;
  ackBy: string | null;
  ackAt: string | null;
  ackComment: string | null;
}

/** A unit as this batch leaves it. */
interface UnitChange extends CurrentUnit {
  run: Run;
}

function runRow(run: Run, spoolId: string): Row {
  return [
    run.host, run.execId, run.unit, run.runId, spoolId, run.status, run.startSeq, run.lastSeq, date(run.startedAt), date(run.endedAt),
    run.exitCode, storableText(run.signal), storableText(run.node), run.pid, storableText(run.outputTail), storableText(run.reason),
  ];
}

function unitRow(change: UnitChange, version: number): Row {
  const { run } = change;
  return [
    run.host, run.unit, change.spoolId, run.execId, run.runId, run.status, run.startSeq, date(run.startedAt), date(run.endedAt),
    run.exitCode, storableText(run.node), storableText(run.reason), change.ackBy, date(change.ackAt), change.ackComment, version,
  ];
}

function unitState(change: UnitChange): UnitState {
  const { run } = change;
  return {
    host: run.host, unit: run.unit, status: run.status, runId: run.runId, execId: run.execId, startSeq: run.startSeq,
    startedAt: run.startedAt, endedAt: run.endedAt, exitCode: run.exitCode, node: storableText(run.node), reason: storableText(run.reason),
    ack: change.ackBy ? { by: change.ackBy, at: change.ackAt!, comment: change.ackComment ?? '' } : null,
  };
}

export function unitStateFromRow(u: StoredUnit): UnitState {
  return {
    host: u.host, unit: u.path, status: u.status as Status, runId: u.runId, execId: u.execId, startSeq: u.startSeq,
    startedAt: iso(u.startedAt), endedAt: iso(u.endedAt), exitCode: u.exitCode, node: u.node, reason: u.reason,
    ack: u.ackBy ? { by: u.ackBy, at: iso(u.ackAt)!, comment: u.ackComment ?? '' } : null,
  };
}

/** The unit shows the run that started last; a run from a newer spool always replaces one from an older. */
function isLatest(current: CurrentUnit | undefined, run: Run, spoolId: string): boolean {
  return !current || current.spoolId !== spoolId || current.execId === run.execId || run.startSeq > current.startSeq;
}

/**
 * The units of a host as a batch leaves them: each run, in the order the batch
 * reached it, replaces its unit's when it is the latest. A new run starts
 * unacknowledged; the same run keeps its acknowledgement.
 */
class UnitChanges {
  readonly changed = new Map<string, UnitChange>();
  constructor(private stored: Map<string, CurrentUnit>) {}

  offer(run: Run, spoolId: string): void {
    const current = this.changed.get(run.unit) ?? this.stored.get(run.unit);
    if (!isLatest(current, run, spoolId)) return;
    const same = current?.execId === run.execId;
    this.changed.set(run.unit, {
      run, spoolId, execId: run.execId, startSeq: run.startSeq,
      ackBy: same ? current.ackBy : null, ackAt: same ? current.ackAt : null, ackComment: same ? current.ackComment : null,
    });
  }
}

// A statement's IN list is padded to a power of two (repeating its last value), so that
// SQLite keeps a few prepared statements, not one per list length.
const IN_CHUNK = 512;
async function rowsIn<T>(sql: Sql, query: (list: string) => string, params: readonly unknown[], values: readonly string[]): Promise<T[]> {
  const rows: T[] = [];
  for (let i = 0; i < values.length; i += IN_CHUNK) {
    const part = values.slice(i, i + IN_CHUNK);
    const size = 2 ** Math.ceil(Math.log2(part.length));
    const padded = [...part, ...Array<string>(size - part.length).fill(part.at(-1)!)];
    rows.push(...(await sql.rows<T>(query(padded.map(() => '?').join(', ')), [...params, ...padded])));
  }
  return rows;
}

async function storedUnits(sql: Sql, host: string, paths: readonly string[]): Promise<Map<string, CurrentUnit>> {
  const rows = await rowsIn<CurrentUnit & { path: string }>(
    sql,
    (list) => `SELECT "path", "spoolId", "execId", "startSeq", "ackBy", "ackAt", "ackComment" FROM "Unit" WHERE "host" = ? AND "path" IN (${list})`,
    [host],
    paths,
  );
  return new Map(rows.map((u) => [u.path, { ...u, ackAt: iso(u.ackAt) }]));
}

async function storedRuns(sql: Sql, host: string, execIds: readonly string[]): Promise<StoredRun[]> {
  const rows = await rowsIn<StoredRun>(sql, (list) => `SELECT ${RUN.columns.map((c) => `"${c}"`).join(', ')} FROM "Run" WHERE "host" = ? AND "execId" IN (${list})`, [host], execIds);
  return rows.map((r) => ({ ...r, startedAt: iso(r.startedAt), endedAt: iso(r.endedAt) }));
}

/** Raises the store version, checking in the same statement that the store is still ours (the row stays locked to the commit). */
async function raiseVersion(sql: Sql, epoch: number): Promise<number> {
  const [meta] = await sql.rows<{ version: number; epoch: number }>('UPDATE "StoreMeta" SET "version" = "version" + 1 WHERE "id" = 1 RETURNING "version", "epoch"');
  if (meta.epoch !== epoch) throw new SupersededError(epoch, meta.epoch);
  return meta.version;
}

async function assertOurs(sql: Sql, epoch: number): Promise<void> {
  const [meta] = await sql.rows<{ epoch: number }>('UPDATE "StoreMeta" SET "epoch" = "epoch" WHERE "id" = 1 RETURNING "epoch"');
  if (meta.epoch !== epoch) throw new SupersededError(epoch, meta.epoch);
}

/** Raises the store version, checking in the same statement's result that the store is still ours. */
export async function nextVersion(tx: Tx, epoch: number): Promise<number> {
  const meta = await tx.storeMeta.update({ where: { id: 1 }, data: { version: { increment: 1 } } });
  if (meta.epoch !== epoch) throw new SupersededError(epoch, meta.epoch);
  return meta.version;
}

/** Where this host's events notify: only read when a batch holds an event that may notify. */
async function webhookRoutes(sql: Sql, host: string): Promise<WebhookRoutes> {
  const objects = await sql.rows<{ name: string; unit: string; scopeId: number }>('SELECT "name", "unit", "scopeId" FROM "MonitoringObject" WHERE "host" = ?', [host]);
  const scopes = await sql.rows<ScopeRoute>('SELECT "id", "name", "parentId", "webhookUrl", "mailTo", "webhookFilter" FROM "Scope"');
  return new WebhookRoutes(objects, scopes);
}

async function recordContact(sql: Sql, host: string, spoolId: string, now: string, offset?: number): Promise<void> {
  if (offset === undefined) {
    await sql.run('UPDATE "FeedState" SET "spoolId" = ?, "lastContactAt" = ?, "lastError" = NULL WHERE "host" = ?', [spoolId, new Date(now), host]);
  } else {
    await sql.run('UPDATE "FeedState" SET "spoolId" = ?, "offset" = ?, "lastContactAt" = ?, "lastError" = NULL WHERE "host" = ?', [spoolId, offset, new Date(now), host]);
  }
}

/** What a batch of events changed, and how many notifications it put in the outbox. */
export interface AppliedBatch {
  delta: UnitsDelta;
  notifications: number;
}

/** Writes what a batch changed and says it as a delta of the new version. */
async function writeChanges(sql: Sql, runs: Iterable<Run>, spoolId: string, units: UnitChanges, version: number): Promise<UnitsDelta> {
  await sql.upsert(RUN, [...runs].map((run) => runRow(run, spoolId)));
  const changed = [...units.changed.values()];
  await sql.upsert(UNIT, changed.map((u) => unitRow(u, version)));
  return { version, prevVersion: version - 1, units: changed.map(unitState) };
}

/**
 * Applies the events after the committed offset. A batch from a spool other
 * than the committed one is applied only if it reads that spool from its start.
 */
export async function applyEvents(store: Store, { epoch, notify }: ApplyContext, host: string, batch: FeedEvents, after: number): Promise<AppliedBatch | null> {
  return storeDriver(store).transaction(async (sql) => {
    const [feed] = await sql.rows<{ spoolId: string | null; offset: number }>('SELECT "spoolId", "offset" FROM "FeedState" WHERE "host" = ?', [host]);
    if (!feed) throw new Error(`host ${host} is not registered`);
    const sameSpool = feed.spoolId === batch.spoolId;
    if (!sameSpool && after !== 0) throw new Error(`host ${host}: a batch of spool ${batch.spoolId} must start from its beginning`);
    const from = sameSpool ? feed.offset : 0;
    const fresh = batch.events.filter((e) => e.seq > from).sort((a, b) => a.seq - b.seq);
    if (fresh.length === 0) {
      await assertOurs(sql, epoch);
      await recordContact(sql, host, batch.spoolId, batch.now);
      return null;
    }
    const foreign = fresh.find((e) => e.host !== host);
    if (foreign) throw new Error(`feed of ${host} carries an event of host ${foreign.host}`);
    const version = await raiseVersion(sql, epoch);

    const runs = new Map<string, Run>();
    for (const stored of await storedRuns(sql, host, [...new Set(fresh.map((e) => e.execId))])) {
      if (stored.spoolId === batch.spoolId) runs.set(stored.execId, stored); // a run of an older spool starts anew
    }
    const units = new UnitChanges(await storedUnits(sql, host, [...new Set(fresh.map((e) => e.unit))]));
    const folded = new Map<string, Run>();
    const now = Date.now();
    const routes = fresh.some((e) => mayNotify(e, notify, now)) ? await webhookRoutes(sql, host) : null;
    const outbox = [];
    for (const event of fresh) {
      const run = foldEvent(runs.get(event.execId) ?? null, event);
      runs.set(event.execId, run);
      folded.set(event.execId, run);
      units.offer(run, batch.spoolId);
      if (routes) outbox.push(...notificationsFor(routes, batch.spoolId, event, notify, now));
    }
    const delta = await writeChanges(sql, folded.values(), batch.spoolId, units, version);
    const created = new Date(now);
    await sql.insert(NOTIFICATION, outbox.map((n) => [n.key, n.scopeId, n.channel, n.url, n.payload, created, created]));
    await recordContact(sql, host, batch.spoolId, batch.now, fresh[fresh.length - 1].seq);
    return { delta, notifications: outbox.length };
  });
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
  const foreign = snapshot.runs.find((run) => run.host !== host);
  if (foreign) throw new Error(`snapshot of ${host} carries a run of host ${foreign.host}`);
  for (let start = 0; start === 0 || start < snapshot.runs.length; start += SNAPSHOT_PART) {
    const runs = snapshot.runs.slice(start, start + SNAPSHOT_PART);
    const last = start + SNAPSHOT_PART >= snapshot.runs.length;
    const delta = await storeDriver(store).transaction(async (sql) => {
      const version = await raiseVersion(sql, epoch);
      const units = new UnitChanges(await storedUnits(sql, host, [...new Set(runs.map((r) => r.unit))]));
      const latest = new Map<string, Run>(); // a snapshot names each run once; should it not, its last word wins
      for (const run of runs) {
        latest.set(run.execId, run);
        units.offer(run, snapshot.spoolId);
      }
      const delta = await writeChanges(sql, latest.values(), snapshot.spoolId, units, version);
      if (last) await recordContact(sql, host, snapshot.spoolId, snapshot.now, snapshot.lastSeq);
      return delta;
    });
    applied(delta);
  }
}
