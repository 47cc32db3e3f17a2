// The rows of the List view: every monitoring object of the shown scopes, or
// every unit reported below their unit paths, with status, times and exit code;
// then filtered by summary class, host and text, and sorted. Pure, so that it
// is tested without React and runs the same for ten rows or ten thousand.
import { priority, summaryOf, statusInfo, SUMMARY_CLASSES, emptyCounts, type Status, type SummaryClass, type SummaryCounts } from '../../server/domain/status';
import type { UnitEntry } from '../../server/domain/derive';
import type { FlagState, HostState, UnitState } from '../../server/domain/live';
import { hasOpenFlag } from '../flags/flag-counts';
import { NO_FLAGS } from '../live/live-store';
import { SINCE_MS, type ListState, type RowKind, type SortKey } from '../monitor/monitor-url';
import type { ObjectView, ScopeView } from '../monitor/scope-tree';

/** What the rows are built from: a LiveStore, or a stand-in in tests. */
export interface ListLive {
  entryOf(host: string, unit: string): UnitEntry;
  unitState(host: string, unit: string): UnitState | undefined;
  unitsBelow(host: string, unit: string): UnitState[];
  hostState(name: string): HostState | undefined;
}

export interface ListRow {
  /** Unique among the rows of one kind: 'o<object id>' or 'u<host>/<unit>'. */
  key: string;
  kind: 'object' | 'unit';
  /** The monitoring object selected when the row is chosen (for a unit: the nearest object above it). */
  objectId: number;
  /** Object name, or the unit's full path. */
  name: string;
  host: string;
  /** Objects: the monitored unit. Units: the name of the object it was found under. */
  unit: string;
  status: Status;
  summary: SummaryClass;
  acknowledged: boolean;
  stale: boolean;
  /** An object's flags (a unit row has none: flags are raised on objects). */
  flags: readonly FlagState[];
  /** One of them waits for acknowledgement. */
  openFlag: boolean;
  startedAt: string | null;
  endedAt: string | null;
  exitCode: number | null;
}

/** Every object of the scopes and of all scopes below them, each once. */
export function collectObjects(scopes: readonly ScopeView[]): ObjectView[] {
  const found: ObjectView[] = [];
  const seen = new Set<number>();
  const walk = (views: readonly ScopeView[]) => {
    for (const v of views) {
      for (const o of v.objects) {
        if (seen.has(o.object.id)) continue;
        seen.add(o.object.id);
        found.push(o);
      }
      walk(v.scopes);
    }
  };
  walk(scopes);
  return found;
}

const isAbnormal = (s: Status) => summaryOf(s) === 'abnormal' || s === 'ABCONT';

/**
 * Start, end and exit code of what an object shows: the unit's own latest run when
 * that is what its status comes from, else the span of the jobs of its current run.
 */
function objectTimes(o: ObjectView, live: ListLive, below: (host: string, unit: string) => UnitState[]): Pick<ListRow, 'startedAt' | 'endedAt' | 'exitCode'> {
  const { host, unit } = o.object;
  const entry = live.entryOf(host, unit);
  const own = live.unitState(host, unit);
  if (own && own.startSeq === entry.startSeq) return { startedAt: own.startedAt, endedAt: own.endedAt, exitCode: own.exitCode };
  if (entry.status === 'NONE') return { startedAt: null, endedAt: null, exitCode: null };
  const jobs = below(host, unit).filter((u) => u.unit !== unit && (entry.runId === null || u.runId === entry.runId || u.runId === null));
  let startedAt: string | null = null;
  let endedAt: string | null = null;
  for (const j of jobs) {
    if (j.startedAt && (startedAt === null || j.startedAt < startedAt)) startedAt = j.startedAt;
    if (j.endedAt && (endedAt === null || j.endedAt > endedAt)) endedAt = j.endedAt;
  }
  // A jobnet still going has not ended, whatever its first jobs did.
  return { startedAt, endedAt: statusInfo(entry.status).ended ? endedAt : null, exitCode: null };
}

