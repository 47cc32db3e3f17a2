import { emptyFlagCounts } from '../flags/flag-counts';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DISPLAY_SETTINGS } from '../../server/domain/display-settings';
import type { ScopeView } from '../monitor/scope-tree';
import { rotationIndex, rotationOf, settingsFromParams, tilesOfClasses } from './wall-settings';
import type { WallTile } from './wall-layout';

const scope = (id: number, scopes: ScopeView[] = []) => ({ scope: { id, name: `S${id}` }, scopes, objects: [] }) as unknown as ScopeView;
const tile = (key: string, status: WallTile['status']): WallTile => ({ key, name: key, status, stale: false, acknowledged: false, openFlag: false });

describe('wall display settings', () => {
  it('rotates through the scope itself, then each child scope, each for its time', () => {
    const root = scope(1, [scope(2), scope(3)]);
    expect(rotationOf(root, false).map((s) => s.scope.id)).toEqual([1]);
    expect(rotationOf(root, true).map((s) => s.scope.id)).toEqual([1, 2, 3]);
    expect(rotationOf(scope(4), true).map((s) => s.scope.id)).toEqual([4]);
    const shown = [0, 9_999, 10_000, 25_000, 30_000].map((t) => rotationIndex(t, 10, 3));
    expect(shown).toEqual([0, 0, 1, 2, 0]);
    expect(rotationIndex(123_456, 10, 1)).toBe(0);
  });

  it('keeps the tiles of the summary classes chosen', () => {
    const tiles = [tile('a', 'ABNORMAL'), tile('w', 'WARNING'), tile('n', 'NORMAL'), tile('r', 'RUNNING')];
    expect(tilesOfClasses(tiles, ['abnormal', 'warning']).map((t) => t.key)).toEqual(['a', 'w']);
    expect(tilesOfClasses(tiles, [...DEFAULT_DISPLAY_SETTINGS.classes])).toBe(tiles);
  });

  it('keeps a tile with a flag nobody acknowledged whatever its class, and drops one whose flags are all acknowledged', () => {
    const counts = (open: number) => ({ ...emptyFlagCounts(), missed: { raised: 1, open } });
    const tiles = [tile('a', 'ABNORMAL'), { ...tile('late', 'NONE'), flagCounts: counts(1) }, { ...tile('seen', 'NORMAL'), flagCounts: counts(0) }];
    expect(tilesOfClasses(tiles, ['abnormal']).map((t) => t.key)).toEqual(['a', 'late']);
  });

  it('takes a preview’s settings from its address, each checked, a wrong one left at its default', () => {
    const settings = settingsFromParams(new URLSearchParams('density=compact&page=20&rotate=1&rotateSeconds=12&classes=warning,abnormal,bogus&tz=Asia/Tokyo&lang=ja'));
    expect(settings).toEqual({ ...DEFAULT_DISPLAY_SETTINGS, density: 'compact', pageSeconds: 20, rotate: true, rotateSeconds: 12, classes: DEFAULT_DISPLAY_SETTINGS.classes, timeZone: 'Asia/Tokyo', language: 'ja' });
    const good = settingsFromParams(new URLSearchParams('classes=warning,abnormal&page=2&tz=Mars/Base&lang=fr&density=huge'));
    expect(good).toEqual({ ...DEFAULT_DISPLAY_SETTINGS, classes: ['abnormal', 'warning'] });
    expect(settingsFromParams(new URLSearchParams(''))).toEqual(DEFAULT_DISPLAY_SETTINGS);
  });
});
