// What a wall shows of a business scope: a tile per monitoring object and one per child scope
// (its objects summed up), with the counts per summary class over all of it.
import { emptyCounts, type SummaryCounts } from '../../server/domain/status';
import type { ObjectView, ScopeView } from '../monitor/scope-tree';
import { addFlagCounts, FLAG_KINDS, type FlagCounts } from '../flags/flag-counts';
import type { WallTile } from './wall-layout';

export interface WallTileView extends WallTile {
  kind: 'object' | 'scope';
  /** Where it runs (an object's host and unit), or how many objects a child scope holds. */
  detail: string;
  lastContactAt: string | null;
  /** An object's flags by kind (one each), or how many objects of a child scope carry each. */
  flagCounts: FlagCounts;
}

const openIn = (counts: FlagCounts) => FLAG_KINDS.some((k) => counts[k].open > 0);

// The live tree hands back the same view for whatever did not change (use-scope-tree.ts); so does
// this, so that a change renders its own tile and not the 2,000 others.
const objectTiles = new WeakMap<ObjectView, WallTileView>();
const scopeTiles = new WeakMap<ScopeView, WallTileView>();

function objectTile(view: ObjectView): WallTileView {
  let tile = objectTiles.get(view);
  if (!tile) {
    const { object, summary, host, flagCounts } = view;
    tile = {
      key: `o${object.id}`, kind: 'object', name: object.name, status: summary.status, stale: summary.stale, acknowledged: summary.acknowledged,
      detail: `${object.host} ${object.unit}`, lastContactAt: host?.lastContactAt ?? null, flagCounts, openFlag: openIn(flagCounts),
    };
    objectTiles.set(view, tile);
  }
  return tile;
}

function scopeTile(view: ScopeView): WallTileView {
  let tile = scopeTiles.get(view);
  if (!tile) {
    const { scope: child, summary, flagCounts } = view;
    tile = {
      key: `s${child.id}`, kind: 'scope', name: child.name, status: summary.status, stale: summary.stale, acknowledged: summary.acknowledged,
      detail: String(Object.values(summary.counts).reduce((a, b) => a + b, 0)), lastContactAt: null, flagCounts, openFlag: openIn(flagCounts),
    };
    scopeTiles.set(view, tile);
  }
  return tile;
}

export function wallTilesOf(scope: ScopeView): WallTileView[] {
  return [...scope.objects.map(objectTile), ...scope.scopes.map(scopeTile)];
}

export function wallCounts(scope: ScopeView): SummaryCounts {
  return { ...emptyCounts(), ...scope.summary.counts };
}
