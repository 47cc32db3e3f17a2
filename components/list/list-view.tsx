'use client';
// The List view: the selected scope's monitoring objects (or the units reported
// below them) as one sortable, filterable table that stays live. Only the rows
// in sight are in the DOM, each placed at its own offset (ARIA grid roles on a
// grid of divs, not a <table>): a scroll step adds and removes a few rows and
// leaves the others where they were, so nothing else is laid out or painted again.
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useDeferredValue, useEffect, useLayoutEffect, useMemo, useRef, useState, type CSSProperties, type KeyboardEvent, type RefObject } from 'react';
import { COLOURS, SUMMARY_CLASSES, type SummaryClass } from '../../server/domain/status';
import { ObjectActions } from '../definitions/actions';
import type { DefineActions } from '../definitions/definer';
import type { MonitoringObject } from '../definitions/types';
import { common, statusName, type Lang } from '../i18n/dictionary';
import { useClock, useDateTime, useLang, useText } from '../i18n/lang';
import type { LiveStore } from '../live/live-store';
import { hasColour, statusStyle } from '../monitor/colour';
import { StatusGlyph } from '../monitor/glyph';
import { FlagBadges } from '../flags/flag-marks';
import { ROW_KINDS, SINCE, type ListState, type SortKey } from '../monitor/monitor-url';
import type { ScopeView } from '../monitor/scope-tree';
import { Segmented } from '../shell/segmented';
import { buildRows, collectObjects, nextSort, toggleClass, viewRows, type ListRow } from './list-rows';
import styles from './list.module.css';
import { listText } from './text';

/** Fixed row height (px), kept equal to .row in list.module.css: rows are placed without measuring. */
export const ROW_HEIGHT = 30;
/** Height of the sticky column headings (px), kept equal to .headRow in list.module.css. */
const HEAD_HEIGHT = 32;
const FILTER_DELAY_MS = 250;
const rowHeight = () => ROW_HEIGHT;

const CLASS_COLOURS: Record<SummaryClass, string> = {
  abnormal: COLOURS.red,
  warning: COLOURS.lightRed,
  running: COLOURS.green,
  held: COLOURS.yellow,
  waiting: COLOURS.skyBlue,
  normal: COLOURS.lightGreen,
  uncounted: COLOURS.gray,
};

type Texts = (typeof listText)['en'];

interface Props {
  scopes: readonly ScopeView[];
  store: LiveStore;
  /** The store's revision: rows are rebuilt when it changes. */
  revision: number;
  list: ListState;
  selectedObject: number | null;
  /** A change of the list's state, made on the state as last changed. */
  onChange(change: (current: ListState) => ListState): void;
  onSelectObject(id: number): void;
  /** Definition mode: Edit, Expectation and Delete on each object row. */
  define: DefineActions | null;
}

// Clicks and keys on a row's actions are theirs alone: they neither open the detail nor move the row focus.
const keepInCell = (e: { stopPropagation(): void }) => e.stopPropagation();

