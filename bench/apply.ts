// Applying feed batches to the console store, in one process: Jobscope's apply
// against plain better-sqlite3 (or pg) writing the same rows in the same batches
// with the same durability, measured in the same run. Prints figures; asserts nothing.
//   npx tsx bench/apply.ts [events] [sqlite|postgresql]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import pg from 'pg';
import { applyEvents } from '../server/feed/apply';
import { FEED_BATCH_LIMIT } from '../server/feed/puller';
import type { SpoolEvent } from '../server/domain/events';
import { openStore, type Store } from '../server/store/db';
import { parsePostgresUrl, redactUrl } from '../server/store/location';
import { startPgServer } from '../scripts/pg-test-server.mjs';

const HOST = 'benchhost';
const CONTEXT = { epoch: 0, notify: { maxAgeMs: 3600_000, consoleHost: 'bench' } };

/** A busy host's feed: runs of `units` units, each a start then an end (one in 20 abnormal). */
export function feedEvents(count: number, units = 2000): SpoolEvent[] {
  const events: SpoolEvent[] = [];
  const at = new Date().toISOString();
  for (let seq = 1; seq <= count; seq++) {
    const run = Math.floor((seq - 1) / 2);
    const start = seq % 2 === 1;
    events.push({
      seq, host: HOST, unit: `/Bench/net${run % 50}/job${run % units}`, execId: `exec-${run}`, runId: null,
      kind: start ? 'start' : 'end', status: start ? 'RUNNING' : run % 20 === 0 ? 'ABNORMAL' : 'NORMAL',
      at, node: 'bench', pid: 1000 + (run % 30000), exitCode: start ? null : run % 20 === 0 ? 1 : 0,
      signal: null, outputTail: start ? null : 'done', reason: null,
    });
  }
  return events;
}

export interface ApplyFigures {
  events: number;
  eventsPerSecond: number;
  /** Longest event-loop delay while applying, in ms. */
  maxStallMs: number;
  /** Wall time of one batch: median and longest, ms. */
  batchP50Ms: number;
  batchMaxMs: number;
}

async function timed(events: SpoolEvent[], batchSize: number, apply: (batch: SpoolEvent[], after: number) => Promise<void>): Promise<ApplyFigures> {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  const batches: number[] = [];
  delay.enable();
  const began = performance.now();
  for (let i = 0; i < events.length; i += batchSize) {
    const t = performance.now();
    await apply(events.slice(i, i + batchSize), i);
    batches.push(performance.now() - t);
    await new Promise((resolve) => setImmediate(resolve)); // as the puller waits for the network between batches
  }
  const seconds = (performance.now() - began) / 1000;
  delay.disable();
  batches.sort((a, b) => a - b);
  return {
    events: events.length,
    eventsPerSecond: events.length / seconds,
    maxStallMs: delay.max / 1e6,
    batchP50Ms: batches[Math.floor(batches.length / 2)],
    batchMaxMs: batches.at(-1)!,
  };
}

/** Jobscope's apply, as the puller calls it, on an empty store. */
export async function measureJobscope(store: Store, events: SpoolEvent[], batchSize = FEED_BATCH_LIMIT): Promise<ApplyFigures> {
  await store.monitoredHost.create({ data: { name: HOST, address: '127.0.0.1', feedPort: 1, token: 'x'.repeat(32), feed: { create: {} } } });
  const scope = await store.scope.create({ data: { name: 'Bench', webhookUrl: 'https://hooks.example/bench' } });
  await store.monitoringObject.create({ data: { name: 'Bench', scopeId: scope.id, host: HOST, unit: '/Bench' } });
  return timed(events, batchSize, async (batch, after) => {
    const now = new Date().toISOString();
    await applyEvents(store, CONTEXT, HOST, { protocol: 1, host: HOST, spoolId: 'bench', now, lastSeq: events.length, resync: false, events: batch }, after);
  });
}

/** A throwaway PostgreSQL server (Debian's, as the tests use it) with an empty database; its URL. */
export async function withPostgres<T>(work: (url: string) => Promise<T>): Promise<T> {
  const server = await startPgServer();
  try {
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query('CREATE DATABASE bench');
    await admin.end();
    const url = new URL(server.url);
    url.pathname = '/bench';
    return await work(url.toString());
  } finally {
    await server.stop();
  }
}

/** A console store on PostgreSQL at this URL, opened as a manager opens it. */
export function openPostgresStore(url: string): Promise<Store> {
  return openStore({ provider: 'postgresql', connection: parsePostgresUrl(url), display: redactUrl(url) });
}

