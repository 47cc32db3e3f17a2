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

/** Version of the table layout below; a spool with a higher one was written by a newer build. */
const SPOOL_FORMAT = 1;
const BUSY_TIMEOUT_MS = 10_000;

const SCHEMA = `
CREATE TABLE spool_meta (
  singleton      INTEGER PRIMARY KEY CHECK (singleton = 1),
  spool_id       TEXT NOT NULL,
  host           TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  -- highest sequence removed by pruneSpool: events at or below it are gone
  pruned_through INTEGER NOT NULL DEFAULT 0
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
`;

const EVENT_COLUMNS = `seq, host, unit, exec_id AS execId, run_id AS runId, kind, status, at, node, pid,
  exit_code AS exitCode, signal, output_tail AS outputTail, reason`;
const RUN_COLUMNS = `r.host, r.unit, r.exec_id AS execId, r.run_id AS runId, r.status, r.start_seq AS startSeq,
  r.last_seq AS lastSeq, r.started_at AS startedAt, r.ended_at AS endedAt, r.node, r.pid,
  r.exit_code AS exitCode, r.signal, r.output_tail AS outputTail, r.reason`;
const LAST_SEQ = `SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0) AS lastSeq`;

export const newSpoolEventSchema = spoolEventSchema.omit({ seq: true });

export class SpoolError extends Error {}

interface SpoolMeta {
  spoolId: string;
  host: string;
  createdAt: string;
  prunedThrough: number;
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
    return db;
  } catch (e) {
    db.close();
    if (e instanceof SpoolError) throw e;
    throw new SpoolError(`cannot read spool ${file}: ${(e as Error).message}`);
  }
}

function readMeta(db: Database.Database, file: string): SpoolMeta {
  const row = db
    .prepare('SELECT spool_id AS spoolId, host, created_at AS createdAt, pruned_through AS prunedThrough FROM spool_meta')
    .get() as SpoolMeta | undefined;
  if (!row) throw new SpoolError(`spool ${file} has no identity row; it is damaged`);
  return row;
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

/** Appends one event in its own short transaction and returns it with its sequence. */
export function appendEvent(file: string, event: NewSpoolEvent): SpoolEvent {
  const parsed = newSpoolEventSchema.safeParse(event);
  if (!parsed.success) {
    throw new SpoolError(`event not recorded: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const e = parsed.data;
  const db = connect(file, e.host);
  try {
    const append = db.transaction((): SpoolEvent => {
      const meta = readMeta(db, file);
      if (meta.host !== e.host) throw new SpoolError(`spool ${file} belongs to host "${meta.host}", not "${e.host}"`);
      const { lastInsertRowid } = db
        .prepare(
          `INSERT INTO events (host, unit, exec_id, run_id, kind, status, at, node, pid, exit_code, signal, output_tail, reason)
           VALUES (@host, @unit, @execId, @runId, @kind, @status, @at, @node, @pid, @exitCode, @signal, @outputTail, @reason)`,
        )
        .run(e);
      const stored: SpoolEvent = { seq: Number(lastInsertRowid), ...e };

      const previousRow = db.prepare(`SELECT ${RUN_COLUMNS} FROM runs r WHERE r.exec_id = ?`).get(e.execId);
      const previous = previousRow ? parseRow(runSchema, previousRow, file, `run ${e.execId}`) : null;
      if (previous && previous.unit !== e.unit) {
        throw new SpoolError(`event not recorded: execution ${e.execId} belongs to unit ${previous.unit}, not ${e.unit}`);
      }
      const run = foldEvent(previous, stored);
      db.prepare(
        `INSERT INTO runs (exec_id, host, unit, run_id, status, start_seq, last_seq, started_at, ended_at, node, pid, exit_code, signal, output_tail, reason)
         VALUES (@execId, @host, @unit, @runId, @status, @startSeq, @lastSeq, @startedAt, @endedAt, @node, @pid, @exitCode, @signal, @outputTail, @reason)
         ON CONFLICT (exec_id) DO UPDATE SET run_id = excluded.run_id, status = excluded.status, last_seq = excluded.last_seq,
           started_at = excluded.started_at, ended_at = excluded.ended_at, node = excluded.node, pid = excluded.pid,
           exit_code = excluded.exit_code, signal = excluded.signal, output_tail = excluded.output_tail, reason = excluded.reason`,
      ).run(run);
      // Sequences only grow, so a new execution always starts after every other run of its unit.
      if (!previous) {
        db.prepare('INSERT INTO unit_latest (unit, exec_id) VALUES (?, ?) ON CONFLICT (unit) DO UPDATE SET exec_id = excluded.exec_id').run(
          e.unit,
          e.execId,
        );
      }
      return stored;
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
  close(): void;
}

/** Opens a spool for reading; with `host`, it must be that host's spool. */
export function openSpool(file: string, host?: string): SpoolReader {
  const db = connect(file, host);
  try {
    const meta = readMeta(db, file);
    if (host !== undefined && meta.host !== host) throw new SpoolError(`spool ${file} belongs to host "${meta.host}", not "${host}"`);
    const lastSeqQuery = db.prepare(LAST_SEQ);
    const prunedQuery = db.prepare('SELECT pruned_through AS prunedThrough FROM spool_meta');
    const eventsQuery = db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE seq > ? ORDER BY seq LIMIT ?`);
    const runsQuery = db.prepare(`SELECT ${RUN_COLUMNS} FROM unit_latest u JOIN runs r ON r.exec_id = u.exec_id ORDER BY r.start_seq`);
    const lastSeq = () => (lastSeqQuery.get() as { lastSeq: number }).lastSeq;

    // Each read runs in one read transaction, so its parts agree with each other.
    const eventsAfter = db.transaction((after: number, limit: number): EventsAfter => {
      const last = lastSeq();
      const { prunedThrough } = prunedQuery.get() as { prunedThrough: number };
      if (after > last || after < prunedThrough) return { events: [], resync: true, lastSeq: last };
      const rows = eventsQuery.all(after, limit);
      const events = rows.map((row) => parseRow(spoolEventSchema, row, file, `event ${(row as { seq: unknown }).seq}`));
      return { events, resync: false, lastSeq: last };
    });
    const snapshot = db.transaction((): SpoolSnapshot => {
      const last = lastSeq();
      const runs = runsQuery.all().map((row) => parseRow(runSchema, row, file, `run ${(row as { execId: unknown }).execId}`));
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
      close: () => db.close(),
    };
  } catch (e) {
    db.close();
    throw e;
  }
}
