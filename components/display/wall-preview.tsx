'use client';
// A signed-in operator's preview of a wall display: /display/preview?scope=12, with the
// display's settings as defaults in the address (wall-settings.ts: density=compact, page=20,
// rotate=1, rotateSeconds=10, classes=abnormal,warning, tz=Asia/Tokyo, lang=ja). The same board
// an enrolled screen shows, fed by the operator's own session.
import { useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useMemo } from 'react';
import { definitionsKey, useDefinitions } from '../definitions/use-definitions';
import { FixedLang, useLang, useText } from '../i18n/lang';
import { useLive, useLiveRevision, useUpdatedAt } from '../live/use-live';
import { findScope } from '../monitor/scope-tree';
import { useScopeTree } from '../monitor/use-scope-tree';
import { goToLogin } from '../session/api';
import { useSession } from '../session/session';
import { wallText } from './text';
import { settingsFromParams } from './wall-settings';
import { WallView } from './wall-view';
import styles from './wall.module.css';

export function WallPreview() {
  const t = useText(wallText);
  const operatorLang = useLang();
  const params = useSearchParams();
  const scopeId = /^\d+$/.test(params.get('scope') ?? '') ? Number(params.get('scope')) : null;
  const settings = useMemo(() => settingsFromParams(params), [params]);

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
  const updatedAt = useUpdatedAt(live.store, revision);

  if (scopeId === null) return <p className={styles.message}>{t.noScope}</p>;
  if (tree && !scope) return <p className={styles.message}>{t.unknownScope}</p>;
  // The operator's own language and time zone unless the address names others.
  return (
    <FixedLang lang={params.has('lang') ? settings.language : operatorLang} timeZone={params.has('tz') ? settings.timeZone : null}>
      <WallView scope={scope} settings={settings} connection={live.connection} consoleHost={session.data?.host ?? ''} updatedAt={updatedAt} />
    </FixedLang>
  );
}
