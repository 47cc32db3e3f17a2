// Ingest from a job host's spool into the console store, with real processes: an
// agent serving a spool that already holds the events, a console manager started
// on it, timed from its first committed batch to its last; against plain
// better-sqlite3 writing the same rows in the same batches in this process, in
// the same run. Prints figures; asserts nothing.
//   npx tsx bench/ingest.ts [events]
import fs from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { projectRoot } from '../server/host/config';
import Database from 'better-sqlite3';
import { TestHost, waitUntil } from '../server/testing/test-host';
import { appendEvents } from '../server/spool/spool';
import { feedEvents, measureBareSqlite } from './apply';

export interface IngestFigures {
  events: number;
  eventsPerSecond: number;
  /** Manager CPU time over the ingest, seconds per 1,000 events. */
  cpuPerThousand: number;
  agentCpuPerThousand: number;
  bareEventsPerSecond: number;
}

/** User and system CPU time of a process so far, in seconds. */
function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100 a second on Linux)
}

/** The manager as the command line starts it; with JOBSCOPE_BENCH_PROFILE=dir, writing a CPU profile there when it stops. */
async function startManager(host: TestHost): Promise<ChildProcess> {
  const profile = process.env.JOBSCOPE_BENCH_PROFILE;
  if (!profile) return host.startManager();
  const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profile}`, path.join(projectRoot(), 'dist', 'jobscope.mjs'), 'manager', '-h', host.name], {
    env: host.env as NodeJS.ProcessEnv,
    stdio: 'inherit',
  });
  await waitUntil('the manager', () => fetch(`${host.url}/api/v1/health`).then((r) => r.ok || undefined, () => undefined), 60_000);
  return child;
}

export async function measureIngest(count: number): Promise<IngestFigures> {
  const events = feedEvents(count);
  const bare = await measureBareSqlite(events);
  const host = await TestHost.create('benchhost');
  try {
    await host.startAgent();
    appendEvents(host.spoolFile, events.map(({ seq: _seq, ...e }) => ({ ...e, host: host.name })));
    const store = new Database(host.storeFile, { readonly: true });
    const offset = () => (store.prepare('SELECT "offset" FROM "FeedState" WHERE "host" = ?').get(host.name) as { offset: number } | undefined)?.offset ?? 0;
    const manager = await startManager(host);
    // The manager pulls a host's feed once an object names it.
    const operator = await host.login('operator');
    const scope = await operator.call('POST', '/scopes', { name: 'Bench' });
    await operator.call('POST', '/objects', { name: 'Bench', scopeId: scope.body.scope.id, host: host.name, unit: '/Bench' });
    let first = 0;
    let firstAt = 0;
    let cpuAtFirst = 0;
    let agentCpuAtFirst = 0;
    await waitUntil('the first batch', () => {
      first = offset();
      if (first === 0) return undefined;
      firstAt = performance.now();
      cpuAtFirst = cpuSeconds(manager.pid!);
      agentCpuAtFirst = cpuSeconds(host.agent!.pid!);
      return true;
    }, 120_000);
    await waitUntil('every event', () => (offset() >= count ? true : undefined), 600_000);
    const seconds = (performance.now() - firstAt) / 1000;
    const cpu = cpuSeconds(manager.pid!) - cpuAtFirst;
    const agentCpu = cpuSeconds(host.agent!.pid!) - agentCpuAtFirst;
    store.close();
    if (manager.exitCode === null) {
      const gone = new Promise((resolve) => manager.once('exit', resolve));
      manager.kill('SIGTERM');
      await gone;
    }
    const applied = count - first;
    return { events: count, eventsPerSecond: applied / seconds, cpuPerThousand: (cpu / applied) * 1000, agentCpuPerThousand: (agentCpu / applied) * 1000, bareEventsPerSecond: bare.eventsPerSecond };
  } catch (err) {
    console.error(host.logs.slice(-3000));
    throw err;
  } finally {
    await host.stop();
  }
}

const isMain = import.meta.url === `file://${process.argv[1]}`;
if (isMain) {
  const count = Number(process.argv[2] ?? 20_000);
  const f = await measureIngest(count);
  console.log(`ingest of ${count} events, spool → agent → manager → SQLite store (synchronous=FULL)`);
  console.log(`  Jobscope             ${f.eventsPerSecond.toFixed(0).padStart(8)} events/s   CPU per 1,000 events: manager ${f.cpuPerThousand.toFixed(3)} s, agent ${f.agentCpuPerThousand.toFixed(3)} s`);
  console.log(`  plain better-sqlite3 ${f.bareEventsPerSecond.toFixed(0).padStart(8)} events/s   (same rows and batches, in process)`);
  console.log(`  ratio ${(f.bareEventsPerSecond / f.eventsPerSecond).toFixed(1)} x`);
}
