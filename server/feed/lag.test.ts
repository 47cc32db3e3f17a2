// How far behind the console is: the events a host's feed has that the store
// has not committed yet, published live with the last contact, and in GET /hosts.
import crypto from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TestHost, waitUntil, type Client } from '../testing/test-host';
import { appendEvents } from '../spool/spool';
import type { HostState, HostsDelta } from '../domain/live';
import { CONTACT_PUBLISH_MS, FEED_BATCH_LIMIT } from './puller';

let host: TestHost;
let operator: Client;
const EVENTS = FEED_BATCH_LIMIT * 2 + 50; // more than two of the puller's batches

beforeAll(async () => {
  host = await TestHost.create('laghost');
  appendEvents(
    host.spoolFile,
    Array.from({ length: EVENTS }, (_, i) => ({
      host: host.name, unit: `/Lag/unit-${i % 7}`, execId: crypto.randomUUID(), runId: null, kind: 'status' as const, status: 'NORMAL' as const,
      at: new Date().toISOString(), node: 'nodeA', pid: null, exitCode: null, signal: null, outputTail: null, reason: null,
    })),
  );
  await host.startAgent();
  await host.startManager();
  operator = await host.login('operator');
});

afterAll(async () => {
  await host?.stop();
});

it('publishes how many events the console has yet to apply, then the live last contact once caught up', async () => {
  const socket = operator.socket();
  const states: (HostState & { at: number })[] = [];
  socket.on('hosts', (delta: HostsDelta) => states.push(...delta.hosts.map((h) => ({ ...h, at: Date.now() }))));
  const subscribe = () => new Promise((resolve) => socket.emit('subscribe', resolve));
  // As the View does: a newly watched host makes the console read every unit again and ask for a new subscription.
  socket.on('resync', () => void subscribe());
  await subscribe();
  try {
    // The host is pulled once a monitoring object names it.
    const scope = await operator.call('POST', '/scopes', { name: 'Lag' });
    expect((await operator.call('POST', '/objects', { name: 'Lag', scopeId: scope.body.scope.id, host: host.name, unit: '/Lag' })).status).toBe(201);

    const caughtUp = await waitUntil('the catch-up', () => states.find((s) => !s.stale && s.pending === 0), 30_000);
    // The first contact is published at once, with the events beyond the first batch still to apply.
    const first = states.find((s) => !s.stale)!;
    expect(first.pending).toBe(EVENTS - FEED_BATCH_LIMIT);
    expect(first.lastContactAt).not.toBeNull();

    const { body: hosts } = await operator.call('GET', '/hosts');
    expect(hosts.find((h: { name: string }) => h.name === host.name)).toMatchObject({ watched: true, stale: false, pending: 0 });

    // An idle host's heartbeats keep the last contact live, a few seconds apart.
    const later = await waitUntil('a later contact', () => states.find((s) => s.at > caughtUp.at && s.lastContactAt! > caughtUp.lastContactAt!), 30_000);
    expect(later).toMatchObject({ stale: false, pending: 0 });
    expect(later.at - caughtUp.at).toBeGreaterThanOrEqual(CONTACT_PUBLISH_MS - 1_000);
  } finally {
    socket.close();
  }
});
