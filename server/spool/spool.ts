// A job host's spool: a durable, append-only journal of start, end and status
// events in one SQLite file on the host's shared disk. Many `jobscope exec`
// processes append at once, so each append opens the file, writes in one short
// BEGIN IMMEDIATE transaction and closes it again: no writer holds the file.
// Beside the journal it keeps each execution's folded run and each unit's
// latest run, so that a snapshot never replays the journal.
import fs from 'node:fs';
import crypto from 'node:crypto';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { foldEvent, runSchema, spoolEventSchema, type NewSpoolEvent, type Run, type SpoolEvent } from '../domain/events';
import { runReasons } from '../domain/reasons';

/**
 * Version of the table layout below; a spool with a higher one was written by a newer build.
 * 1: first layout. 2: spool_meta.epoch (fencing) and an index of the runs still going.
 */
const SPOOL_FORMAT = 2;
// How long a writer waits for the spool's lock. Hundreds of jobs that start at once (the top of
// the hour) queue for it, and SQLite's waiting is not first come, first served: a job wrapper
// that gave up would stop its job, so it waits long.
const BUSY_TIMEOUT_MS = 60_000;

// The processes still going (started by exec, not ended), which the agent looks for
// at start and stop; the journal keeps growing, so they are not found by a scan.
const RUNNING_INDEX = 'CREATE INDEX IF NOT EXISTS runs_running ON runs (exec_id) WHERE ended_at IS NULL AND pid IS NOT NULL;';

const SCHEMA = `
CREATE TABLE spool_meta (
  singleton      INTEGER PRIMARY KEY CHECK (singleton = 1),
  spool_id       TEXT NOT NULL,
  host           TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  -- highest sequence removed by pruneSpool: events at or below it are gone
  pruned_through INTEGER NOT NULL DEFAULT 0,
  -- fencing epoch of the agent that holds the spool: its writes check it is still theirs
  epoch          INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE events (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  host        TEXT NOT NULL,
  unit        TEXT NOT NULL,
  exec_id     TEXT NOT NULL,
  run_id      TEXT,
  kind        TEXT NOT NULL,
  status      TEXT NOT NULL,
  at          TEXT NOT NULL,
  node        TEXT,
  pid         INTEGER,
  exit_code   INTEGER,
  signal      TEXT,
  output_tail TEXT,
  reason      TEXT
);
-- One row per execution, folded from its events with foldEvent.
CREATE TABLE runs (
  exec_id     TEXT PRIMARY KEY,
  host        TEXT NOT NULL,
  unit        TEXT NOT NULL,
  run_id      TEXT,
  status      TEXT NOT NULL,
  start_seq   INTEGER NOT NULL,
  last_seq    INTEGER NOT NULL,
  started_at  TEXT,
  ended_at    TEXT,
  node        TEXT,
  pid         INTEGER,
  exit_code   INTEGER,
  signal      TEXT,
  output_tail TEXT,
  reason      TEXT
);
-- Each unit's latest run: the one with the greatest start_seq.
CREATE TABLE unit_latest (
  unit    TEXT PRIMARY KEY,
  exec_id TEXT NOT NULL REFERENCES runs (exec_id)
);
${RUNNING_INDEX}
`;

/** Steps that bring a spool of format N-1 to format N, by N. */
const UPGRADES: Record<number, string> = {
  2: `ALTER TABLE spool_meta ADD COLUMN epoch INTEGER NOT NULL DEFAULT 0;
      ${RUNNING_INDEX}`,
};

const EVENT_COLUMNS = `seq, host, unit, exec_id AS execId, run_id AS runId, kind, status, at, node, pid,
  exit_code AS exitCode, signal, output_tail AS outputTail, reason`;
const RUN_COLUMNS = `r.host, r.unit, r.exec_id AS execId, r.run_id AS runId, r.status, r.start_seq AS startSeq,
  r.last_seq AS lastSeq, r.started_at AS startedAt, r.ended_at AS endedAt, r.node, r.pid,
  r.exit_code AS exitCode, r.signal, r.output_tail AS outputTail, r.reason`;
