// The agent and the jobs running under its host, with real processes: the agent
// daemon, `jobscope exec` wrappers and their commands, the console manager.
// - stopping the agent ends the running jobs and records them Killed (reason: stop);
// - starting it after a failover or a restart marks Killed the runs that did not survive;
// - the hold and the fencing epoch keep a second or a superseded agent from writing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestHost, waitUntil, type RunResult } from '../testing/test-host';
import { appendEvent } from './spool';

const NODE = os.hostname();
const hosts: TestHost[] = [];
const strays: ChildProcess[] = [];

afterAll(async () => {
  for (const p of strays) p.kill('SIGKILL');
  await Promise.all(hosts.map((h) => h.stop()));
});

async function newHost(name: string): Promise<TestHost> {
  const host = await TestHost.create(name);
  hosts.push(host);
  return host;
}

interface SpoolRun {
  execId: string;
  unit: string;
  status: string;
  reason: string | null;
  signal: string | null;
  node: string | null;
  pid: number | null;
  endedAt: string | null;
}

/** The spool's runs, read as an outsider would: a read-only connection. */
function spoolRuns(host: TestHost): Map<string, SpoolRun> {
  const db = new Database(host.spoolFile, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare('SELECT exec_id AS execId, unit, status, reason, signal, node, pid, ended_at AS endedAt FROM runs ORDER BY start_seq')
      .all() as SpoolRun[];
    return new Map(rows.map((r) => [r.unit, r]));
  } finally {
    db.close();
  }
}

function spoolEvents(host: TestHost, execId: string): { seq: number; kind: string; status: string; reason: string | null; signal: string | null }[] {
  const db = new Database(host.spoolFile, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT seq, kind, status, reason, signal FROM events WHERE exec_id = ? ORDER BY seq').all(execId) as never;
  } finally {
    db.close();
  }
}

function spoolEpoch(host: TestHost): number {
  const db = new Database(host.spoolFile, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT epoch FROM spool_meta').get() as { epoch: number }).epoch;
  } finally {
    db.close();
  }
}

/** Whether a process still runs (a zombie has ended). */
function running(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\S+ \(.*\) [ZX] /.test(stat);
  } catch {
    return false;
  }
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

async function runningIn(host: TestHost, units: string[]): Promise<Map<string, SpoolRun>> {
  return waitUntil(`${units.join(', ')} to run`, () => {
    const runs = spoolRuns(host);
    return units.every((u) => runs.get(u)?.status === 'RUNNING') ? runs : undefined;
  });
}

/** Lines of the daemons' JSON logs with a given message. */
function logLines(host: TestHost, msg: string): Record<string, unknown>[] {
  return host.logs
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => l.msg === msg);
}

