import { describe, expect, it } from 'vitest';
import { MAP_CELLS as SERVER_CELLS } from '../../server/definitions/scopes';
import { applyPositions, cellAt, CELL, extent, layout, MAP_CELLS, moveTo, step, withPositions, type MapEntry } from './grid';
import { parseZoom, zoomStep, ZOOMS } from './zoom';

const scope = (id: number, name: string, x: number | null = null, y: number | null = null): MapEntry => ({ kind: 'scope', id, name, x, y });
const object = (id: number, name: string, x: number | null = null, y: number | null = null): MapEntry => ({ kind: 'object', id, name, x, y });
const cells = (entries: MapEntry[], columns?: number) => Object.fromEntries(layout(entries, columns).map((p) => [p.entry.name, [p.cell.x, p.cell.y, p.stored]]));

describe('map layout', () => {
  it('uses the grid the server accepts', () => {
    expect(MAP_CELLS).toBe(SERVER_CELLS);
  });

  it('puts unplaced items in the first free cells, in name order, row by row', () => {
    expect(cells([object(3, 'Gamma'), scope(1, 'Alpha'), object(2, 'Beta'), object(4, 'Delta')], 2)).toEqual({
      Alpha: [0, 0, false],
      Beta: [1, 0, false],
      Delta: [0, 1, false],
      Gamma: [1, 1, false],
    });
  });

  it('keeps stored cells and fills around them', () => {
    expect(cells([object(1, 'A'), object(2, 'B', 0, 0), object(3, 'C'), object(4, 'D', 7, 9)], 3)).toEqual({
      A: [1, 0, false],
      B: [0, 0, true],
      C: [2, 0, false],
      D: [7, 9, true],
    });
  });

  it('shows both of two items stored in one cell: the first by name keeps it', () => {
    expect(cells([object(1, 'Zulu', 0, 0), object(2, 'Alpha', 0, 0)])).toEqual({ Alpha: [0, 0, true], Zulu: [1, 0, false] });
  });

  it('places an item whose stored cell is half missing or outside the grid automatically', () => {
    expect(cells([object(1, 'A', 3, null), object(2, 'B', MAP_CELLS, 0), object(3, 'C', -1, 2), object(4, 'D', 1.5, 1)])).toEqual({
      A: [0, 0, false],
      B: [1, 0, false],
      C: [2, 0, false],
      D: [3, 0, false],
    });
  });

  it('orders equal names the same way on every screen', () => {
    const a = layout([object(9, 'Same'), scope(5, 'Same'), object(2, 'Same')]).map((p) => p.key);
    const b = layout([object(2, 'Same'), object(9, 'Same'), scope(5, 'Same')]).map((p) => p.key);
    expect(a).toEqual(['scope:5', 'object:2', 'object:9']);
    expect(b).toEqual(a);
  });

  it('draws every item with a spare row and column, at least the minimum, at most the grid', () => {
    expect(extent(layout([object(1, 'A', 4, 2)]), { cols: 6, rows: 3 })).toEqual({ cols: 6, rows: 4 });
    expect(extent(layout([object(1, 'A', 9, 0)]), { cols: 6, rows: 3 }, 2)).toEqual({ cols: 12, rows: 3 });
    expect(extent(layout([object(1, 'A', MAP_CELLS - 1, MAP_CELLS - 1)]), { cols: 1, rows: 1 })).toEqual({ cols: MAP_CELLS, rows: MAP_CELLS });
    expect(extent([], { cols: 0.2, rows: 500 })).toEqual({ cols: 1, rows: MAP_CELLS });
  });
});

