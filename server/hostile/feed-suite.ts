// Feeds and spools from outside: a fake agent of the test's own (several
// monitored hosts, "lanes", on one server) answers the manager's feed requests
// with hostile batches, and rows are written straight into real agents' spools;
// meanwhile a real agent of a real job host must keep flowing into the store.
// Lanes take one case each at a time (a round); after each round the daemons are
// checked and the real host's newest event must reach the store. A round that
// stops the manager is replayed a case at a time, so that each crash is named.
import crypto from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreProvider } from '../testing/stores';
import { TestHost, waitUntil } from '../testing/test-host';
import { sqlText } from '../testing/store-host';
import { appendEvent } from '../spool/spool';
import { rawRequest } from '../testing/raw-http';
import type { SpoolEvent } from '../domain/events';
import { FakeAgent, type Lane } from './fake-agent';
import { FEED_CASES, type FeedCase } from './feed-cases';
import { SPOOL_CASES, type Cell, type SpoolCase } from './spool-cases';
import { Rig } from './rig';
import { printTally, tally } from './tally';

const LANES = 10;
/**
 * Longest a feed may keep the manager from answering its health check: its PostgreSQL lease
 * lasts 8 s and is renewed every 2 s, so a longer stall can lose it (and stalls every feed and socket).
 */
const STALL_LIMIT_MS = 6000;
const SPOOL_LANES = 5;

interface HostView {
  name: string;
  stale: boolean;
  lastError: string | null;
}

/** A last error people can read: one line, short, no stack trace. */
function unclear(lastError: string): string | null {
  if (lastError.includes('\n')) return 'it spans several lines';
  if (/\bat .+:\d+:\d+/.test(lastError)) return 'it holds a stack trace';
  if (lastError.length > 400) return `it is ${lastError.length} characters long`;
  return null;
}

