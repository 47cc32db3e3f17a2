'use client';
// A wall display's board for a scope of the live tree, as its settings say: the scope itself or,
// rotating, each child scope in turn; the tiles of the summary classes it shows; its density and
// paging. The same for an enrolled screen and for a signed-in operator's preview.
import { useMemo } from 'react';
import type { DisplaySettings } from '../../server/domain/display-settings';
import { emptyCounts } from '../../server/domain/status';
import { useText } from '../i18n/lang';
import type { ConnectionState } from '../live/connection';
import type { ScopeView } from '../monitor/scope-tree';
import { useNow } from '../shell/use-now';
import { wallText } from './text';
import { WallBoard } from './wall-board';
import { rotationIndex, rotationOf, tilesOfClasses } from './wall-settings';
import { wallCounts, wallTilesOf } from './wall-tiles';
import { emptyFlagCounts } from '../flags/flag-counts';

const NO_FLAG_COUNTS = emptyFlagCounts();

export interface WallViewProps {
  /** The display's scope in the live tree; undefined until the definitions are in. */
  scope: ScopeView | undefined;
  settings: DisplaySettings;
  connection: ConnectionState;
  consoleHost: string;
  updatedAt: number | null;
}

export function WallView({ scope, settings, connection, consoleHost, updatedAt }: WallViewProps) {
  const t = useText(wallText);
  // Rotation turns with the clock, so that screens set alike show the same scope at the same time.
  const now = useNow(settings.rotate ? 1000 : 3_600_000);
  const rotation = scope ? rotationOf(scope, settings.rotate) : [];
  const shown = rotation[rotationIndex(now, settings.rotateSeconds, rotation.length)];
  const allTiles = useMemo(() => (shown ? wallTilesOf(shown) : []), [shown]);
  const tiles = useMemo(() => tilesOfClasses(allTiles, settings.classes), [allTiles, settings.classes]);
  const title = !scope || !shown ? '' : shown === scope ? scope.scope.name : `${scope.scope.name} › ${shown.scope.name}`;
  return (
    <WallBoard
      // Another scope is another board: its pages start again from the first.
      key={shown?.scope.id ?? 0}
      title={title}
      consoleHost={consoleHost}
      tiles={tiles}
      counts={shown ? wallCounts(shown) : emptyCounts()}
      flagCounts={shown?.flagCounts ?? NO_FLAG_COUNTS}
      classes={settings.classes}
      connection={connection}
      updatedAt={updatedAt}
      density={settings.density}
      pageSeconds={settings.pageSeconds}
      empty={!scope ? undefined : allTiles.length === 0 ? t.empty : tiles.length === 0 ? t.noneOfClasses : undefined}
    />
  );
}
