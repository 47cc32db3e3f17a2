// What a wall display's settings do to what it shows (docs/architecture.md, "Displays"): which
// scope is on the screen while it rotates through the child scopes, which tiles its summary
// classes keep, and the settings a preview takes from its address. Pure, tested alone.
import { displaySettingsSchema, type DisplaySettings } from '../../server/domain/display-settings';
import { SUMMARY_CLASSES, summaryOf, type SummaryClass } from '../../server/domain/status';
import type { ScopeView } from '../monitor/scope-tree';
import type { WallTile } from './wall-layout';
import { FLAG_KINDS, type FlagCounts } from '../flags/flag-counts';

/** The scopes a display shows in turn: its own, then each child scope (in the tree's order); its own alone when not rotating. */
export function rotationOf(scope: ScopeView, rotate: boolean): ScopeView[] {
  return rotate ? [scope, ...scope.scopes] : [scope];
}

/** Which of `count` scopes is on the screen at `now`: each for `seconds`, the same on every screen set alike. */
export function rotationIndex(now: number, seconds: number, count: number): number {
  return count <= 1 ? 0 : Math.floor(now / (seconds * 1000)) % count;
}

/**
 * The tiles whose summary class the display shows, and every tile with a flag nobody acknowledged
 * whatever its class: a run that never came has no status to be filtered by, and is what a wall is for.
 */
export function tilesOfClasses<T extends WallTile & { flagCounts?: FlagCounts }>(tiles: readonly T[], classes: readonly SummaryClass[]): readonly T[] {
  if (classes.length >= SUMMARY_CLASSES.length) return tiles;
  return tiles.filter((t) => classes.includes(summaryOf(t.status)) || (t.flagCounts !== undefined && FLAG_KINDS.some((k) => t.flagCounts![k].open > 0)));
}

/**
 * A preview's settings from its address (?density=compact&page=20&rotate=1&rotateSeconds=10&classes=abnormal,warning&tz=Asia/Tokyo&lang=ja):
 * each one checked by the display settings' own schema, and one that does not pass takes its default.
 */
export function settingsFromParams(params: URLSearchParams): DisplaySettings {
  const given: Record<string, unknown> = {};
  const number = (name: string) => (/^\d+$/.test(params.get(name) ?? '') ? Number(params.get(name)) : undefined);
  given.rotate = params.has('rotate') ? ['1', 'true', 'yes'].includes(params.get('rotate')!) : undefined;
  given.rotateSeconds = number('rotateSeconds');
  given.pageSeconds = number('page');
  given.density = params.get('density') ?? undefined;
  given.classes = params.get('classes')?.split(',').filter(Boolean);
  given.timeZone = params.get('tz') ?? undefined;
  given.language = params.get('lang') ?? undefined;
  const settings: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(given)) {
    if (value === undefined) continue;
    const one = displaySettingsSchema.safeParse({ [field]: value });
    if (one.success) settings[field] = one.data[field as keyof DisplaySettings];
  }
  return displaySettingsSchema.parse(settings);
}
