// 1,000 events stream from a spool while the console manager, then the agent,
// are killed with SIGKILL mid-stream and restarted: the store must end with
// every event applied exactly once and the offset at the last one.
import crypto from 'node:crypto';
import os from 'node:os';
import Database from 'better-sqlite3';
import { afterAll, expect, it } from 'vitest';
import { TestHost, waitUntil } from '../testing/test-host';
import { appendEvent } from '../spool/spool';

const TOTAL = 1000;
let host: TestHost;

afterAll(async () => {
  await host?.stop();
});

function committedOffset(file: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(`SELECT "offset" FROM "FeedState"`).get() as { offset: number } | undefined)?.offset ?? 0;
  } finally {
    db.close();
  }
}

it('applies 1,000 events exactly once across SIGKILLs of manager and agent', async () => {
  host = await TestHost.create('oncehost');
  const admin = await host.login('admin').catch(() => undefined); // manager not running yet
  expect(admin).toBeUndefined();
  await host.startAgent();
  await host.startManager();
  const operator = await host.login('operator');
  const scope = await operator.call('POST', '/scopes', { name: 'Load' });
  await operator.call('POST', '/objects', { name: 'Load', scopeId: scope.body.scope.id, host: host.name, unit: '/Load' });

  // Runs of 500 units: a start and an end each, so the folding of both is checked too.
  // Written as live jobs of this node (this process's pid): a restarted agent leaves
  // those running, where it would mark another node's runs Killed (failover).
  const execIds = Array.from({ length: TOTAL / 2 }, () => crypto.randomUUID());
  let written = 0;
  const writeSome = (n: number) => {
    for (const end = Math.min(TOTAL, written + n); written < end; written++) {
      const run = Math.floor(written / 2);
      const start = written % 2 === 0;
      appendEvent(host.spoolFile, {
        host: host.name, unit: `/Load/u${run}`, execId: execIds[run], runId: null, kind: start ? 'start' : 'end',
        status: start ? 'RUNNING' : run % 7 === 0 ? 'ABNORMAL' : 'NORMAL', at: new Date().toISOString(), node: os.hostname(),
        pid: process.pid, exitCode: start ? null : run % 7 === 0 ? 9 : 0, signal: null, outputTail: null, reason: null,
      });
    }
  };
  const stream = async (until: number, perTick = 25) => {
    while (written < until) {
      writeSome(perTick);
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  await stream(200);
  // Kill the manager while it is applying, as events keep coming: some of the written events committed, not all.
  const writing = stream(700, 5);
  await waitUntil('the manager to be mid-stream', () => {
    const offset = committedOffset(host.storeFile);
    return offset > 200 && offset < written ? true : undefined;
  });
  await host.kill(host.manager, 'SIGKILL');
  const restartedManager = host.startManager();
  await writing;
  await restartedManager;
  await host.kill(host.agent, 'SIGKILL');
  const restartedAgent = host.startAgent();
  await stream(TOTAL);
  await restartedAgent;

  await waitUntil('all events to be applied', () => (committedOffset(host.storeFile) === TOTAL ? true : undefined), 60_000);
  const db = new Database(host.storeFile, { readonly: true });
  const runs = db.prepare(`SELECT execId, unit, status, startSeq, lastSeq, exitCode FROM "Run" ORDER BY startSeq`).all() as {
    execId: string; unit: string; status: string; startSeq: number; lastSeq: number; exitCode: number | null;
  }[];
  const units = db.prepare(`SELECT COUNT(*) AS n FROM "Unit" WHERE path LIKE '/Load/%'`).get() as { n: number };
  db.close();
  expect(runs).toHaveLength(TOTAL / 2);
  runs.forEach((r, i) => {
    expect(r).toEqual({
      execId: execIds[i], unit: `/Load/u${i}`, status: i % 7 === 0 ? 'ABNORMAL' : 'NORMAL',
      startSeq: 2 * i + 1, lastSeq: 2 * i + 2, exitCode: i % 7 === 0 ? 9 : 0,
    });
  });
  expect(units.n).toBe(TOTAL / 2);
  expect(host.logs).not.toMatch(/"level":(50|60)/); // no error or fatal line from any daemon
});
