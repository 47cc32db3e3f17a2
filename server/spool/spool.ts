// A job host's spool (spool-file.ts holds its layout and its appends): creating it, every
// event checked before it is appended, and the agent's reader of the journal and the runs,
// which never stops at a damaged record. Also the agent's fencing, and pruning.
import fs from 'node:fs';
import crypto from 'node:crypto';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { runSchema, spoolEventSchema, type NewSpoolEvent, type Run, type SpoolEvent } from '../domain/events';
import { runReasons } from '../domain/reasons';
import {
  appendToSpool,
  connect,
  readMeta,
  RUN_COLUMNS,
  SCHEMA,
  SPOOL_FORMAT,
  SpoolError,
  SpoolSupersededError,
  supersededWhileRunning,
  type Fence,
} from './spool-file';

export { SpoolError, SpoolSupersededError, type Fence } from './spool-file';

const EVENT_COLUMNS = `seq, host, unit, exec_id AS execId, run_id AS runId, kind, status, at, node, pid,
  exit_code AS exitCode, signal, output_tail AS outputTail, reason`;
const LAST_SEQ = `SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0) AS lastSeq`;

export const newSpoolEventSchema = spoolEventSchema.omit({ seq: true });

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
  const checked = events.map((event) => {
    const result = newSpoolEventSchema.safeParse(event);
    if (!result.success) {
      throw new SpoolError(`event not recorded: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    return result.data;
  });
  return appendToSpool(file, checked, fence);
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