describe('stopping the agent', () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await newHost('stophost');
  });

  it('ends the jobs running under the host, records them Killed (reason: stop) and exits 0 within the grace', async () => {
    host.env.JOBSCOPE_STOP_GRACE_MS = '8000';
    const agent = await host.startAgent();
    const childPidFile = path.join(host.dir, 'child.pid');
    const jobs: Promise<RunResult>[] = [
      host.exec('/Stop/plain', 'sleep 60'),
      // A job whose command started a process of its own: that one must go too.
      host.exec('/Stop/tree', `sleep 60 & echo $! > ${childPidFile}; wait`),
    ];
    const runs = await runningIn(host, ['/Stop/plain', '/Stop/tree']);
    await waitUntil('the job\'s child', () => fs.existsSync(childPidFile) && fs.readFileSync(childPidFile, 'utf8').trim() !== '' || undefined);
    const pids = [runs.get('/Stop/plain')!.pid!, runs.get('/Stop/tree')!.pid!, Number(fs.readFileSync(childPidFile, 'utf8'))];
    expect(pids.every(running)).toBe(true);

    const began = Date.now();
    agent.kill('SIGTERM');
    const [exited, ...wrappers] = await Promise.all([exitOf(agent), ...jobs]);
    const elapsed = Date.now() - began;

    expect(exited).toEqual({ code: 0, signal: null });
    expect(elapsed).toBeLessThan(8000);
    // The wrappers saw their commands die of SIGTERM and exited as a shell would say it.
    expect(wrappers.map((w) => w.code)).toEqual([143, 143]);
    expect(pids.filter(running)).toEqual([]);
    const after = spoolRuns(host);
    for (const unit of ['/Stop/plain', '/Stop/tree']) {
      expect(after.get(unit)).toMatchObject({ status: 'KILL', reason: 'stop', signal: 'SIGTERM', node: NODE });
      // The agent's record first (its reason), then the wrapper's (its signal): a null reason did not overwrite.
      const events = spoolEvents(host, after.get(unit)!.execId);
      expect(events.map((e) => [e.kind, e.status, e.reason, e.signal])).toEqual([
        ['start', 'RUNNING', null, null],
        ['end', 'KILL', 'stop', null],
        ['end', 'KILL', null, 'SIGTERM'],
      ]);
    }
    expect(logLines(host, 'running jobs stopped')).toEqual([expect.objectContaining({ stopped: 2, forced: 0, survivors: 0, wrappersLeft: 0 })]);
    expect(host.logs).toContain('"msg":"agent stopped"');
    expect(host.logs).not.toMatch(/"level":(50|60)/);
  });

  it('also ends a job started while no agent ran, with SIGKILL when it ignores SIGTERM past the grace', async () => {
    // The job starts first: the spool has it even though no agent ran.
    const job = host.exec('/Stop/stubborn', "trap '' TERM; sleep 60");
    const { pid } = (await runningIn(host, ['/Stop/stubborn'])).get('/Stop/stubborn')!;
    host.env.JOBSCOPE_STOP_GRACE_MS = '1500';
    const agent = await host.startAgent();
    // A job of this node whose process runs is left alone at start.
    expect(spoolRuns(host).get('/Stop/stubborn')!.status).toBe('RUNNING');
    expect(logLines(host, 'agent ready').at(-1)).toMatchObject({ markedKilled: 0, stillRunning: 1 });

    const began = Date.now();
    agent.kill('SIGTERM');
    const [exited, wrapper] = await Promise.all([exitOf(agent), job]);
    const elapsed = Date.now() - began;
    expect(exited).toEqual({ code: 0, signal: null });
    expect(elapsed).toBeGreaterThanOrEqual(1500);
    expect(elapsed).toBeLessThan(1500 + 5000);
    expect(wrapper.code).toBe(128 + 9);
    expect(running(pid!)).toBe(false);
    expect(spoolRuns(host).get('/Stop/stubborn')).toMatchObject({ status: 'KILL', reason: 'stop', signal: 'SIGKILL' });
    expect(logLines(host, 'running jobs stopped').at(-1)).toMatchObject({ stopped: 1, forced: 1, survivors: 0 });
  });
});

describe('starting the agent after a failover', () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await newHost('failhost');
    await host.startManager();
    const operator = await host.login('operator');
    const scope = await operator.call('POST', '/scopes', { name: 'Failover' });
    expect(scope.status).toBe(201);
    expect((await operator.call('POST', '/objects', { name: 'Fail', scopeId: scope.body.scope.id, host: host.name, unit: '/Fail' })).status).toBe(201);
  });

  it('marks Killed at once the runs of the failed node and the runs whose process is gone, and the console shows it', async () => {

    // A process that has ended, and one that still runs on this node.
    const gone = spawn('true');
    await exitOf(gone);
    const alive = spawn('sleep', ['60'], { stdio: 'ignore' });
    strays.push(alive);
    const start = (unit: string, node: string, pid: number) => {
      const e = appendEvent(host.spoolFile, {
        host: host.name, unit, execId: crypto.randomUUID(), runId: 'R1', kind: 'start', status: 'RUNNING',
        at: new Date().toISOString(), node, pid, exitCode: null, signal: null, outputTail: null, reason: null,
      });
      return e.execId;
    };
    const ids = {
      a: start('/Fail/a', 'nodeA', 1),
      b: start('/Fail/b', 'nodeA', alive.pid!), // a pid that runs here means nothing for another node's run
      gone: start('/Fail/gone', NODE, gone.pid!),
      alive: start('/Fail/alive', NODE, alive.pid!),
    };

    await host.startAgent();
    // As soon as the agent answers, the spool says it: no wait.
    const runs = spoolRuns(host);
    expect(runs.get('/Fail/a')).toMatchObject({ status: 'KILL', reason: 'failover: was running on node nodeA', node: 'nodeA', pid: 1 });
    expect(runs.get('/Fail/b')).toMatchObject({ status: 'KILL', reason: 'failover: was running on node nodeA', node: 'nodeA' });
    expect(runs.get('/Fail/gone')).toMatchObject({ status: 'KILL', reason: `node restart: process ${gone.pid} is gone`, node: NODE });
    expect(runs.get('/Fail/alive')).toMatchObject({ status: 'RUNNING', reason: null, endedAt: null });
    expect(running(alive.pid!)).toBe(true);
    expect(logLines(host, 'agent ready')).toEqual([expect.objectContaining({ markedKilled: 3, stillRunning: 1 })]);

    // The console's store gets the same, through the feed.
    const store = () => {
      const db = new Database(host.storeFile, { readonly: true, fileMustExist: true });
      try {
        const rows = db.prepare(`SELECT execId, status, reason, node FROM "Run" WHERE host = ?`).all(host.name) as { execId: string; status: string; reason: string | null; node: string | null }[];
        return new Map(rows.map((r) => [r.execId, r]));
      } finally {
        db.close();
      }
    };
    const applied = await waitUntil('the Killed runs in the console store', () => {
      const rows = store();
      return rows.get(ids.a)?.status === 'KILL' && rows.get(ids.gone)?.status === 'KILL' ? rows : undefined;
    });
    expect(applied.get(ids.a)).toMatchObject({ status: 'KILL', reason: 'failover: was running on node nodeA', node: 'nodeA' });
    expect(applied.get(ids.b)).toMatchObject({ status: 'KILL', reason: 'failover: was running on node nodeA' });
    expect(applied.get(ids.gone)).toMatchObject({ status: 'KILL', reason: `node restart: process ${gone.pid} is gone` });
    expect(applied.get(ids.alive)).toMatchObject({ status: 'RUNNING', reason: null });
    expect(host.logs).not.toMatch(/"level":(50|60)/);
  });
});

