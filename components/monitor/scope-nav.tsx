'use client';
// The scope tree: every business scope with its aggregated status and counts,
// and its monitoring objects. Selecting a scope shows it in the main view;
// selecting an object opens its detail.
import { useState } from 'react';
import { colourOf } from '../../server/domain/status';
import { common, statusName } from '../i18n/dictionary';
import { useLang, useText } from '../i18n/lang';
import { ObjectActions, ScopeActions } from '../definitions/actions';
import type { DefineActions } from '../definitions/definer';
import { statusStyle } from './colour';
import { StatusGlyph } from './glyph';
import type { ObjectView, ScopeView } from './scope-tree';
import type { Summary } from '../../server/domain/derive';

interface Props {
  roots: ScopeView[];
  total: Summary;
  selectedScope: number | null;
  selectedObject: number | null;
  onSelectScope(id: number | null): void;
  onSelectObject(object: ObjectView): void;
  /** Definition mode: the actions on each scope and object. */
  define: DefineActions | null;
}

function Marker({ summary }: { summary: Summary }) {
  const t = useText(common);
  const lang = useLang();
  return (
    <span className="nav-status" style={statusStyle(summary.status)} title={statusName(summary.status, lang)} data-status={summary.status}>
      <StatusGlyph status={summary.status} />
      <span className="sr-only">{statusName(summary.status, lang)}</span>
      {summary.acknowledged && <span className="ack-mark" title={t.monitor.acknowledged}>✓</span>}
      {summary.stale && <span className="stale-dot" title={t.monitor.stale} />}
    </span>
  );
}

function Counts({ summary }: { summary: Summary }) {
  const labels = useText(common).summary;
  const shown = (['abnormal', 'warning', 'running', 'held', 'waiting', 'normal'] as const).filter((k) => summary.counts[k] > 0);
  return (
    <span className="nav-counts">
      {shown.map((k) => (
        <span key={k} className={`nav-count nav-count-${k}`} title={`${labels[k]}: ${summary.counts[k]}`}>
          {summary.counts[k]}
        </span>
      ))}
    </span>
  );
}

function ScopeItem({ view, props }: { view: ScopeView; props: Props }) {
  const t = useText(common);
  const [open, setOpen] = useState(view.depth < 2);
  const hasChildren = view.scopes.length + view.objects.length > 0;
  const selected = props.selectedScope === view.scope.id;
  return (
    <li role="treeitem" aria-expanded={hasChildren ? open : undefined} aria-selected={selected} data-testid={`nav-scope-${view.scope.name}`} data-colour={colourOf(view.summary.status)}>
      <div className={selected ? 'nav-row selected' : 'nav-row'} style={{ paddingLeft: 6 + view.depth * 14 }}>
        <button
          type="button"
          className="nav-twisty"
          aria-label={`${open ? t.monitor.collapse : t.monitor.expand} ${view.scope.name}`}
          disabled={!hasChildren}
          onClick={() => setOpen((o) => !o)}
        >
          {hasChildren ? (open ? '▾' : '▸') : ''}
        </button>
        <button type="button" className="nav-name" data-testid={`nav-open-${view.scope.name}`} onClick={() => props.onSelectScope(view.scope.id)}>
          <Marker summary={view.summary} />
          <span className="nav-label">{view.scope.name}</span>
        </button>
        <Counts summary={view.summary} />
        {props.define && <ScopeActions scope={view.scope} actions={props.define} compact />}
      </div>
      {open && hasChildren && (
        <ul role="group">
          {view.scopes.map((s) => (
            <ScopeItem key={s.scope.id} view={s} props={props} />
          ))}
          {view.objects.map((o) => (
            <li key={o.object.id} role="treeitem" aria-selected={props.selectedObject === o.object.id} data-testid={`nav-object-${o.object.name}`}>
              <div className={props.selectedObject === o.object.id ? 'nav-row selected' : 'nav-row'} style={{ paddingLeft: 20 + (view.depth + 1) * 14 }}>
                <button type="button" className="nav-name" onClick={() => props.onSelectObject(o)}>
                  <Marker summary={o.summary} />
                  <span className="nav-label">{o.object.name}</span>
                </button>
                {props.define && <ObjectActions object={o.object} actions={props.define} compact />}
              </div>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

export function ScopeNav(props: Props) {
  const t = useText(common);
  return (
    <nav className="scope-nav" aria-label={t.monitor.scopeTree} data-testid="scope-nav">
      <div className={props.selectedScope === null ? 'nav-row selected' : 'nav-row'}>
        <button type="button" className="nav-name" data-testid="nav-all" onClick={() => props.onSelectScope(null)}>
          <Marker summary={props.total} />
          <span className="nav-label">{t.monitor.total}</span>
        </button>
        <Counts summary={props.total} />
      </div>
      <ul role="tree" aria-label={t.monitor.scopeTree}>
        {props.roots.map((r) => (
          <ScopeItem key={r.scope.id} view={r} props={props} />
        ))}
      </ul>
    </nav>
  );
}
