// Where each icon of a map stands: a grid of fixed cells, each item in one cell.
// An item with a stored cell keeps it; the others take the first free cells in
// name order, shown there but not stored until someone moves an icon on that map.
// Pure, so that it can be tested without React or a browser.

/** The server's grid: cells 0..MAP_CELLS-1 in both directions (server/definitions/scopes.ts). */
export const MAP_CELLS = 200;
/** One cell, in map pixels at 100 % zoom. */
export const CELL = 96;
/** Unplaced items fill rows of this many cells, so that the automatic layout does not depend on the screen. */
export const AUTO_COLUMNS = 6;

export type ItemKind = 'scope' | 'object';

export interface Cell {
  x: number;
  y: number;
}

export interface MapEntry {
  kind: ItemKind;
  id: number;
  name: string;
  /** The stored cell; both null (or missing) when the item was never placed. */
  x?: number | null;
  y?: number | null;
}

export interface Placed<E extends MapEntry = MapEntry> {
  entry: E;
  key: string;
  cell: Cell;
  /** False when the cell was chosen automatically (or the stored one was taken or invalid). */
  stored: boolean;
}

/** The body of PUT /api/v1/positions. */
export interface Positions {
  scopes: { id: number; x: number; y: number }[];
  objects: { id: number; x: number; y: number }[];
}

export const keyOf = (e: { kind: ItemKind; id: number }): string => `${e.kind}:${e.id}`;
export const cellKey = (c: Cell): string => `${c.x},${c.y}`;
export const sameCell = (a: Cell, b: Cell): boolean => a.x === b.x && a.y === b.y;

const inGrid = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < MAP_CELLS;

export function isCell(c: Cell): boolean {
  return inGrid(c.x) && inGrid(c.y);
}

/** Name order (as the scope tree sorts), then scopes before objects, then id: the same on every screen. */
export function compareEntries(a: MapEntry, b: MapEntry): number {
  return a.name.localeCompare(b.name) || (a.kind === b.kind ? 0 : a.kind === 'scope' ? -1 : 1) || a.id - b.id;
}

/**
 * Every entry with its cell, in name order. Two entries stored in one cell (two
 * browsers moving at once, an import) are both shown: the first by name keeps
 * the cell, the other is placed automatically like a new item.
 */
export function layout<E extends MapEntry>(entries: readonly E[], columns = AUTO_COLUMNS): Placed<E>[] {
  const sorted = [...entries].sort(compareEntries);
  const taken = new Set<string>();
  const cells = new Map<E, Cell>();
  for (const e of sorted) {
    const cell = { x: e.x as number, y: e.y as number };
    if (inGrid(e.x) && inGrid(e.y) && !taken.has(cellKey(cell))) {
      taken.add(cellKey(cell));
      cells.set(e, cell);
    }
  }
  const width = Math.max(1, Math.min(columns, MAP_CELLS));
  let next = 0;
  return sorted.map((entry) => {
    const stored = cells.get(entry);
    if (stored) return { entry, key: keyOf(entry), cell: stored, stored: true };
    let cell: Cell;
    do {
      cell = { x: next % width, y: Math.floor(next / width) };
      next++;
    } while (taken.has(cellKey(cell)));
    taken.add(cellKey(cell));
    return { entry, key: keyOf(entry), cell, stored: false };
  });
}

/** How many columns and rows to draw: every item, a spare row and column to move into, and at least `min`. */
export function extent(placed: readonly Placed[], min: { cols: number; rows: number }, spare = 1): { cols: number; rows: number } {
  let cols = min.cols;
  let rows = min.rows;
  for (const p of placed) {
    cols = Math.max(cols, p.cell.x + 1 + spare);
    rows = Math.max(rows, p.cell.y + 1 + spare);
  }
  const clamp = (n: number) => Math.max(1, Math.min(MAP_CELLS, Math.ceil(n)));
  return { cols: clamp(cols), rows: clamp(rows) };
}

/**
 * What to store when the item `key` moves to `to`: a taken cell is swapped (its
 * item goes to the mover's old cell), and every icon of this map that stood in
 * an automatic cell is stored where it is shown, so that nothing else jumps.
 * Null when nothing changes or the cell is outside the grid.
 */
export function moveTo(placed: readonly Placed[], key: string, to: Cell): Positions | null {
  const mover = placed.find((p) => p.key === key);
  if (!mover || !isCell(to) || sameCell(mover.cell, to)) return null;
  const occupant = placed.find((p) => p.key !== key && sameCell(p.cell, to));
  const cells = new Map<Placed, Cell>([[mover, to]]);
  if (occupant) cells.set(occupant, mover.cell);
  for (const p of placed) if (!p.stored && !cells.has(p)) cells.set(p, p.cell);
  const positions: Positions = { scopes: [], objects: [] };
  for (const [p, c] of cells) (p.entry.kind === 'scope' ? positions.scopes : positions.objects).push({ id: p.entry.id, x: c.x, y: c.y });
  positions.scopes.sort((a, b) => a.id - b.id);
  positions.objects.sort((a, b) => a.id - b.id);
  return positions;
}

/** The entries with these positions stored: what the map will show once the server has them. */
export function withPositions<E extends MapEntry>(entries: readonly E[], positions: Positions): E[] {
  const scopes = new Map(positions.scopes.map((p) => [p.id, p]));
  const objects = new Map(positions.objects.map((p) => [p.id, p]));
  return entries.map((e) => {
    const p = (e.kind === 'scope' ? scopes : objects).get(e.id);
    return p ? { ...e, x: p.x, y: p.y } : e;
  });
}

interface Positioned {
  id: number;
  mapX?: number | null;
  mapY?: number | null;
}

/** Definitions with these positions applied: the optimistic picture until the server answers. */
export function applyPositions<D extends { scopes: readonly Positioned[]; objects: readonly Positioned[] }>(defs: D, positions: Positions): D {
  const apply = <T extends Positioned>(list: readonly T[], moves: Positions['scopes']): T[] => {
    const byId = new Map(moves.map((p) => [p.id, p]));
    return list.map((item) => {
      const p = byId.get(item.id);
      return p ? { ...item, mapX: p.x, mapY: p.y } : item;
    });
  };
  return { ...defs, scopes: apply(defs.scopes, positions.scopes), objects: apply(defs.objects, positions.objects) };
}

/** The cell under a point given in map pixels at this zoom, kept inside the grid. */
export function cellAt(px: number, py: number, zoom: number): Cell {
  const clamp = (v: number) => Math.max(0, Math.min(MAP_CELLS - 1, Math.floor(v / (CELL * zoom))));
  return { x: clamp(px), y: clamp(py) };
}

const STEPS: Record<string, Cell> = { ArrowLeft: { x: -1, y: 0 }, ArrowRight: { x: 1, y: 0 }, ArrowUp: { x: 0, y: -1 }, ArrowDown: { x: 0, y: 1 } };

/** The neighbouring cell for an arrow key (null for any other key), kept inside the grid. */
export function step(cell: Cell, key: string): Cell | null {
  const d = STEPS[key];
  if (!d) return null;
  const clamp = (v: number) => Math.max(0, Math.min(MAP_CELLS - 1, v));
  return { x: clamp(cell.x + d.x), y: clamp(cell.y + d.y) };
}
