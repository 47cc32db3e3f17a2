'use client';
// The map of one business scope: its child scopes and monitoring objects as icons
// on a grid, over the scope's background image when it has one (with no scope
// chosen, the top-level scopes). Clicking a scope's icon opens its map, an
// object's its detail. In definition mode icons are moved by dragging or with
// the arrow keys; a move is shown at once and put back if the server refuses it.
// A drag near the viewport's edge scrolls the map that way.
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { Summary } from '../../server/domain/derive';
import type { IconName } from '../../server/domain/icons';
import { colourOf } from '../../server/domain/status';
import { useDefinitions } from '../definitions/use-definitions';
import { common, statusName } from '../i18n/dictionary';
import { useLang, useText } from '../i18n/lang';
import { hasColour, statusStyle } from '../monitor/colour';
import { StatusGlyph } from '../monitor/glyph';
import { findScope, type ScopeView } from '../monitor/scope-tree';
import { backgroundUrl } from './background';
import { BackgroundControls } from './background-controls';
import { edgeScrollVelocity, type Point, type ViewportRect } from './edge-scroll';
import { AUTO_COLUMNS, CELL, cellAt, extent, layout, moveTo, step, withPositions, type Cell, type MapEntry, type Placed } from './grid';
import { Icon, iconOf } from '../icons/icons';
import styles from './map.module.css';
import type { FlagState } from '../../server/domain/live';
import { FLAG_KINDS, type FlagCounts } from '../flags/flag-counts';
import { FlagBadges, FlagCountsView } from '../flags/flag-marks';
import { NO_FLAGS } from '../live/live-store';
import { mapText } from './text';
import { useSavePositions } from './use-map-changes';
import { ZOOMS, zoomStep } from './zoom';

interface Item extends MapEntry {
  summary: Summary;
  /** An object's flags (a scope's are counted in flagCounts). */
  flags: readonly FlagState[];
  flagCounts: FlagCounts;
  icon: IconName;
  title: string;
}

interface Props {
  roots: ScopeView[];
  /** The scope whose map is shown; none: the top-level scopes. */
  scope: ScopeView | undefined;
  zoom: number;
  selectedObject: number | null;
  /** Definition mode, for a role that may change definitions. */
  editable: boolean;
  onSelectScope(id: number | null): void;
  onSelectObject(id: number): void;
  onZoom(zoom: number): void;
}

interface Drag {
  key: string;
  pointerId: number;
  /** The icon's cell when the drag began. */
  from: Cell;
  /** The pointer (client pixels) and the viewport's scroll offsets when the drag began. */
  x0: number;
  y0: number;
  scrollLeft0: number;
  scrollTop0: number;
  /** The pointer now: the map may scroll under a pointer that stands still. */
  x: number;
  y: number;
  /** How far the icon has moved on screen: the pointer's way plus the scrolling under it. */
  dx: number;
  dy: number;
  active: boolean;
  target: Cell;
}

/** Drags shorter than this are clicks. */
const DRAG_THRESHOLD = 5;
/** At most one zoom step per this many milliseconds of Ctrl + wheel (a touchpad pinch sends many). */
const WHEEL_STEP_MS = 120;
/** A frame late by more than this scrolls no further than one this long: no jump after a stall. */
const LONGEST_FRAME_S = 0.05;

/** The part of the viewport the map shows, without its border and scroll bars. */
function visibleRect(element: HTMLElement): ViewportRect {
  const box = element.getBoundingClientRect();
  return { left: box.left + element.clientLeft, top: box.top + element.clientTop, width: element.clientWidth, height: element.clientHeight };
}

function itemsOf(scope: ScopeView | undefined, roots: ScopeView[]): Item[] {
  const scopes = scope ? scope.scopes : roots;
  const objects = scope ? scope.objects : [];
  return [
    ...scopes.map(
      (s): Item => ({
        kind: 'scope',
        id: s.scope.id,
        name: s.scope.name,
        x: s.scope.mapX,
        y: s.scope.mapY,
        summary: s.summary,
        flags: NO_FLAGS,
        flagCounts: s.flagCounts,
        icon: iconOf(s.scope.icon, 'scope'),
        title: [s.scope.name, s.scope.comment].filter(Boolean).join('\n'),
      }),
    ),
    ...objects.map(
      (o): Item => ({
        kind: 'object',
        id: o.object.id,
        name: o.object.name,
        x: o.object.mapX,
        y: o.object.mapY,
        summary: o.summary,
        flags: o.flags,
        flagCounts: o.flagCounts,
        icon: iconOf(o.object.icon, 'object'),
        title: [o.object.name, `${o.object.host} ${o.object.unit}`, o.object.comment].filter(Boolean).join('\n'),
      }),
    ),
  ];
}