describe('one agent per host', () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await newHost('holdhost');
  });

  it('refuses a second agent naming the holder\'s pid and node; after a stop the next one holds a higher epoch', async () => {
    const first = await host.startAgent();
    const firstEpoch = spoolEpoch(host);
    expect(firstEpoch).toBeGreaterThan(0);

    const second = host.spawnDaemon('agent');
    const refused = await exitOf(second);
    expect(refused.code).toBe(1);
    expect(host.logs).toContain(`held by agent pid ${first.pid} on node ${NODE}`);
    expect(first.exitCode).toBeNull();
    expect(spoolEpoch(host)).toBe(firstEpoch);

    first.kill('SIGTERM');
    expect(await exitOf(first)).toEqual({ code: 0, signal: null });
    await host.startAgent();
    expect(spoolEpoch(host)).toBeGreaterThan(firstEpoch);
  });

  it('exits at once, non-zero and leaving the jobs alone, when its epoch is superseded', async () => {
    const agent = host.agent!;
    const job = host.exec('/Fence/job', 'exec sleep 60');
    const { pid } = (await runningIn(host, ['/Fence/job'])).get('/Fence/job')!;

    const db = new Database(host.spoolFile);
    db.prepare('UPDATE spool_meta SET epoch = epoch + 1').run();
    db.close();
    const began = Date.now();
    const exited = await exitOf(agent);
    expect(exited.code).not.toBe(0);
    expect(exited.code).not.toBeNull();
    // The fence is checked every 2 s; the rest is slack for a loaded machine.
    expect(Date.now() - began).toBeLessThan(8000);
    const fatal = host.logs.split('\n').filter((l) => l.includes('"level":60'));
    expect(fatal).toHaveLength(1);
    expect(fatal[0]).toMatch(/fencing epoch \d+ of spool .* is superseded by epoch \d+: another agent holds this host now; this agent exits at once/);
    // A newer agent owns the host now: the old one neither recorded nor ended the job.
    expect(running(pid!)).toBe(true);
    expect(spoolRuns(host).get('/Fence/job')!.status).toBe('RUNNING');
    process.kill(pid!, 'SIGTERM');
    expect((await job).code).toBe(143);
  });

  it('refuses to start on a spool claimed by a newer epoch, saying so', async () => {
    const db = new Database(host.spoolFile);
    db.prepare('UPDATE spool_meta SET epoch = 1000').run();
    db.close();
    const agent = host.spawnDaemon('agent');
    expect((await exitOf(agent)).code).toBe(1);
    expect(host.logs).toMatch(/claimed by fencing epoch 1000, newer than this agent's epoch \d+: a newer agent for holdhost holds it .*; refusing to start/);
    expect(spoolEpoch(host)).toBe(1000);
  });
});
