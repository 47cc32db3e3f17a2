// The live path's benchmarks, each against a bare baseline measured in the same
// run, as one table: figure, Jobscope, baseline, ratio, target, met. Real
// processes throughout (agent, manager, PostgreSQL, socket.io clients).
//   npm run bench                 every part at full size (about 20 minutes)
//   npm run bench -- fanout exec  some parts
//   npm run bench -- --smoke      every part, small (seconds each: proves they run, measures nothing)
import os from 'node:os';
import { feedEvents, measureBareSqlite, measureJobscope as measureApply, openSqliteStore, withPostgres } from './apply';
import { measureIngest } from './ingest';
import { measureJobscope as measureFanout, measureRelay } from './fanout';
import { measureExec } from './exec';
import { expectationsLines, measureExpectations } from './expectations';
import { measureScale } from './scale';
import { measureFailover } from './failover';
import { measureMonitorPage } from './monitor-page';
import { measureWallSoak, measureWallSpeed, soakSummary, speedLines, trend } from './wall-display';

interface Row {
  figure: string;
  jobscope: string;
  baseline: string;
  ratio: string;
  target: string;
  met: boolean | null;
}

export interface Sizes {
  ingestEvents: number;
  applyEvents: number;
  clients: number;
  rate: number;
  seconds: number;
  execRuns: number;
  execConcurrent: number;
  siteUnits: number;
  siteObjects: number;
  storm: number;
  pageRate: number;
  pageSeconds: number;
  /** The wall display's soak: changes a second, seconds, a heap sample every so many seconds. */
  soakRate: number;
  soakSeconds: number;
  soakEvery: number;
  /** Objects with an expectation each, and the events ingested over their units. */
  expectObjects: number;
  expectEvents: number;
}

export const FULL: Sizes = { ingestEvents: 100_000, applyEvents: 20_000, clients: 100, rate: 2000, seconds: 60, execRuns: 7, execConcurrent: 200, siteUnits: 100_000, siteObjects: 5_000, storm: 100, pageRate: 500, pageSeconds: 20, soakRate: 1000, soakSeconds: 180, soakEvery: 15, expectObjects: 500, expectEvents: 50_000 };
export const SMOKE: Sizes = { ingestEvents: 2_000, applyEvents: 2_000, clients: 5, rate: 100, seconds: 2, execRuns: 1, execConcurrent: 5, siteUnits: 2_000, siteObjects: 100, storm: 5, pageRate: 50, pageSeconds: 2, soakRate: 100, soakSeconds: 4, soakEvery: 1, expectObjects: 50, expectEvents: 2_000 };

const n = (value: number, digits = 0) => value.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const mb = (bytes: number) => n(bytes / 1e6, 2);
const signed = (text: string) => (text.startsWith('-') ? text : `+${text}`);