export function MapView({ roots, scope, zoom, selectedObject, editable, onSelectScope, onSelectObject, onZoom }: Props) {
  const t = useText(mapText);
  const defs = useDefinitions();
  const save = useSavePositions();
  const viewportRef = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState({ width: 0, height: 0 });
  const [loaded, setLoaded] = useState<{ scopeId: number; width: number; height: number } | null>(null);
  const [backgroundBroken, setBackgroundBroken] = useState(false);
  const [pending, setPending] = useState<{ key: string; cell: Cell } | null>(null);
  const [drag, setDrag] = useState<Drag | null>(null);
  const dragRef = useRef<Drag | null>(null);
  const swallowClick = useRef(false);
  const [announcement, setAnnouncement] = useState('');
  const [error, setError] = useState<string | null>(null);

  const scopeId = scope?.scope.id ?? null;
  const parentId = scope?.scope.parentId ?? null;
  const parent = parentId !== null ? findScope(roots, parentId) : undefined;
  const hasBackground = scope?.scope.hasBackground === true;
  const background = hasBackground && scopeId !== null ? backgroundUrl(scopeId, defs.dataUpdatedAt) : null;
  // The grid covers the picture: its size as last loaded for this scope.
  const backgroundSize = background && loaded?.scopeId === scopeId ? loaded : null;

  const items = itemsOf(scope, roots);
  const placed = layout(items);
  const preview = pending ? moveTo(placed, pending.key, pending.cell) : null;
  const shown = preview ? layout(withPositions(items, preview)) : placed;
  const cellsIn = (size: number) => Math.floor(size / (CELL * zoom));
  const { cols, rows } = extent(
    shown,
    {
      cols: Math.max(AUTO_COLUMNS, cellsIn(viewport.width), backgroundSize ? backgroundSize.width / CELL : 0),
      rows: Math.max(3, cellsIn(viewport.height), backgroundSize ? backgroundSize.height / CELL : 0),
    },
    editable ? 2 : 1,
  );

  // While a drag is near the viewport's edge, one frame after another scrolls the map; the scroll
  // events then carry the icon along (onViewportScroll). Stops once the pointer leaves the band.
  const edgeScroll = useRef<{ frame: number | null; last: number; carry: Point }>({ frame: null, last: 0, carry: { x: 0, y: 0 } });
  const stopEdgeScroll = useCallback(() => {
    const s = edgeScroll.current;
    if (s.frame !== null) cancelAnimationFrame(s.frame);
    s.frame = null;
  }, []);
  const startEdgeScroll = useCallback(() => {
    const s = edgeScroll.current;
    if (s.frame !== null) return;
    s.last = performance.now();
    s.carry = { x: 0, y: 0 };
    const tick = (now: number) => {
      s.frame = null;
      const d = dragRef.current;
      const element = viewportRef.current;
      if (!d?.active || !element) return;
      const velocity = edgeScrollVelocity({ x: d.x, y: d.y }, { x: d.x0, y: d.y0 }, visibleRect(element));
      if (velocity.x === 0 && velocity.y === 0) return;
      const seconds = Math.min(LONGEST_FRAME_S, Math.max(0, now - s.last) / 1000);
      s.last = now;
      // Scroll offsets are whole pixels: a slow speed's fractions add up over the frames.
      const x = velocity.x * seconds + s.carry.x;
      const y = velocity.y * seconds + s.carry.y;
      s.carry = { x: x - Math.trunc(x), y: y - Math.trunc(y) };
      if (Math.trunc(x) !== 0 || Math.trunc(y) !== 0) element.scrollBy(Math.trunc(x), Math.trunc(y));
      s.frame = requestAnimationFrame(tick);
    };
    s.frame = requestAnimationFrame(tick);
  }, []);
  useEffect(() => stopEdgeScroll, [stopEdgeScroll]);

  // Another map, another mode: whatever was being moved stays where it was.
  useEffect(() => {
    setPending(null);
    setDrag(null);
    dragRef.current = null;
    stopEdgeScroll();
  }, [scopeId, editable, stopEdgeScroll]);
  useEffect(() => setBackgroundBroken(false), [background]);

  useLayoutEffect(() => {
    const element = viewportRef.current;
    if (!element) return;
    const measure = () => setViewport({ width: element.clientWidth, height: element.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  // Ctrl + wheel zooms the map instead of the page (a listener that may cancel the wheel: React's is passive).
  const zoomRef = useRef({ zoom, onZoom, last: 0 });
  zoomRef.current.zoom = zoom;
  zoomRef.current.onZoom = onZoom;
  useEffect(() => {
    const element = viewportRef.current;
    if (!element) return;
    const onWheel = (e: WheelEvent) => {
      if (!e.ctrlKey || e.deltaY === 0) return;
      e.preventDefault();
      const z = zoomRef.current;
      if (e.timeStamp - z.last < WHEEL_STEP_MS) return;
      z.last = e.timeStamp;
      const next = zoomStep(z.zoom, e.deltaY < 0 ? 1 : -1);
      if (next !== z.zoom) z.onZoom(next);
    };
    element.addEventListener('wheel', onWheel, { passive: false });
    return () => element.removeEventListener('wheel', onWheel);
  }, []);

  function commit(key: string, to: Cell) {
    const moved = placed.find((p) => p.key === key);
    const positions = moveTo(placed, key, to);
    if (!moved || !positions) return;
    setError(null);
    setAnnouncement(t.placed(moved.entry.name, to.x + 1, to.y + 1));
    save.mutate(positions, { onError: (err) => setError(t.saveFailed(err.message)) });
  }

  function activate(item: Item) {
    if (item.kind === 'scope') onSelectScope(item.id);
    else onSelectObject(item.id);
  }

  function onKeyDown(p: Placed<Item>, e: KeyboardEvent<HTMLButtonElement>) {
    if (!editable) return;
    const moving = pending?.key === p.key ? pending : null;
    const next = step(moving?.cell ?? p.cell, e.key);
    if (next) {
      e.preventDefault();
      setPending({ key: p.key, cell: next });
      setAnnouncement(t.moving(p.entry.name, next.x + 1, next.y + 1));
    } else if (moving && e.key === 'Enter') {
      e.preventDefault();
      setPending(null);
      commit(p.key, moving.cell);
    } else if (moving && e.key === 'Escape') {
      e.preventDefault();
      setPending(null);
      setAnnouncement(t.putBack(p.entry.name));
    }
  }

  function onPointerDown(p: Placed<Item>, e: PointerEvent<HTMLButtonElement>) {
    swallowClick.current = false;
    if (!editable || e.button !== 0 || !e.isPrimary) return;
    setPending(null);
    e.currentTarget.setPointerCapture(e.pointerId);
    const element = viewportRef.current;
    dragRef.current = {
      key: p.key,
      pointerId: e.pointerId,
      from: p.cell,
      x0: e.clientX,
      y0: e.clientY,
      scrollLeft0: element?.scrollLeft ?? 0,
      scrollTop0: element?.scrollTop ?? 0,
      x: e.clientX,
      y: e.clientY,
      dx: 0,
      dy: 0,
      active: false,
      target: p.cell,
    };
  }

  /** The drag with the pointer at (x, y) and the map scrolled as it is now. */
  function dragTo(d: Drag, x: number, y: number): Drag {
    const element = viewportRef.current;
    const dx = x - d.x0 + (element ? element.scrollLeft - d.scrollLeft0 : 0);
    const dy = y - d.y0 + (element ? element.scrollTop - d.scrollTop0 : 0);
    // The icon's centre, not the pointer, says where it lands: it goes where it is seen.
    const scale = CELL * zoom;
    const cell = cellAt((d.from.x + 0.5) * scale + dx, (d.from.y + 0.5) * scale + dy, zoom);
    const target = { x: Math.min(cell.x, cols - 1), y: Math.min(cell.y, rows - 1) };
    return { ...d, x, y, dx, dy, active: true, target };
  }

  function onPointerMove(e: PointerEvent<HTMLButtonElement>) {
    const d = dragRef.current;
    if (!d || d.pointerId !== e.pointerId) return;
    if (!d.active && Math.hypot(e.clientX - d.x0, e.clientY - d.y0) < DRAG_THRESHOLD) return;
    const next = dragTo(d, e.clientX, e.clientY);
    dragRef.current = next;
    setDrag(next);
    startEdgeScroll();
  }

  // The map scrolled under a drag (near an edge, or by the wheel): the icon stays under the pointer.
  function onViewportScroll() {
    const d = dragRef.current;
    if (!d?.active) return;
    const next = dragTo(d, d.x, d.y);
    dragRef.current = next;
    setDrag(next);
  }

  function onPointerUp(p: Placed<Item>, e: PointerEvent<HTMLButtonElement>) {
    const d = dragRef.current;
    if (!d || d.pointerId !== e.pointerId) return;
    dragRef.current = null;
    setDrag(null);
    stopEdgeScroll();
    if (e.currentTarget.hasPointerCapture(e.pointerId)) e.currentTarget.releasePointerCapture(e.pointerId);
    if (!d.active) return;
    swallowClick.current = true;
    if (e.type === 'pointerup') commit(p.key, d.target);
  }

  const target = drag?.active ? drag.target : pending ? pending.cell : null;
  const empty = items.length === 0;

  return (
    <section className={styles.map} data-testid="map" data-scope={scopeId ?? ''} aria-label={scope ? t.mapOf(scope.scope.name) : t.mapOfAll}>
      <div className={styles.toolbar}>
        {scope && (
          <button type="button" className="button small" data-testid="map-up" onClick={() => onSelectScope(parent ? parent.scope.id : null)}>
            <span aria-hidden="true">↑</span> {parent ? t.upTo(parent.scope.name) : t.upToAll}
          </button>
        )}
        <div className={styles.zoom} role="group" aria-label={t.zoom} title={t.zoomHint}>
          <button type="button" className="button small" data-testid="map-zoom-out" aria-label={t.zoomOut} disabled={zoom <= ZOOMS[0]} onClick={() => onZoom(zoomStep(zoom, -1))}>
            −
          </button>
          <button type="button" className="button small" data-testid="map-zoom-reset" aria-label={t.zoomReset} title={t.zoomReset} onClick={() => onZoom(1)}>
            <span data-testid="map-zoom">{Math.round(zoom * 100)}%</span>
          </button>
          <button type="button" className="button small" data-testid="map-zoom-in" aria-label={t.zoomIn} disabled={zoom >= ZOOMS[ZOOMS.length - 1]} onClick={() => onZoom(zoomStep(zoom, 1))}>
            +
          </button>
        </div>
        {save.isPending && <span className="muted">{t.saving}</span>}
        {editable && scope && <BackgroundControls scope={scope.scope} />}
      </div>
      {editable && (
        <p className={styles.hint} data-testid="map-edit-hint">
          {t.editHint}
          {!scope && <> {t.noBackgroundAtTop}</>}
        </p>
      )}
      {error && (
        <p className={`form-error ${styles.message}`} role="alert" data-testid="map-error">
          {error}{' '}
          <button type="button" className="button ghost small" onClick={() => setError(null)}>
            {t.dismiss}
          </button>
        </p>
      )}
      <p className="sr-only" aria-live="polite" data-testid="map-announcement">
        {announcement}
      </p>
      <div className={styles.viewport} ref={viewportRef} onScroll={onViewportScroll} data-testid="map-viewport">
        <div className={styles.sizer} style={{ width: cols * CELL * zoom, height: rows * CELL * zoom }}>
          <div
            className={`${styles.layer} ${editable ? styles.editing : ''}`}
            style={{ width: cols * CELL, height: rows * CELL, transform: `scale(${zoom})` }}
            data-testid="map-grid"
            data-cols={cols}
            data-rows={rows}
            data-zoom={zoom}
            data-cell={CELL}
          >
            {background && !backgroundBroken && (
              <img
                className={styles.background}
                src={background}
                alt={t.backgroundOf(scope!.scope.name)}
                data-testid="map-background"
                draggable={false}
                onLoad={(e) => setLoaded({ scopeId: scopeId!, width: e.currentTarget.naturalWidth, height: e.currentTarget.naturalHeight })}
                onError={() => setBackgroundBroken(true)}
              />
            )}
            <div className={styles.lines} aria-hidden="true" />
            {target && <div className={styles.target} style={{ left: target.x * CELL, top: target.y * CELL }} data-testid="map-target" aria-hidden="true" />}
            {shown.map((p) => (
              <MapItem
                key={p.key}
                placed={p}
                selected={p.entry.kind === 'object' && p.entry.id === selectedObject}
                editable={editable}
                moving={pending?.key === p.key}
                drag={drag?.active && drag.key === p.key ? { dx: drag.dx / zoom, dy: drag.dy / zoom } : null}
                onClick={() => {
                  if (swallowClick.current) swallowClick.current = false;
                  else activate(p.entry);
                }}
                onKeyDown={(e) => onKeyDown(p, e)}
                onBlur={() => setPending((m) => (m?.key === p.key ? null : m))}
                onPointerDown={(e) => onPointerDown(p, e)}
                onPointerMove={onPointerMove}
                onPointerUp={(e) => onPointerUp(p, e)}
              />
            ))}
          </div>
        </div>
      </div>
      {empty && <EmptyNote />}
    </section>
  );
}

function EmptyNote() {
  const t = useText(common).monitor;
  return <p className="muted">{t.emptyScope}</p>;
}

interface ItemProps {
  placed: Placed<Item>;
  selected: boolean;
  editable: boolean;
  moving: boolean;
  drag: { dx: number; dy: number } | null;
  onClick(): void;
  onKeyDown(e: KeyboardEvent<HTMLButtonElement>): void;
  onBlur(): void;
  onPointerDown(e: PointerEvent<HTMLButtonElement>): void;
  onPointerMove(e: PointerEvent<HTMLButtonElement>): void;
  onPointerUp(e: PointerEvent<HTMLButtonElement>): void;
}

function MapItem({ placed, selected, editable, moving, drag, onClick, onKeyDown, onBlur, onPointerDown, onPointerMove, onPointerUp }: ItemProps) {
  const lang = useLang();
  const t = useText(mapText);
  const monitor = useText(common).monitor;
  const ref = useRef<HTMLButtonElement>(null);
  const { entry, cell, stored } = placed;
  const { status, stale, acknowledged } = entry.summary;
  const flagged = FLAG_KINDS.some((k) => entry.flagCounts[k].raised > 0);
  const classes = [
    styles.item,
    editable ? styles.movable : '',
    selected ? styles.selected : '',
    moving ? styles.moving : '',
    drag ? styles.dragging : '',
  ].join(' ');
  const plate = [styles.plate, hasColour(status) ? styles.coloured : styles.plain, stale ? styles.stale : '', acknowledged ? styles.acknowledged : ''].join(' ');

  // An icon moved with the keyboard stays in sight.
  useEffect(() => {
    if (moving) ref.current?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [moving, cell.x, cell.y]);

  return (
    <button
      ref={ref}
      type="button"
      className={classes}
      style={{
        left: cell.x * CELL,
        top: cell.y * CELL,
        width: CELL,
        height: CELL,
        transform: drag ? `translate(${drag.dx}px, ${drag.dy}px)` : undefined,
        ...statusStyle(status),
      }}
      title={entry.title}
      data-testid={`map-${entry.kind}-${entry.name}`}
      data-kind={entry.kind}
      data-id={entry.id}
      data-status={status}
      data-colour={colourOf(status)}
      data-stale={stale ? 'true' : 'false'}
      data-acknowledged={acknowledged ? 'true' : 'false'}
      data-x={cell.x}
      data-y={cell.y}
      data-stored={stored ? 'true' : 'false'}
      aria-current={selected ? 'true' : undefined}
      aria-keyshortcuts={editable ? 'ArrowUp ArrowDown ArrowLeft ArrowRight Enter Escape' : undefined}
      onClick={onClick}
      onKeyDown={onKeyDown}
      onBlur={onBlur}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
    >
      <span className={plate} aria-hidden="true">
        <Icon name={entry.icon} size={28} />
        <span className={styles.glyph}>
          <StatusGlyph status={status} />
        </span>
      </span>
      <span className={styles.name}>{entry.name}</span>
      <span className="sr-only">{t.kind[entry.kind]}</span>
      <span className={styles.status} data-testid={`map-status-${entry.name}`}>
        {statusName(status, lang)}
      </span>
      {(acknowledged || stale || flagged) && (
        <span className={styles.markers}>
          {entry.kind === 'object' ? (
            <FlagBadges flags={entry.flags} compact testId={`map-flags-${entry.name}`} />
          ) : (
            <FlagCountsView counts={entry.flagCounts} compact testId={`map-flag-counts-${entry.name}`} />
          )}
          {acknowledged && (
            <span className={styles.ack} data-testid={`map-ack-${entry.name}`}>
              ✓ {monitor.acknowledged}
            </span>
          )}
          {stale && (
            <span className={styles.staleBadge} data-testid={`map-stale-${entry.name}`}>
              {monitor.stale}
            </span>
          )}
        </span>
      )}
    </button>
  );
}
