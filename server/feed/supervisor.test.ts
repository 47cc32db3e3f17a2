// The supervisor follows the registry: a reading of it that fails (the store refusing for a
// moment) is only that reading; the next one, after a definitions change or at the next tick, runs.
import { afterEach, expect, it } from 'vitest';
import { FeedSupervisor } from './puller';
import { openTestStore } from '../testing/stores';
import { hostLogger } from '../host/log';
import type { Store } from '../store/db';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

it('goes on following the registry after one reading of it failed', async () => {
  const { store, close } = await openTestStore('sqlite');
  cleanups.push(close);
  // The store refuses the first reading of the watched hosts, as one busy for a moment would.
  let refusals = 1;
  const monitoredHost = new Proxy(store.monitoredHost, {
    get: (target, key, receiver) =>
      key === 'findMany' && refusals-- > 0 ? () => Promise.reject(new Error('the store is busy')) : Reflect.get(target, key, receiver),
  });
  const flaky = new Proxy(store, { get: (target, key, receiver) => (key === 'monitoredHost' ? monitoredHost : Reflect.get(target, key, receiver)) }) as Store;
  const changed: string[] = [];
  const supervisor = new FeedSupervisor(
    flaky,
    { epoch: 0, notify: { maxAgeMs: 60_000, consoleHost: 'clh' } },
    hostLogger('clh', 'manager').child({}, { level: 'silent' }),
    { applied: () => {}, hostChanged: (state) => changed.push(state.name) },
    { footing: { lost: (part, err) => { throw err; }, contain: () => {} }, store: { check: async () => true, stop: () => {} } },
  );
  cleanups.push(() => supervisor.stop());

  await expect(supervisor.start(60_000)).rejects.toThrow('the store is busy');
  await store.monitoredHost.create({ data: { name: 'lh1', address: '127.0.0.1', feedPort: 1, token: 'x'.repeat(32) } });
  await store.scope.create({ data: { name: 'S', objects: { create: { name: 'o', host: 'lh1', unit: '/N' } } } });
  await supervisor.reconcile();
  expect(changed).toEqual(['lh1']);
  expect(supervisor.hostStates().map((h) => h.name)).toEqual(['lh1']);
});