export const PARTS: Record<string, (sizes: Sizes) => Promise<Row[]>> = {
  async ingest(s) {
    const sqlite = await measureIngest(s.ingestEvents);
    const postgres = await withPostgres((url) => measureIngest(s.ingestEvents, url));
    return [
      {
        figure: `ingest, ${n(s.ingestEvents)} events spool → SQLite store (events/s)`, jobscope: n(sqlite.eventsPerSecond), baseline: `${n(sqlite.bareEventsPerSecond)} better-sqlite3`,
        ratio: (sqlite.bareEventsPerSecond / sqlite.eventsPerSecond).toFixed(1), target: '≥ 20,000, ratio ≤ 3',
        met: sqlite.eventsPerSecond >= 20_000 && sqlite.bareEventsPerSecond / sqlite.eventsPerSecond <= 3,
      },
      {
        figure: `ingest, ${n(s.ingestEvents)} events spool → PostgreSQL store (events/s)`, jobscope: n(postgres.eventsPerSecond), baseline: `${n(postgres.bareEventsPerSecond)} pg`,
        ratio: (postgres.bareEventsPerSecond / postgres.eventsPerSecond).toFixed(1), target: '≥ 10,000, ratio ≤ 3',
        met: postgres.eventsPerSecond >= 10_000 && postgres.bareEventsPerSecond / postgres.eventsPerSecond <= 3,
      },
      { figure: 'manager CPU per event, SQLite (µs)', jobscope: n(sqlite.cpuPerThousand * 1000), baseline: '', ratio: '', target: '', met: null },
    ];
  },
  async expectations(s) {
    const f = await measureExpectations(s.expectObjects, s.expectEvents);
    if (s !== SMOKE) for (const line of expectationsLines(f)) console.error(line);
    const t = f.timer;
    const passMs = t.lastMs - t.raisedAtMs;
    const what = `${n(f.objects)} objects`;
    return [
      {
        figure: `ingest, ${n(f.events)} events over ${what} with an expectation each, SQLite (events/s)`, jobscope: n(f.ours.eventsPerSecond), baseline: `${n(f.bare.eventsPerSecond)} no expectations`,
        ratio: (f.bare.eventsPerSecond / f.ours.eventsPerSecond).toFixed(1), target: '', met: null,
      },
      {
        figure: 'the same: manager CPU per 1,000 events, with the evaluations after the last batch (s)', jobscope: n(f.ours.cpuPerThousandSettled, 3), baseline: n(f.bare.cpuPerThousandSettled, 3),
        ratio: (f.ours.cpuPerThousandSettled / f.bare.cpuPerThousandSettled).toFixed(1), target: '', met: null,
      },
      { figure: 'the same: objects evaluated after their runs came (start delay cleared)', jobscope: `${f.cleared} of ${f.objects}`, baseline: '', ratio: '', target: `${f.objects}`, met: f.cleared === f.objects },
      {
        figure: `timer pass, ${what} due at once: due → last flag committed (ms; per object)`, jobscope: `${n(t.lastMs)}; ${n(passMs / t.objects, 2)}`,
        baseline: `${n(t.bareReadsMs)}; ${n(t.bareReadsMs / t.objects, 2)} Prisma reads of runs`, ratio: (passMs / t.bareReadsMs).toFixed(1), target: `${t.objects} raised`, met: t.raised === t.objects,
      },
    ];
  },
  async apply(s) {
    const events = feedEvents(s.applyEvents);
    const bare = await measureBareSqlite(events);
    const { store, remove } = await openSqliteStore();
    const ours = await measureApply(store, events).finally(remove);
    return [
      {
        figure: `applyEvents alone, SQLite, in process (µs per event)`, jobscope: n(1e6 / ours.eventsPerSecond, 1), baseline: `${n(1e6 / bare.eventsPerSecond, 1)} better-sqlite3`,
        ratio: (bare.eventsPerSecond / ours.eventsPerSecond).toFixed(1), target: '', met: null,
      },
      { figure: 'one batch transaction, p50 / max (ms)', jobscope: `${n(ours.batchP50Ms, 1)} / ${n(ours.batchMaxMs, 1)}`, baseline: `${n(bare.batchP50Ms, 1)} / ${n(bare.batchMaxMs, 1)}`, ratio: (ours.batchP50Ms / bare.batchP50Ms).toFixed(1), target: '', met: null },
      { figure: 'longest event-loop stall while applying (ms)', jobscope: n(ours.maxStallMs), baseline: n(bare.maxStallMs), ratio: '', target: '≤ 50', met: ours.maxStallMs <= 50 },
    ];
  },
  async fanout(s) {
    const relay = await measureRelay(s.clients, s.rate, s.seconds);
    const ours = await measureFanout(s.clients, s.rate, s.seconds);
    const what = `${s.clients} clients, ${n(s.rate)} changes/s for ${s.seconds} s`;
    return [
      { figure: `fan-out, ${what}: append → client p50 (ms)`, jobscope: n(ours.p50Ms), baseline: `${n(relay.p50Ms)} relay`, ratio: (ours.p50Ms / relay.p50Ms).toFixed(1), target: '', met: null },
      { figure: `fan-out, ${what}: append → client p99 (ms)`, jobscope: n(ours.p99Ms), baseline: `${n(relay.p99Ms)} relay`, ratio: (ours.p99Ms / relay.p99Ms).toFixed(1), target: '≤ 250', met: ours.p99Ms <= 250 },
      { figure: 'clients whose final state differs from the store', jobscope: `${ours.diverged} of ${ours.clients}`, baseline: `${relay.diverged} of ${relay.clients}`, ratio: '', target: '0', met: ours.diverged === 0 },
    ];
  },
  async scale(s) {
    const f = await measureScale(s.siteUnits, s.siteObjects, 10);
    const what = `${n(f.units)} units, ${n(f.objects)} objects`;
    return [
      { figure: `${what}: subscribe to a ${n(f.scopeObjects)}-object scope, tiles (ms / MB)`, jobscope: `${n(f.tiles.oneMs)} / ${(f.tiles.bytes / 1e6).toFixed(2)}`, baseline: '', ratio: '', target: '≤ 300 / ≤ 1', met: f.tiles.oneMs <= 300 && f.tiles.bytes <= 1e6 },
      { figure: `${what}: the same scope with its units (ms / MB)`, jobscope: `${n(f.scopeUnits.oneMs)} / ${(f.scopeUnits.bytes / 1e6).toFixed(2)}`, baseline: '', ratio: '', target: '', met: null },
      { figure: `${what}: every unit, one client (ms / MB)`, jobscope: `${n(f.everything.oneMs)} / ${(f.everything.bytes / 1e6).toFixed(2)}`, baseline: `${n(f.bare.oneMs)} / ${(f.bare.bytes / 1e6).toFixed(2)} bare socket.io`, ratio: (f.everything.oneMs / f.bare.oneMs).toFixed(1), target: '', met: null },
      { figure: `${what}: every unit, 10 clients at once (served, slowest ms)`, jobscope: `${f.everything.manyServed}, ${n(f.everything.manyMs)}`, baseline: `${f.bare.manyServed}, ${n(f.bare.manyMs)}`, ratio: (f.everything.manyMs / f.bare.manyMs).toFixed(1), target: '10 served', met: f.everything.manyServed === 10 },
      { figure: `${what}: manager RSS idle / peak (MiB)`, jobscope: `${n(f.rssIdleMiB)} / ${n(f.rssPeakMiB)}`, baseline: '', ratio: '', target: 'idle ≤ 400', met: f.rssIdleMiB <= 400 },
    ];
  },
  async failover(s) {
    const rows: Row[] = [];
    for (const withUnits of [false, true]) {
      const f = await measureFailover(s.siteUnits, s.storm, withUnits);
      rows.push({
        figure: `manager restart, ${n(f.units)} units, ${f.clients} screens ${withUnits ? 'with a scope\'s units' : 'of tiles'}: new manager's start → every screen live (ms)`,
        jobscope: `${n(f.allLiveMs)} (health ${n(f.healthyMs)}; ${f.served}/${f.clients})`, baseline: '', ratio: '', target: '≤ 3,000', met: f.served === f.clients && f.allLiveMs <= 3000,
      });
    }
    return rows;
  },
  async page(s) {
    const seconds = s.pageSeconds;
    const f = await measureMonitorPage(s.siteUnits, s.siteObjects, s.pageRate, seconds);
    return [
      {
        figure: `monitor page, ${n(f.tiles)} tiles of ${n(s.siteUnits)} units, ${s.pageRate} changes/s for ${seconds} s: long tasks, longest (ms)`,
        jobscope: `${f.page.longTasks}, ${n(f.page.longestTaskMs)}`, baseline: `${f.bare.longTasks}, ${n(f.bare.longestTaskMs)} bare tiles`, ratio: '', target: 'longest ≤ 100', met: f.page.longestTaskMs <= 100,
      },
      { figure: 'the same: frame time p95 / max (ms)', jobscope: `${n(f.page.frameP95Ms, 1)} / ${n(f.page.frameMaxMs)}`, baseline: `${n(f.bare.frameP95Ms, 1)} / ${n(f.bare.frameMaxMs)}`, ratio: (f.page.frameP95Ms / f.bare.frameP95Ms).toFixed(1), target: '', met: null },
    ];
  },
  async 'wall-soak'(s) {
    // Its samples as they come, on stderr beside the parts' progress (not in the smoke run: it would only be noise).
    const log = s === SMOKE ? () => {} : (line: string) => console.error(line);
    const f = await measureWallSoak(s.soakRate, s.soakSeconds, s.soakEvery, { log });
    const heap = trend(f, (x) => x.usedHeap);
    const nodes = trend(f, (x) => x.nodes);
    const listeners = trend(f, (x) => x.listeners);
    const what = `wall display soak, 200 tiles at 1920×1080 (${f.board.tiles} a page), ${n(f.changes)} changes (${n(s.soakRate)}/s for ${s.soakSeconds} s)`;
    for (const line of soakSummary(f)) log(line);
    return [
      { figure: `${what}: page JS heap after GC, first / last (MB)`, jobscope: `${mb(heap.first)} / ${mb(heap.last)}`, baseline: '', ratio: '', target: '', met: null },
      { figure: 'the same: JS heap slope per 100k changes (MB)', jobscope: signed(mb(heap.per100kChanges)), baseline: '', ratio: '', target: 'flat (≤ 0.5)', met: heap.per100kChanges <= 0.5e6 },
      {
        figure: 'the same: nodes / JS event listeners, first → last', jobscope: `${n(nodes.first)} → ${n(nodes.last)} / ${n(listeners.first)} → ${n(listeners.last)}`, baseline: '', ratio: '',
        target: 'flat', met: nodes.last <= nodes.first * 1.05 && listeners.last <= listeners.first * 1.05,
      },
    ];
  },
  async 'wall-speed'(s) {
    const f = await measureWallSpeed(Math.min(2000, s.siteObjects), s.pageRate, s.pageSeconds);
    if (s !== SMOKE) for (const line of speedLines(f)) console.error(line);
    const what = `wall display, ${n(f.tiles)} tiles at 3840×2160 (${f.board.tiles} a page, ${f.board.pages} pages), ${s.pageRate} changes/s for ${s.pageSeconds} s`;
    return [
      {
        figure: `${what}: long tasks, longest (ms)`, jobscope: `${f.page.longTasks}, ${n(f.page.longestTaskMs)}`, baseline: `${f.bare.longTasks}, ${n(f.bare.longestTaskMs)} bare tiles`, ratio: '',
        target: 'longest ≤ 50', met: f.page.longestTaskMs <= 50,
      },
      { figure: 'the same: frame time p95 / max (ms)', jobscope: `${n(f.page.frameP95Ms, 1)} / ${n(f.page.frameMaxMs)}`, baseline: `${n(f.bare.frameP95Ms, 1)} / ${n(f.bare.frameMaxMs)}`, ratio: (f.page.frameP95Ms / f.bare.frameP95Ms).toFixed(1), target: '', met: null },
      { figure: 'the same: main thread busy (%)', jobscope: n(f.page.busyPercent), baseline: n(f.bare.busyPercent), ratio: (f.page.busyPercent / f.bare.busyPercent).toFixed(1), target: '', met: null },
    ];
  },
  async exec(s) {
    const f = await measureExec(s.execRuns, s.execConcurrent);
    return [
      { figure: 'jobscope exec -- true, CPU per job (s, median)', jobscope: n(f.execCpuS, 3), baseline: `${n(f.nodeCpuS, 3)} node -e 0`, ratio: (f.execCpuS / f.nodeCpuS).toFixed(2), target: 'ratio ≤ 1.5', met: f.execCpuS / f.nodeCpuS <= 1.5 },
      { figure: `${f.concurrent} exec at once: runs recorded`, jobscope: `${f.recorded} in ${n(f.concurrentWallS, 1)} s`, baseline: '', ratio: '', target: `${f.concurrent}`, met: f.recorded === f.concurrent },
    ];
  },
};

