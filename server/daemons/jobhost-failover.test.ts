// Job-host failover on one machine, with real namespaces and real processes
// (server/testing/cluster.ts): job host lh1 runs its agent on node A (host name
// nodeA) with its spool on the shared disk, and jobs run there under
// `jobscope exec`; a console manager in the root namespace watches lh1 at its
// floating address. Node A crashes: every process in it gets SIGKILL, agent,
// wrappers and jobs, as a power loss. The address moves to node B (host name
// nodeB), where lh1's agent starts on the same spool. By the time B's agent
// answers, the runs that were going on A must be Killed (failover, node A); every
// event written before the crash must reach the console store exactly once; the
// console shows lh1 stale in the gap and live again after. In a second test node A
// is cut off silently instead (its link goes down, then it is fenced): nothing
// tells the manager, whose long-poll to A just hangs, and the Killed runs must
// still reach the console within seconds of B's agent's start. Needs root.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Netns } from '../testing/cluster';
import { LiveClient } from '../testing/live-client';
import { JOBSCOPE, TestHost, collect, waitUntil, type Env, type RunResult } from '../testing/test-host';

const LH = 'lh1';
const AGENT_PORT = 7421;
const MANAGER_PORT = 7420; // configured, never started: lh1 is only a job host
const HOSTNAME = { A: 'nodeA', B: 'nodeB' } as const;
type Node = keyof typeof HOSTNAME;
const PREFIX = '/Fo';
const FAILOVER_REASON = `failover: was running on node ${HOSTNAME.A}`;
/** How long the cluster takes to notice a node that went silent, fence it and move its host (a few seconds in practice). */
const CLUSTER_NOTICES_MS = 2500;

let net: Netns;
let dir: string;
let consoleHost: TestHost;
let agentA: Agent;
let live: LiveClient | undefined;
const token = crypto.randomBytes(24).toString('base64url');
let logs = '';
/** Every process this file started inside a node, and which node: killed at the end whatever happened. */
const started = new Map<ChildProcess, Node>();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sharedDir = () => path.join(dir, 'shared', LH);
const spoolFile = () => path.join(sharedDir(), 'spool.db');
const feedUrl = () => `http://${net.floating}:${AGENT_PORT}/feed/health`;

/** Each node's configuration folder is on its local disk. */
function env(node: Node, extra: Env = {}): Env {
  return { ...process.env, JOBSCOPE_CONFIG_DIR: path.join(dir, 'nodes', node, 'config'), JOBSCOPE_HOSTNAME: '', JOBSCOPE_LOG_LEVEL: 'info', ...extra };
}

function spawnOn(node: Node, args: string[], extra: Env = {}): ChildProcess {
  const child = net.spawn(node, [JOBSCOPE, ...args], env(node, extra), { hostname: HOSTNAME[node] });
  child.stdin!.end();
  started.set(child, node);
  child.once('exit', () => started.delete(child));
  return child;
}

function runOn(node: Node, args: string[], extra: Env = {}): Promise<RunResult> {
  return collect(spawnOn(node, args, extra));
}

