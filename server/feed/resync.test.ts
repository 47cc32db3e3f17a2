// The console never trusts an offset from another spool, takes the snapshot
// when the events it needs are gone, and keeps a silent host's statuses with
// the stale marker.
import fs from 'node:fs';
import crypto from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TestHost, waitUntil, type Client } from '../testing/test-host';
import { appendEvent, pruneSpool } from '../spool/spool';
import type { Snapshot } from '../domain/live';

let host: TestHost;
let operator: Client;

function feedState() {
  const db = new Database(host.storeFile, { readonly: true });
  try {
    return db.prepare(`SELECT spoolId, "offset" FROM "FeedState" WHERE host = ?`).get(host.name) as { spoolId: string | null; offset: number };
  } finally {
    db.close();
  }
}

async function snapshot(): Promise<Snapshot> {
  const socket = operator.socket();
  try {
    return await new Promise((resolve) => socket.emit('subscribe', resolve));
  } finally {
    socket.close();
  }
}

const unitStatus = async (unit: string) => (await snapshot()).units.find((u) => u.unit === unit)?.status;

function report(unit: string, status: 'NORMAL' | 'ABNORMAL' | 'RUNNING') {
  return appendEvent(host.spoolFile, {
    host: host.name, unit, execId: crypto.randomUUID(), runId: null, kind: 'status', status, at: new Date().toISOString(),
    node: 'nodeA', pid: null, exitCode: null, signal: null, outputTail: null, reason: null,
  });
}

beforeAll(async () => {
  host = await TestHost.create('resynchost');
  await host.startAgent();
  await host.startManager();
  operator = await host.login('operator');
  const scope = await operator.call('POST', '/scopes', { name: 'R' });
  await operator.call('POST', '/objects', { name: 'R', scopeId: scope.body.scope.id, host: host.name, unit: '/R' });
});

afterAll(async () => {
  await host?.stop();
});

it('keeps the last status of a silent host, marked stale, and catches up when it returns', async () => {
  expect((await host.exec('/R/job', 'exit 0')).code).toBe(0);
  await waitUntil('NORMAL', async () => (await unitStatus('/R/job')) === 'NORMAL' || undefined);
  await host.kill(host.agent, 'SIGTERM');
  await waitUntil('the stale marker', async () => (await snapshot()).hosts.find((h) => h.name === host.name)?.stale || undefined, 30_000);
  const stale = await snapshot();
  expect(stale.units.find((u) => u.unit === '/R/job')?.status).toBe('NORMAL');
  expect(stale.hosts[0].lastContactAt).not.toBeNull();

  report('/R/job', 'ABNORMAL'); // written while the agent is down: no network needed
  await host.startAgent();
  await waitUntil('the catch-up', async () => (await unitStatus('/R/job')) === 'ABNORMAL' || undefined, 30_000);
  expect((await snapshot()).hosts[0].stale).toBe(false);
  expect(feedState().offset).toBe(3);
});

it('reads a new spool from its start instead of trusting the old offset', async () => {
  const before = feedState();
  await host.kill(host.agent, 'SIGTERM');
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(host.spoolFile + suffix, { force: true });
  await host.must(['setup', '-h', host.name, '--init']);
  report('/R/job', 'RUNNING'); // sequence 1 of the new spool, lower than the committed offset
  await host.startAgent();
  await waitUntil('the new spool', async () => (await unitStatus('/R/job')) === 'RUNNING' || undefined, 30_000);
  const after = feedState();
  expect(after.spoolId).not.toBe(before.spoolId);
  expect(after.offset).toBe(1);
});

it('takes the snapshot when the events after its offset are gone from the spool', async () => {
  await host.kill(host.manager, 'SIGTERM');
  report('/R/job', 'NORMAL');
  report('/R/other', 'ABNORMAL');
  report('/R/job', 'ABNORMAL');
  pruneSpool(host.spoolFile, 3); // the console's offset is 1: events 2 and 3 are gone
  await host.startManager();
  operator = await host.login('operator');
  await waitUntil('the snapshot', async () => (await unitStatus('/R/other')) === 'ABNORMAL' || undefined, 30_000);
  expect(await unitStatus('/R/job')).toBe('ABNORMAL');
  expect(feedState().offset).toBe(4);
  expect(host.logs).toContain('resynchronised from snapshot');
});