const LAST_SEQ = `SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0) AS lastSeq`;

export const newSpoolEventSchema = spoolEventSchema.omit({ seq: true });

export class SpoolError extends Error {}

/** The spool's fencing epoch is no longer the writer's: a newer agent holds it. */
export class SpoolSupersededError extends SpoolError {
  constructor(
    message: string,
    readonly mine: number,
    readonly found: number,
  ) {
    super(message);
  }
}

/** A write of the agent daemon: it happens only while the spool's epoch is still this one. */
export interface Fence {
  epoch: number;
}

interface SpoolMeta {
  spoolId: string;
  host: string;
  createdAt: string;
  prunedThrough: number;
  epoch: number;
}

function missingSpoolMessage(file: string, host?: string): string {
  return `no spool at ${file}: is the shared disk mounted? create it with jobscope setup -h ${host ?? 'HOST'} --init`;
}

function connect(file: string, host?: string): Database.Database {
  if (!fs.existsSync(file)) throw new SpoolError(missingSpoolMessage(file, host));
  let db: Database.Database;
  try {
    db = new Database(file, { fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  } catch (e) {
    throw new SpoolError(`cannot open spool ${file}: ${(e as Error).message}`);
  }
  try {
    // Per connection: every commit reaches the disk before the append returns.
    db.pragma('synchronous = FULL');
    const format = db.pragma('user_version', { simple: true }) as number;
    if (format > SPOOL_FORMAT) throw new SpoolError(`spool ${file} was written by a newer build of Jobscope (format ${format})`);
    if (format < 1) throw new SpoolError(`${file} is not a Jobscope spool`);
    if (format < SPOOL_FORMAT) upgrade(db, file);
    return db;
  } catch (e) {
    db.close();
    if (e instanceof SpoolError) throw e;
    throw new SpoolError(`cannot read spool ${file}: ${(e as Error).message}`);
  }
}

/** Brings an older spool to this build's format, in place, keeping everything in it. */
function upgrade(db: Database.Database, file: string): void {
  try {
    // Many writers may open the old spool at once: the first to take the write lock upgrades, the others find it done.
    db.transaction(() => {
      const format = db.pragma('user_version', { simple: true }) as number;
      for (let next = format + 1; next <= SPOOL_FORMAT; next++) db.exec(UPGRADES[next]);
      if (format < SPOOL_FORMAT) db.pragma(`user_version = ${SPOOL_FORMAT}`);
    }).immediate();
  } catch (e) {
    throw new SpoolError(`cannot upgrade spool ${file} to format ${SPOOL_FORMAT}: ${(e as Error).message}`);
  }
}

function readMeta(db: Database.Database, file: string): SpoolMeta {
  const row = db
    .prepare('SELECT spool_id AS spoolId, host, created_at AS createdAt, pruned_through AS prunedThrough, epoch FROM spool_meta')
    .get() as SpoolMeta | undefined;
  if (!row) throw new SpoolError(`spool ${file} has no identity row; it is damaged`);
  return row;
}

/** What a job told about its run, not what the event is: a damaged one can be left out. */
const JOB_FIELDS = new Set(['runId', 'node', 'pid', 'exitCode', 'signal', 'outputTail', 'reason']);

/** A record that did not read as it should: repaired (its job fields left out) or skipped. */
export interface DamagedRecord {
  what: string;
  problems: string;
  skipped: boolean;
}

/**
 * Reads a record for the feed. A damaged one never stops the feed: fields the job
 * supplied that do not read are left out (the reason says so); a record whose
 * identity (unit, kind, status, time) does not read is skipped. Either is reported.
 */
function readRecord<T>(schema: z.ZodType<T>, row: unknown, what: string, onDamaged: (d: DamagedRecord) => void): T | null {
  const parsed = schema.safeParse(row);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(row)'}: ${i.message}`).join('; ');
  const bad = [...new Set(parsed.error.issues.map((i) => String(i.path[0])))];
  if (bad.every((field) => JOB_FIELDS.has(field))) {
    const repaired = { ...(row as Record<string, unknown>), ...Object.fromEntries(bad.map((f) => [f, null])), reason: runReasons.damaged(bad) };
    const again = schema.safeParse(repaired);
    if (again.success) {
      onDamaged({ what, problems, skipped: false });
      return again.data;
    }
  }
  onDamaged({ what, problems, skipped: true });
  return null;
}

function parseRow<T>(schema: z.ZodType<T>, row: unknown, file: string, what: string): T {
  const parsed = schema.safeParse(row);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(row)'}: ${i.message}`).join('; ');
  throw new SpoolError(`spool ${file}: ${what} is invalid (${problems})`);
}

/**
 * Creates a new, empty spool with a new id. Fails if the file exists: a new id
 * makes every console resynchronise, so an existing spool is never replaced.
 */
export function createSpool(file: string, host: string): { spoolId: string } {
  if (fs.existsSync(file)) throw new SpoolError(`a spool already exists at ${file}; it is kept`);
  // Built aside and linked into place, so that nobody ever opens a half-made spool
  // and two nodes creating it at once cannot both succeed.
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  const spoolId = crypto.randomUUID();
  try {
    const db = new Database(tmp);
    try {
      db.pragma('journal_mode = WAL');
      db.exec(SCHEMA);
      db.prepare('INSERT INTO spool_meta (singleton, spool_id, host, created_at) VALUES (1, ?, ?, ?)').run(
        spoolId,
        host,
        new Date().toISOString(),
      );
      db.pragma(`user_version = ${SPOOL_FORMAT}`);
    } finally {
      db.close();
    }
    try {
      fs.linkSync(tmp, file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new SpoolError(`a spool already exists at ${file}; it is kept`);
      throw e;
    }
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  return { spoolId };
}

function supersededWhileRunning(file: string, fence: Fence, found: number): SpoolSupersededError {
  return new SpoolSupersededError(
    `fencing epoch ${fence.epoch} of spool ${file} is superseded by epoch ${found}: another agent holds this host now`,
    fence.epoch,
    found,
  );
}

/**
 * Claims the spool for the agent that took the host's hold with `epoch`: from
 * now on, writes fenced with an older epoch fail. Refuses when a newer epoch
 * has already claimed it.
 */
export function claimSpool(file: string, host: string, epoch: number): void {
  const db = connect(file, host);
  try {
    db.transaction(() => {
      const meta = readMeta(db, file);
      if (meta.host !== host) throw new SpoolError(`spool ${file} belongs to host "${meta.host}", not "${host}"`);
      if (meta.epoch > epoch) {
        throw new SpoolSupersededError(
          `spool ${file} is claimed by fencing epoch ${meta.epoch}, newer than this agent's epoch ${epoch}: a newer agent for ${host} holds it ` +
            `(if none runs, the hold file in the data folder was replaced); refusing to start`,
          epoch,
          meta.epoch,
        );
      }
      db.prepare('UPDATE spool_meta SET epoch = ?').run(epoch);
    }).immediate();
  } finally {
    db.close();
  }
}

/**
 * Appends one event in its own short transaction and returns it with its sequence.
 * With a fence (the agent daemon's writes), the same transaction checks that the
 * spool's epoch is still the fence's, else throws SpoolSupersededError.
 */
export function appendEvent(file: string, event: NewSpoolEvent, fence?: Fence): SpoolEvent {
  return appendEvents(file, [event], fence)[0];
}

/** Appends events of one host in one transaction, in order (a whole workload at once: benchmarks, imports of history). */
export function appendEvents(file: string, events: readonly NewSpoolEvent[], fence?: Fence): SpoolEvent[] {
  const parsed = events.map((event) => {
    const result = newSpoolEventSchema.safeParse(event);
    if (!result.success) {
      throw new SpoolError(`event not recorded: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    return result.data;
  });
  if (parsed.length === 0) return [];
  const host = parsed[0].host;
  const db = connect(file, host);
  try {
    const insertEvent = db.prepare(
      `INSERT INTO events (host, unit, exec_id, run_id, kind, status, at, node, pid, exit_code, signal, output_tail, reason)
       VALUES (@host, @unit, @execId, @runId, @kind, @status, @at, @node, @pid, @exitCode, @signal, @outputTail, @reason)`,
    );
    const readRun = db.prepare(`SELECT ${RUN_COLUMNS} FROM runs r WHERE r.exec_id = ?`);
    const saveRun = db.prepare(
      `INSERT INTO runs (exec_id, host, unit, run_id, status, start_seq, last_seq, started_at, ended_at, node, pid, exit_code, signal, output_tail, reason)
       VALUES (@execId, @host, @unit, @runId, @status, @startSeq, @lastSeq, @startedAt, @endedAt, @node, @pid, @exitCode, @signal, @outputTail, @reason)
       ON CONFLICT (exec_id) DO UPDATE SET run_id = excluded.run_id, status = excluded.status, last_seq = excluded.last_seq,
         started_at = excluded.started_at, ended_at = excluded.ended_at, node = excluded.node, pid = excluded.pid,
         exit_code = excluded.exit_code, signal = excluded.signal, output_tail = excluded.output_tail, reason = excluded.reason`,
    );
    const saveLatest = db.prepare('INSERT INTO unit_latest (unit, exec_id) VALUES (?, ?) ON CONFLICT (unit) DO UPDATE SET exec_id = excluded.exec_id');
    const append = db.transaction((): SpoolEvent[] => {
      const meta = readMeta(db, file);
      if (fence && meta.epoch !== fence.epoch) throw supersededWhileRunning(file, fence, meta.epoch);
      return parsed.map((e) => {
        if (meta.host !== e.host) throw new SpoolError(`spool ${file} belongs to host "${meta.host}", not "${e.host}"`);
        const { lastInsertRowid } = insertEvent.run(e);
        const stored: SpoolEvent = { seq: Number(lastInsertRowid), ...e };
        const previousRow = readRun.get(e.execId);
        const previous = previousRow ? parseRow(runSchema, previousRow, file, `run ${e.execId}`) : null;
        if (previous && previous.unit !== e.unit) {
          throw new SpoolError(`event not recorded: execution ${e.execId} belongs to unit ${previous.unit}, not ${e.unit}`);
        }
        saveRun.run(foldEvent(previous, stored));
        // Sequences only grow, so a new execution always starts after every other run of its unit.
        if (!previous) saveLatest.run(e.unit, e.execId);
        return stored;
      });
    });
    return append.immediate();
  } catch (err) {
    if (err instanceof SpoolError) throw err;
    throw new SpoolError(`event not recorded in spool ${file}: ${(err as Error).message}`);
  } finally {
    db.close();
  }
}

/**
 * Removes the events at or below a sequence, and the runs that nothing needs any
 * more (ended, not their unit's latest). Consumers behind it are told to resync.
 */
export function pruneSpool(file: string, throughSeq: number): void {
  const db = connect(file);
  try {
    db.transaction(() => {
      db.prepare('DELETE FROM events WHERE seq <= ?').run(throughSeq);
      db.prepare(
        `DELETE FROM runs WHERE last_seq <= ? AND ended_at IS NOT NULL AND exec_id NOT IN (SELECT exec_id FROM unit_latest)`,
      ).run(throughSeq);
      db.prepare('UPDATE spool_meta SET pruned_through = MAX(pruned_through, ?)').run(throughSeq);
    }).immediate();
  } finally {
    db.close();
  }
}

export interface EventsAfter {
  events: SpoolEvent[];
  /** True when the events after the asked sequence are no longer all here: take a snapshot. */
  resync: boolean;
  lastSeq: number;
}

export interface SpoolSnapshot {
  lastSeq: number;
  runs: Run[];
}

/** A long-lived read connection for the agent daemon. */
export interface SpoolReader {
  readonly file: string;
  readonly spoolId: string;
  readonly host: string;
  readonly createdAt: string;
  lastSeq(): number;
  eventsAfter(after: number, limit: number): EventsAfter;
  snapshot(): SpoolSnapshot;
  /** The runs of `jobscope exec` that started and have not ended, oldest first. */
  runningRuns(): Run[];
  /** The fencing epoch that last claimed the spool (a cheap read, for a periodic check). */
  epoch(): number;
  /** Throws SpoolSupersededError unless the spool's epoch is still the fence's. */
  checkFence(fence: Fence): void;
  close(): void;
}

/** Opens a spool for reading; with `host`, it must be that host's spool. Damaged records are told to onDamaged. */
export function openSpool(file: string, host?: string, onDamaged: (d: DamagedRecord) => void = () => {}): SpoolReader {
  const db = connect(file, host);
  try {
    const meta = readMeta(db, file);
    if (host !== undefined && meta.host !== host) throw new SpoolError(`spool ${file} belongs to host "${meta.host}", not "${host}"`);
    const lastSeqQuery = db.prepare(LAST_SEQ);
    const prunedQuery = db.prepare('SELECT pruned_through AS prunedThrough FROM spool_meta');
    const eventsQuery = db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE seq > ? ORDER BY seq LIMIT ?`);
    const runsQuery = db.prepare(`SELECT ${RUN_COLUMNS} FROM unit_latest u JOIN runs r ON r.exec_id = u.exec_id ORDER BY r.start_seq`);
    const runningQuery = db.prepare(`SELECT ${RUN_COLUMNS} FROM runs r WHERE r.ended_at IS NULL AND r.pid IS NOT NULL ORDER BY r.start_seq`);
    const epochQuery = db.prepare('SELECT epoch FROM spool_meta');
    const epoch = () => (epochQuery.get() as { epoch: number }).epoch;
    const lastSeq = () => (lastSeqQuery.get() as { lastSeq: number }).lastSeq;

    // Each read runs in one read transaction, so its parts agree with each other.
    const eventsAfter = db.transaction((after: number, limit: number): EventsAfter => {
      const last = lastSeq();
      const { prunedThrough } = prunedQuery.get() as { prunedThrough: number };
      if (after > last || after < prunedThrough) return { events: [], resync: true, lastSeq: last };
      const rows = eventsQuery.all(after, limit);
      const events = rows.flatMap((row) => readRecord(spoolEventSchema, row, `event ${(row as { seq: unknown }).seq}`, onDamaged) ?? []);
      return { events, resync: false, lastSeq: last };
    });
    const snapshot = db.transaction((): SpoolSnapshot => {
      const last = lastSeq();
      const runs = runsQuery.all().flatMap((row) => readRecord(runSchema, row, `run ${(row as { execId: unknown }).execId}`, onDamaged) ?? []);
      return { lastSeq: last, runs };
    });

    return {
      file,
      spoolId: meta.spoolId,
      host: meta.host,
      createdAt: meta.createdAt,
      lastSeq,
      eventsAfter: (after, limit) => {
        if (!Number.isSafeInteger(after) || after < 0) throw new SpoolError('after must be a whole number of 0 or more');
        if (!Number.isSafeInteger(limit) || limit < 1) throw new SpoolError('limit must be a whole number of 1 or more');
        return eventsAfter(after, limit);
      },
      snapshot: () => snapshot(),
      runningRuns: () => runningQuery.all().flatMap((row) => readRecord(runSchema, row, `run ${(row as { execId: unknown }).execId}`, onDamaged) ?? []),
      epoch,
      checkFence: (fence) => {
        const found = epoch();
        if (found !== fence.epoch) throw supersededWhileRunning(file, fence, found);
      },
      close: () => db.close(),
    };
  } catch (e) {
    db.close();
    throw e;
  }
}
