// What the monitoring page shows lives in its URL, so that a link (or a wall
// display's bookmark) reproduces the view: scope, view, selected object, and
// the list's filters and sort, the map's zoom, the schedule's shape and hours. Pure: parsed and written without React.
import { SUMMARY_CLASSES, type SummaryClass } from '../../server/domain/status';
import { DEFAULT_ZOOM, parseZoom } from '../map/zoom';

export const VIEWS = ['overview', 'map', 'list', 'schedule'] as const;
export type View = (typeof VIEWS)[number];
export const SORT_KEYS = ['status', 'name', 'host', 'time'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export const ROW_KINDS = ['objects', 'units'] as const;
/** How far back a run may have started to be listed; '' lists every run. */
export const SINCE = ['', '1h', '12h', '24h', '7d'] as const;
export type Since = (typeof SINCE)[number];
export const SINCE_MS: Record<Exclude<Since, ''>, number> = { '1h': 3_600_000, '12h': 43_200_000, '24h': 86_400_000, '7d': 604_800_000 };
export type RowKind = (typeof ROW_KINDS)[number];
/** The Schedule view: a timeline or a table of the same rows; the timeline's whole day or six hours around now. */
export const SCHEDULE_SHAPES = ['timeline', 'table'] as const;
export type ScheduleShape = (typeof SCHEDULE_SHAPES)[number];
export const SCHEDULE_RANGES = ['day', 'near'] as const;
export type ScheduleRange = (typeof SCHEDULE_RANGES)[number];

export interface ListState {
  rows: RowKind;
  classes: SummaryClass[];
  host: string;
  /** Part of a name or unit path. */
  q: string;
  since: Since;
  sort: SortKey;
  dir: 'asc' | 'desc';
}

export interface MonitorState {
  scope: number | null;
  view: View;
  object: number | null;
  list: ListState;
  /** The map's zoom (1 = 100 %). */
  zoom: number;
  schedule: ScheduleState;
}

export interface ScheduleState {
  shape: ScheduleShape;
  range: ScheduleRange;
}

export const DEFAULT_LIST: ListState = { rows: 'objects', classes: [], host: '', q: '', since: '', sort: 'status', dir: 'asc' };
export const DEFAULT_SCHEDULE: ScheduleState = { shape: 'timeline', range: 'day' };

const id = (v: string | null) => (v !== null && /^\d{1,9}$/.test(v) ? Number(v) : null);
const oneOf = <T extends string>(values: readonly T[], v: string | null, fallback: T): T => (v !== null && (values as readonly string[]).includes(v) ? (v as T) : fallback);
const text = (v: string | null) => (v ?? '').slice(0, 200);

/** Anything unknown or malformed falls back to the default: a bad link still opens. */
export function parseMonitorState(params: URLSearchParams): MonitorState {
  const classes = (params.get('class') ?? '')
    .split(',')
    .filter((c): c is SummaryClass => (SUMMARY_CLASSES as readonly string[]).includes(c));
  return {
    scope: id(params.get('scope')),
    view: oneOf(VIEWS, params.get('view'), 'overview'),
    object: id(params.get('object')),
    list: {
      rows: oneOf(ROW_KINDS, params.get('rows'), DEFAULT_LIST.rows),
      classes: [...new Set(classes)],
      host: text(params.get('host')),
      q: text(params.get('q')),
      since: oneOf(SINCE, params.get('since'), ''),
      sort: oneOf(SORT_KEYS, params.get('sort'), DEFAULT_LIST.sort),
      dir: params.get('dir') === 'desc' ? 'desc' : 'asc',
    },
    zoom: parseZoom(params.get('zoom')),
    schedule: {
      shape: oneOf(SCHEDULE_SHAPES, params.get('as'), DEFAULT_SCHEDULE.shape),
      range: oneOf(SCHEDULE_RANGES, params.get('range'), DEFAULT_SCHEDULE.range),
    },
  };
}

/** Only what differs from the default is written, so links stay short. */
export function monitorSearch(state: MonitorState): string {
  const p = new URLSearchParams();
  if (state.scope !== null) p.set('scope', String(state.scope));
  if (state.view !== 'overview') p.set('view', state.view);
  if (state.object !== null) p.set('object', String(state.object));
  if (state.view === 'list') {
    const l = state.list;
    if (l.rows !== DEFAULT_LIST.rows) p.set('rows', l.rows);
    if (l.classes.length) p.set('class', l.classes.join(','));
    if (l.host) p.set('host', l.host);
    if (l.q) p.set('q', l.q);
    if (l.since) p.set('since', l.since);
    if (l.sort !== DEFAULT_LIST.sort) p.set('sort', l.sort);
    if (l.dir !== DEFAULT_LIST.dir) p.set('dir', l.dir);
  }
  if (state.view === 'map' && state.zoom !== DEFAULT_ZOOM) p.set('zoom', String(state.zoom));
  if (state.view === 'schedule') {
    if (state.schedule.shape !== DEFAULT_SCHEDULE.shape) p.set('as', state.schedule.shape);
    if (state.schedule.range !== DEFAULT_SCHEDULE.range) p.set('range', state.schedule.range);
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}
