// What a wall shows of a business scope: a tile per monitoring object and one per child scope
// (its objects summed up), with the counts per summary class over all of it.
import { emptyCounts, type SummaryCounts } from '../../server/domain/status';
import type { ScopeView } from '../monitor/scope-tree';
import type { WallTile } from './wall-layout';

export interface WallTileView extends WallTile {
  kind: 'object' | 'scope';
  /** Where it runs (an object's host and unit), or how many objects a child scope holds. */
  detail: string;
  lastContactAt: string | null;
}

export function wallTilesOf(scope: ScopeView): WallTileView[] {
  return [
    ...scope.objects.map(({ object, summary, host }) => ({
      key: `o${object.id}`, kind: 'object' as const, name: object.name, status: summary.status, stale: summary.stale, acknowledged: summary.acknowledged,
      detail: `${object.host} ${object.unit}`, lastContactAt: host?.lastContactAt ?? null,
    })),
    ...scope.scopes.map(({ scope: child, summary }) => ({
      key: `s${child.id}`, kind: 'scope' as const, name: child.name, status: summary.status, stale: summary.stale, acknowledged: summary.acknowledged,
      detail: String(Object.values(summary.counts).reduce((a, b) => a + b, 0)), lastContactAt: null,
    })),
  ];
}

export function wallCounts(scope: ScopeView): SummaryCounts {
  return { ...emptyCounts(), ...scope.summary.counts };
}