export function table(rows: Row[]): string {
  const header: Row = { figure: 'figure', jobscope: 'Jobscope', baseline: 'bare baseline', ratio: 'ratio', target: 'target', met: null };
  const cells = (r: Row) => [r.figure, r.jobscope, r.baseline, r.ratio, r.target, r === header ? 'met?' : r.met === null ? '' : r.met ? 'yes' : 'NO'];
  return [header, ...rows].map((r) => `| ${cells(r).join(' | ')} |`).join('\n').replace('\n', `\n|${' --- |'.repeat(6)}\n`);
}

const isMain = import.meta.url === `file://${process.argv[1]}`;
if (isMain) {
  const args = process.argv.slice(2);
  const sizes = args.includes('--smoke') ? SMOKE : FULL;
  const chosen = args.filter((a) => !a.startsWith('--'));
  const unknown = chosen.filter((name) => !(name in PARTS));
  if (unknown.length) {
    console.error(`unknown part: ${unknown.join(', ')} (parts: ${Object.keys(PARTS).join(', ')})`);
    process.exit(2);
  }
  const rows: Row[] = [];
  for (const name of chosen.length ? chosen : Object.keys(PARTS)) {
    console.error(`bench: ${name} …`);
    rows.push(...(await PARTS[name](sizes)));
  }
  console.log(`Jobscope benchmarks, ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${n(os.totalmem() / 2 ** 30, 1)} GiB, Node ${process.version}${sizes === SMOKE ? ' (smoke sizes: figures mean nothing)' : ''}`);
  console.log(table(rows));
  process.exit(0);
}
