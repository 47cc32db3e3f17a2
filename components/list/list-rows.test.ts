import { describe, expect, it } from 'vitest';
import type { Status } from '../../server/domain/status';
import { LIVE_PROTOCOL, type HostState, type UnitState } from '../../server/domain/live';
import type { Definitions } from '../definitions/types';
import { LiveStore } from '../live/live-store';
import { DEFAULT_LIST, type ListState } from '../monitor/monitor-url';
import { buildScopeTree, findScope } from '../monitor/scope-tree';
import { buildRows, collectObjects, compareRows, nextSort, toggleClass, viewRows, type ListRow } from './list-rows';

let seq = 0;
function unit(host: string, path: string, status: Status, more: Partial<UnitState> = {}): UnitState {
  seq++;
  return {
    host,
    unit: path,
    status,
    runId: null,
    execId: `e${seq}`,
    startSeq: seq,
    startedAt: `2026-03-01T10:${String(seq).padStart(2, '0')}:00.000Z`,
    endedAt: status === 'RUNNING' ? null : `2026-03-01T11:${String(seq).padStart(2, '0')}:00.000Z`,
    exitCode: status === 'RUNNING' ? null : status === 'NORMAL' ? 0 : 8,
    node: 'n1',
    reason: null,
    ack: null,
    ...more,
  };
}

const defs: Definitions = {
  scopes: [
    { id: 1, name: 'Billing', comment: null, parentId: null },
    { id: 2, name: 'Daily', comment: null, parentId: 1 },
    { id: 3, name: 'Ops', comment: null, parentId: null },
  ],
  objects: [
    { id: 10, name: 'Invoices', comment: null, scopeId: 2, host: 'a', unit: '/Inv' },
    { id: 11, name: 'Payments', comment: null, scopeId: 2, host: 'a', unit: '/Pay/post' },
    { id: 12, name: 'Ledger', comment: null, scopeId: 1, host: 'b', unit: '/Led' },
    { id: 13, name: 'Backup', comment: null, scopeId: 3, host: 'b', unit: '/Bak' },
    { id: 14, name: 'Payment net', comment: null, scopeId: 3, host: 'a', unit: '/Pay' },
  ],
  hosts: [],
};

function storeWith(units: UnitState[], hosts: HostState[] = []): LiveStore {
  const store = new LiveStore();
  store.beginSubscribe();
  store.applySnapshot({ protocol: LIVE_PROTOCOL, objects: [], version: 1, units, hosts });
  return store;
}

const list = (change: Partial<ListState> = {}): ListState => ({ ...DEFAULT_LIST, ...change });
const names = (rows: readonly ListRow[]) => rows.map((r) => r.name);