const Row = memo(function Row({
  row,
  index,
  selected,
  tabbable,
  lang,
  t,
  onActivate,
  onKey,
  top,
  object,
  define,
}: {
  row: ListRow;
  index: number;
  selected: boolean;
  tabbable: boolean;
  lang: Lang;
  t: Texts;
  onActivate(index: number): void;
  onKey(index: number, e: KeyboardEvent<HTMLDivElement>): void;
  top: number;
  /** The row's monitoring object when its definition may be changed here. */
  object: MonitoringObject | undefined;
  define: DefineActions | null;
}) {
  const formatClock = useClock();
  const formatDateTime = useDateTime();
  // Today's times show the clock alone; the whole date and time is the tooltip.
  const when = (iso: string | null) =>
    iso && (
      <time dateTime={iso} title={formatDateTime(iso)}>
        {formatClock(iso)}
      </time>
    );
  const name = statusName(row.status, lang);
  return (
    <div
      role="row"
      className={selected ? `${styles.row} ${styles.selected}` : styles.row}
      style={{ transform: `translateY(${top}px)` }}
      data-testid={`list-row-${row.name}`}
      data-row=""
      data-index={index}
      data-status={row.status}
      data-object={row.objectId}
      aria-rowindex={index + 2}
      aria-selected={selected}
      tabIndex={tabbable ? 0 : -1}
      onClick={() => onActivate(index)}
      onKeyDown={(e) => onKey(index, e)}
    >
      <div role="gridcell" className={styles.cell}>
        <span className={hasColour(row.status) ? styles.chip : `${styles.chip} ${styles.chipPlain}`} style={statusStyle(row.status)} title={name}>
          <StatusGlyph status={row.status} />
          <span className={styles.statusName}>{name}</span>
        </span>
        {row.acknowledged && (
          <span className={styles.ack} title={t.acknowledged} data-testid="row-acknowledged">
            ✓<span className="sr-only">{t.acknowledged}</span>
          </span>
        )}
        <FlagBadges flags={row.flags} compact testId="row-flags" />
        {row.stale && (
          <span className={styles.stale} title={t.stale} data-testid="row-stale">
            {t.stale}
          </span>
        )}
      </div>
      <div role="gridcell" className={`${styles.cell} ${styles.name}${row.kind === 'unit' ? ` ${styles.path}` : ''}`} title={row.name}>
        {row.kind === 'unit' ? <span dir="ltr">{row.name}</span> : row.name}
      </div>
      <div role="gridcell" className={`${styles.cell} ${styles.host}`} title={row.host}>
        {row.host}
      </div>
      <div role="gridcell" className={`${styles.cell} ${styles.unit}${row.kind === 'object' ? ` ${styles.path}` : ''}`} title={row.unit}>
        {row.kind === 'object' ? <span dir="ltr">{row.unit}</span> : row.unit}
      </div>
      <div role="gridcell" className={`${styles.cell} ${styles.time}`}>
        {when(row.startedAt)}
      </div>
      <div role="gridcell" className={`${styles.cell} ${styles.time}`}>
        {when(row.endedAt)}
      </div>
      <div role="gridcell" className={`${styles.cell} ${styles.exit}`}>
        {row.exitCode ?? ''}
      </div>
      {define && (
        <div role="gridcell" className={`${styles.cell} ${styles.actions}`} onClick={keepInCell} onKeyDown={keepInCell}>
          {/* The row in the tab order lends it to its buttons too: Tab goes from the row to Edit, Expectation and Delete. */}
          {object && <ObjectActions object={object} actions={define} compact idPrefix="list-" tabbable={tabbable} />}
        </div>
      )}
    </div>
  );
});

/** The text filter answers at once on screen and reaches the URL once typing pauses. */
function useFilterText(list: ListState, onChange: Props['onChange']): [string, (q: string) => void, (q: string) => void] {
  const [q, setQ] = useState(list.q);
  const sent = useRef(list.q);
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => {
    // The URL changed by itself (another link, back button): follow it.
    if (list.q !== sent.current) {
      sent.current = list.q;
      setQ(list.q);
    }
  }, [list.q]);
  useEffect(() => {
    if (q === sent.current) return;
    const timer = setTimeout(() => {
      sent.current = q;
      latest.current((current) => ({ ...current, q }));
    }, FILTER_DELAY_MS);
    return () => clearTimeout(timer);
  }, [q]);
  const markSent = useCallback((value: string) => {
    sent.current = value;
  }, []);
  return [q, setQ, markSent];
}

/** The scroll box fills the window below its own top, so that only the list scrolls. */
function useFillHeight(ref: RefObject<HTMLElement | null>, watch: RefObject<HTMLElement | null>): number {
  const [height, setHeight] = useState(480);
  useLayoutEffect(() => {
    const measure = () => {
      const el = ref.current;
      if (!el) return;
      const top = el.getBoundingClientRect().top + window.scrollY;
      setHeight(Math.max(240, Math.floor(window.innerHeight - top - 12)));
    };
    measure();
    window.addEventListener('resize', measure);
    const observer = new ResizeObserver(measure);
    if (watch.current) observer.observe(watch.current);
    return () => {
      window.removeEventListener('resize', measure);
      observer.disconnect();
    };
  }, [ref, watch]);
  return height;
}

