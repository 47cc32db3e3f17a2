import { describe, expect, it } from 'vitest';
import { DEFAULT_LIST, DEFAULT_SCHEDULE, monitorSearch, parseMonitorState } from './monitor-url';

const parse = (s: string) => parseMonitorState(new URLSearchParams(s));

describe('monitor URL state', () => {
  it('opens the overview of every scope by default', () => {
    expect(parse('')).toEqual({ scope: null, view: 'overview', object: null, list: DEFAULT_LIST, zoom: 1, schedule: DEFAULT_SCHEDULE });
    expect(monitorSearch(parse(''))).toBe('');
  });

  it('round-trips a list view with filters and sort', () => {
    const search = '?scope=4&view=list&object=9&rows=units&class=abnormal%2Cwarning&host=lh1&q=daily&since=24h&sort=time&dir=desc';
    const state = parse(search.slice(1));
    expect(state).toEqual({
      scope: 4,
      view: 'list',
      object: 9,
      list: { rows: 'units', classes: ['abnormal', 'warning'], host: 'lh1', q: 'daily', since: '24h', sort: 'time', dir: 'desc' },
      zoom: 1,
      schedule: DEFAULT_SCHEDULE,
    });
    expect(parse(monitorSearch(state).slice(1))).toEqual(state);
  });

  it('falls back to defaults for anything malformed', () => {
    const state = parse('scope=-1&view=graph&object=x&class=abnormal,nonsense,abnormal&sort=evil&dir=up&rows=all&since=forever');
    expect(state).toEqual({ scope: null, view: 'overview', object: null, list: { ...DEFAULT_LIST, classes: ['abnormal'] }, zoom: 1, schedule: DEFAULT_SCHEDULE });
    expect(parse(`q=${'x'.repeat(500)}`).list.q).toHaveLength(200);
  });

  it('writes list parameters only for the list view', () => {
    const state = parse('view=map&scope=2&class=abnormal&q=x');
    expect(monitorSearch(state)).toBe('?scope=2&view=map');
  });

  it('opens the schedule of a scope, or of the whole console', () => {
    expect(monitorSearch(parse('scope=2&view=schedule&class=abnormal&zoom=2'))).toBe('?scope=2&view=schedule');
    expect(monitorSearch(parse('view=schedule'))).toBe('?view=schedule');
  });

  it('keeps the schedule as a table, or the timeline’s six hours, for the schedule view only', () => {
    const table = parse('view=schedule&scope=3&as=table');
    expect(table.schedule).toEqual({ shape: 'table', range: 'day' });
    expect(monitorSearch(table)).toBe('?scope=3&view=schedule&as=table');
    const near = parse('view=schedule&range=near');
    expect(near.schedule).toEqual({ shape: 'timeline', range: 'near' });
    expect(parse(monitorSearch(near).slice(1))).toEqual(near);
    // The table lists the whole day; the timeline's hours stay for when it comes back.
    expect(monitorSearch({ ...near, schedule: { shape: 'table', range: 'near' } })).toBe('?view=schedule&as=table&range=near');
    expect(monitorSearch({ ...near, view: 'list' })).toBe('?view=list');
    expect(parse('view=schedule&as=gantt&range=week').schedule).toEqual(DEFAULT_SCHEDULE);
  });

  it('keeps the map zoom for the map view only', () => {
    const state = parse('view=map&scope=2&zoom=1.5');
    expect(state.zoom).toBe(1.5);
    expect(monitorSearch(state)).toBe('?scope=2&view=map&zoom=1.5');
    expect(parse(monitorSearch(state).slice(1))).toEqual(state);
    expect(monitorSearch({ ...state, zoom: 1 })).toBe('?scope=2&view=map');
    expect(monitorSearch({ ...state, view: 'overview' })).toBe('?scope=2');
    expect(parse('view=map&zoom=7').zoom).toBe(1);
  });
});