describe('list rows', () => {
  const store = storeWith(
    [
      unit('a', '/Inv/extract', 'NORMAL'),
      unit('a', '/Inv/load', 'ABNORMAL', { ack: { by: 'op', at: '2026-03-01T12:00:00.000Z', comment: '' } }),
      unit('a', '/Pay/post', 'RUNNING'),
      unit('a', '/Pay/check', 'WARNING'),
      unit('b', '/Led', 'NORMAL'),
      unit('b', '/Other/x', 'ABNORMAL'),
    ],
    [{ name: 'b', stale: true, lastContactAt: null }],
  );
  const tree = buildScopeTree(defs, store);

  it('lists every object of a scope and of the scopes below it', () => {
    const billing = findScope(tree.roots, 1)!;
    expect(collectObjects([billing]).map((o) => o.object.name).sort()).toEqual(['Invoices', 'Ledger', 'Payments']);
    expect(collectObjects(tree.roots)).toHaveLength(5);
  });

  it('gives an object its status, markers, times and exit code', () => {
    const rows = buildRows('objects', collectObjects(tree.roots), store);
    const byName = Object.fromEntries(rows.map((r) => [r.name, r]));
    // A job watched itself: its own run.
    expect(byName['Payments']).toMatchObject({ kind: 'object', objectId: 11, host: 'a', unit: '/Pay/post', status: 'RUNNING', summary: 'running', endedAt: null, exitCode: null });
    expect(byName['Ledger']).toMatchObject({ status: 'NORMAL', stale: true, exitCode: 0 });
    // A jobnet: derived from its jobs; its times span them, no single exit code.
    expect(byName['Invoices']).toMatchObject({ status: 'ABNORMAL', acknowledged: true, exitCode: null });
    expect(byName['Invoices'].startedAt).toBe(store.unitState('a', '/Inv/extract')!.startedAt);
    expect(byName['Invoices'].endedAt).toBe(store.unitState('a', '/Inv/load')!.endedAt);
    // Still running (with a warning already): no end yet.
    expect(byName['Payment net']).toMatchObject({ status: 'WACONT', endedAt: null });
    expect(byName['Backup']).toMatchObject({ status: 'NONE', summary: 'uncounted', startedAt: null, endedAt: null });
  });

  it('lists each reported unit once, under the nearest object, and nothing outside the objects', () => {
    const rows = buildRows('units', collectObjects(tree.roots), store);
    expect(names(rows).sort()).toEqual(['/Inv/extract', '/Inv/load', '/Led', '/Pay/check', '/Pay/post']);
    const post = rows.find((r) => r.name === '/Pay/post')!;
    expect(post).toMatchObject({ kind: 'unit', objectId: 11, unit: 'Payments', host: 'a', status: 'RUNNING' });
    expect(rows.find((r) => r.name === '/Pay/check')).toMatchObject({ objectId: 14, unit: 'Payment net', status: 'WARNING', exitCode: 8 });
    expect(rows.find((r) => r.name === '/Inv/load')).toMatchObject({ acknowledged: true, stale: false });
    expect(rows.find((r) => r.name === '/Led')).toMatchObject({ stale: true });
    expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
  });

  it('filters by class, host and text, counting each class before the class filter', () => {
    const rows = buildRows('units', collectObjects(tree.roots), store);
    const all = viewRows(rows, list());
    expect(all.total).toBe(5);
    expect(all.counts).toMatchObject({ abnormal: 1, warning: 1, running: 1, normal: 2 });
    expect(all.hosts).toEqual(['a', 'b']);

    const bad = viewRows(rows, list({ classes: ['abnormal', 'warning'] }));
    expect(names(bad.rows)).toEqual(['/Inv/load', '/Pay/check']);
    expect(bad.counts.normal).toBe(2);

    const onB = viewRows(rows, list({ host: 'b' }));
    expect(names(onB.rows)).toEqual(['/Led']);
    expect(onB.counts).toMatchObject({ normal: 1, abnormal: 0 });

    expect(names(viewRows(rows, list({ q: 'PAY' })).rows)).toEqual(['/Pay/check', '/Pay/post']);
    // The text matches the object name of a unit row too.
    expect(names(viewRows(rows, list({ q: 'invoices', sort: 'name' })).rows)).toEqual(['/Inv/extract', '/Inv/load']);
    // A host that has no rows (any more) stays choosable, so the select shows what the link says.
    const gone = viewRows(rows, list({ host: 'zz' }));
    expect(gone.rows).toEqual([]);
    expect(gone.hosts).toEqual(['a', 'b', 'zz']);
  });

  it('keeps the runs that started within the chosen window', () => {
    const rows = buildRows('units', collectObjects(tree.roots), store);
    const starts = rows.map((r) => Date.parse(r.startedAt!)).sort((a, b) => a - b);
    // An hour after the second-newest start: only the newest one is within the last hour.
    const now = starts[starts.length - 2] + 3_600_001;
    const recent = viewRows(rows, list({ since: '1h' }), now);
    expect(recent.rows).toHaveLength(1);
    expect(Date.parse(recent.rows[0].startedAt!)).toBe(starts[starts.length - 1]);
    expect(viewRows(rows, list({ since: '7d' }), now).rows).toHaveLength(rows.length);
    expect(viewRows(rows, list({ since: '24h' }), now + 8 * 86_400_000).rows).toHaveLength(0);
  });
});