export function ListView({ scopes, store, revision, list, selectedObject, onChange, onSelectObject, define }: Props) {
  const lang = useLang();
  const t = useText(listText);
  const summaryLabels = useText(common).summary;
  const [q, setQ, markSent] = useFilterText(list, onChange);
  const deferredQ = useDeferredValue(q);

  const rows = useMemo(
    () => buildRows(list.rows, collectObjects(scopes), store),
    // The store is mutable; its revision says when it changed.
    [scopes, store, revision, list.rows],
  );
  // A unit row is a run the scheduler reported, not a definition: Edit or Delete beside it would
  // read as acting on that job, while it would change the whole object. Only object rows get them.
  const defineRows = define !== null && list.rows === 'objects' ? define : null;
  const definitions = useMemo(
    () => (defineRows ? new Map(collectObjects(scopes).map((o) => [o.object.id, o.object])) : null),
    [defineRows, scopes],
  );
  const classesKey = list.classes.join(',');
  const view = useMemo(
    () => viewRows(rows, { ...list, q: deferredQ }),
    [rows, classesKey, list.host, deferredQ, list.since, list.sort, list.dir],
  );

  const scrollRef = useRef<HTMLDivElement>(null);
  const toolbarRef = useRef<HTMLDivElement>(null);
  const height = useFillHeight(scrollRef, toolbarRef);
  const shown = view.rows;
  // The virtualizer measures every row again whenever getItemKey changes: only when the rows do.
  const getItemKey = useCallback((i: number) => shown[i].key, [shown]);
  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: rowHeight,
    getItemKey,
    overscan: 10,
    paddingStart: HEAD_HEIGHT,
    scrollPaddingStart: HEAD_HEIGHT,
    initialRect: { width: 1000, height },
  });

  // A new filter, sort or row kind starts at the top; live changes keep the place.
  const shape = `${list.rows}|${classesKey}|${list.host}|${deferredQ}|${list.since}|${list.sort}|${list.dir}`;
  const lastShape = useRef(shape);
  useEffect(() => {
    if (lastShape.current === shape) return;
    lastShape.current = shape;
    scrollRef.current?.scrollTo({ top: 0 });
  }, [shape]);

  // Keyboard: one row is in the tab order; arrows, Page Up/Down, Home and End move it.
  const [active, setActive] = useState(0);
  const pendingFocus = useRef<number | null>(null);
  const latest = useRef({ shown, onSelectObject });
  latest.current = { shown, onSelectObject };
  const activate = useCallback((index: number) => {
    const row = latest.current.shown[index];
    if (!row) return;
    setActive(index);
    latest.current.onSelectObject(row.objectId);
  }, []);
  const pageSize = Math.max(1, Math.floor((height - HEAD_HEIGHT) / ROW_HEIGHT) - 1);
  const onKey = useCallback(
    (index: number, e: KeyboardEvent<HTMLDivElement>) => {
      const last = latest.current.shown.length - 1;
      const moves: Record<string, number> = { ArrowDown: index + 1, ArrowUp: index - 1, PageDown: index + pageSize, PageUp: index - pageSize, Home: 0, End: last };
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        activate(index);
      } else if (e.key in moves) {
        e.preventDefault();
        const to = Math.max(0, Math.min(last, moves[e.key]));
        setActive(to);
        pendingFocus.current = to;
        virtualizer.scrollToIndex(to, { align: 'auto' });
      }
    },
    [activate, pageSize, virtualizer],
  );
  const bodyRef = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    if (pendingFocus.current === null) return;
    const el = bodyRef.current?.querySelector<HTMLElement>(`[data-row][data-index="${pendingFocus.current}"]`);
    if (el) {
      el.focus({ preventScroll: true });
      pendingFocus.current = null;
    }
  });

  // Opened from a link with an object selected: bring its row into sight once.
  const revealed = useRef(false);
  useEffect(() => {
    if (revealed.current || selectedObject === null || shown.length === 0) return;
    revealed.current = true;
    const index = shown.findIndex((r) => r.objectId === selectedObject);
    if (index > 0) {
      setActive(index);
      virtualizer.scrollToIndex(index, { align: 'center' });
    }
  }, [selectedObject, shown, virtualizer]);

  const items = virtualizer.getVirtualItems();
  const first = items[0];
  const activeShown = items.some((i) => i.index === active);
  const tabbableIndex = activeShown ? active : first?.index;

  // Any other change carries the filter text as typed so far, and builds on the list as last
  // changed (not as last rendered): two quick clicks both count.
  const set = (change: (current: ListState) => Partial<ListState>) => {
    markSent(q);
    onChange((current) => ({ ...current, q, ...change(current) }));
  };
  const columns =
    list.rows === 'objects'
      ? { name: t.columns.name, unit: t.columns.unit }
      : { name: t.columns.unitPath, unit: t.columns.object };
  const heading = (key: SortKey | null, label: string, className?: string) => {
    const sorted = key !== null && list.sort === key;
    return (
      <div role="columnheader" className={className ? `${styles.th} ${className}` : styles.th} aria-sort={sorted ? (list.dir === 'asc' ? 'ascending' : 'descending') : undefined}>
        {key === null ? (
          label
        ) : (
          <button type="button" className={styles.sort} data-testid={`list-sort-${key}`} title={t.sortBy(label)} onClick={() => set((current) => nextSort(current, key))}>
            {label}
            <span className={styles.arrow} aria-hidden="true">
              {sorted ? (list.dir === 'asc' ? '▲' : '▼') : ''}
            </span>
          </button>
        )}
      </div>
    );
  };

  return (
    <section className={styles.list} aria-label={t.title} data-testid="list">
      <div className={styles.toolbar} ref={toolbarRef}>
        <Segmented label={t.rowKind} options={ROW_KINDS} value={list.rows} words={t.rowKinds} testId="list-rows" onChange={(rows) => set(() => ({ rows }))} />
        <div className={styles.chips} role="group" aria-label={t.classes}>
          {SUMMARY_CLASSES.map((c) => {
            const on = list.classes.includes(c);
            return (
              <button
                key={c}
                type="button"
                className={styles.classChip}
                aria-pressed={on}
                data-testid={`list-class-${c}`}
                data-count={view.counts[c]}
                style={{ '--chip-colour': CLASS_COLOURS[c] } as CSSProperties}
                onClick={() => set((current) => ({ classes: toggleClass(current.classes, c) }))}
              >
                <span className={styles.dot} aria-hidden="true" />
                {summaryLabels[c]}
                <span className={styles.chipCount}>{view.counts[c]}</span>
              </button>
            );
          })}
        </div>
        <label className={styles.field}>
          <span className="sr-only">{t.host}</span>
          <select value={list.host} data-testid="list-host" onChange={(e) => set(() => ({ host: e.target.value }))}>
            <option value="">{t.allHosts}</option>
            {view.hosts.map((h) => (
              <option key={h} value={h}>
                {h}
              </option>
            ))}
          </select>
        </label>
        <label className={styles.field}>
          <span className="sr-only">{t.since}</span>
          <select value={list.since} data-testid="list-since" onChange={(e) => set(() => ({ since: SINCE.find((w) => w === e.target.value) ?? '' }))}>
            {SINCE.map((w) => (
              <option key={w} value={w}>
                {t.sinceOption[w]}
              </option>
            ))}
          </select>
        </label>
        <label className={`${styles.field} ${styles.search}`}>
          <span className="sr-only">{t.filter}</span>
          <input type="search" value={q} placeholder={t.filter} data-testid="list-q" onChange={(e) => setQ(e.target.value)} spellCheck={false} />
        </label>
        <span className={styles.shown} data-testid="list-count" data-shown={shown.length} data-total={view.total} aria-live="polite">
          {t.shown(shown.length, view.total)}
        </span>
      </div>
      <div ref={scrollRef} className={virtualizer.isScrolling ? `${styles.scroller} ${styles.scrolling}` : styles.scroller} style={{ height }} data-testid="list-scroller">
        <div role="grid" className={defineRows ? `${styles.table} ${styles.withActions}` : styles.table} aria-label={t.title} aria-rowcount={shown.length + 1} data-testid="list-table" data-rows={shown.length}>
          <div role="rowgroup" className={styles.head}>
            <div role="row" className={styles.headRow} aria-rowindex={1}>
              {heading('status', t.columns.status)}
              {heading('name', columns.name)}
              {heading('host', t.columns.host)}
              {heading(null, columns.unit, styles.unit)}
              {heading('time', t.columns.start)}
              {heading(null, t.columns.end)}
              {heading(null, t.columns.exit, styles.exit)}
              {defineRows && (
                <div role="columnheader" className={`${styles.th} ${styles.actions}`}>
                  <span className="sr-only">{t.columns.actions}</span>
                </div>
              )}
            </div>
          </div>
          <div role="rowgroup" className={styles.body} ref={bodyRef} style={{ height: Math.max(0, virtualizer.getTotalSize() - HEAD_HEIGHT) }}>
            {items.map((item) => {
              const row = shown[item.index];
              return (
                <Row
                  key={item.key}
                  row={row}
                  index={item.index}
                  top={item.start - HEAD_HEIGHT}
                  selected={row.objectId === selectedObject}
                  tabbable={item.index === tabbableIndex}
                  lang={lang}
                  t={t}
                  onActivate={activate}
                  onKey={onKey}
                  object={definitions?.get(row.objectId)}
                  define={defineRows}
                />
              );
            })}
          </div>
        </div>
        {shown.length === 0 && (
          <p className={styles.empty} data-testid="list-empty">
            {view.total > 0 ? t.noMatch : list.rows === 'objects' ? t.noObjects : t.noUnits}
          </p>
        )}
      </div>
    </section>
  );
}
