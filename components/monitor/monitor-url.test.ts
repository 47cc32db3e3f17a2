import { describe, expect, it } from 'vitest';
import { DEFAULT_LIST, monitorSearch, parseMonitorState } from './monitor-url';

const parse = (s: string) => parseMonitorState(new URLSearchParams(s));

describe('monitor URL state', () => {
  it('opens the overview of every scope by default', () => {
    expect(parse('')).toEqual({ scope: null, view: 'overview', object: null, list: DEFAULT_LIST, zoom: 1 });
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
    });
    expect(parse(monitorSearch(state).slice(1))).toEqual(state);
  });

  it('falls back to defaults for anything malformed', () => {
    const state = parse('scope=-1&view=graph&object=x&class=abnormal,nonsense,abnormal&sort=evil&dir=up&rows=all&since=forever');
    expect(state).toEqual({ scope: null, view: 'overview', object: null, list: { ...DEFAULT_LIST, classes: ['abnormal'] }, zoom: 1 });
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