describe('list sorting', () => {
  const row = (name: string, status: Status, more: Partial<ListRow> = {}): ListRow => ({
    key: `k${name}`,
    kind: 'object',
    objectId: 1,
    name,
    host: 'h',
    unit: '/u',
    status,
    summary: 'normal',
    acknowledged: false,
    stale: false,
    flags: [],
    openFlag: false,
    startedAt: null,
    endedAt: null,
    exitCode: null,
    ...more,
  });
  const rows = [
    row('b', 'NORMAL', { host: 'h2', startedAt: '2026-03-01T10:00:00Z' }),
    row('a10', 'ABNORMAL', { acknowledged: true, host: 'h1', startedAt: '2026-03-01T09:00:00Z' }),
    row('a2', 'ABNORMAL', { host: 'h3' }),
    row('c', 'RUNNING', { host: 'h1', startedAt: '2026-03-01T11:00:00Z' }),
    row('d', 'NONE', { host: 'h2' }),
  ];
  const sorted = (sort: ListState['sort'], dir: ListState['dir']) => names([...rows].sort(compareRows(sort, dir)));

  it('sorts by status priority, worst first, unacknowledged before acknowledged', () => {
    expect(sorted('status', 'asc')).toEqual(['a2', 'a10', 'c', 'b', 'd']);
    expect(sorted('status', 'desc')).toEqual(['d', 'b', 'c', 'a10', 'a2']);
  });

  it('puts a row whose flag waits for acknowledgement before others of its status', () => {
    const flagged = [row('n1', 'NORMAL'), row('n2', 'NORMAL', { openFlag: true }), row('x', 'ABNORMAL')];
    expect(names([...flagged].sort(compareRows('status', 'asc')))).toEqual(['x', 'n2', 'n1']);
  });

  it('sorts names with numbers in their order, and hosts with names breaking ties', () => {
    expect(sorted('name', 'asc')).toEqual(['a2', 'a10', 'b', 'c', 'd']);
    expect(sorted('name', 'desc')).toEqual(['d', 'c', 'b', 'a10', 'a2']);
    expect(sorted('host', 'asc')).toEqual(['a10', 'c', 'b', 'd', 'a2']);
  });

  it('sorts by start time, rows that never started last either way', () => {
    expect(sorted('time', 'asc')).toEqual(['a10', 'b', 'c', 'a2', 'd']);
    expect(sorted('time', 'desc')).toEqual(['c', 'b', 'a10', 'a2', 'd']);
  });

  it('sorts ten thousand rows quickly', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => row(`/Bench/g${i % 10}/u${i}`, (['NORMAL', 'ABNORMAL', 'RUNNING', 'WARNING'] as const)[i % 4], { key: `k${i}` }));
    const started = performance.now();
    const view = viewRows(many, list({ sort: 'name' }));
    expect(view.rows).toHaveLength(10_000);
    expect(view.rows[0].name).toBe('/Bench/g0/u0');
    expect(view.rows[1].name).toBe('/Bench/g0/u10');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('reverses the same column and starts a new one in its natural order', () => {
    expect(nextSort({ sort: 'status', dir: 'asc' }, 'status')).toEqual({ sort: 'status', dir: 'desc' });
    expect(nextSort({ sort: 'status', dir: 'desc' }, 'status')).toEqual({ sort: 'status', dir: 'asc' });
    expect(nextSort({ sort: 'status', dir: 'desc' }, 'name')).toEqual({ sort: 'name', dir: 'asc' });
  });

  it('toggles summary classes in their fixed order', () => {
    expect(toggleClass([], 'normal')).toEqual(['normal']);
    expect(toggleClass(['normal'], 'abnormal')).toEqual(['abnormal', 'normal']);
    expect(toggleClass(['abnormal', 'normal'], 'abnormal')).toEqual(['normal']);
  });
});
