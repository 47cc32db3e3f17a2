// What expectations cost the active manager, with real processes (an agent, a manager
// as the command line starts it, the SQLite store):
//  1. ingest: the same spool (bench/apply.ts's feed, its N units each the unit of one of
//     N objects, so every batch marks objects for evaluation) into a manager whose N
//     objects each have an expectation, against the same N objects with none (the bare
//     baseline), in the same run. The expectations' objects each carry a raised
//     start-delay flag when the ingest starts, and the feed's runs are the ones they
//     waited for: every flag cleared in the store shows its object was evaluated after
//     its runs came.
//  2. a timer pass: N objects whose start delay falls due the same instant, timed from
//     that instant to the last flag committed in the store; against the same number of
//     bare Prisma reads of one object's runs in process.
// Prints figures; asserts nothing.
//   npx tsx bench/expectations.ts [objects] [events]
import Database from 'better-sqlite3';
import { TestHost, waitUntil, type Client } from '../server/testing/test-host';
import { appendEvents } from '../server/spool/spool';
import { openStore } from '../server/store/db';
import { evaluateObject, expectingObjects } from '../server/expectations/evaluation';
import { feedEvents } from './apply';
import { cpuSeconds, startManager } from './ingest';

const MINUTE = 60_000;
/** feedEvents puts run r's unit under net r % 50: with a multiple of 50 units, each job stays under one net. */
const NETS = 50;

export interface ExpectationsFigures {
  objects: number;
  events: number;
  /** Ingest with no expectation on the objects (the bare baseline), and with one on each. */
  bare: IngestRun;
  ours: IngestRun;
  /** Objects whose start-delay flag the ingest's runs cleared (each evaluated after its runs came). */
  cleared: number;
  timer: TimerPass;
}

export interface IngestRun {
  eventsPerSecond: number;
  /** Manager CPU per 1,000 events, seconds: until the last batch committed, and until the manager fell idle after it (the evaluations that follow). */
  cpuPerThousand: number;
  cpuPerThousandSettled: number;
}

