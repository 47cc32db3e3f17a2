// A job host's node that fails over silently leaves the console's long-poll
// waiting on a dead connection. The standby's agent answers at the same address
// as another instance: the puller gives the long-poll up and asks it at once,
// instead of waiting out the request's timeout (10 s of wait and 5 s more).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { FeedSupervisor } from './puller';
import { openTestStore } from '../testing/stores';
import { hostLogger } from '../host/log';
import { waitUntil } from '../testing/test-host';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

it('asks the agent that now answers at the host\'s address at once, not after the dead long-poll\'s timeout', async () => {
  // The node: agent A serves the feed, holding long-polls as agents do; then the node is cut off
  // silently (nothing it holds ever answers) and agent B answers at the same address.
  let instance = 'agent-A';
  const healthAnswers: string[] = [];
  const held: http.ServerResponse[] = [];
  const requests: string[] = [];
  const batch = (events: unknown[]) => ({ protocol: 1, host: 'lh1', spoolId: 'spool-1', now: new Date().toISOString(), lastSeq: events.length, resync: false, events });
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const json = (body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (url.pathname === '/feed/health') {
      healthAnswers.push(instance);
      return json({ host: 'lh1', spoolId: 'spool-1', instance });
    }
    const waits = url.searchParams.get('wait') !== '0';
    requests.push(`${instance} ${waits ? 'wait' : 'now'}`);
    if (instance === 'agent-A') return waits ? void held.push(res) : json(batch([]));
    json(batch([{ seq: 1, host: 'lh1', unit: '/N/job', execId: 'e1', runId: null, kind: 'end', status: 'KILL', at: new Date().toISOString(), node: 'A', pid: null, exitCode: null, signal: null, outputTail: null, reason: 'node failed' }]));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => (held.forEach((r) => r.destroy()), server.close(resolve))));

  const { store, close } = await openTestStore('sqlite');
  cleanups.push(close);
  const port = (server.address() as AddressInfo).port;
  await store.monitoredHost.create({ data: { name: 'lh1', address: '127.0.0.1', feedPort: port, token: 'x'.repeat(32), feed: { create: {} } } });
  await store.scope.create({ data: { name: 'S', objects: { create: { name: 'o', host: 'lh1', unit: '/N' } } } });
  const supervisor = new FeedSupervisor(
    store,
    { epoch: 0, notify: { maxAgeMs: 60_000, consoleHost: 'clh' } },
    hostLogger('clh', 'manager').child({}, { level: 'silent' }),
    { applied: () => {}, hostChanged: () => {} },
    { footing: { lost: (part, err) => { throw err; }, contain: () => {} }, store: { check: async () => true, stop: () => {} } },
  );
  cleanups.push(() => supervisor.stop());
  await supervisor.start(60_000);
  await waitUntil('a long-poll held by agent A, which said who it is', () => (requests.includes('agent-A wait') && healthAnswers.includes('agent-A') ? true : undefined));

  const movedAt = Date.now();
  instance = 'agent-B';
  // Within the long-poll's own timeout (15 s), with room: only the watch can bring it this soon.
  await waitUntil('the standby\'s Killed run in the store', async () => ((await store.unit.findFirst({ where: { path: '/N/job' } }))?.status === 'KILL' ? true : undefined), 9_000);
  console.log(`agent moved: standby's answer → its run in the store ${Date.now() - movedAt} ms (long-poll timeout 15 s)`);
  expect(requests.filter((r) => r.startsWith('agent-B'))[0]).toBeDefined();
});