describe('moving an icon', () => {
  it('stores the moved icon and freezes the automatically placed ones where they are shown', () => {
    const placed = layout([object(1, 'A'), object(2, 'B'), scope(3, 'C', 5, 5)]);
    expect(moveTo(placed, 'object:1', { x: 2, y: 3 })).toEqual({
      scopes: [],
      objects: [
        { id: 1, x: 2, y: 3 },
        { id: 2, x: 1, y: 0 },
      ],
    });
  });

  it('swaps with the icon in a taken cell', () => {
    const placed = layout([object(1, 'A', 0, 0), scope(2, 'B', 4, 1)]);
    expect(moveTo(placed, 'scope:2', { x: 0, y: 0 })).toEqual({ scopes: [{ id: 2, x: 0, y: 0 }], objects: [{ id: 1, x: 4, y: 1 }] });
  });

  it('swaps with an automatically placed icon, storing it in the mover’s old cell', () => {
    const placed = layout([object(1, 'A', 3, 3), object(2, 'B')]);
    expect(moveTo(placed, 'object:1', { x: 0, y: 0 })).toEqual({ scopes: [], objects: [{ id: 1, x: 0, y: 0 }, { id: 2, x: 3, y: 3 }] });
  });

  it('changes nothing for the same cell, a cell outside the grid or an unknown icon', () => {
    const placed = layout([object(1, 'A', 1, 1)]);
    expect(moveTo(placed, 'object:1', { x: 1, y: 1 })).toBeNull();
    expect(moveTo(placed, 'object:1', { x: MAP_CELLS, y: 0 })).toBeNull();
    expect(moveTo(placed, 'object:1', { x: 0, y: -1 })).toBeNull();
    expect(moveTo(placed, 'object:9', { x: 0, y: 0 })).toBeNull();
  });

  it('shows the map the server will store', () => {
    const entries = [object(1, 'A', 0, 0), object(2, 'B', 1, 0)];
    const moved = moveTo(layout(entries), 'object:1', { x: 1, y: 0 })!;
    expect(cells(withPositions(entries, moved))).toEqual({ A: [1, 0, true], B: [0, 0, true] });
  });

  it('applies positions to the definitions without touching anything else', () => {
    const defs = {
      scopes: [{ id: 1, name: 'S', mapX: null, mapY: null }],
      objects: [
        { id: 1, name: 'O', mapX: 4, mapY: 4 },
        { id: 2, name: 'P', mapX: 0, mapY: 0 },
      ],
      hosts: ['h'],
    };
    const next = applyPositions(defs, { scopes: [{ id: 1, x: 2, y: 3 }], objects: [{ id: 2, x: 9, y: 9 }] });
    expect(next).toEqual({
      scopes: [{ id: 1, name: 'S', mapX: 2, mapY: 3 }],
      objects: [
        { id: 1, name: 'O', mapX: 4, mapY: 4 },
        { id: 2, name: 'P', mapX: 9, mapY: 9 },
      ],
      hosts: ['h'],
    });
    expect(next.objects[0]).toBe(defs.objects[0]);
    expect(defs.scopes[0].mapX).toBeNull();
  });
});

describe('pointer and keyboard', () => {
  it('finds the cell under a point at any zoom, inside the grid', () => {
    expect(cellAt(0, 0, 1)).toEqual({ x: 0, y: 0 });
    expect(cellAt(CELL - 1, CELL, 1)).toEqual({ x: 0, y: 1 });
    expect(cellAt(CELL * 2.5, CELL * 0.5, 2)).toEqual({ x: 1, y: 0 });
    expect(cellAt(CELL * 1.5, 0, 0.5)).toEqual({ x: 3, y: 0 });
    expect(cellAt(-40, 1e9, 1)).toEqual({ x: 0, y: MAP_CELLS - 1 });
  });

  it('steps with the arrow keys and stops at the edges', () => {
    expect(step({ x: 2, y: 2 }, 'ArrowLeft')).toEqual({ x: 1, y: 2 });
    expect(step({ x: 2, y: 2 }, 'ArrowRight')).toEqual({ x: 3, y: 2 });
    expect(step({ x: 2, y: 2 }, 'ArrowUp')).toEqual({ x: 2, y: 1 });
    expect(step({ x: 2, y: 2 }, 'ArrowDown')).toEqual({ x: 2, y: 3 });
    expect(step({ x: 0, y: 0 }, 'ArrowUp')).toEqual({ x: 0, y: 0 });
    expect(step({ x: MAP_CELLS - 1, y: 0 }, 'ArrowRight')).toEqual({ x: MAP_CELLS - 1, y: 0 });
    expect(step({ x: 0, y: 0 }, 'Enter')).toBeNull();
  });
});

describe('zoom', () => {
  it('reads only the known steps from a link', () => {
    expect(parseZoom('1.5')).toBe(1.5);
    expect(parseZoom('0.5')).toBe(0.5);
    expect(parseZoom(null)).toBe(1);
    expect(parseZoom('')).toBe(1);
    expect(parseZoom('3')).toBe(1);
    expect(parseZoom('abc')).toBe(1);
  });

  it('steps in and out and stays at the ends', () => {
    expect(zoomStep(1, 1)).toBe(1.25);
    expect(zoomStep(1, -1)).toBe(0.75);
    expect(zoomStep(ZOOMS[ZOOMS.length - 1], 1)).toBe(ZOOMS[ZOOMS.length - 1]);
    expect(zoomStep(ZOOMS[0], -1)).toBe(ZOOMS[0]);
    expect(zoomStep(0.9, 1)).toBe(1);
    expect(zoomStep(0.9, -1)).toBe(0.75);
  });
});