export function buildRows(kind: RowKind, objects: readonly ObjectView[], live: ListLive): ListRow[] {
  // unitsBelow walks every unit the store holds: ask once per host and path.
  const cache = new Map<string, UnitState[]>();
  const below = (host: string, unit: string) => {
    const key = `${host}\u0000${unit}`;
    let units = cache.get(key);
    if (!units) cache.set(key, (units = live.unitsBelow(host, unit)));
    return units;
  };

  if (kind === 'objects') {
    return objects.map((o) => ({
      key: `o${o.object.id}`,
      kind: 'object',
      objectId: o.object.id,
      name: o.object.name,
      host: o.object.host,
      unit: o.object.unit,
      status: o.summary.status,
      summary: summaryOf(o.summary.status),
      acknowledged: o.summary.acknowledged,
      stale: o.summary.stale,
      flags: o.flags,
      openFlag: hasOpenFlag(o.flags),
      ...objectTimes(o, live, below),
    }));
  }

  // A unit below several objects (a jobnet and one of its jobs both watched) is
  // listed once, under the nearest: the object with the longest unit path.
  const nearestFirst = [...objects].sort((a, b) => b.object.unit.length - a.object.unit.length || a.object.id - b.object.id);
  const rows = new Map<string, ListRow>();
  for (const o of nearestFirst) {
    const stale = live.hostState(o.object.host)?.stale ?? false;
    for (const u of below(o.object.host, o.object.unit)) {
      const key = `u${u.host}/${u.unit}`;
      if (rows.has(key)) continue;
      rows.set(key, {
        key,
        kind: 'unit',
        objectId: o.object.id,
        name: u.unit,
        host: u.host,
        unit: o.object.name,
        status: u.status,
        summary: summaryOf(u.status),
        acknowledged: u.ack !== null && isAbnormal(u.status),
        stale,
        flags: NO_FLAGS,
        openFlag: false,
        startedAt: u.startedAt,
        endedAt: u.endedAt,
        exitCode: u.exitCode,
      });
    }
  }
  return [...rows.values()];
}

export interface ListView {
  /** The rows to show, filtered and sorted. */
  rows: ListRow[];
  /** All rows before any filter. */
  total: number;
  /** Rows per summary class after the host and text filters: what each class chip would show. */
  counts: SummaryCounts;
  /** Hosts to choose from: every host of the rows, and the chosen one even when none of its rows is left. */
  hosts: string[];
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Ties of the chosen column fall back to name, then host, then key: the same rows always come in the same order. */
function tieBreak(a: ListRow, b: ListRow): number {
  return collator.compare(a.name, b.name) || collator.compare(a.host, b.host) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/**
 * 'asc' is each column's natural order: status worst first (unacknowledged before
 * acknowledged, then a flag waiting for acknowledgement before none), names and hosts A to Z, times oldest first; 'desc' reverses it.
 * Rows without a start time stay last either way.
 */
export function compareRows(sort: SortKey, dir: 'asc' | 'desc'): (a: ListRow, b: ListRow) => number {
  const sign = dir === 'asc' ? 1 : -1;
  switch (sort) {
    case 'status':
      return (a, b) =>
        sign * (priority(b.status) - priority(a.status) || Number(a.acknowledged) - Number(b.acknowledged) || Number(b.openFlag) - Number(a.openFlag)) || tieBreak(a, b);
    case 'name':
      return (a, b) => sign * collator.compare(a.name, b.name) || tieBreak(a, b);
    case 'host':
      return (a, b) => sign * collator.compare(a.host, b.host) || tieBreak(a, b);
    case 'time':
      return (a, b) => {
        if (a.startedAt === b.startedAt) return tieBreak(a, b);
        if (a.startedAt === null) return 1;
        if (b.startedAt === null) return -1;
        return sign * (a.startedAt < b.startedAt ? -1 : 1);
      };
  }
}

export function viewRows(all: readonly ListRow[], list: ListState, now = Date.now()): ListView {
  const q = list.q.trim().toLocaleLowerCase();
  // A time window keeps the rows whose run started in it; a row that never ran is outside any.
  const from = list.since ? now - SINCE_MS[list.since] : null;
  const classes = new Set(list.classes);
  const counts = emptyCounts();
  const hosts = new Set<string>();
  const rows: ListRow[] = [];
  for (const r of all) {
    hosts.add(r.host);
    if (list.host && r.host !== list.host) continue;
    if (q && !r.name.toLocaleLowerCase().includes(q) && !r.unit.toLocaleLowerCase().includes(q)) continue;
    if (from !== null && (r.startedAt === null || Date.parse(r.startedAt) < from)) continue;
    counts[r.summary]++;
    if (classes.size && !classes.has(r.summary)) continue;
    rows.push(r);
  }
  if (list.host) hosts.add(list.host);
  rows.sort(compareRows(list.sort, list.dir));
  return { rows, total: all.length, counts, hosts: [...hosts].sort(collator.compare) };
}

/** Clicking a column heading: a new column sorts in its natural order, the same column again reverses it. */
export function nextSort(list: Pick<ListState, 'sort' | 'dir'>, key: SortKey): Pick<ListState, 'sort' | 'dir'> {
  return list.sort === key ? { sort: key, dir: list.dir === 'asc' ? 'desc' : 'asc' } : { sort: key, dir: 'asc' };
}

/** Turns one summary class on or off, keeping the classes in their fixed order (so links compare equal). */
export function toggleClass(classes: readonly SummaryClass[], c: SummaryClass): SummaryClass[] {
  const on = new Set(classes);
  if (on.has(c)) on.delete(c);
  else on.add(c);
  return SUMMARY_CLASSES.filter((k) => on.has(k));
}