/** A console store in a temporary SQLite file, and how to remove it. */
export async function openSqliteStore(): Promise<{ store: Store; remove(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobscope-bench-'));
  const store = await openStore(path.join(dir, 'console.db'));
  return { store, remove: async () => (await store.$disconnect(), fs.rmSync(dir, { recursive: true, force: true })) };
}

const RUN_COLUMNS = ['host', 'execId', 'unit', 'runId', 'spoolId', 'status', 'startSeq', 'lastSeq', 'startedAt', 'endedAt', 'exitCode', 'signal', 'node', 'pid', 'outputTail', 'reason'];
const UNIT_COLUMNS = ['host', 'path', 'spoolId', 'execId', 'runId', 'status', 'startSeq', 'startedAt', 'endedAt', 'exitCode', 'node', 'reason', 'version'];

function runValues(e: SpoolEvent, run: number): unknown[] {
  return [e.host, e.execId, e.unit, e.runId, 'bench', e.status, e.seq - (e.kind === 'end' ? 1 : 0), e.seq, e.at, e.kind === 'end' ? e.at : null, e.exitCode, e.signal, e.node, e.pid, e.outputTail, e.reason].map((v) => (v === undefined ? run : v));
}

function unitValues(e: SpoolEvent, version: number): unknown[] {
  return [e.host, e.unit, 'bench', e.execId, e.runId, e.status, e.seq, e.at, e.kind === 'end' ? e.at : null, e.exitCode, e.node, e.reason, version];
}

const upsert = (table: string, columns: string[], keys: string[], rows: number, param: (i: number) => string) => {
  const values = Array.from({ length: rows }, (_, r) => `(${columns.map((_, c) => param(r * columns.length + c + 1)).join(',')})`).join(',');
  const updates = columns.filter((c) => !keys.includes(c)).map((c) => `"${c}" = excluded."${c}"`).join(',');
  return `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(',')}) VALUES ${values} ON CONFLICT (${keys.map((k) => `"${k}"`).join(',')}) DO UPDATE SET ${updates}`;
};

const DDL = `
  CREATE TABLE "Run" (host TEXT, "execId" TEXT, unit TEXT, "runId" TEXT, "spoolId" TEXT, status TEXT, "startSeq" INTEGER, "lastSeq" INTEGER,
    "startedAt" TEXT, "endedAt" TEXT, "exitCode" INTEGER, signal TEXT, node TEXT, pid INTEGER, "outputTail" TEXT, reason TEXT, PRIMARY KEY (host, "execId"));
  CREATE TABLE "Unit" (host TEXT, path TEXT, "spoolId" TEXT, "execId" TEXT, "runId" TEXT, status TEXT, "startSeq" INTEGER, "startedAt" TEXT,
    "endedAt" TEXT, "exitCode" INTEGER, node TEXT, reason TEXT, version INTEGER, PRIMARY KEY (host, path));`;

/** The bare baseline: plain better-sqlite3, WAL and synchronous=FULL, a run and a unit upserted per event, a transaction per batch. */
export async function measureBareSqlite(events: SpoolEvent[], batchSize = FEED_BATCH_LIMIT): Promise<ApplyFigures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobscope-bench-'));
  const db = new Database(path.join(dir, 'bare.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(DDL);
    const run = db.prepare(upsert('Run', RUN_COLUMNS, ['host', 'execId'], 1, () => '?'));
    const unit = db.prepare(upsert('Unit', UNIT_COLUMNS, ['host', 'path'], 1, () => '?'));
    let version = 0;
    const apply = db.transaction((batch: SpoolEvent[]) => {
      version++;
      for (const e of batch) {
        run.run(runValues(e, 0));
        unit.run(unitValues(e, version));
      }
    });
    return await timed(events, batchSize, async (batch) => apply(batch));
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The bare baseline on PostgreSQL: plain pg, a multi-row upsert of runs and one of units per batch. */
export async function measureBarePostgres(url: string, events: SpoolEvent[], batchSize = FEED_BATCH_LIMIT): Promise<ApplyFigures> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // A schema of its own: the console store's tables of the same names live in the default one.
    await client.query('CREATE SCHEMA bare; SET search_path TO bare;' + DDL);
    let version = 0;
    return await timed(events, batchSize, async (batch) => {
      version++;
      // The latest event of each run and of each unit: a multi-row upsert may not touch a row twice.
      const runs = new Map(batch.map((e) => [e.execId, e]));
      const units = new Map(batch.map((e) => [e.unit, e]));
      await client.query('BEGIN');
      await client.query(upsert('Run', RUN_COLUMNS, ['host', 'execId'], runs.size, (n) => `$${n}`), [...runs.values()].flatMap((e) => runValues(e, 0)));
      await client.query(upsert('Unit', UNIT_COLUMNS, ['host', 'path'], units.size, (n) => `$${n}`), [...units.values()].flatMap((e) => unitValues(e, version)));
      await client.query('COMMIT');
    });
  } finally {
    await client.end();
  }
}

const isMain = import.meta.url === `file://${process.argv[1]}`;
if (isMain) {
  const count = Number(process.argv[2] ?? 20_000);
  const provider = process.argv[3] ?? 'sqlite';
  const events = feedEvents(count);
  const row = (name: string, f: ApplyFigures) =>
    console.log(`${name.padEnd(28)} ${f.eventsPerSecond.toFixed(0).padStart(8)} events/s   batch p50 ${f.batchP50Ms.toFixed(1).padStart(7)} ms  max ${f.batchMaxMs.toFixed(1).padStart(7)} ms   longest stall ${f.maxStallMs.toFixed(0).padStart(5)} ms`);
  console.log(`applying ${count} events on ${provider}, batches of ${FEED_BATCH_LIMIT}`);
  let bare: ApplyFigures;
  let ours: ApplyFigures;
  if (provider === 'postgresql') {
    [bare, ours] = await withPostgres(async (url) => {
      const bare = await measureBarePostgres(url, events);
      const store = await openPostgresStore(url);
      try {
        return [bare, await measureJobscope(store, events)];
      } finally {
        await store.$disconnect();
      }
    });
    row('plain pg', bare);
  } else {
    bare = await measureBareSqlite(events);
    row('plain better-sqlite3', bare);
    const { store, remove } = await openSqliteStore();
    ours = await measureJobscope(store, events).finally(remove);
  }
  row('Jobscope applyEvents', ours);
  console.log(`ratio ${(bare.eventsPerSecond / ours.eventsPerSecond).toFixed(1)} x`);
}
