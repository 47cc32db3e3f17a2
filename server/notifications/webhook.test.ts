// Webhooks with a real HTTP receiver that deduplicates by idempotency key,
// across a SIGKILL of the console manager: every abnormal end is delivered,
// failures are retried, and events replayed from long ago notify nobody.
import http from 'node:http';
import crypto from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort, TestHost, waitUntil, type Client } from '../testing/test-host';
import { appendEvent } from '../spool/spool';
import { backoffMs } from './sender';

let host: TestHost;
let operator: Client;
let receiver: http.Server;
let receiverUrl: string;
const received: { key: string; body: any }[] = [];
let refuseFirst = true;

beforeAll(async () => {
  const port = await freePort();
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      if (refuseFirst) {
        refuseFirst = false;
        res.writeHead(500).end();
        return;
      }
      received.push({ key: String(req.headers['idempotency-key']), body: JSON.parse(body) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(port, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${port}/hooks/jobscope?secret=s3cret`;
  // The receiver is on loopback, where webhooks may post only when the host's configuration says so.
  host = await TestHost.create('hookhost', undefined, undefined, { setup: ['--webhook-networks', '127.0.0.0/8'] });
  await host.startAgent();
  await host.startManager();
  operator = await host.login('operator');
  const scope = await operator.call('POST', '/scopes', { name: 'Hooks', webhookUrl: receiverUrl });
  expect(scope.status).toBe(201);
  expect((await operator.call('POST', '/objects', { name: 'W', scopeId: scope.body.scope.id, host: host.name, unit: '/W' })).status).toBe(201);
});

afterAll(async () => {
  await host?.stop();
  receiver?.close();
});

function abnormalEndKeys(): string[] {
  const db = new Database(host.storeFile, { readonly: true });
  try {
    const feed = db.prepare(`SELECT spoolId FROM "FeedState" WHERE host = ?`).get(host.name) as { spoolId: string };
    const runs = db.prepare(`SELECT lastSeq FROM "Run" WHERE host = ? AND status = 'ABNORMAL' ORDER BY lastSeq`).all(host.name) as { lastSeq: number }[];
    return runs.map((r) => `${host.name}:${feed.spoolId}:${r.lastSeq}`);
  } finally {
    db.close();
  }
}

it('delivers every abnormal end once per key across a manager crash, retrying failures', async () => {
  const job = (name: string, code: number) => host.exec(`/W/${name}`, `exit ${code}`, ['--warning-above', '2', '--abend-above', '8']);
  await Promise.all([job('a', 12), job('b', 0), job('c', 3), job('d', 20)]);
  await waitUntil('the first deliveries', () => (received.length >= 1 ? true : undefined), 30_000);
  await host.kill(host.manager, 'SIGKILL');
  await Promise.all([job('e', 12), job('f', 9)]);
  await host.startManager();
  await waitUntil('all abnormal ends delivered', () => {
    const unique = new Set(received.map((r) => r.key));
    return unique.size >= 4 ? true : undefined;
  }, 60_000);
  await new Promise((r) => setTimeout(r, 1500)); // anything sent twice would arrive by now

  const expected = abnormalEndKeys();
  expect(expected).toHaveLength(4); // a, d, e, f: the warning (c) and the normal end (b) notify nobody
  const unique = new Set(received.map((r) => r.key));
  expect([...unique].sort()).toEqual([...expected].sort());
  const sample = received.find((r) => r.body.unit === '/W/a')!.body;
  expect(sample).toMatchObject({ status: 'ABNORMAL', exitCode: 12, scope: 'Hooks', object: 'W', host: host.name, console: host.name });
  expect(sample.statusName).toEqual({ en: 'Ended abnormally', ja: '異常検出終了' });

  const db = new Database(host.storeFile, { readonly: true });
  const retried = db.prepare(`SELECT MAX(attempts) AS n FROM "Notification"`).get() as { n: number };
  const pending = db.prepare(`SELECT COUNT(*) AS n FROM "Notification" WHERE deliveredAt IS NULL`).get() as { n: number };
  db.close();
  expect(retried.n).toBe(2); // the receiver refused the very first request
  expect(pending.n).toBe(0);
  expect(host.logs).not.toContain('s3cret'); // the URL's secret never reaches a log line
});

it('does not notify events older than the configured age replayed during a catch-up', async () => {
  await host.kill(host.manager, 'SIGTERM');
  const old = appendEvent(host.spoolFile, {
    host: host.name, unit: '/W/old', execId: crypto.randomUUID(), runId: null, kind: 'status', status: 'ABNORMAL',
    at: new Date(Date.now() - 2 * 3600_000).toISOString(), node: 'nodeA', pid: null, exitCode: 1, signal: null, outputTail: null, reason: null,
  });
  const fresh = appendEvent(host.spoolFile, {
    host: host.name, unit: '/W/fresh', execId: crypto.randomUUID(), runId: null, kind: 'status', status: 'ABNORMAL',
    at: new Date().toISOString(), node: 'nodeA', pid: null, exitCode: 1, signal: null, outputTail: null, reason: null,
  });
  await host.startManager();
  await waitUntil('the fresh one', () => (received.some((r) => r.body.unit === '/W/fresh') ? true : undefined), 30_000);
  expect(received.some((r) => r.body.unit === '/W/old')).toBe(false);
  expect(received.find((r) => r.body.unit === '/W/fresh')!.key).toMatch(new RegExp(`:${fresh.seq}$`));
  expect(old.seq).toBeLessThan(fresh.seq);
});

it('backs off exponentially up to five minutes', () => {
  expect([1, 2, 3, 4].map(backoffMs)).toEqual([1000, 2000, 4000, 8000]);
  expect(backoffMs(30)).toBe(5 * 60_000);
});