async function mustOn(node: Node, args: string[], extra: Env = {}): Promise<void> {
  const r = await runOn(node, args, extra);
  if (r.code !== 0) throw new Error(`[node ${node}] jobscope ${args.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
}

interface Agent {
  node: Node;
  child: ChildProcess;
  spawnedAt: number;
  lines: Record<string, unknown>[];
}

function spawnAgent(node: Node): Agent {
  const spawnedAt = Date.now();
  const child = spawnOn(node, ['agent', '-h', LH]);
  const agent: Agent = { node, child, spawnedAt, lines: [] };
  const collect = (stream: NodeJS.ReadableStream) => {
    let partial = '';
    stream.on('data', (d: Buffer) => {
      logs += String(d).replace(/^(?=.)/gm, () => `[${node} agent +${Date.now() - spawnedAt}ms] `);
      // A chunk may end mid-line: parse whole lines only.
      const lines = (partial + String(d)).split('\n');
      partial = lines.pop()!;
      for (const line of lines) {
        try {
          if (line.startsWith('{')) agent.lines.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          /* not a log record */
        }
      }
    });
  };
  collect(child.stdout!);
  collect(child.stderr!);
  return agent;
}

const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;
const healthy = () => fetch(feedUrl(), { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false);

async function startAgentA(): Promise<void> {
  agentA = spawnAgent('A');
  await waitUntil('the agent on node A', async () => {
    if (exited(agentA.child)) throw new Error(`agent on A exited:\n${logs}`);
    return (await healthy()) || undefined;
  });
}

interface SpoolRun {
  execId: string;
  unit: string;
  status: string;
  startSeq: number;
  lastSeq: number;
  node: string | null;
  reason: string | null;
}
interface SpoolEvent {
  seq: number;
  execId: string;
  kind: string;
  status: string;
  reason: string | null;
}

/** The spool as an outsider reads it: a read-only connection. */
function readSpool(): { lastSeq: number; spoolId: string; runs: Map<string, SpoolRun>; events: SpoolEvent[] } {
  const db = new Database(spoolFile(), { readonly: true, fileMustExist: true });
  try {
    return db.transaction(() => {
      const lastSeq = (db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'events'`).get() as { seq: number } | undefined)?.seq ?? 0;
      const { spoolId } = db.prepare('SELECT spool_id AS spoolId FROM spool_meta').get() as { spoolId: string };
      const runs = db
        .prepare('SELECT exec_id AS execId, unit, status, start_seq AS startSeq, last_seq AS lastSeq, node, reason FROM runs ORDER BY start_seq')
        .all() as SpoolRun[];
      const events = db.prepare('SELECT seq, exec_id AS execId, kind, status, reason FROM events ORDER BY seq').all() as SpoolEvent[];
      return { lastSeq, spoolId, runs: new Map(runs.map((r) => [r.execId, r])), events };
    })();
  } finally {
    db.close();
  }
}

/** What the console store holds of lh1. */
function readStore(): { offset: number; spoolId: string | null; runs: Map<string, SpoolRun>; units: { path: string; execId: string; status: string }[] } {
  const db = new Database(consoleHost.storeFile, { readonly: true, fileMustExist: true });
  try {
    return db.transaction(() => {
      const feed = db.prepare('SELECT "offset", spoolId FROM "FeedState" WHERE host = ?').get(LH) as { offset: number; spoolId: string | null } | undefined;
      const runs = db.prepare('SELECT execId, unit, status, startSeq, lastSeq, node, reason FROM "Run" WHERE host = ?').all(LH) as SpoolRun[];
      const units = db.prepare('SELECT path, execId, status FROM "Unit" WHERE host = ?').all(LH) as { path: string; execId: string; status: string }[];
      return { offset: feed?.offset ?? 0, spoolId: feed?.spoolId ?? null, runs: new Map(runs.map((r) => [r.execId, r])), units };
    })();
  } finally {
    db.close();
  }
}

/** Jobs launched on node A by its scheduler (here, the test): a few long ones, and short ones every 200 ms. */
class JobsOnA {
  readonly jobs: { unit: string; exitCode: number | null; result: Promise<RunResult> }[] = [];
  private short = new Set<Promise<RunResult>>();
  private halted = false;
  private loop: Promise<void> | undefined;

  launch(unit: string, script: string, exitCode: number | null): Promise<RunResult> {
    const result = runOn('A', ['exec', '-h', LH, '--unit', unit, '--', 'sh', '-c', script]);
    this.jobs.push({ unit, exitCode, result });
    return result;
  }

  start(): this {
    for (let i = 0; i < 3; i++) this.launch(`${PREFIX}/long${i}`, 'sleep 60', null);
    this.loop = (async () => {
      // At most three short ones at once: on a busy machine the flow slows down instead of piling up.
      for (let n = 0; !this.halted; await sleep(200)) {
        if (this.short.size >= 3) continue;
        const exitCode = n % 4 === 3 ? 5 : 0;
        const result = this.launch(`${PREFIX}/s${String(n++).padStart(3, '0')}`, `sleep 0.3; exit ${exitCode}`, exitCode);
        this.short.add(result);
        void result.finally(() => this.short.delete(result));
      }
    })();
    return this;
  }

  /** The scheduler of a dead node starts nothing more. */
  async halt(): Promise<void> {
    this.halted = true;
    await this.loop;
  }
}

