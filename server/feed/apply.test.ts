// Runs on both store providers: the same feed must give the same store.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../store/db';
import { openTestStore, STORE_PROVIDERS } from '../testing/stores';
import { applyEvents, applySnapshot } from './apply';
import { StatusIndex } from '../live/status-index';
import type { FeedEvents, SpoolEvent } from '../domain/events';
import type { UnitsDelta } from '../domain/live';

const HOST = 'jobhost1';
const CONTEXT = { epoch: 0, notify: { maxAgeMs: 3600_000, consoleHost: 'clh1' } };
let store: Store;
let closeStore: () => Promise<void>;

function event(seq: number, over: Partial<SpoolEvent>): SpoolEvent {
  return {
    seq, host: HOST, unit: '/Net/job', execId: 'e1', runId: null, kind: 'start', status: 'RUNNING',
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(), node: 'nodeA', pid: 100, exitCode: null,
    signal: null, outputTail: null, reason: null, ...over,
  };
}

function batch(events: SpoolEvent[], spoolId = 'spool-1'): FeedEvents {
  return { protocol: 1, host: HOST, spoolId, now: new Date().toISOString(), lastSeq: events.at(-1)?.seq ?? 0, resync: false, events };
}

async function dump() {
  return {
    units: await store.unit.findMany({ orderBy: { path: 'asc' } }),
    runs: await store.run.findMany({ orderBy: { execId: 'asc' } }),
    feed: await store.feedState.findUnique({ where: { host: HOST }, select: { spoolId: true, offset: true } }),
    version: (await store.storeMeta.findUniqueOrThrow({ where: { id: 1 } })).version,
  };
}