export interface TimerPass {
  objects: number;
  /** Flags raised by the pass (one per object). */
  raised: number;
  /** From the due instant: the flags' raisedAt (the pass's start), the first and the last flag committed, ms. */
  raisedAtMs: number;
  firstMs: number;
  lastMs: number;
  /** Manager CPU over the pass, seconds. */
  cpu: number;
  /** Baselines in process, on the same store once the manager stopped: one bare Prisma read of each object's runs; evaluateObject of each (its two reads of runs and the rules). */
  bareReadsMs: number;
  evaluateMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the process has used under 20 ms of CPU in 300 ms (its work done), at most 60 s. */
async function idle(pid: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  let last = cpuSeconds(pid);
  while (Date.now() < deadline) {
    await sleep(300);
    const now = cpuSeconds(pid);
    if (now - last < 0.02) return;
    last = now;
  }
}

/** A daily expectation whose start is the given minute (UTC). */
const expectationAt = (start: Date) => ({
  schedule: { cron: `${start.getUTCMinutes()} ${start.getUTCHours()} * * *` },
  timeZone: 'UTC',
  startBy: { afterMinutes: 1 },
  endWithinMinutes: 5,
});

/** Reads a DateTime column as Prisma's SQLite adapter stores it (text, or milliseconds). */
const readDate = (value: unknown) => new Date(typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : (value as string | number));

async function putAll(operator: Client, ids: number[], body: unknown): Promise<void> {
  for (const id of ids) {
    const r = await operator.call('PUT', `/objects/${id}/expectation`, body);
    if (r.status !== 200) throw new Error(`PUT expectation of object ${id}: ${r.status} ${JSON.stringify(r.body)}`);
  }
}

/**
 * One manager, N objects over the feed's N units; with expectations, also the timer pass.
 * The feed's runs start a minute before the expected start of a daily occurrence three
 * minutes ago, due a minute after it: with the expectations' start moved back to five
 * minutes ago in the store (as if set then), each object has that start delay raised when
 * the ingest begins, and its first run clears it.
 */
async function measureOne(objects: number, count: number, withExpectations: boolean): Promise<{ run: IngestRun; cleared: number; timer?: TimerPass }> {
  const host = await TestHost.create('benchhost');
  try {
    await host.startAgent();
    const manager = await startManager(host);
    const pid = manager.pid!;
    const store = new Database(host.storeFile, { readonly: true });
    const scalar = (sql: string, ...args: unknown[]) => Number(Object.values((store.prepare(sql).get(...args) as object | undefined) ?? { none: 0 })[0]);
    const operator = await host.login('operator');
    const scope = await operator.call('POST', '/scopes', { name: 'Bench' });
    const ids: number[] = [];
    for (let k = 0; k < objects; k++) {
      const r = await operator.call('POST', '/objects', { name: `job${k}`, scopeId: scope.body.scope.id, host: host.name, unit: `/Bench/net${k % NETS}/job${k}` });
      ids.push(r.body.object.id);
    }
    const occurrence = new Date(Math.floor(Date.now() / MINUTE) * MINUTE - 3 * MINUTE);
    if (withExpectations) {
      await putAll(operator, ids, expectationAt(occurrence));
      const writer = new Database(host.storeFile, { timeout: 10_000 });
      const stored = (writer.prepare('SELECT "expectationSince" AS since FROM "MonitoringObject" WHERE "expectationSince" IS NOT NULL LIMIT 1').get() as { since: unknown }).since;
      const since = new Date(occurrence.getTime() - 2 * MINUTE);
      const value = typeof stored === 'number' ? since.getTime() : String(stored).endsWith('Z') ? since.toISOString() : since.toISOString().replace('Z', '+00:00');
      writer.prepare('UPDATE "MonitoringObject" SET "expectationSince" = ? WHERE "expectationSince" IS NOT NULL').run(value);
      writer.close();
      // The same expectation again (its start kept): the watch reads every expectation again, with the start above.
      await putAll(operator, ids.slice(0, 1), expectationAt(occurrence));
      await waitUntil('a start delay on every object', () => (scalar('SELECT COUNT(*) FROM "ExpectationFlag" WHERE "endedAt" IS NULL') === objects ? true : undefined), 120_000);
    }
    await idle(pid);

    const events = feedEvents(count, objects).map(({ seq: _seq, ...e }) => ({ ...e, host: host.name, at: new Date(occurrence.getTime() - MINUTE).toISOString() }));
    appendEvents(host.spoolFile, events);
    // Timed once the events are committed in the spool: the agent can serve none before.
    const began = performance.now();
    const cpuAtStart = cpuSeconds(pid);
    await waitUntil('every event', () => (scalar('SELECT "offset" FROM "FeedState" WHERE "host" = ?', host.name) >= count ? true : undefined), 600_000);
    const seconds = (performance.now() - began) / 1000;
    const cpu = cpuSeconds(pid) - cpuAtStart;
    await sleep(1500); // the watch's settling time (a second), then its last pass
    await idle(pid);
    const settled = cpuSeconds(pid) - cpuAtStart;
    const cleared = scalar(`SELECT COUNT(*) FROM "ExpectationFlag" WHERE "endReason" = 'cleared'`);
    const run = { eventsPerSecond: count / seconds, cpuPerThousand: (cpu / count) * 1000, cpuPerThousandSettled: (settled / count) * 1000 };

    let timer: TimerPass | undefined;
    if (withExpectations) {
      // Every object expected at the same minute, due one minute later, once the manager has taken the change in. Set
      // through the API on one object and copied in the store to the others: the API's change of each would have the
      // watch evaluate every object again, each time, with the runs ingested above.
      let due = Math.ceil((Date.now() + 20_000) / MINUTE) * MINUTE;
      for (;;) {
        const body = expectationAt(new Date(due - MINUTE));
        await putAll(operator, ids.slice(0, 1), body);
        const writer = new Database(host.storeFile, { timeout: 10_000 });
        writer.prepare('UPDATE "MonitoringObject" SET "expectation" = (SELECT "expectation" FROM "MonitoringObject" WHERE "id" = ?) WHERE "expectation" IS NOT NULL').run(ids[0]);
        writer.close();
        await putAll(operator, ids.slice(0, 1), body); // the same again: every expectation read again
        await sleep(500);
        await idle(pid);
        if (Date.now() < due - 2000) break;
        due += MINUTE;
      }
      await sleep(due - 300 - Date.now());
      const cpuBefore = cpuSeconds(pid);
      const raisedNow = store.prepare('SELECT COUNT(*) AS n FROM "ExpectationFlag" WHERE "endedAt" IS NULL');
      let first = 0;
      let last = 0;
      for (const deadline = due + 120_000; Date.now() < deadline; ) {
        const n = (raisedNow.get() as { n: number }).n;
        if (n > 0 && !first) first = Date.now();
        if (n >= objects) {
          last = Date.now();
          break;
        }
        await sleep(2);
      }
      await idle(pid);
      const cpuPass = cpuSeconds(pid) - cpuBefore;
      const raised = store.prepare(`SELECT "raisedAt" FROM "ExpectationFlag" WHERE "endedAt" IS NULL AND "kind" = 'start-delay'`).all() as { raisedAt: unknown }[];
      const raisedAt = Math.max(...raised.map((r) => readDate(r.raisedAt).getTime()));
      store.close();
      const gone = new Promise((resolve) => manager.once('exit', resolve));
      manager.kill('SIGTERM');
      await gone;
      // The baselines, on the same store and its runs, in this process.
      const prisma = await openStore(host.storeFile);
      try {
        const units = (await prisma.monitoringObject.findMany({ select: { unit: true }, orderBy: { id: 'asc' } })).map((o) => o.unit);
        const select = { unit: true, execId: true, runId: true, status: true, startedAt: true, endedAt: true } as const;
        await prisma.run.findMany({ where: { host: host.name, unit: units[0] }, select });
        let t = performance.now();
        for (const unit of units) await prisma.run.findMany({ where: { host: host.name, unit }, select });
        const bareReadsMs = performance.now() - t;
        const expecting = await expectingObjects(prisma);
        const at = new Date(due + 1000);
        t = performance.now();
        for (const o of expecting) await evaluateObject(prisma, o, at);
        const evaluateMs = performance.now() - t;
        timer = { objects, raised: raised.length, raisedAtMs: raisedAt - due, firstMs: first ? first - due : NaN, lastMs: last ? last - due : NaN, cpu: cpuPass, bareReadsMs, evaluateMs };
      } finally {
        await prisma.$disconnect();
      }
    } else {
      store.close();
      const gone = new Promise((resolve) => manager.once('exit', resolve));
      manager.kill('SIGTERM');
      await gone;
    }
    return { run, cleared, timer };
  } catch (err) {
    console.error(host.logs.slice(-3000));
    throw err;
  } finally {
    await host.stop();
  }
}

/** N objects (rounded up to a multiple of 50), `count` events: the bare baseline first, then with expectations. */
export async function measureExpectations(objects: number, count: number): Promise<ExpectationsFigures> {
  const n = Math.ceil(objects / NETS) * NETS;
  const bare = await measureOne(n, count, false);
  const ours = await measureOne(n, count, true);
  return { objects: n, events: count, bare: bare.run, ours: ours.run, cleared: ours.cleared, timer: ours.timer! };
}

export function expectationsLines(f: ExpectationsFigures): string[] {
  const t = f.timer;
  const ms = (x: number) => x.toFixed(0).padStart(6);
  return [
    `ingest of ${f.events} events over ${f.objects} objects (one a unit, every batch touching some), spool → agent → manager → SQLite store`,
    `  with an expectation on each ${f.ours.eventsPerSecond.toFixed(0).padStart(8)} events/s   manager CPU per 1,000 events: ${f.ours.cpuPerThousand.toFixed(3)} s to the last batch, ${f.ours.cpuPerThousandSettled.toFixed(3)} s with the evaluations after it`,
    `  no expectation (bare)   ${f.bare.eventsPerSecond.toFixed(0).padStart(8)} events/s   manager CPU per 1,000 events: ${f.bare.cpuPerThousand.toFixed(3)} s to the last batch, ${f.bare.cpuPerThousandSettled.toFixed(3)} s settled`,
    `  ratio ${(f.bare.eventsPerSecond / f.ours.eventsPerSecond).toFixed(2)} x events/s, ${(f.ours.cpuPerThousandSettled / f.bare.cpuPerThousandSettled).toFixed(2)} x CPU (settled)`,
    `  evaluated during the ingest: ${f.cleared} of ${f.objects} objects had their start-delay flag cleared by the feed's runs`,
    `timer pass: ${t.objects} objects' start delay due at the same instant, ${t.raised} flags raised`,
    `  due → raisedAt (the pass's start) ${ms(t.raisedAtMs)} ms, → first flag committed ${ms(t.firstMs)} ms, → last ${ms(t.lastMs)} ms   (${((t.lastMs - t.raisedAtMs) / t.objects).toFixed(2)} ms per object; manager CPU ${t.cpu.toFixed(2)} s, ${((t.cpu / t.objects) * 1000).toFixed(2)} ms per object)`,
    `  baseline: ${t.objects} bare Prisma reads of one object's runs, in process ${ms(t.bareReadsMs)} ms (${(t.bareReadsMs / t.objects).toFixed(2)} ms each)   ratio ${((t.lastMs - t.raisedAtMs) / t.bareReadsMs).toFixed(1)} x`,
    `  for reference: evaluateObject of each (its two reads of runs and the rules), in process ${ms(t.evaluateMs)} ms (${(t.evaluateMs / t.objects).toFixed(2)} ms each)`,
  ];
}

const isMain = import.meta.url === `file://${process.argv[1]}`;
if (isMain) {
  const objects = Number(process.argv[2] ?? 500);
  const count = Number(process.argv[3] ?? 50_000);
  for (const line of expectationsLines(await measureExpectations(objects, count))) console.log(line);
}
