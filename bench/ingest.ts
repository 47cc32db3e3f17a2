// Ingest from a job host's spool into the console store, with real processes: an
// agent serving a spool that already holds the events, a console manager told to
// watch the host, timed from that moment to its last committed batch; against plain
// better-sqlite3 writing the same rows in the same batches in this process, in
// the same run. Prints figures; asserts nothing.
//   npx tsx bench/ingest.ts [events]
import fs from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { projectRoot } from '../server/host/config';
import Database from 'better-sqlite3';
import pg from 'pg';
import { TestHost, waitUntil } from '../server/testing/test-host';
import { appendEvents } from '../server/spool/spool';
import { feedEvents, measureBarePostgres, measureBareSqlite, withPostgres } from './apply';

export interface IngestFigures {
  events: number;
  eventsPerSecond: number;
  /** Manager CPU time over the ingest, seconds per 1,000 events. */
  cpuPerThousand: number;
  agentCpuPerThousand: number;
  bareEventsPerSecond: number;
}

/** User and system CPU time of a process so far, in seconds. */
export function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100 a second on Linux)
}

/** The manager as the command line starts it; with JOBSCOPE_BENCH_PROFILE=dir, writing a CPU profile there when it stops. */
export async function startManager(host: TestHost): Promise<ChildProcess> {
  const profile = process.env.JOBSCOPE_BENCH_PROFILE;
  if (!profile) return host.startManager();
  const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profile}`, path.join(projectRoot(), 'dist', 'jobscope.mjs'), 'manager', '-h', host.name], {
    env: host.env as NodeJS.ProcessEnv,
    stdio: 'inherit',
  });
  await waitUntil('the manager', () => fetch(`${host.url}/api/v1/health`).then((r) => r.ok || undefined, () => undefined), 60_000);
  return child;
}

/**
 * On SQLite, against plain better-sqlite3; on PostgreSQL (a database URL), against
 * plain pg multi-row upserts into another schema of the same server.
 */
export async function measureIngest(count: number, postgresUrl?: string): Promise<IngestFigures> {
  const events = feedEvents(count);
  const bare = postgresUrl ? await measureBarePostgres(postgresUrl, events) : await measureBareSqlite(events);
  const host = postgresUrl ? await TestHost.createOnPostgres('benchhost', postgresUrl) : await TestHost.create('benchhost');
  try {
    await host.startAgent();
    appendEvents(host.spoolFile, events.map(({ seq: _seq, ...e }) => ({ ...e, host: host.name })));
    const store = postgresUrl ? null : new Database(host.storeFile, { readonly: true });
    const pgClient = postgresUrl ? new pg.Client({ connectionString: postgresUrl }) : null;
    await pgClient?.connect();
    const offset = async () =>
      store
        ? ((store.prepare('SELECT "offset" FROM "FeedState" WHERE "host" = ?').get(host.name) as { offset: number } | undefined)?.offset ?? 0)
        : ((await pgClient!.query('SELECT "offset" FROM "FeedState" WHERE "host" = $1', [host.name])).rows[0]?.offset ?? 0);
    const manager = await startManager(host);
    const operator = await host.login('operator');
    const scope = await operator.call('POST', '/scopes', { name: 'Bench' });
    // The manager pulls a host's feed once an object names it: timed from that moment.
    const began = performance.now();
    const cpuAtStart = cpuSeconds(manager.pid!);
    const agentCpuAtStart = cpuSeconds(host.agent!.pid!);
    await operator.call('POST', '/objects', { name: 'Bench', scopeId: scope.body.scope.id, host: host.name, unit: '/Bench' });
    await waitUntil('every event', async () => ((await offset()) >= count ? true : undefined), 600_000);
    const seconds = (performance.now() - began) / 1000;
    const cpu = cpuSeconds(manager.pid!) - cpuAtStart;
    const agentCpu = cpuSeconds(host.agent!.pid!) - agentCpuAtStart;
    store?.close();
    await pgClient?.end();
    if (manager.exitCode === null) {
      const gone = new Promise((resolve) => manager.once('exit', resolve));
      manager.kill('SIGTERM');
      await gone;
    }
    return { events: count, eventsPerSecond: count / seconds, cpuPerThousand: (cpu / count) * 1000, agentCpuPerThousand: (agentCpu / count) * 1000, bareEventsPerSecond: bare.eventsPerSecond };
  } catch (err) {
    console.error(host.logs.slice(-3000));
    throw err;
  } finally {
    await host.stop();
  }
}

export function ingestLines(f: IngestFigures, provider: string): string[] {
  const bare = provider === 'postgresql' ? 'plain pg' : 'plain better-sqlite3';
  return [
    `ingest of ${f.events} events, spool → agent → manager → ${provider} store`,
    `  Jobscope             ${f.eventsPerSecond.toFixed(0).padStart(8)} events/s   CPU per 1,000 events: manager ${f.cpuPerThousand.toFixed(3)} s, agent ${f.agentCpuPerThousand.toFixed(3)} s`,
    `  ${bare.padEnd(20)} ${f.bareEventsPerSecond.toFixed(0).padStart(8)} events/s   (same rows and batches, in process)`,
    `  ratio ${(f.bareEventsPerSecond / f.eventsPerSecond).toFixed(1)} x`,
  ];
}

const isMain = import.meta.url === `file://${process.argv[1]}`;
if (isMain) {
  const count = Number(process.argv[2] ?? 20_000);
  const provider = process.argv[3] ?? 'sqlite';
  const f = provider === 'postgresql' ? await withPostgres((url) => measureIngest(count, url)) : await measureIngest(count);
  for (const line of ingestLines(f, provider)) console.log(line);
}
