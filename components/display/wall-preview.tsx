'use client';
// A signed-in operator's preview of a wall display: /display/preview?scope=12, with the
// display's settings as defaults in the address (density=compact, page=20). The same board an
// enrolled screen shows, fed by the operator's own session.
import { useQueryClient } from '@tanstack/react-query';
import { emptyCounts } from '../../server/domain/status';
import { useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useMemo } from 'react';
import { definitionsKey, useDefinitions } from '../definitions/use-definitions';
import { useText } from '../i18n/lang';
import { useLive, useLiveRevision } from '../live/use-live';
import { findScope } from '../monitor/scope-tree';
import { useScopeTree } from '../monitor/use-scope-tree';
import { goToLogin } from '../session/api';
import { useSession } from '../session/session';
import { wallText } from './text';
import { WallBoard } from './wall-board';
import { wallCounts, wallTilesOf } from './wall-tiles';
import styles from './wall.module.css';

const PAGE_SECONDS = { min: 5, default: 15, max: 600 };

export function WallPreview() {
  const t = useText(wallText);
  const params = useSearchParams();
  const scopeId = /^\d+$/.test(params.get('scope') ?? '') ? Number(params.get('scope')) : null;
  const density = params.get('density') === 'compact' ? 'compact' : 'comfortable';
  const asked = Number(params.get('page'));
  const pageSeconds = Number.isFinite(asked) && asked > 0 ? Math.min(PAGE_SECONDS.max, Math.max(PAGE_SECONDS.min, asked)) : PAGE_SECONDS.default;

  const session = useSession();
  const queryClient = useQueryClient();
  const onDefinitionsChanged = useCallback(() => void queryClient.invalidateQueries({ queryKey: definitionsKey }), [queryClient]);
  const onAdminChanged = useCallback(() => {}, []);
  const live = useLive(session.isSuccess, { onUnauthorized: goToLogin, onDefinitionsChanged, onAdminChanged });
  const { watch } = live;
  useEffect(() => watch({ scope: scopeId, units: false }), [watch, scopeId]);
  const revision = useLiveRevision(live.store);
  const defs = useDefinitions(session.isSuccess);

  const tree = useScopeTree(defs.data, live.store, revision);
  const scope = tree && scopeId !== null ? findScope(tree.roots, scopeId) : undefined;
  const tiles = useMemo(() => (scope ? wallTilesOf(scope) : []), [scope]);
  // When what the screen shows last changed: a wall says how fresh it is.
  const updatedAt = useMemo(() => (live.store.isSynced ? Date.now() : null), [live.store, revision]);

  if (scopeId === null) return <p className={styles.message}>{t.noScope}</p>;
  if (tree && !scope) return <p className={styles.message}>{t.unknownScope}</p>;
  return (
    <WallBoard
      title={scope?.scope.name ?? ''}
      consoleHost={session.data?.host ?? ''}
      tiles={tiles}
      counts={scope ? wallCounts(scope) : emptyCounts()}
      connection={live.connection}
      updatedAt={updatedAt}
      density={density}
      pageSeconds={pageSeconds}
    />
  );
}
