'use client';
// The monitoring page: the scope tree beside the selected scope's view, and the
// detail of the selected object. Definitions come from the REST API, statuses
// from the live socket, joined in a pure scope tree. Nothing here polls.
import { useCallback, useEffect, useMemo } from 'react';
import { useDefiner } from '../definitions/definer';
import { defText } from '../definitions/text';
import { useDefinitions } from '../definitions/use-definitions';
import { DetailPanel } from '../detail/detail-panel';
import { MapView } from '../map/map-view';
import { common } from '../i18n/dictionary';
import { useText } from '../i18n/lang';
import { ListView } from '../list/list-view';
import { ScheduleView } from '../schedule/schedule-view';
import { useLiveRevision } from '../live/use-live';
import { useShell } from '../shell/app-shell';
import { canDefine } from '../session/session';
import { VIEWS } from './monitor-url';
import { ScopeNav } from './scope-nav';
import { ScopeSection } from './scope-section';
import { findObject, findScope, type ObjectView } from './scope-tree';
import { useScopeTree } from './use-scope-tree';
import { SummaryCountsView } from './summary-counts';
import { FlagCountsView } from '../flags/flag-marks';
import { useMonitorState } from './use-monitor-state';

export function MonitorScreen() {
  const t = useText(common).monitor;
  const d = useText(defText);
  const { session, sessionPending, sessionFailures, live, defining } = useShell();
  const defs = useDefinitions(session !== undefined);
  const [state, update] = useMonitorState();
  const revision = useLiveRevision(live.store);

  const tree = useScopeTree(defs.data, live.store, revision);
  const scope = tree && state.scope !== null ? findScope(tree.roots, state.scope) : undefined;
  const selected = tree && state.object !== null ? findObject(tree.roots, state.object) : undefined;

  // The live subscription follows the page: the shown scope (and every object's status),
  // or every watched host at the top or when the detail shows an object of another scope.
  // The URL's scope is watched before the definitions arrive, so that the first snapshot is already the right one.
  const outside = scope && selected && !findObject([scope], selected.object.id);
  const watchedScope = outside ? null : state.scope;
  // Units travel only to where they are shown (the list's run times, the detail's jobs): tiles and
  // the map need each object's state alone, which keeps a console's thousands of units off most screens.
  const withUnits = state.view === 'list' || selected !== undefined;
  const { watch } = live;
  useEffect(() => watch({ scope: watchedScope, units: withUnits }), [watch, watchedScope, withUnits]);

  const selectScope = useCallback((id: number | null) => update({ scope: id, object: null }), [update]);
  const selectObject = useCallback((o: ObjectView) => update({ object: o.object.id }), [update]);
  const role = session?.user.role;
  // Definition mode: actions on every scope and object, each opening its dialog.
  const definer = useDefiner(defs.data);
  const defineActions = defining && role && canDefine(role) ? definer.actions : null;
  const shown = useMemo(() => (scope ? [scope] : (tree?.roots ?? [])), [scope, tree]);
  const summary = scope?.summary ?? tree?.total;

  return (
    <div className={`monitor-body${selected ? ' with-detail' : ''}${defineActions ? ' defining' : ''}`}>
      {tree && tree.roots.length > 0 && (
        <ScopeNav
          roots={tree.roots}
          total={tree.total}
          totalFlags={tree.totalFlags}
          selectedScope={scope?.scope.id ?? null}
          selectedObject={selected?.object.id ?? null}
          onSelectScope={selectScope}
          onSelectObject={selectObject}
          define={defineActions}
        />
      )}
      <main className="scopes" aria-busy={!tree}>
        {tree && tree.roots.length > 0 && summary && (
          <div className="overview" data-testid="overview">
            <h1 className="overview-label">{scope?.scope.name ?? t.total}</h1>
            <SummaryCountsView counts={summary.counts} testId={scope ? `counts-selected` : 'counts-total'} />
            <FlagCountsView counts={scope?.flagCounts ?? tree.totalFlags} testId={scope ? 'flag-counts-selected' : 'flag-counts-total'} />
            <div className="view-tabs" role="tablist" aria-label={t.viewTabs}>
              {VIEWS.map((v) => (
                <button key={v} type="button" role="tab" aria-selected={state.view === v} className="tab" data-testid={`view-${v}`} onClick={() => update({ view: v })}>
                  {t.views[v]}
                </button>
              ))}
            </div>
            {defineActions && (
              <button type="button" className="button small" aria-haspopup="dialog" data-testid="new-scope" onClick={() => defineActions.newScope(scope?.scope.id ?? null)}>
                {scope ? d.newScopeIn(scope.scope.name) : d.newScope}
              </button>
            )}
          </div>
        )}
        {(sessionPending || (session && defs.isPending)) && (
          <p className="muted pad" data-testid="loading">
            {sessionFailures > 0 || defs.failureCount > 0 ? t.waitingForConsole : t.loading}
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
            {defineActions ? (
              <p>
                <button type="button" className="button primary" aria-haspopup="dialog" data-testid="new-scope" onClick={() => defineActions.newScope(null)}>
                  {d.newScope}
                </button>
              </p>
            ) : (
              <p className="muted">{role && canDefine(role) ? t.emptyHintOperator : t.emptyHintGuest}</p>
            )}
          </div>
        )}
        {tree && tree.roots.length > 0 && state.view === 'list' ? (
          <ListView
            scopes={shown}
            store={live.store}
            revision={revision}
            list={state.list}
            selectedObject={selected?.object.id ?? null}
            onChange={(change) => update((current) => ({ list: change(current.list) }))}
            onSelectObject={(id) => update({ object: id })}
            define={defineActions}
          />
        ) : tree && tree.roots.length > 0 && state.view === 'schedule' ? (
          <ScheduleView
            scope={scope?.scope.id ?? null}
            store={live.store}
            revision={revision}
            shown={state.schedule}
            onShow={(change) => update((current) => ({ schedule: { ...current.schedule, ...change } }))}
            onSelectObject={(id) => update({ object: id })}
          />
        ) : tree && tree.roots.length > 0 && state.view === 'map' ? (
          <MapView
            roots={tree.roots}
            scope={scope}
            zoom={state.zoom}
            selectedObject={selected?.object.id ?? null}
            editable={defineActions !== null}
            onSelectScope={(id) => update({ scope: id, object: null })}
            onSelectObject={(id) => update({ object: id })}
            onZoom={(zoom) => update({ zoom })}
          />
        ) : (
          shown.map((s) => <ScopeSection key={s.scope.id} view={s} define={defineActions} onSelectObject={selectObject} />)
        )}
      </main>
      {selected && <DetailPanel view={selected} store={live.store} revision={revision} onClose={() => update({ object: null })} />}
      {defineActions && definer.dialog}
    </div>
  );
}
