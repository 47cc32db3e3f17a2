'use client';
// A wall display's screen: a header (scope, counts, clock, last update, connection) over the
// scope's tiles, worst first, as large as fit a page at a readable size (wall-layout.ts). A
// screen that lost its console says so and greys its tiles, so that it never looks green.
import { memo, useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { useNow } from '../shell/use-now';
import type { SummaryClass, SummaryCounts } from '../../server/domain/status';
import { colourOf } from '../../server/domain/status';
import { statusName } from '../i18n/dictionary';
import { useClock, useLang, useText } from '../i18n/lang';
import type { ConnectionState } from '../live/connection';
import { statusStyle, hasColour } from '../monitor/colour';
import { StatusGlyph } from '../monitor/glyph';
import { SummaryCountsView } from '../monitor/summary-counts';
import { FlagBadge, FlagCountsView } from '../flags/flag-marks';
import { FLAG_KINDS, type FlagCounts } from '../flags/flag-counts';
import { wallText } from './text';
import { burnInShift, pageOf, wallGrid, wallOrder, type Density } from './wall-layout';
import type { WallTileView } from './wall-tiles';
import styles from './wall.module.css';

/** After this long without its console the tiles are greyed: last known, not live. */
export const GREY_AFTER_MS = 5_000;

export interface WallBoardProps {
  title: string;
  consoleHost: string;
  tiles: readonly WallTileView[];
  counts: SummaryCounts;
  /** How many objects of the scope carry each kind of flag. */
  flagCounts: FlagCounts;
  connection: ConnectionState;
  /** When the shown state last changed (ms since the epoch); null before the first snapshot. */
  updatedAt: number | null;
  density: Density;
  pageSeconds: number;
  /** The summary classes counted in the header; all when not given. */
  classes?: readonly SummaryClass[];
  /** Said in place of the tiles when there are none. */
  empty?: string;
}

const Tile = memo(function Tile({ tile, textPx }: { tile: WallTileView; textPx: number }) {
  const lang = useLang();
  const t = useText(wallText);
  const classes = [styles.tile, hasColour(tile.status) ? styles.coloured : styles.plain, tile.stale ? styles.stale : '', tile.acknowledged ? styles.acknowledged : ''].join(' ');
  return (
    <article
      className={classes}
      style={{ ...statusStyle(tile.status), fontSize: textPx }}
      data-testid={`wall-tile-${tile.name}`}
      data-status={tile.status}
      data-colour={colourOf(tile.status)}
      data-stale={tile.stale}
      data-acknowledged={tile.acknowledged}
      data-kind={tile.kind}
      data-flags={tile.openFlag ? 'open' : FLAG_KINDS.some((k) => tile.flagCounts[k].raised > 0) ? 'acknowledged' : 'none'}
    >
      <h2 className={styles.name}>{tile.name}</h2>
      <p className={styles.status}>
        <StatusGlyph status={tile.status} />
        <span>{statusName(tile.status, lang)}</span>
        {/* The hatch and the tick mark it across the room; the word would push the status name out. */}
        {tile.acknowledged && (
          <span className={styles.mark} title={t.acknowledged}>
            ✓<span className="sr-only">{t.acknowledged}</span>
          </span>
        )}
        {tile.stale && <span className={styles.mark}>⚠ {t.stale}</span>}
        <TileFlags tile={tile} />
      </p>
    </article>
  );
});

/**
 * On the status line, after the status: an object's flags as marks, with the flag's name where the
 * tile is wide enough for it beside the status's (wall.module.css); a child scope's as marks with
 * how many objects carry each.
 */
function TileFlags({ tile }: { tile: WallTileView }) {
  const counts = tile.flagCounts;
  const kinds = FLAG_KINDS.filter((k) => counts[k].raised > 0);
  if (kinds.length === 0) return null;
  const badges = (compact: boolean) => kinds.map((kind) => <FlagBadge key={kind} kind={kind} acknowledged={counts[kind].open === 0} compact={compact} />);
  return (
    <span className={`${styles.mark} ${styles.flags}`} data-testid={`wall-flags-${tile.name}`}>
      {tile.kind === 'scope' ? (
        <FlagCountsView counts={counts} compact />
      ) : kinds.length === 1 ? (
        <>
          <span className={styles.flagsNamed}>{badges(false)}</span>
          <span className={styles.flagsMarked}>{badges(true)}</span>
        </>
      ) : (
        badges(true)
      )}
    </span>
  );
}

/** The size of an element, followed as it changes. */
function useSize(): [RefObject<HTMLDivElement | null>, { width: number; height: number }] {
  const ref = useRef<HTMLDivElement | null>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => setSize({ width: entry.contentRect.width, height: entry.contentRect.height }));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, size];
}