beforeAll(async () => {
  net = Netns.create();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), `jobscope-jobhost-${net.id}-`));
  const setUpLh = async () => {
    // lh1's configuration on each node's local disk; its data initialised once, from A.
    for (const node of ['A', 'B'] as const) {
      const init = node === 'A' ? ['--init'] : [];
      await mustOn(node, ['setup', '-h', LH, '--address', net.floating, '--manager-port', String(MANAGER_PORT), '--agent-port', String(AGENT_PORT), '--data', sharedDir(), ...init], {
        JOBSCOPE_AGENT_TOKEN: token,
      });
    }
  };
  await Promise.all([TestHost.create('jfconsole').then((h) => (consoleHost = h)), setUpLh()]);
  await consoleHost.must(['host', 'add', LH, '--address', net.floating, '--port', String(AGENT_PORT), '-h', consoleHost.name], { JOBSCOPE_HOST_TOKEN: token });
  net.moveFloating('A');
  await Promise.all([consoleHost.startManager(), startAgentA()]);
}, 120_000);

afterAll(async () => {
  live?.close();
  for (const child of started.keys()) child.kill('SIGKILL');
  await consoleHost?.stop();
  net?.destroy(); // also whatever still runs inside the nodes
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** The console's view of lh1, set up by the first test that runs: an operator session, and lh1's stale flag each time it changed. */
interface Watching {
  operator: Awaited<ReturnType<TestHost['login']>>;
  /** From the monitoring object's creation to the console hearing from lh1, and whether lh1's spool was empty then. */
  heardAfterMs: number;
  idle: boolean;
  hostStates: { at: number; stale: boolean; lastContactAt: string | null }[];
}
let watching: Promise<Watching> | undefined;

function watchLh1(): Promise<Watching> {
  return (watching ??= (async () => {
    // The console watches lh1 through a monitoring object; a live client records what it is sent.
    const operator = await consoleHost.login('operator');
    const scope = await operator.call('POST', '/scopes', { name: 'Job host failover' });
    expect(scope.status).toBe(201);
    expect((await operator.call('POST', '/objects', { name: 'Fo', scopeId: scope.body.scope.id, host: LH, unit: PREFIX })).status).toBe(201);
    const watchedAt = Date.now();
    live = new LiveClient('operator', operator);
    const hostStates: Watching['hostStates'] = [];
    live.store.subscribe(() => {
      const h = live!.store.hostState(LH);
      if (h && h.stale !== hostStates.at(-1)?.stale) hostStates.push({ at: Date.now(), stale: h.stale, lastContactAt: h.lastContactAt });
    });
    await waitUntil('the live client', () => live!.phase === 'live' || undefined);
    await waitUntil('the console to hear from lh1', () => live!.store.hostState(LH)?.stale === false || undefined, 30_000);
    return { operator, heardAfterMs: Date.now() - watchedAt, idle: readSpool().lastSeq === 0, hostStates };
  })());
}

/** lh1 active on node A: as beforeAll leaves it, or switched back as planned after a test failed it over to B. */
async function activeOnA(): Promise<void> {
  if (!exited(agentA.child) && net.hasFloating('A')) return;
  for (const [child, node] of started) if (node === 'B' && !exited(child)) child.kill('SIGTERM');
  await waitUntil('node B to stop lh1', () => net.pids('B').length === 0 || undefined, 20_000);
  net.heal('A');
  net.moveFloating('A');
  await startAgentA();
}

interface Lost {
  jobs: JobsOnA;
  /** The runs going on A when it went: B must mark them Killed. */
  running: SpoolRun[];
  atCrash: ReturnType<typeof readSpool>;
  storeAtCrash: ReturnType<typeof readStore>;
  /** When A's agent stopped answering, and when A went. */
  stalledAt: number;
  crashAt: number;
}

/**
 * Jobs flow on A until some have reached the console; A's agent stalls while they go on
 * writing, then node A goes: `crash`, a power loss; `cut`, its link goes down silently first,
 * then it is fenced (powered off) as the cluster does before it moves lh1, with nothing of that
 * reaching the manager. Checks what A left in the spool.
 */
async function loseNodeA(how: 'crash' | 'cut'): Promise<Lost> {
  // This test's runs: those the spool starts after this point.
  const since = readSpool().lastSeq;
  const jobs = new JobsOnA().start();
  const longUnits = [0, 1, 2].map((i) => `${PREFIX}/long${i}`);
  await waitUntil(
    'jobs on A to reach the console',
    () => {
      const runs = [...readStore().runs.values()].filter((r) => r.startSeq > since);
      const ended = runs.filter((r) => r.status === 'NORMAL' || r.status === 'ABNORMAL');
      return (ended.length >= 4 && longUnits.every((u) => runs.some((r) => r.unit === u && r.status === 'RUNNING'))) || undefined;
    },
    30_000,
  );
  // A's agent stalls for a moment before A goes while its jobs go on writing, so that
  // some events are only in the spool when A dies: B's agent must deliver them.
  const behind = readStore().offset;
  const stalledAt = Date.now();
  agentA.child.kill('SIGSTOP');
  await waitUntil('events the console has not seen', () => readSpool().lastSeq >= behind + 2 || undefined, 15_000);

  await jobs.halt();
  // Silently: the link goes down inside A, so not even the kernel's RST or FIN for what dies next leaves it.
  if (how === 'cut') net.cut('A');
  // Power loss on A: SIGKILL to everything in it (the agent, every wrapper and its job).
  // The wrappers the test launched are killed by pid too, in case one is still entering the namespace.
  const crashAt = Date.now();
  for (const [child, node] of started) if (node === 'A' && !exited(child)) child.kill('SIGKILL');
  for (let pids = net.pids('A'); pids.length > 0; pids = net.pids('A')) {
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    if (Date.now() - crashAt > 5000) throw new Error(`processes left in node A: ${pids.join(' ')}`);
    await sleep(10);
  }
  const results = await Promise.all(jobs.jobs.map((j) => j.result));
  expect(net.pids('A')).toEqual([]);

  // What A left: nothing writes to the spool now.
  const atCrash = readSpool();
  const storeAtCrash = readStore();
  const running = [...atCrash.runs.values()].filter((r) => r.status === 'RUNNING');
  expect(running.map((r) => r.unit)).toEqual(expect.arrayContaining(longUnits));
  expect(running.every((r) => r.node === HOSTNAME.A && r.startSeq > since)).toBe(true);
  expect(storeAtCrash.offset).toBeLessThan(atCrash.lastSeq);
  // Every job the test saw end before the crash ended as its exit code says; the rest died with A.
  for (const [i, job] of jobs.jobs.entries()) {
    const r = results[i];
    if (r.signal === null) expect(r.code, job.unit).toBe(job.exitCode);
    else expect(r.signal, job.unit).toBe('SIGKILL');
  }
  for (const u of longUnits) expect(results[jobs.jobs.findIndex((j) => j.unit === u)].signal).toBe('SIGKILL');
  return { jobs, running, atCrash, storeAtCrash, stalledAt, crashAt };
}

/**
 * The cluster moves the address and starts lh1's agent on B. Times from the agent's start:
 * the Killed runs in the spool, the feed answering, the Killed runs in the console store,
 * which must be there within `limitMs`.
 */
async function startOnB(lost: Lost, limitMs: number): Promise<{ agentB: Agent; t: { health: number; spool: number; store: number } }> {
  net.moveFloating('B');
  const agentB = spawnAgent('B');
  const killedIn = (runs: Map<string, SpoolRun>) => lost.running.every((r) => runs.get(r.execId)?.status === 'KILL');
  const t: { health?: number; spool?: number; store?: number } = {};
  let killedWhenHealthy = false;
  while (t.health === undefined || t.spool === undefined || t.store === undefined) {
    if (exited(agentB.child)) throw new Error(`agent on B exited:\n${logs}`);
    if (Date.now() - agentB.spawnedAt > limitMs) throw new Error(`the Killed runs were not in the console ${limitMs} ms after B's agent started: ${JSON.stringify(t)}`);
    if (t.spool === undefined && killedIn(readSpool().runs)) t.spool = Date.now() - agentB.spawnedAt;
    if (t.health === undefined && (await healthy())) {
      t.health = Date.now() - agentB.spawnedAt;
      killedWhenHealthy = killedIn(readSpool().runs);
    }
    if (t.store === undefined && killedIn(readStore().runs)) t.store = Date.now() - agentB.spawnedAt;
    await sleep(10);
  }
  // Marked before B's agent serves its feed: nobody ever sees those runs "running" from B.
  expect(killedWhenHealthy).toBe(true);
  expect(t.spool).toBeLessThanOrEqual(t.health);
  return { agentB, t: t as Required<typeof t> };
}

/**
 * Once the console has caught up: B wrote the Killed records and nothing else, and the store and
 * the live client hold every event of the spool exactly once. Returns what differs, for the test
 * to print before it fails on it.
 */
async function deliveredOnce(w: Watching, lost: Lost, agentB: Agent) {
  await waitUntil('the console to catch up with the spool', () => readStore().offset === readSpool().lastSeq || undefined, 30_000);
  await waitUntil('the console to mark lh1 live again', () => live!.store.hostState(LH)?.stale === false || undefined, 15_000);
  // Store first, emit second: the live client hears of the Killed runs a moment after the store has them.
  const heardKilled = () => lost.running.every((r) => live!.held.get(r.execId)?.at(-1)?.status === 'KILL') || undefined;
  await waitUntil('the live client to hear of the Killed runs', heardKilled, 15_000);
  const after = readSpool();
  const store = readStore();

  // B wrote the Killed records and nothing else: one per run that was going on A, after everything A wrote.
  const added = after.events.filter((e) => e.seq > lost.atCrash.lastSeq);
  expect(added.map((e) => e.execId).sort()).toEqual(lost.running.map((r) => r.execId).sort());
  expect(added.every((e) => e.kind === 'end' && e.status === 'KILL' && e.reason === FAILOVER_REASON)).toBe(true);
  expect(after.events.filter((e) => e.seq <= lost.atCrash.lastSeq)).toEqual(lost.atCrash.events);
  for (const r of lost.running) {
    const run = after.runs.get(r.execId)!;
    expect(run, r.unit).toMatchObject({ status: 'KILL', node: HOSTNAME.A, reason: FAILOVER_REASON });
    expect(run.reason).toContain('failover');
    expect(run.reason).toContain(HOSTNAME.A);
  }
  expect(agentB.lines.find((l) => l.msg === 'agent ready')).toMatchObject({ markedKilled: lost.running.length, stillRunning: 0 });

  // The store: the spool's runs, each once, with the spool's status, reason and last sequence.
  expect(store.spoolId).toBe(after.spoolId);
  expect(store.offset).toBe(after.lastSeq);
  const differing = [...after.runs.values()].filter((run) => JSON.stringify(store.runs.get(run.execId)) !== JSON.stringify(run));
  const unknown = [...store.runs.keys()].filter((execId) => !after.runs.has(execId));
  let lostEvents = differing.length + unknown.length;

  // The live client: no status change sent twice, store versions in order, and it ends where the store is.
  const pairs = live!.deltas.flatMap((d) => d.delta.units.filter((u) => u.host === LH).map((u) => `${u.execId} ${u.status}`));
  const twice = pairs.length - new Set(pairs).size;
  const versions = live!.deltas.map((d) => d.delta.version);
  expect([...new Set(versions)].sort((a, b) => a - b)).toEqual(versions);
  for (const u of store.units) {
    const held = live!.store.unitState(LH, u.path);
    if (held?.execId !== u.execId || held.status !== u.status) lostEvents++;
  }
  for (const r of lost.running) expect(live!.held.get(r.execId)?.at(-1)?.status, r.unit).toBe('KILL');
  const hostsAfter = await w.operator.call('GET', '/hosts');
  expect(hostsAfter.body.find((h: { name: string }) => h.name === LH)).toMatchObject({ watched: true, stale: false });

  const summary =
    `${lost.jobs.jobs.length} jobs, ${lost.running.length} running on A when it went (${lost.running.map((r) => r.unit).join(', ')}), ` +
    `${lost.atCrash.lastSeq - lost.storeAtCrash.offset} of ${lost.atCrash.lastSeq} events not yet in the store then`;
  return { summary, lost: lostEvents, twice, differing, unknown, store };
}

function expectDeliveredOnce(d: Awaited<ReturnType<typeof deliveredOnce>>): void {
  for (const run of d.differing) expect(d.store.runs.get(run.execId), run.unit).toEqual(run);
  expect(d.unknown).toEqual([]);
  expect({ lost: d.lost, twice: d.twice }).toEqual({ lost: 0, twice: 0 });
  expect(logs).not.toMatch(/"level":(50|60)/);
}

it('moves job host lh1 from node A to node B after A crashes: runs of A Killed at once, every event in the store exactly once', async (context) => {
  context.onTestFailed(() => console.log(`daemon logs:\n${logs}\n${consoleHost.logs}`));
  const w = await watchLh1();
  // lh1 is idle (nothing in its spool yet): the console knows it is there without waiting for a long-poll to end.
  expect(w.idle).toBe(true);
  expect(w.heardAfterMs).toBeLessThan(5000);
  await activeOnA();

  const lost = await loseNodeA('crash');
  // The console keeps lh1's last statuses, marked stale, with the time of last contact.
  await waitUntil('the console to mark lh1 stale', () => live!.store.hostState(LH)?.stale === true || undefined, 20_000);
  const stale = live!.store.hostState(LH)!;
  expect(Date.parse(stale.lastContactAt!)).toBeLessThanOrEqual(lost.crashAt);
  const hostsDuringGap = await w.operator.call('GET', '/hosts');
  expect(hostsDuringGap.body.find((h: { name: string }) => h.name === LH)).toMatchObject({ watched: true, stale: true });

  const { agentB, t } = await startOnB(lost, 40_000);
  // The console's catch-up is bounded by its retry backoff (at most 10 s), not minutes.
  expect(t.store - t.health).toBeLessThan(12_000);
  const d = await deliveredOnce(w, lost, agentB);

  // Stale from the crash until B's agent served it, not stale since.
  const gap = w.hostStates.filter((h) => h.at >= lost.crashAt);
  expect(gap.map((h) => h.stale)).toEqual([true, false]);
  expect(gap[1].at).toBeGreaterThan(agentB.spawnedAt);
  console.log(
    `job-host failover: ${d.summary}; ` +
      `B's agent start → Killed in spool ${t.spool} ms, feed answering ${t.health} ms, Killed in console store ${t.store} ms; ` +
      `crash → console marked lh1 stale ${gap[0].at - lost.crashAt} ms, B's agent start → not stale ${gap[1].at - agentB.spawnedAt} ms; ` +
      `idle lh1 watched → not stale ${w.heardAfterMs} ms; events lost ${d.lost}, applied twice ${d.twice}`,
  );
  expectDeliveredOnce(d);
}, 90_000);

it('moves job host lh1 from node A to node B after A is cut off silently: the Killed runs reach the console without waiting out the long-poll to A', async (context) => {
  context.onTestFailed(() => console.log(`daemon logs:\n${logs}\n${consoleHost.logs}`));
  const w = await watchLh1();
  await activeOnA();

  // Nothing tells the manager that A went: its long-poll to A, asked about when A's agent stalled, just hangs.
  const lost = await loseNodeA('cut');
  // The cluster takes a moment to notice and fence A; meanwhile whatever the manager sends to A is lost.
  await sleep(CLUSTER_NOTICES_MS);
  // B starts within a few seconds of the stall, so that the limit below ends well before that long-poll's timeout.
  expect(Date.now() - lost.stalledAt).toBeLessThan(CLUSTER_NOTICES_MS + 2500);
  // Waiting out the long-poll to A (15 s from its asking, about the stall) would bring nothing within 5 s of B's start.
  const { agentB, t } = await startOnB(lost, 5000);
  const d = await deliveredOnce(w, lost, agentB);

  // The console may show lh1 stale for a moment (a request to A failed) or not at all: printed, not asserted.
  const gap = w.hostStates.filter((h) => h.at >= lost.crashAt).map((h) => `${h.stale ? 'stale' : 'live'} ${h.at - agentB.spawnedAt} ms`);
  console.log(
    `jobhost silent cut: B's agent start → Killed in console store ${t.store} ms (feed answering ${t.health} ms, Killed in spool ${t.spool} ms); ` +
      `A's agent stalled → B's agent start ${agentB.spawnedAt - lost.stalledAt} ms; lh1 in the console from B's start: ${gap.join(', ') || 'never stale'}; ` +
      `${d.summary}; events lost ${d.lost}, applied twice ${d.twice}`,
  );
  expectDeliveredOnce(d);
}, 90_000);
