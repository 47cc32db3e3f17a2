import { describe, expect, it } from 'vitest';
import { burnInShift, MIN_TEXT_FRACTION, pageOf, TILE_ASPECT, wallGrid, wallOrder, type WallTile } from './wall-layout';
import type { Status } from '../../server/domain/status';

const tile = (id: number, name: string, status: Status, acknowledged = false, openFlag = false): WallTile & { id: number } => ({
  id, key: `o${String(id).padStart(4, '0')}`, name, status, stale: false, acknowledged, openFlag,
});

describe('wallOrder', () => {
  it('puts abnormal ends first (unacknowledged before acknowledged), then warnings, running and the rest', () => {
    const order = wallOrder([
      tile(1, 'A', 'NORMAL'),
      tile(2, 'B', 'RUNNING'),
      tile(3, 'C', 'ABNORMAL', true),
      tile(4, 'D', 'WARNING'),
      tile(5, 'E', 'ABNORMAL'),
      tile(6, 'F', 'NONE'),
      tile(7, 'G', 'HOLDING'),
    ]).map((t) => t.name);
    expect(order).toEqual(['E', 'C', 'D', 'B', 'G', 'A', 'F']);
  });

  it('puts tiles with a flag nobody acknowledged right after the abnormal ends, worst class first among them', () => {
    const order = wallOrder([
      tile(1, 'A', 'NORMAL'),
      tile(2, 'B', 'NORMAL', false, true),
      tile(3, 'C', 'ABNORMAL', true),
      tile(4, 'D', 'WARNING'),
      tile(5, 'E', 'RUNNING', false, true),
      tile(6, 'F', 'ABNORMAL', false, true),
    ]).map((t) => t.name);
    expect(order).toEqual(['F', 'C', 'E', 'B', 'D', 'A']);
  });

  it('is stable: the same tiles in any order come out the same, ties by name then id', () => {
    const tiles = [tile(3, 'Same', 'NORMAL'), tile(1, 'Same', 'NORMAL'), tile(2, 'Alpha', 'NORMAL'), tile(9, 'Zed', 'ABNORMAL')];
    const once = wallOrder(tiles).map((t) => t.id);
    expect(once).toEqual([9, 2, 1, 3]);
    expect(wallOrder([...tiles].reverse()).map((t) => t.id)).toEqual(once);
  });

  it('moves only the tile whose class changed', () => {
    const before = wallOrder(Array.from({ length: 20 }, (_, i) => tile(i, `N${String(i).padStart(2, '0')}`, 'NORMAL')));
    const after = wallOrder(before.map((t) => (t.id === 12 ? { ...t, status: 'ABNORMAL' as const } : t)));
    expect(after[0].id).toBe(12);
    expect(after.slice(1).map((t) => t.id)).toEqual(before.filter((t) => t.id !== 12).map((t) => t.id));
  });
});

describe('wallGrid', () => {
  const screens = [
    { name: '1080p', width: 1920, height: 1000, screen: 1080 },
    { name: '4K', width: 3840, height: 2000, screen: 2160 },
  ];

  for (const { name, width, height, screen } of screens) {
    for (const density of ['comfortable', 'compact'] as const) {
      it(`${name}, ${density}: every count from 1 to 2,000 fits its page, text never below the rule`, () => {
        const minText = Math.floor(screen * MIN_TEXT_FRACTION[density]);
        for (const count of [1, 2, 3, 7, 12, 40, 100, 200, 500, 1000, 2000]) {
          const g = wallGrid(count, width, height, screen, density);
          expect(g.textPx, `${count} tiles`).toBeGreaterThanOrEqual(minText);
          // The grid fits the area: no scrolling.
          expect(g.columns * g.tileWidth + (g.columns - 1) * 8).toBeLessThanOrEqual(width + 0.001);
          expect(g.rows * g.tileHeight + (g.rows - 1) * 8).toBeLessThanOrEqual(height + 0.001);
          // The text fits its tile.
          expect(g.textPx * 4.2).toBeLessThanOrEqual(g.tileHeight + 0.001);
          expect(g.textPx * 4.2 * TILE_ASPECT).toBeLessThanOrEqual(g.tileWidth + 0.001);
          // Every tile has a place on some page, and pages are only used when needed.
          expect(g.perPage * g.pages).toBeGreaterThanOrEqual(count);
          if (g.pages > 1) expect(g.perPage * (g.pages - 1)).toBeLessThan(count);
        }
      });
    }
  }

  it('shows a dozen objects on one page in large tiles, and pages 2,000', () => {
    const twelve = wallGrid(12, 1920, 1000, 1080, 'comfortable');
    expect(twelve.pages).toBe(1);
    expect(twelve.textPx).toBeGreaterThanOrEqual(40);
    const many = wallGrid(2000, 1920, 1000, 1080, 'comfortable');
    expect(many.pages).toBeGreaterThan(1);
    expect(many.textPx).toBe(24);
    // The same wall at 4K holds the same grid at twice the pixels: a readable size is a share of the screen.
    const many4k = wallGrid(2000, 3840, 2000, 2160, 'comfortable');
    expect([many4k.columns, many4k.rows, many4k.textPx]).toEqual([many.columns, many.rows, 48]);
  });

  it('puts the worst tiles on the first page', () => {
    const ordered = wallOrder(Array.from({ length: 300 }, (_, i) => tile(i, `T${i}`, i % 97 === 5 ? 'ABNORMAL' : 'NORMAL')));
    const g = wallGrid(ordered.length, 1920, 1000, 1080, 'comfortable');
    expect(g.pages).toBeGreaterThan(1);
    const first = pageOf(ordered, g, 0);
    expect(first.filter((t) => t.status === 'ABNORMAL')).toHaveLength(ordered.filter((t) => t.status === 'ABNORMAL').length);
    expect(pageOf(ordered, g, g.pages)).toEqual(first); // pages rotate
    expect(Array.from({ length: g.pages }, (_, p) => pageOf(ordered, g, p)).flat()).toEqual(ordered);
  });
});

describe('burnInShift', () => {
  it('walks the layout a few pixels around a square, one step every few minutes, and comes back', () => {
    const step = 3 * 60_000;
    const shifts = Array.from({ length: 9 }, (_, i) => burnInShift(i * step));
    expect(new Set(shifts.slice(0, 8).map((s) => `${s.x},${s.y}`)).size).toBe(8);
    expect(shifts[8]).toEqual(shifts[0]);
    for (const s of shifts) expect(Math.max(Math.abs(s.x), Math.abs(s.y))).toBeLessThanOrEqual(4);
    expect(burnInShift(step - 1)).toEqual(burnInShift(0));
  });
});
