import { describe, expect, it } from 'vitest';
import type { Status } from '../../server/domain/status';
import type { Definitions } from '../definitions/types';
import type { FlagState, HostState } from '../../server/domain/live';
import { buildScopeTree, type LiveLookup } from './scope-tree';

function lookup(statuses: Record<string, Status>, hosts: HostState[] = [], flags: Record<number, readonly FlagState[]> = {}): LiveLookup {
  return {
    entryOf: (host, unit) => ({ status: statuses[`${host}${unit}`] ?? 'NONE', runId: null, startSeq: 0 }),
    hostState: (name) => hosts.find((h) => h.name === name),
    flagsOf: (id) => flags[id] ?? NONE,
  };
}
const NONE: readonly FlagState[] = [];
const flag = (kind: FlagState['kind'], acknowledged = false): FlagState => ({
  kind, occurrence: '2026-12-06T02:00:00.000Z', dueAt: '2026-12-06T02:05:00.000Z', ack: acknowledged ? { by: 'op', at: '2026-12-06T02:06:00.000Z', comment: '' } : null,
});

const defs: Definitions = {
  scopes: [
    { id: 1, name: 'Billing', comment: null, parentId: null },
    { id: 2, name: 'Daily', comment: null, parentId: 1 },
    { id: 3, name: 'Ops', comment: null, parentId: null },
  ],
  objects: [
    { id: 10, name: 'Invoices', comment: null, scopeId: 2, host: 'a', unit: '/Inv' },
    { id: 11, name: 'Payments', comment: null, scopeId: 2, host: 'a', unit: '/Pay' },
    { id: 12, name: 'Ledger', comment: null, scopeId: 1, host: 'b', unit: '/Led' },
    { id: 13, name: 'Backup', comment: null, scopeId: 3, host: 'b', unit: '/Bak' },
  ],
  hosts: [],
};

describe('buildScopeTree', () => {
  it('gives each scope the worst status below it and adds up the counts', () => {
    const { roots, total } = buildScopeTree(defs, lookup({ 'a/Inv': 'ABNORMAL', 'a/Pay': 'NORMAL', 'b/Led': 'RUNNING', 'b/Bak': 'NORMAL' }));
    const [billing, ops] = roots;
    expect(billing.scope.name).toBe('Billing');
    expect(billing.scopes[0].summary.status).toBe('ABNORMAL');
    expect(billing.summary.status).toBe('ABNORMAL');
    expect(billing.summary.counts).toMatchObject({ abnormal: 1, normal: 1, running: 1 });
    expect(ops.summary.status).toBe('NORMAL');
    expect(total.counts).toMatchObject({ abnormal: 1, normal: 2, running: 1, warning: 0 });
  });

  it('marks objects of a stale host and every scope above them, keeping their status', () => {
    const { roots } = buildScopeTree(defs, lookup({ 'a/Inv': 'ABNORMAL' }, [{ name: 'a', stale: true, lastContactAt: null }]));
    const invoices = roots[0].scopes[0].objects.find((o) => o.object.name === 'Invoices')!;
    expect(invoices.summary).toMatchObject({ status: 'ABNORMAL', stale: true });
    expect(roots[0].summary.stale).toBe(true);
    expect(roots[1].summary.stale).toBe(false);
  });

  it('never loses a scope whose parent is unknown or part of a cycle', () => {
    const odd: Definitions = {
      scopes: [
        { id: 1, name: 'Orphan', comment: null, parentId: 99 },
        { id: 2, name: 'Loop A', comment: null, parentId: 3 },
        { id: 3, name: 'Loop B', comment: null, parentId: 2 },
      ],
      objects: [],
      hosts: [],
    };
    const names = (views: ReturnType<typeof buildScopeTree>['roots']): string[] => views.flatMap((v) => [v.scope.name, ...names(v.scopes)]);
    expect(names(buildScopeTree(odd, lookup({})).roots).sort()).toEqual(['Loop A', 'Loop B', 'Orphan']);
  });

  it('hands back what did not change as the same objects, so that only changed tiles render again', () => {
    const statuses: Record<string, Status> = { 'a/Inv': 'RUNNING', 'a/Pay': 'NORMAL', 'b/Led': 'NORMAL', 'b/Bak': 'NORMAL' };
    const first = buildScopeTree(defs, lookup(statuses));
    expect(buildScopeTree(defs, lookup(statuses), first)).toBe(first);

    const second = buildScopeTree(defs, lookup({ ...statuses, 'a/Inv': 'ABNORMAL' }), first);
    const [billing, ops] = second.roots;
    const objectsOf = (tree: typeof first) => tree.roots[0].scopes[0].objects;
    expect(objectsOf(second)[0].summary.status).toBe('ABNORMAL');
    expect(objectsOf(second)[0]).not.toBe(objectsOf(first)[0]);
    expect(objectsOf(second)[1]).toBe(objectsOf(first)[1]); // Payments did not change
    expect(billing).not.toBe(first.roots[0]);
    expect(billing.summary.status).toBe('ABNORMAL');
    expect(billing.objects[0]).toBe(first.roots[0].objects[0]); // Ledger did not change
    expect(ops).toBe(first.roots[1]);
    expect(second.total.counts.abnormal).toBe(1);

    // New definitions (an object renamed) make a new view of that object, even with the same status.
    const renamed: Definitions = { ...defs, objects: defs.objects.map((o) => (o.id === 13 ? { ...o, name: 'Backups' } : o)) };
    const third = buildScopeTree(renamed, lookup({ ...statuses, 'a/Inv': 'ABNORMAL' }), second);
    expect(third.roots[1].objects[0].object.name).toBe('Backups');
    expect(third.roots[1]).not.toBe(ops);
  });

  it('counts the objects carrying each flag in every scope above them, and renders only what a flag changed', () => {
    const statuses: Record<string, Status> = { 'a/Inv': 'NORMAL', 'a/Pay': 'NORMAL', 'b/Led': 'NORMAL', 'b/Bak': 'NORMAL' };
    const missed = [flag('missed')];
    const first = buildScopeTree(defs, lookup(statuses, [], { 10: missed, 12: [flag('missed', true), flag('start-delay')] }));
    const [billing, ops] = first.roots;
    expect(billing.flagCounts.missed).toEqual({ raised: 2, open: 1 });
    expect(billing.flagCounts['start-delay']).toEqual({ raised: 1, open: 1 });
    expect(billing.scopes[0].flagCounts.missed).toEqual({ raised: 1, open: 1 });
    expect(ops.flagCounts.missed.raised).toBe(0);
    expect(first.totalFlags.missed).toEqual({ raised: 2, open: 1 });
    // A flag is not a status: the colour stays.
    expect(billing.scopes[0].objects[0].summary.status).toBe('NORMAL');

    // Invoices' flag acknowledged: its view and the scopes above it change, nothing else.
    const second = buildScopeTree(defs, lookup(statuses, [], { 10: [flag('missed', true)], 12: first.roots[0].objects[0].flags }), first);
    expect(second.roots[0].scopes[0].objects[0]).not.toBe(first.roots[0].scopes[0].objects[0]);
    expect(second.roots[0].scopes[0].objects[1]).toBe(first.roots[0].scopes[0].objects[1]);
    expect(second.roots[0].objects[0]).toBe(first.roots[0].objects[0]);
    expect(second.roots[1]).toBe(ops);
    expect(second.totalFlags.missed).toEqual({ raised: 2, open: 0 });
  });
});
