import { describe, expect, it } from 'vitest';
import type { Status } from '../../server/domain/status';
import type { FlagState } from '../../server/domain/live';
import type { Definitions } from '../definitions/types';
import { buildScopeTree, type LiveLookup } from '../monitor/scope-tree';
import { wallTilesOf } from './wall-tiles';
import { NO_FLAGS } from '../live/live-store';

const lookup = (statuses: Record<string, Status>, flags: Record<number, readonly FlagState[]> = {}): LiveLookup => ({
  entryOf: (host, unit) => ({ status: statuses[`${host}${unit}`] ?? 'NONE', runId: null, startSeq: 0 }),
  hostState: () => undefined,
  flagsOf: (id) => flags[id] ?? NO_FLAGS,
});

const defs: Definitions = {
  scopes: [
    { id: 1, name: 'Billing', comment: null, parentId: null },
    { id: 2, name: 'Daily', comment: null, parentId: 1 },
  ],
  objects: [
    { id: 10, name: 'Invoices', comment: null, scopeId: 1, host: 'a', unit: '/Inv' },
    { id: 11, name: 'Payments', comment: null, scopeId: 1, host: 'a', unit: '/Pay' },
    { id: 12, name: 'Ledger', comment: null, scopeId: 2, host: 'a', unit: '/Led' },
  ],
  hosts: [],
};

describe('wall tiles', () => {
  it('are an object’s or a child scope’s, and a change gives a new tile to what changed only', () => {
    const before = buildScopeTree(defs, lookup({ 'a/Inv': 'NORMAL' }));
    const tiles = wallTilesOf(before.roots[0]);
    expect(tiles.map((t) => [t.key, t.kind, t.status])).toEqual([
      ['o10', 'object', 'NORMAL'],
      ['o11', 'object', 'NONE'],
      ['s2', 'scope', 'NONE'],
    ]);
    const after = buildScopeTree(defs, lookup({ 'a/Inv': 'NORMAL', 'a/Pay': 'ABNORMAL' }), before);
    const next = wallTilesOf(after.roots[0]);
    expect(next[0]).toBe(tiles[0]);
    expect(next[1]).not.toBe(tiles[1]);
    expect(next[1].status).toBe('ABNORMAL');
    expect(next[2]).toBe(tiles[2]);
  });

  it('give a new tile to an object whose flags changed, and to the child scope counting them, and to nothing else', () => {
    const missed: FlagState[] = [{ kind: 'missed', occurrence: '2026-12-06T02:00:00.000Z', dueAt: '2026-12-06T02:05:00.000Z', ack: null }];
    const before = buildScopeTree(defs, lookup({}));
    const tiles = wallTilesOf(before.roots[0]);
    const after = buildScopeTree(defs, lookup({}, { 11: missed, 12: missed }), before);
    const next = wallTilesOf(after.roots[0]);
    expect(next[0]).toBe(tiles[0]);
    expect(next[1]).not.toBe(tiles[1]);
    expect(next[1]).toMatchObject({ status: 'NONE', openFlag: true, flagCounts: { missed: { raised: 1, open: 1 } } });
    expect(next[2]).toMatchObject({ kind: 'scope', openFlag: true, flagCounts: { missed: { raised: 1, open: 1 } } });
    // The same flags again: the same tiles.
    const again = wallTilesOf(buildScopeTree(defs, lookup({}, { 11: missed, 12: missed }), after).roots[0]);
    expect(again).toEqual(next);
    again.forEach((tile, i) => expect(tile).toBe(next[i]));
  });
});