describe.each(STORE_PROVIDERS)('%s store', (provider) => {
  beforeEach(async () => {
    ({ store, close: closeStore } = await openTestStore(provider));
    await store.monitoredHost.create({ data: { name: HOST, address: '127.0.0.1', feedPort: 1, token: 'x'.repeat(20), feed: { create: {} } } });
  });

  afterEach(async () => {
    await closeStore();
  });

  describe('applyEvents', () => {
    const first = [
      event(1, {}),
      event(2, { kind: 'end', status: 'NORMAL', exitCode: 0 }),
      event(3, { unit: '/Net/other', execId: 'e2' }),
    ];

    it('folds events into runs, keeps each unit\'s latest run and commits the offset', async () => {
      const applied = await applyEvents(store, CONTEXT, HOST, batch(first), 0);
      expect(applied?.delta.version).toBe(1);
      expect(applied?.delta.units.map((u) => [u.unit, u.status])).toEqual([['/Net/job', 'NORMAL'], ['/Net/other', 'RUNNING']]);
      const state = await dump();
      expect(state.feed).toEqual({ spoolId: 'spool-1', offset: 3 });
      expect(state.runs).toHaveLength(2);
      expect(state.runs[0]).toMatchObject({ execId: 'e1', status: 'NORMAL', exitCode: 0, startSeq: 1, lastSeq: 2 });
    });

    it('applying the same batch twice changes nothing', async () => {
      await applyEvents(store, CONTEXT, HOST, batch(first), 0);
      const once = await dump();
      expect(await applyEvents(store, CONTEXT, HOST, batch(first), 3)).toBeNull();
      expect(await dump()).toEqual(once);
    });

    it('applies only the part of an overlapping batch after the committed offset', async () => {
      await applyEvents(store, CONTEXT, HOST, batch(first.slice(0, 2)), 0);
      const applied = await applyEvents(store, CONTEXT, HOST, batch(first), 2);
      expect(applied?.delta.units.map((u) => u.unit)).toEqual(['/Net/other']);
      expect((await dump()).feed?.offset).toBe(3);
    });

    it('shows the run that started last, even when an older run ends later', async () => {
      await applyEvents(store, CONTEXT, HOST, batch([event(1, {}), event(2, { execId: 'e2' }), event(3, { kind: 'end', status: 'ABNORMAL', exitCode: 9 })]), 0);
      const unit = await store.unit.findUniqueOrThrow({ where: { host_path: { host: HOST, path: '/Net/job' } } });
      expect(unit).toMatchObject({ execId: 'e2', status: 'RUNNING' });
      expect((await store.run.findUniqueOrThrow({ where: { host_execId: { host: HOST, execId: 'e1' } } })).status).toBe('ABNORMAL');
    });

    it('refuses a batch of another spool unless it reads that spool from its start', async () => {
      await applyEvents(store, CONTEXT, HOST, batch(first), 0);
      await expect(applyEvents(store, CONTEXT, HOST, batch([event(4, {})], 'spool-2'), 3)).rejects.toThrow(/from its beginning/);
      expect((await dump()).feed).toEqual({ spoolId: 'spool-1', offset: 3 });
      await applyEvents(store, CONTEXT, HOST, batch([event(1, { execId: 'n1', status: 'RUNNING' })], 'spool-2'), 0);
      const state = await dump();
      expect(state.feed).toEqual({ spoolId: 'spool-2', offset: 1 });
      // The new spool's run replaces the old one's although its sequence is lower.
      expect(state.units.find((u) => u.path === '/Net/job')).toMatchObject({ execId: 'n1', spoolId: 'spool-2' });
    });

    it('rolls back the whole batch when an event names another host', async () => {
      await expect(applyEvents(store, CONTEXT, HOST, batch([event(1, {}), event(2, { host: 'intruder' })]), 0)).rejects.toThrow(/intruder/);
      const state = await dump();
      expect(state.units).toEqual([]);
      expect(state.feed).toEqual({ spoolId: null, offset: 0 });
      expect(state.version).toBe(0);
    });
  });

  describe('applySnapshot, and the live index read from the store', () => {
    it('adopts the snapshot\'s spool and offset and serves the units stamped with the version', async () => {
      const parts: UnitsDelta[] = [];
      await applySnapshot(store, CONTEXT, HOST, {
        protocol: 1, host: HOST, spoolId: 'spool-9', now: new Date().toISOString(), lastSeq: 40,
        runs: [{
          host: HOST, unit: '/Net/job', execId: 'x', runId: 'r1', status: 'KILL', startSeq: 30, lastSeq: 40,
          startedAt: null, endedAt: null, node: 'nodeA', pid: 1, exitCode: null, signal: 'SIGKILL', outputTail: null, reason: 'failover',
        }],
      }, (delta) => parts.push(delta));
      expect(parts).toHaveLength(1);
      const applied = parts[0];
      expect(applied.units[0]).toMatchObject({ status: 'KILL', reason: 'failover' });
      expect((await dump()).feed).toEqual({ spoolId: 'spool-9', offset: 40 });
      await store.scope.create({ data: { name: 'S', objects: { create: { name: 'o', host: HOST, unit: '/Net' } } } });
      const index = await StatusIndex.load(store);
      const snapshot = index.snapshot(null);
      expect(snapshot.version).toBe(applied.version);
      expect(snapshot.units()).toEqual(applied.units);
      expect(snapshot.objects).toEqual([{ host: HOST, unit: '/Net', status: 'KILL', runId: 'r1', startSeq: 30 }]);
    });

    it('applies a large snapshot in parts, each told as it commits, adopting the offset with the last', async () => {
      const runs = Array.from({ length: 2201 }, (_, i) => ({
        host: HOST, unit: `/Big/u${i}`, execId: `big${i}`, runId: null, status: 'NORMAL' as const, startSeq: i + 1, lastSeq: i + 1,
        startedAt: null, endedAt: null, node: null, pid: null, exitCode: 0, signal: null, outputTail: null, reason: null,
      }));
      const parts: UnitsDelta[] = [];
      await applySnapshot(store, CONTEXT, HOST, { protocol: 1, host: HOST, spoolId: 'spool-big', now: new Date().toISOString(), lastSeq: 2201, runs }, (delta) => parts.push(delta));
      expect(parts.map((p) => p.units.length)).toEqual([1000, 1000, 201]);
      expect(parts.map((p) => p.version)).toEqual([parts[0].version, parts[0].version + 1, parts[0].version + 2]);
      expect((await dump()).feed).toEqual({ spoolId: 'spool-big', offset: 2201 });
      expect(await store.unit.count({ where: { host: HOST } })).toBe(2201);
    });
  });
});
