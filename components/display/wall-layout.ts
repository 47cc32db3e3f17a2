// How a wall display lays out its tiles (docs/architecture.md, "Displays"): worst first in an
// order that does not move while nothing changes; every tile on one screen when they fit at a
// size readable across a room, else pages of the largest grid that is still readable; and the
// few pixels the whole layout drifts by against burn-in. Pure, so the rules are tested alone.
import { priority, summaryOf, type Status, type SummaryClass } from '../../server/domain/status';

export interface WallTile {
  /** Unique on the wall: an object's or a child scope's. */
  key: string;
  name: string;
  status: Status;
  stale: boolean;
  acknowledged: boolean;
  /** A flag on it (or below it) waits for acknowledgement. */
  openFlag: boolean;
}

// Abnormal ends first, then warnings, running, and the rest: the order operators scan a room's screen in.
const CLASS_RANK: Record<SummaryClass, number> = { abnormal: 0, warning: 1, running: 2, held: 3, waiting: 4, normal: 5, uncounted: 6 };

/** Abnormal ends, then whatever carries a flag nobody acknowledged (whatever its status), then the other classes in turn. */
function rankOf(tile: WallTile): number {
  const rank = CLASS_RANK[summaryOf(tile.status)];
  return rank === 0 ? 0 : tile.openFlag ? 1 : rank + 1;
}

/**
 * Worst first: abnormal ends (those nobody acknowledged before those acknowledged), then tiles
 * with a flag waiting for acknowledgement (a missed or late run needs someone as much), then
 * warnings, running, held, waiting, normal, the rest; within a group the worse class, then the
 * worse status, then the name, then the key. A tile moves only when its own class, status or
 * waiting flag changes.
 */
export function wallOrder<T extends WallTile>(tiles: readonly T[]): T[] {
  return [...tiles].sort(
    (a, b) =>
      rankOf(a) - rankOf(b) ||
      CLASS_RANK[summaryOf(a.status)] - CLASS_RANK[summaryOf(b.status)] ||
      Number(a.acknowledged) - Number(b.acknowledged) ||
      priority(b.status) - priority(a.status) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) ||
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
}

export type Density = 'comfortable' | 'compact';

/**
 * The readability rule: a tile's text is never smaller than 1/45 of the screen's height
 * (comfortable) or 1/54 (compact): 24 or 20 CSS px at 1080 lines, 48 or 40 at 2160. On a
 * 55-inch screen that is letters 15 or 13 mm high whatever its resolution, which reads from
 * about 4 m (signage's 1:250 of the distance for the letter's height).
 */
export const MIN_TEXT_FRACTION: Record<Density, number> = { comfortable: 1 / 45, compact: 1 / 54 };
/** Text never grows past this share of the height, however few the tiles: one tile is a sign, not a poster. */
const MAX_TEXT_FRACTION = 1 / 14;
/** A tile holds two lines of name and one of status with their spacing: its height in text sizes. */
export const TILE_HEIGHT_IN_TEXT = 4.2;
/** Tiles are twice as wide as high: names are words, not letters. */
export const TILE_ASPECT = 2;

export interface WallGrid {
  columns: number;
  rows: number;
  /** CSS px. */
  tileWidth: number;
  tileHeight: number;
  textPx: number;
  perPage: number;
  pages: number;
}

/**
 * The grid for `count` tiles in a `width` × `height` area (CSS px, `gap` between tiles): the
 * largest tiles that put them all on one screen; when even the smallest readable tiles do not,
 * as many of those as fit, on pages. Tiles stretch to fill the area either way.
 */
export function wallGrid(count: number, width: number, height: number, screenHeight: number, density: Density, gap = 8): WallGrid {
  const minText = Math.max(1, Math.floor(screenHeight * MIN_TEXT_FRACTION[density]));
  const maxText = Math.floor(screenHeight * MAX_TEXT_FRACTION);
  const n = Math.max(1, count);
  const span = (total: number, parts: number) => (total - (parts - 1) * gap) / parts;
  let best = { columns: 1, rows: n, text: 0 };
  for (let columns = 1; columns <= n; columns++) {
    const rows = Math.ceil(n / columns);
    // The text a tile of this grid can hold: bounded by its height and, at the tile's shape, by its width.
    const text = Math.min(span(height, rows), span(width, columns) / TILE_ASPECT) / TILE_HEIGHT_IN_TEXT;
    if (text > best.text) best = { columns, rows, text };
    if (rows === 1) break;
  }
  if (best.text >= minText) {
    return grid(best.columns, best.rows, Math.min(maxText, Math.floor(best.text)), 1);
  }
  // Paged: the most tiles of the smallest readable size a page holds.
  const tileHeight = minText * TILE_HEIGHT_IN_TEXT;
  const columns = Math.max(1, Math.floor((width + gap) / (tileHeight * TILE_ASPECT + gap)));
  const rows = Math.max(1, Math.floor((height + gap) / (tileHeight + gap)));
  return grid(columns, rows, minText, Math.ceil(n / (columns * rows)));

  function grid(columns: number, rows: number, textPx: number, pages: number): WallGrid {
    return { columns, rows, tileWidth: span(width, columns), tileHeight: span(height, rows), textPx, perPage: columns * rows, pages };
  }
}

/** The tiles of one page, in wall order: the first page holds the worst, so abnormal ends are always there first. */
export function pageOf<T>(ordered: readonly T[], grid: WallGrid, page: number): T[] {
  const p = ((page % grid.pages) + grid.pages) % grid.pages;
  return ordered.slice(p * grid.perPage, (p + 1) * grid.perPage);
}

/** How far the whole layout is shifted at a moment: a slow square walk of ±`amplitude` px, one step every `stepMs`. */
export function burnInShift(nowMs: number, stepMs = 3 * 60_000, amplitude = 4): { x: number; y: number } {
  // Eight positions around a square, so that no pixel stays lit by the same edge for long.
  const walk = [
    [0, 0], [1, 0], [1, 1], [0, 1], [-1, 1], [-1, 0], [-1, -1], [0, -1],
  ] as const;
  const [x, y] = walk[Math.floor(nowMs / stepMs) % walk.length];
  return { x: x * amplitude, y: y * amplitude };
}
