import { describe, expect, it } from 'vitest';
import { LiveStore } from './live-store';
import { LIVE_PROTOCOL, type FlagState, type ObjectFlags, type Snapshot, type UnitState } from '../../server/domain/live';

function unit(unitName: string, status: string, startSeq: number, host = 'h1', runId: string | null = null): UnitState {
  return {
    host,
    unit: unitName,
    status: status as UnitState['status'],
    runId,
    execId: `e${startSeq}`,
    startSeq,
    startedAt: null,
    endedAt: null,
    exitCode: null,
    ack: null,
    node: null,
    reason: null,
  };
}

describe('LiveStore', () => {
  it('derives a jobnet from the jobs of the snapshot and follows deltas', () => {
    const store = new LiveStore();
    store.beginSubscribe();
    expect(store.applySnapshot({ protocol: LIVE_PROTOCOL, objects: [], version: 5, units: [unit('/Net/a', 'NORMAL', 1), unit('/Net/b', 'RUNNING', 2)], hosts: [] })).toBe('applied');
    expect(store.statusOf('h1', '/Net')).toBe('RUNNING');
    expect(store.receiveUnits({ version: 6, prevVersion: 5, units: [unit('/Net/b', 'ABNORMAL', 2)] })).toBe('applied');
    expect(store.statusOf('h1', '/Net')).toBe('ABNORMAL');
    expect(store.statusOf('h1', '/Net/a')).toBe('NORMAL');
    expect(store.statusOf('h2', '/Net')).toBe('NONE');
    expect(store.version).toBe(6);
  });

  it('drops deltas it already has and reports a gap instead of applying it', () => {
    const store = new LiveStore();
    store.beginSubscribe();
    store.applySnapshot({ protocol: LIVE_PROTOCOL, objects: [], version: 10, units: [unit('/J', 'RUNNING', 1)], hosts: [] });
    const revision = store.revision;
    expect(store.receiveUnits({ version: 10, prevVersion: 9, units: [unit('/J', 'KILL', 1)] })).toBe('dropped');
    expect(store.receiveUnits({ version: 13, prevVersion: 12, units: [unit('/J', 'ABNORMAL', 1)] })).toBe('gap');
    expect(store.statusOf('h1', '/J')).toBe('RUNNING');
    expect(store.version).toBe(10);
    expect(store.revision).toBe(revision);
  });

  it('holds deltas that arrive before the snapshot and replays only the newer ones', () => {
    const store = new LiveStore();
    store.beginSubscribe();
    expect(store.receiveUnits({ version: 7, prevVersion: 6, units: [unit('/J', 'RUNNING', 3)] })).toBe('buffered');
    expect(store.receiveUnits({ version: 8, prevVersion: 7, units: [unit('/J', 'NORMAL', 3)] })).toBe('buffered');
    expect(store.receiveHosts({ hosts: [{ name: 'h1', stale: true, lastContactAt: '2026-01-01T00:00:00.000Z' }] })).toBe('buffered');
    expect(store.statusOf('h1', '/J')).toBe('NONE');
    // The snapshot already contains version 7; version 8 came after it.
    store.applySnapshot({ protocol: LIVE_PROTOCOL, objects: [], version: 7, units: [unit('/J', 'RUNNING', 3)], hosts: [{ name: 'h1', stale: false, lastContactAt: null }] });
    expect(store.statusOf('h1', '/J')).toBe('NORMAL');
    expect(store.version).toBe(8);
    expect(store.hostState('h1')?.stale).toBe(true);
  });

  it('asks for another snapshot when a held delta does not follow on from it', () => {
    const store = new LiveStore();
    store.beginSubscribe();
    store.receiveUnits({ version: 20, prevVersion: 19, units: [unit('/J', 'NORMAL', 3)] });
    expect(store.applySnapshot({ protocol: LIVE_PROTOCOL, objects: [], version: 15, units: [], hosts: [] })).toBe('gap');
  });

  it('replaces everything on a new snapshot and holds deltas again after a disconnect', () => {
    const store = new LiveStore();
    store.beginSubscribe();
    store.applySnapshot({ protocol: LIVE_PROTOCOL, objects: [], version: 3, units: [unit('/Old', 'ABNORMAL', 1)], hosts: [] });
    store.beginSubscribe();
    expect(store.receiveUnits({ version: 4, prevVersion: 3, units: [unit('/New', 'RUNNING', 2)] })).toBe('buffered');
    store.applySnapshot({ protocol: LIVE_PROTOCOL, objects: [], version: 4, units: [unit('/New', 'RUNNING', 2)], hosts: [] });
    expect(store.statusOf('h1', '/Old')).toBe('NONE');
    expect(store.statusOf('h1', '/New')).toBe('RUNNING');
  });

  it('shows a status it does not know as Unknown end status rather than nothing', () => {
    const store = new LiveStore();
    store.beginSubscribe();
    store.applySnapshot({ protocol: LIVE_PROTOCOL, objects: [], version: 1, units: [unit('/J', 'SOMETHINGNEW', 1)], hosts: [] });
    expect(store.statusOf('h1', '/J')).toBe('UNKNOWN');
  });

  it('tells subscribers about every visible change', () => {
    const store = new LiveStore();
    let calls = 0;
    const off = store.subscribe(() => calls++);
    store.beginSubscribe();
    store.applySnapshot({ protocol: LIVE_PROTOCOL, objects: [], version: 1, units: [], hosts: [] });
    store.receiveUnits({ version: 2, prevVersion: 1, units: [unit('/J', 'RUNNING', 1)] });
    store.receiveHosts({ hosts: [{ name: 'h1', stale: false, lastContactAt: null }] });
    off();
    store.receiveUnits({ version: 3, prevVersion: 2, units: [unit('/J', 'NORMAL', 1)] });
    expect(calls).toBe(3);
  });

  it('shows a monitoring object as the manager derives it when its units are not subscribed, and follows its changes', () => {
    const store = new LiveStore();
    store.beginSubscribe();
    // A scope's subscription: the units of /Mine, every object's entry (/Other's among them).
    store.applySnapshot({
      protocol: LIVE_PROTOCOL, version: 4, hosts: [],
      units: [unit('/Mine/a', 'NORMAL', 1)],
      objects: [{ host: 'h1', unit: '/Mine', status: 'NORMAL', runId: null, startSeq: 1 }, { host: 'h1', unit: '/Other', status: 'ABCONT', runId: 'r', startSeq: 3 }],
    });
    expect(store.entryOf('h1', '/Other')).toEqual({ status: 'ABCONT', runId: 'r', startSeq: 3 });
    expect(store.unitsBelow('h1', '/Other')).toEqual([]);
    expect(store.statusOf('h1', '/Mine/a')).toBe('NORMAL');
    store.receiveUnits({ version: 5, prevVersion: 4, units: [], objects: [{ host: 'h1', unit: '/Other', status: 'ABNORMAL', runId: 'r', startSeq: 3, acknowledged: true }] });
    expect(store.entryOf('h1', '/Other')).toEqual({ status: 'ABNORMAL', runId: 'r', startSeq: 3, acknowledged: true });
    // A new snapshot replaces them all.
    store.beginSubscribe();
    store.applySnapshot({ protocol: LIVE_PROTOCOL, objects: [], version: 6, units: [], hosts: [] });
    expect(store.entryOf('h1', '/Other').status).toBe('NONE');
  });

  describe('flags', () => {
    const flag = (kind: FlagState['kind'], ack: FlagState['ack'] = null): FlagState => ({ kind, occurrence: '2026-12-06T02:00:00.000Z', dueAt: '2026-12-06T02:10:00.000Z', ack });
    const snapshot = (version: number, flags?: ObjectFlags[]): Snapshot => ({ protocol: LIVE_PROTOCOL, version, units: [], objects: [], hosts: [], ...(flags ? { flags } : {}) });

    it('keeps each object’s flags from the snapshot, and a delta replaces an object’s whole list', () => {
      const store = new LiveStore();
      store.beginSubscribe();
      store.applySnapshot(snapshot(1, [{ objectId: 7, flags: [flag('missed')] }, { objectId: 8, flags: [flag('start-delay')] }]));
      expect(store.flagsOf(7).map((f) => f.kind)).toEqual(['missed']);
      const eight = store.flagsOf(8);
      const revision = store.revision;
      expect(store.receiveFlags({ objects: [{ objectId: 7, flags: [flag('missed', { by: 'op', at: '2026-12-06T03:00:00.000Z', comment: '' }), flag('overrun')] }] })).toBe('applied');
      expect(store.flagsOf(7).map((f) => [f.kind, f.ack?.by ?? null])).toEqual([['missed', 'op'], ['overrun', null]]);
      // What did not change is the same list: its views stay the same objects.
      expect(store.flagsOf(8)).toBe(eight);
      expect(store.revision).toBe(revision + 1);
      store.receiveFlags({ objects: [{ objectId: 7, flags: [] }] });
      expect(store.flagsOf(7)).toEqual([]);
      expect(store.flagsOf(7)).toBe(store.flagsOf(99));
    });

    it('holds flags heard before the snapshot and replays them after it; a new snapshot replaces them all', () => {
      const store = new LiveStore();
      store.beginSubscribe();
      expect(store.receiveFlags({ objects: [{ objectId: 8, flags: [flag('end-delay')] }] })).toBe('buffered');
      store.applySnapshot(snapshot(1, [{ objectId: 7, flags: [flag('missed')] }]));
      expect(store.flagsOf(7).map((f) => f.kind)).toEqual(['missed']);
      expect(store.flagsOf(8).map((f) => f.kind)).toEqual(['end-delay']);
      store.beginSubscribe();
      store.applySnapshot(snapshot(2));
      expect(store.flagsOf(7)).toEqual([]);
      expect(store.flagsOf(8)).toEqual([]);
    });
  });
});