export function feedSuite(store: StoreProvider): void {
  const started = Date.now();
  let rig: Rig;
  let fake: FakeAgent;
  let real: TestHost;
  const spoolHosts: TestHost[] = [];
  const lanes: Lane[] = [];
  let scopeId = 0;
  let laneCount = 0;

  /** A new lane, watched by the manager, its three valid events applied. */
  async function freshLane(): Promise<Lane> {
    const lane = fake.lane(`fake${++laneCount}`);
    for (let n = 0; n < 3; n++) lane.events.push(lane.event());
    await watch(lane.name, fake.port, lane.token, scopeId);
    await waitUntil(`${lane.name} to be applied`, async () => ((await feedRow(lane.name))?.offset === 3 && (await feedRow(lane.name)).lastError === null) || undefined, 20_000);
    return lane;
  }
  const feedResults = new Map<string, string[]>();
  const spoolResults = new Map<string, string[]>();
  const flow: string[] = [];

  const feedRow = async (host: string) =>
    (await rig.probe.rows<{ offset: number; spoolId: string | null; lastError: string | null }>(`SELECT "offset", "spoolId", "lastError" FROM "FeedState" WHERE host = ${sqlText(host)}`))[0];
  const runsOf = (host: string) => rig.probe.count('Run', `host = ${sqlText(host)}`);
  const hostView = async (host: string): Promise<HostView | undefined> => {
    const reply = await rig.clients.admin.call('GET', '/hosts').catch(() => undefined);
    return Array.isArray(reply?.body) ? (reply.body as HostView[]).find((h) => h.name === host) : undefined;
  };
  const managerUp = () => rig.host.manager!.exitCode === null && rig.host.manager!.signalCode === null;

  /** Registers a monitored host and an object naming it, so that the manager pulls its feed. */
  async function watch(name: string, port: number, token: string, scopeId: number): Promise<void> {
    const admin = rig.clients.admin;
    const added = await admin.call('POST', '/hosts', { name, address: '127.0.0.1', feedPort: port, token });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    const object = await admin.call('POST', '/objects', { name: `Watch ${name}`, scopeId, host: name, unit: '/Watched' });
    expect(object.status, JSON.stringify(object.body)).toBe(201);
  }

  /** Whether the host's feed is healthy again: contacted, no last error. */
  /** Recovered: no last error, not stale and, for a fake lane, its healthy spool and history adopted whole (the next case's "before"). */
  async function healed(host: string, timeoutMs = 20_000, lane?: Lane): Promise<boolean> {
    return waitUntil(`${host} to recover`, async () => {
      if (!managerUp()) return undefined;
      const row = await feedRow(host);
      if (row.lastError !== null) return undefined;
      if (lane && (row.spoolId !== lane.spoolId || row.offset !== lane.lastSeq)) return undefined;
      return (await hostView(host))?.stale === false || undefined;
    }, timeoutMs).then(() => true, () => false);
  }

  /** Appends an event to the real job host's spool (as `jobscope report` does) and waits for it in the store. */
  async function realHostFlows(tag: string): Promise<string | null> {
    const execId = crypto.randomUUID();
    appendEvent(real.spoolFile, {
      host: real.name, unit: `/Real/${tag.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 60)}`, execId, runId: null, kind: 'status', status: 'NORMAL',
      at: new Date().toISOString(), node: 'realnode', pid: null, exitCode: 0, signal: null, outputTail: null, reason: null,
    });
    const arrived = await waitUntil('the real host event', async () => (managerUp() && (await rig.probe.count('Run', `"execId" = ${sqlText(execId)}`)) === 1) || undefined, 15_000).then(
      () => true,
      () => false,
    );
    return arrived ? null : `after ${tag}: an event of the real job host did not reach the store within 15 s`;
  }

  /** Polls the manager's health check until stopped; resolves to the longest it took to answer. */
  function watchStall(): { stop(): Promise<number> } {
    let slowest = 0;
    let on = true;
    const loop = (async () => {
      while (on) {
        const t0 = Date.now();
        await fetch(`${rig.url}/api/v1/health`, { signal: AbortSignal.timeout(60_000) }).catch(() => undefined);
        if (managerUp()) slowest = Math.max(slowest, Date.now() - t0);
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    return { stop: async () => ((on = false), await loop, slowest) };
  }

  const durations: Record<string, number> = {};
  async function runFeedCase(c: FeedCase, lane: Lane): Promise<string[]> {
    const t0 = Date.now();
    try {
      return await feedCase(c, lane);
    } finally {
      durations[c.name] = Date.now() - t0;
    }
  }
  async function feedCase(c: FeedCase, lane: Lane): Promise<string[]> {
    const problems: string[] = [];
    const before = await feedRow(lane.name);
    const runsBefore = await runsOf(lane.name);
    const sent: SpoolEvent[] = [];
    const caseId = lane.set(c.make(lane, sent));
    const timeoutMs = c.timeoutMs ?? 10_000;
    const asked = await waitUntil(`two answers of ${c.name}`, () => lane.answered(caseId) >= 2 || !managerUp() || undefined, timeoutMs).then(
      () => true,
      () => false,
    );
    if (!managerUp()) {
      lane.set(null);
      return [`the manager exited (code ${rig.host.manager!.exitCode})`];
    }
    if (!asked) problems.push(`the manager asked ${lane.answered(caseId)} time(s) within ${timeoutMs / 1000} s, not again after a failure`);
    const after = await feedRow(lane.name);
    const runsAfter = await runsOf(lane.name);
    const view = await hostView(lane.name);
    const changed = after.offset !== before.offset || after.spoolId !== before.spoolId || runsAfter !== runsBefore;
    const refused = after.lastError !== null;
    if (c.expect !== 'either' && !refused) problems.push(`not refused: no last error (offset ${before.offset} → ${after.offset}, runs ${runsBefore} → ${runsAfter})`);
    if (refused && changed && c.expect === 'either') {
      // Applied, and then the next request of the same feed failed: the manager's own slowness marked the host failed.
      problems.push(`applied (offset ${before.offset} → ${after.offset}, runs ${runsBefore} → ${runsAfter}), then marked failed: ${JSON.stringify(after.lastError).slice(0, 300)}`);
    } else if (refused) {
      if (changed) problems.push(`refused, yet the store changed: offset ${before.offset} → ${after.offset}, spool ${before.spoolId} → ${after.spoolId}, runs ${runsBefore} → ${runsAfter}`);
      if (!view?.stale) problems.push('refused, yet the host is not marked stale');
      const why = unclear(after.lastError!);
      if (why) problems.push(`the last error is not clear (${why}): ${JSON.stringify(after.lastError).slice(0, 300)}`);
    } else if (changed && c.check) {
      problems.push(
        ...(await c.check(sent, {
          run: async (execId) => {
            const reply = await rig.clients.admin.call('GET', `/runs/${encodeURIComponent(lane.name)}/${encodeURIComponent(execId)}`);
            return reply.status === 200 ? reply.body : null;
          },
        })),
      );
    }
    lane.set(null);
    if (!(await healed(lane.name, c.heavy ? 90_000 : 20_000, lane))) problems.push('the host did not recover once its feed was healthy again');
    return problems;
  }

  /**
   * Runs cases in rounds, one per lane at a time; slow cases each on a fresh lane of
   * their own, beside the rounds. A lane that does not recover is replaced. After
   * each round the daemons are checked (and restarted if they exited) and the real
   * host's newest event must reach the store. A case that ran while a daemon exited
   * is run again alone at the end, so that each crash is the case's own.
   */
  async function campaign<C extends { name: string; slow?: boolean; heavy?: boolean }, L>(o: {
    cases: C[];
    lanes: L[];
    fresh: () => Promise<L>;
    run: (c: C, lane: L) => Promise<string[]>;
    results: Map<string, string[]>;
    label: string;
  }): Promise<void> {
    const outcomes = new Map<string, { problems: string[]; from: number; to: number }>();
    const go = async (c: C, lane: L | (() => Promise<L>)) => {
      const from = Date.now();
      let problems: string[];
      try {
        problems = await o.run(c, typeof lane === 'function' ? await (lane as () => Promise<L>)() : lane);
      } catch (err) {
        problems = [`the case could not run: ${(err as Error).message.slice(0, 300)}`];
      }
      outcomes.set(c.name, { problems, from, to: Date.now() });
      return problems;
    };
    // Slow ones first, side by side, each on a lane of its own; the real host must flow meanwhile.
    const slowCases = o.cases.filter((c) => c.slow);
    if (slowCases.length > 0) {
      rig.mark();
      const slow = Promise.all(slowCases.map((c) => go(c, o.fresh)));
      await new Promise((r) => setTimeout(r, 3000));
      const during = await realHostFlows(`${o.label}: while the slow cases run`);
      if (during) flow.push(during);
      await slow;
      await rig.recover(`${o.label}, slow cases`);
    }
    // Heavy ones alone: meanwhile the manager must answer its health check and the real host flow.
    for (const c of o.cases.filter((x) => x.heavy)) {
      rig.mark();
      const stall = watchStall();
      const running = go(c, o.fresh);
      await new Promise((r) => setTimeout(r, 2000));
      const during = await realHostFlows(`${o.label}: while ${c.name} is applied`);
      const problems = await running;
      const slowest = await stall.stop();
      if (slowest > STALL_LIMIT_MS) problems.push(`the manager did not answer its health check for ${(slowest / 1000).toFixed(1)} s meanwhile`);
      if (during) problems.push(during);
      await rig.recover(c.name);
    }
    const quick = o.cases.filter((c) => !c.slow && !c.heavy);
    for (let i = 0, round = 1; i < quick.length; i += o.lanes.length, round++) {
      rig.mark();
      await Promise.all(
        quick.slice(i, i + o.lanes.length).map(async (c, j) => {
          const problems = await go(c, o.lanes[j]);
          if (problems.some((p) => p.includes('did not recover')) && managerUp()) o.lanes[j] = await o.fresh().catch(() => o.lanes[j]);
        }),
      );
      await rig.recover(`${o.label} round ${round}`);
      const problems = await rig.problems();
      if (problems.length) flow.push(`after ${o.label} round ${round}: ${problems.join('; ')}`);
      const stopped = await realHostFlows(`${o.label} ${round}`);
      if (stopped) flow.push(stopped);
    }
    // Failed because a daemon went down while it ran (its exit is noticed a moment after the connections break).
    const disturbed = o.cases.filter((c) => {
      const x = outcomes.get(c.name);
      return !x || (x.problems.some((p) => /exited|could not run|could not be checked/.test(p)) && rig.exitedBetween(x.from, x.to + 3000));
    });
    // Slow ones again side by side (when none stops a daemon, each is its own answer), then each alone.
    const slowAgain = disturbed.filter((c) => c.slow);
    if (slowAgain.length > 1) {
      const from = Date.now();
      rig.mark();
      await Promise.all(slowAgain.map((c) => go(c, o.fresh)));
      if ((await rig.recover(`${o.label}, slow cases again`)).length === 0 && !rig.exitedBetween(from, Date.now())) disturbed.splice(0, disturbed.length, ...disturbed.filter((c) => !c.slow));
    }
    for (const c of disturbed) {
      rig.mark();
      const problems = await go(c, o.fresh);
      const crashed = await rig.recover(c.name);
      outcomes.get(c.name)!.problems = [...crashed.map((x) => `the ${x.part} exited (code ${x.code}): ${x.log}`), ...problems];
      const stopped = await realHostFlows(`${o.label}: ${c.name}`);
      if (stopped) flow.push(stopped);
    }
    for (const [name, x] of outcomes) o.results.set(name, x.problems);
  }

  // --- spool rows ----------------------------------------------------------------

  const EVENT_COLUMNS = ['host', 'unit', 'exec_id', 'run_id', 'kind', 'status', 'at', 'node', 'pid', 'exit_code', 'signal', 'output_tail', 'reason'];

  function insert(db: Database.Database, table: string, row: Record<string, Cell>): number {
    const columns = Object.keys(row);
    const values = columns.map((c) => {
      const v = row[c];
      return v !== null && typeof v === 'object' ? v.sql : '?';
    });
    const params = columns.map((c) => row[c]).filter((v) => v === null || typeof v !== 'object') as (string | number | null)[];
    return Number(db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${values.join(', ')})`).run(...params).lastInsertRowid);
  }

  /** Whether the agent logged that it skipped the damaged event after `lastSeq`, or the damaged run `execId`. */
  function damagedLine(logs: string, execId: string, lastSeq: number): boolean {
    return logs.split('\n').some((line) => line.includes('damaged spool record skipped') && (line.includes(`"run ${execId}"`) || line.includes(`"event ${lastSeq + 1}"`) || /"what":"event \d{16,}/.test(line)));
  }

  async function runSpoolCase(c: SpoolCase, host: TestHost): Promise<string[]> {
    const t0 = Date.now();
    try {
      return await spoolCase(c, host);
    } finally {
      durations[`spool: ${c.name}`] = Date.now() - t0;
    }
  }
  async function spoolCase(c: SpoolCase, host: TestHost): Promise<string[]> {
    const problems: string[] = [];
    const before = await feedRow(host.name);
    const runsBefore = await runsOf(host.name);
    const db = new Database(host.spoolFile, { timeout: 10_000 });
    const execId = `bad-${crypto.randomUUID().slice(0, 8)}`;
    const undo: string[] = [];
    let lastSeq = 0;
    try {
      const meta = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'events'").get() as { seq: number } | undefined;
      lastSeq = meta?.seq ?? 0;
      if (c.row) {
        const valid: Record<string, Cell> = {
          host: host.name, unit: '/Spool/job', exec_id: execId, run_id: null, kind: 'status', status: 'NORMAL', at: new Date().toISOString(),
          node: 'spoolnode', pid: null, exit_code: 0, signal: null, output_tail: null, reason: null,
        };
        const row = { ...valid, ...c.row };
        const columns = [...(c.row.seq !== undefined ? ['seq'] : []), ...EVENT_COLUMNS];
        const seq = insert(db, 'events', Object.fromEntries(columns.map((k) => [k, row[k]])));
        undo.push(`DELETE FROM events WHERE seq = ${seq} OR exec_id = ${sqlText(execId)}`);
      }
      if (c.snapshotRun) {
        const run: Record<string, Cell> = {
          exec_id: execId, host: host.name, unit: '/Spool/snap', run_id: null, status: 'NORMAL', start_seq: lastSeq + 1, last_seq: lastSeq + 1,
          started_at: null, ended_at: new Date().toISOString(), node: 'spoolnode', pid: null, exit_code: 0, signal: null, output_tail: null, reason: null,
          ...c.snapshotRun,
        };
        insert(db, 'runs', run);
        db.prepare("INSERT INTO unit_latest (unit, exec_id) VALUES ('/Spool/snap', ?) ON CONFLICT (unit) DO UPDATE SET exec_id = excluded.exec_id").run(execId);
        // The events up to here are pruned: the manager must take the snapshot.
        db.prepare('UPDATE spool_meta SET pruned_through = ?').run(lastSeq + 1);
        db.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'events'").run(lastSeq + 1);
        undo.push("DELETE FROM unit_latest WHERE unit = '/Spool/snap'", `DELETE FROM runs WHERE exec_id = ${sqlText(execId)}`, 'UPDATE spool_meta SET pruned_through = 0');
      }
    } finally {
      db.close();
    }
    try {
      if (c.expect === 'skipped') {
        // The agent leaves the record out when it reads it for the manager, and says so once.
        const logged = await waitUntil(`the agent to skip ${c.name}`, () => (damagedLine(host.logs, execId, lastSeq) ? true : undefined), 8000).catch(() => false);
        if (!logged) problems.push('the agent did not report the damaged record as skipped within 8 s');
        const stored = await rig.clients.admin.call('GET', `/runs/${host.name}/${execId}`);
        if (stored.status !== 404) problems.push(`a skipped record was stored: ${stored.status} ${JSON.stringify(stored.body).slice(0, 200)}`);
        const row = await feedRow(host.name);
        if (row.lastError !== null) problems.push(`a skipped record marked the host: ${JSON.stringify(row.lastError).slice(0, 300)}`);
        problems.push(...(await rig.problems()));
        return problems;
      }
      // The agent notices the row within its watch interval; the manager tries it at once.
      const outcome = await waitUntil(`the manager to try ${c.name}`, async () => {
        if (!managerUp() || host.agent!.exitCode !== null) return 'exited';
        const row = await feedRow(host.name);
        if (row.lastError !== null) return 'refused';
        if (row.offset > before.offset || (await runsOf(host.name)) !== runsBefore) return 'applied';
        return undefined;
      }, 8000).catch(() => 'nothing');
      if (outcome === 'exited') {
        problems.push(...(await rig.problems()));
      } else {
        const after = await feedRow(host.name);
        const runsAfter = await runsOf(host.name);
        const view = await hostView(host.name);
        if (outcome === 'nothing') problems.push('the manager neither applied nor refused the row within 8 s');
        if (outcome === 'applied' && c.expect === 'refused') problems.push(`applied a row that must be refused (offset ${before.offset} → ${after.offset}, runs ${runsBefore} → ${runsAfter})`);
        if (outcome !== 'applied' && c.expect === 'repaired') problems.push(`a repairable record was not applied (${outcome})`);
        if (outcome === 'refused') {
          if (after.offset !== before.offset || runsAfter !== runsBefore) problems.push(`refused, yet the store changed: offset ${before.offset} → ${after.offset}, runs ${runsBefore} → ${runsAfter}`);
          if (!view?.stale) problems.push('refused, yet the host is not marked stale');
          const why = unclear(after.lastError!);
          if (why) problems.push(`the last error is not clear (${why}): ${JSON.stringify(after.lastError).slice(0, 300)}`);
        }
        if (outcome === 'applied' && (c.keeps || c.expect === 'repaired')) {
          const reply = await rig.clients.admin.call('GET', `/runs/${host.name}/${execId}`);
          for (const [k, v] of Object.entries(c.keeps ?? {})) {
            if (reply.body?.[k] !== v) problems.push(`${k} was stored as ${JSON.stringify(reply.body?.[k])}, expected ${JSON.stringify(v)}`);
          }
          if (c.expect === 'repaired' && !/^damaged spool record: .+ left out$/.test(String(reply.body?.reason))) {
            problems.push(`a repaired record does not say so: reason ${JSON.stringify(reply.body?.reason)}`);
          }
        }
        problems.push(...(await rig.problems()).filter((p) => p.includes('agent')));
      }
    } catch (err) {
      problems.push(`the case could not be checked: ${(err as Error).message.slice(0, 300)}`);
    } finally {
      // Repair the spool, so that the host flows again.
      const repair = new Database(host.spoolFile, { timeout: 10_000 });
      try {
        for (const sql of undo) repair.exec(sql);
        repair.prepare("UPDATE sqlite_sequence SET seq = max(?, (SELECT coalesce(max(seq), 0) FROM events)) WHERE name = 'events'").run(lastSeq + 1);
      } finally {
        repair.close();
      }
    }
    if (host.agent!.exitCode !== null || host.agent!.signalCode !== null) {
      problems.push(`the agent exited (code ${host.agent!.exitCode})`);
      await host.startAgent().catch((err) => problems.push(`the agent could not start again: ${(err as Error).message.slice(0, 300)}`));
    }
    if (!managerUp()) return problems;
    if (!(await healed(host.name))) problems.push('the host did not recover once its spool was repaired');
    return problems;
  }

  beforeAll(async () => {
    rig = await Rig.start(`feed${store.slice(0, 2)}`, store);
    fake = new FakeAgent();
    await fake.listen();
    const [realHost, ...spools] = await Promise.all([TestHost.create('realjobs'), ...Array.from({ length: SPOOL_LANES }, (_, i) => TestHost.create(`spool${i + 1}`))]);
    real = realHost;
    spoolHosts.push(...spools);
    await Promise.all([real, ...spoolHosts].map((h) => h.startAgent()));
    const scope = await rig.clients.admin.call('POST', '/scopes', { name: 'Feeds' });
    scopeId = scope.body.scope.id as number;
    await watch(real.name, real.agentPort, real.token, scopeId);
    for (const h of spoolHosts) await watch(h.name, h.agentPort, h.token, scopeId);
    lanes.push(...(await Promise.all(Array.from({ length: LANES }, () => freshLane()))));
    const first = await realHostFlows('the start');
    expect(first).toBeNull();
  }, 120_000);

  afterAll(async () => {
    if (process.env.HOSTILE_DUMP) {
      const fs = await import('node:fs');
      fs.writeFileSync(`${process.env.HOSTILE_DUMP}/feed-${store}.log`, rig?.host.logs ?? '');
      fs.writeFileSync(`${process.env.HOSTILE_DUMP}/feed-${store}.json`, JSON.stringify({ feed: Object.fromEntries(feedResults), spool: Object.fromEntries(spoolResults), flow, crashes: rig?.crashes, durations }, null, 1));
    }
    printTally(`feed+spool (${store})`, Date.now() - started);
    await fake?.close();
    await Promise.all([real, ...spoolHosts].map((h) => h?.stop()));
    await rig?.stop();
  });

  it('throws every hostile feed answer at the manager, a lane each', async () => {
    const cases = FEED_CASES;
    await campaign({ cases, lanes, fresh: freshLane, run: runFeedCase, results: feedResults, label: 'feed' });
    tally('feed', cases.length, store);
  }, 400_000);

  it('writes every hostile spool row into a real agent\u2019s spool', async () => {
    let next = 0;
    await campaign({ cases: SPOOL_CASES, lanes: [...spoolHosts], fresh: async () => spoolHosts[next++ % spoolHosts.length], run: runSpoolCase, results: spoolResults, label: 'spool' });
    tally('spool', SPOOL_CASES.length, store);
  }, 300_000);

  it('the agent answers hostile feed requests with a 4xx, or a 5xx at worst, and goes on', async () => {
    const problems: string[] = [];
    const own = `127.0.0.1:${real.agentPort}`;
    const auth = `Authorization: Bearer ${real.token}\r\n`;
    const requests: [string, string][] = [
      ['no token', `GET /feed/events HTTP/1.1\r\nHost: ${own}\r\nConnection: close\r\n\r\n`],
      ['a wrong token', `GET /feed/events HTTP/1.1\r\nHost: ${own}\r\nAuthorization: Bearer wrong\r\nConnection: close\r\n\r\n`],
      ['a token of 8 KB', `GET /feed/snapshot HTTP/1.1\r\nHost: ${own}\r\nAuthorization: Bearer ${'t'.repeat(8000)}\r\nConnection: close\r\n\r\n`],
      ['a Basic token', `GET /feed/events HTTP/1.1\r\nHost: ${own}\r\nAuthorization: Basic ${Buffer.from(`x:${real.token}`).toString('base64')}\r\nConnection: close\r\n\r\n`],
      ['two tokens', `GET /feed/events HTTP/1.1\r\nHost: ${own}\r\n${auth}Authorization: Bearer wrong\r\nConnection: close\r\n\r\n`],
      ...['after=-1', 'after=abc', 'after=1e3', 'after=99999999999999999', 'after=1&after=2', 'limit=0', 'limit=5001', 'limit=1e9', 'wait=26', 'wait=-1', 'wait=abc', 'x=1', '%E0%A4%A=1', 'after=%00', `after=${'9'.repeat(5000)}`].map(
        (q): [string, string] => [`events?${q}`, `GET /feed/events?${q} HTTP/1.1\r\nHost: ${own}\r\n${auth}Connection: close\r\n\r\n`],
      ),
      ['a snapshot with a parameter', `GET /feed/snapshot?x=1 HTTP/1.1\r\nHost: ${own}\r\n${auth}Connection: close\r\n\r\n`],
      ['POST', `POST /feed/events HTTP/1.1\r\nHost: ${own}\r\n${auth}Content-Length: 2\r\nConnection: close\r\n\r\n{}`],
      ['DELETE', `DELETE /feed/snapshot HTTP/1.1\r\nHost: ${own}\r\n${auth}Connection: close\r\n\r\n`],
      ['an unknown path', `GET /feed/../../etc/passwd HTTP/1.1\r\nHost: ${own}\r\n${auth}Connection: close\r\n\r\n`],
      ['malformed percent-encoding in the path', `GET /feed/%E0%A4%A HTTP/1.1\r\nHost: ${own}\r\n${auth}Connection: close\r\n\r\n`],
      ['an absolute-form target that is not a URL', `GET http://[/feed/events HTTP/1.1\r\nHost: ${own}\r\n${auth}Connection: close\r\n\r\n`],
      ['an asterisk target', `OPTIONS * HTTP/1.1\r\nHost: ${own}\r\nConnection: close\r\n\r\n`],
      ['a raw NUL in the target', `GET /feed/\x00 HTTP/1.1\r\nHost: ${own}\r\nConnection: close\r\n\r\n`],
      ['a header of 20 KB', `GET /feed/health HTTP/1.1\r\nHost: ${own}\r\nX-Big: ${'b'.repeat(20_000)}\r\nConnection: close\r\n\r\n`],
      ['an HTTP/2 preface', `PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n`],
      ['garbage', `\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03`],
      ['fifty requests in one write', `GET /feed/health HTTP/1.1\r\nHost: ${own}\r\n\r\n`.repeat(49) + `GET /feed/health HTTP/1.1\r\nHost: ${own}\r\nConnection: close\r\n\r\n`],
    ];
    // A long-poll of the right token held open while the rest arrive, then let go.
    const held = rawRequest({ address: '127.0.0.1', port: real.agentPort, request: `GET /feed/events?after=999999&wait=25 HTTP/1.1\r\nHost: ${own}\r\n${auth}\r\n`, timeoutMs: 1000 });
    for (const [label, request] of requests) {
      const r = await rawRequest({ address: '127.0.0.1', port: real.agentPort, request, timeoutMs: 5000 });
      if (r.status !== null && r.status >= 500) problems.push(`${label}: ${r.status} ${r.body.toString().slice(0, 200)}`);
      if (r.timedOut) problems.push(`${label}: no answer within 5 s`);
    }
    await held;
    tally('agent', requests.length + 1, store);
    problems.push(...(await rig.problems()));
    const stopped = await realHostFlows('hostile feed requests to the agent');
    if (stopped) problems.push(stopped);
    const agentUp = real.agent!.exitCode === null && (await fetch(`http://127.0.0.1:${real.agentPort}/feed/health`).then((r) => r.ok, () => false));
    if (!agentUp) problems.push('the agent does not answer its health check');
    expect(problems).toEqual([]);
  });

  describe(`a feed answer is refused or kept, never a stopped manager (${store})`, () => {
    for (const c of FEED_CASES) it(`${c.expect}: ${c.name}`, () => expect(feedResults.get(c.name) ?? ['not run']).toEqual([]));
  });

  describe(`a spool row is served, refused or kept, never a stopped daemon (${store})`, () => {
    for (const c of SPOOL_CASES) it(`${c.expect}: ${c.name}`, () => expect(spoolResults.get(c.name) ?? ['not run']).toEqual([]));
  });

  it(`the real agent's events kept reaching the store while the others were poisoned (${store})`, () => {
    expect(flow).toEqual([]);
  });
}