export function WallBoard({ title, consoleHost, tiles, counts, flagCounts, connection, updatedAt, density, pageSeconds, classes, empty }: WallBoardProps) {
  const t = useText(wallText);
  const formatClock = useClock();
  const now = useNow(1000);
  // Pages turn from when this board came up: a screen that starts, or is given another scope, starts on the first (the worst).
  const [shownSince] = useState(() => Date.now());
  const [area, size] = useSize();
  const screenHeight = typeof window === 'undefined' ? 1080 : window.innerHeight;
  const ordered = useMemo(() => wallOrder(tiles), [tiles]);
  const grid = wallGrid(ordered.length, size.width, size.height, screenHeight, density);
  const page = Math.floor(Math.max(0, now - shownSince) / (pageSeconds * 1000)) % grid.pages;
  const shown = size.width > 0 ? pageOf(ordered, grid, page) : [];
  const lostFor = connection.phase === 'live' || connection.since === null ? 0 : now - connection.since;
  const shift = burnInShift(now);
  const connectionText =
    connection.phase === 'live' ? t.live : connection.since !== null ? t.lost(consoleHost, formatClock(connection.since)) : t.connecting(consoleHost);

  return (
    <div
      className={`${styles.wall} ${lostFor >= GREY_AFTER_MS ? styles.greyed : ''}`}
      style={{ transform: `translate(${shift.x}px, ${shift.y}px)` }}
      data-testid="wall"
      data-phase={connection.phase}
      data-greyed={lostFor >= GREY_AFTER_MS}
    >
      <header className={styles.header}>
        <h1 className={styles.title} data-testid="wall-title">
          {title}
        </h1>
        <SummaryCountsView counts={counts} classes={classes} testId="wall-counts" />
        {/* Marks and numbers: the clock and the connection keep their room; the tiles name the flags. */}
        <span className={styles.headerFlags}>
          <FlagCountsView counts={flagCounts} compact testId="wall-flag-counts" />
        </span>
        <span className={styles.spacer} />
        {grid.pages > 1 && (
          <span className={styles.pageIndicator} data-testid="wall-page" data-page={page + 1} data-pages={grid.pages}>
            {t.page(page + 1, grid.pages)}
          </span>
        )}
        {updatedAt !== null && <span className={styles.updated}>{t.updated(formatClock(updatedAt))}</span>}
        {connection.phase === 'live' && (
          <span className={`${styles.connection} ${styles.connectionLive}`} data-testid="wall-connection" role="status" aria-live="polite">
            {connectionText}
          </span>
        )}
        <time className={styles.clock} data-testid="wall-clock">
          {formatClock(now)}
        </time>
      </header>
      {/* Whole, on a line of its own: which console it is trying to reach, and since when. */}
      {connection.phase !== 'live' && (
        <p className={styles.lost} data-testid="wall-connection" role="status" aria-live="polite">
          {connectionText}
        </p>
      )}
      {tiles.length === 0 && empty && (
        <p className={styles.empty} data-testid="wall-empty">
          {empty}
        </p>
      )}
      <div ref={area} className={styles.tiles}>
        <div className={styles.grid} style={{ gridTemplateColumns: `repeat(${grid.columns}, 1fr)`, gridAutoRows: grid.tileHeight }} data-columns={grid.columns} data-rows={grid.rows}>
          {shown.map((tile) => (
            <Tile key={tile.key} tile={tile} textPx={grid.textPx} />
          ))}
        </div>
      </div>
    </div>
  );
}
