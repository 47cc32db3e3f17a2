'use client';
// The monitoring page: definitions from the REST API, statuses from the live
// socket, joined in a pure scope tree. Nothing here polls for status.
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { DefinitionsPanel } from '../definitions/definitions-panel';
import { definitionsKey, hostsKey, useDefinitions, useDeleteObject, useDeleteScope } from '../definitions/use-definitions';
import { text } from '../i18n/dictionary';
import { useLang } from '../i18n/use-lang';
import { useLive } from '../live/use-live';
import { goToLogin } from '../session/api';
import { canDefine, logout, useSession } from '../session/session';
import { MonitorHeader } from './monitor-header';
import { ScopeSection, type DefineActions } from './scope-section';
import { buildScopeTree } from './scope-tree';
import { SummaryCountsView } from './summary-counts';

const t = text.monitor;

export function MonitorScreen() {
  const queryClient = useQueryClient();
  const lang = useLang();
  const session = useSession();
  const signedIn = session.isSuccess;
  const defs = useDefinitions(signedIn);
  const [defining, setDefining] = useState(false);

  const onDefinitionsChanged = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: definitionsKey });
    void queryClient.invalidateQueries({ queryKey: hostsKey });
  }, [queryClient]);
  const live = useLive(signedIn, { onUnauthorized: goToLogin, onDefinitionsChanged });

  const tree = useMemo(
    () => (defs.data ? buildScopeTree(defs.data, live.store) : null),
    // The store is mutable; its revision says when it changed.
    [defs.data, live.store, live.revision],
  );

  const role = session.data?.user.role;
  const mayDefine = role !== undefined && canDefine(role);
  const deleteScope = useDeleteScope();
  const deleteObject = useDeleteObject();
  const defineActions: DefineActions | null =
    mayDefine && defining ? { deleteScope: (id) => deleteScope.mutateAsync(id), deleteObject: (id) => deleteObject.mutateAsync(id) } : null;

  return (
    <div className="monitor">
      <MonitorHeader
        session={session.data}
        connection={live.connection}
        defining={defining}
        onToggleDefine={mayDefine ? () => setDefining((d) => !d) : null}
        onLogout={() => session.data && void logout(session.data.csrfToken)}
      />
      <div className={defining && mayDefine ? 'monitor-body with-panel' : 'monitor-body'}>
        <main className="scopes" aria-busy={!tree}>
          {tree && tree.roots.length > 0 && (
            <div className="overview" data-testid="overview">
              <span className="overview-label">{t.total}</span>
              <SummaryCountsView counts={tree.total.counts} testId="counts-total" />
            </div>
          )}
          {(session.isPending || (signedIn && defs.isPending)) && (
            <p className="muted pad" data-testid="loading">
              {session.failureCount > 0 || defs.failureCount > 0 ? t.waitingForConsole : t.loading}
            </p>
          )}
          {defs.isError && (
            <p className="form-error pad" role="alert">
              {t.loadFailed} {defs.error.message}
            </p>
          )}
          {tree && tree.roots.length === 0 && (
            <div className="empty pad">
              <p>{t.empty}</p>
              <p className="muted">{mayDefine ? t.emptyHintOperator : t.emptyHintGuest}</p>
            </div>
          )}
          {tree?.roots.map((root) => (
            <ScopeSection key={root.scope.id} view={root} lang={lang} define={defineActions} />
          ))}
        </main>
        {defining && mayDefine && defs.data && role && <DefinitionsPanel defs={defs.data} role={role} />}
      </div>
    </div>
  );
}
