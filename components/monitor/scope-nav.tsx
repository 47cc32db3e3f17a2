'use client';
// The scope tree: every business scope with its aggregated status and counts,
// and its monitoring objects. Selecting a scope shows it in the main view;
// selecting an object opens its detail.
import { memo, useState } from 'react';
import { colourOf } from '../../server/domain/status';
import { common, statusName } from '../i18n/dictionary';
import { useLang, useText } from '../i18n/lang';
import { ExpectationMark, ObjectActions, ScopeActions } from '../definitions/actions';
import type { DefineActions } from '../definitions/definer';
import { statusStyle } from './colour';
import { StatusGlyph } from './glyph';
import type { ObjectView, ScopeView } from './scope-tree';
import type { Summary } from '../../server/domain/derive';
import { FlagBadges, FlagCountsView } from '../flags/flag-marks';
import type { FlagCounts } from '../flags/flag-counts';

interface Props {
  roots: ScopeView[];
  total: Summary;
  totalFlags: FlagCounts;
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

type ItemProps = Omit<Props, 'roots' | 'total' | 'totalFlags'>;

const FOLDED_ABOVE = 100;

// Items are memoised and the scope tree hands back the same view while nothing below it
// changed, so a status change renders the rows above it and leaves the rest of the tree alone.
const ObjectItem = memo(function ObjectItem({ view, depth, selected, onSelectObject, define }: { view: ObjectView; depth: number; selected: boolean; onSelectObject(o: ObjectView): void; define: DefineActions | null }) {
  return (
    <li role="treeitem" aria-selected={selected} data-testid={`nav-object-${view.object.name}`}>
      <div className={selected ? 'nav-row selected' : 'nav-row'} style={{ paddingLeft: 20 + depth * 14 }}>
        <button type="button" className="nav-name" onClick={() => onSelectObject(view)}>
          <Marker summary={view.summary} />
          <span className="nav-label">{view.object.name}</span>
          <ExpectationMark object={view.object} />
          <FlagBadges flags={view.flags} compact testId={`nav-flags-${view.object.name}`} />
        </button>
        {define && <ObjectActions object={view.object} actions={define} compact />}
      </div>
    </li>
  );
});

const ScopeItem = memo(function ScopeItem({ view, ...props }: ItemProps & { view: ScopeView }) {
  const t = useText(common);
  // A scope of many objects starts folded: its tiles show them, and thousands of rows here would slow every change.
  const [open, setOpen] = useState(view.depth < 2 && view.objects.length <= FOLDED_ABOVE);
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
        <FlagCountsView counts={view.flagCounts} compact testId={`nav-flag-counts-${view.scope.name}`} />
        {props.define && <ScopeActions scope={view.scope} actions={props.define} compact />}
      </div>
      {open && hasChildren && (
        <ul role="group">
          {view.scopes.map((s) => (
            <ScopeItem key={s.scope.id} view={s} {...props} />
          ))}
          {view.objects.map((o) => (
            <ObjectItem key={o.object.id} view={o} depth={view.depth + 1} selected={props.selectedObject === o.object.id} onSelectObject={props.onSelectObject} define={props.define} />
          ))}
        </ul>
      )}
    </li>
  );
});

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
        <FlagCountsView counts={props.totalFlags} compact testId="nav-flag-counts-total" />
      </div>
      <ul role="tree" aria-label={t.monitor.scopeTree}>
        {props.roots.map((r) => (
          <ScopeItem key={r.scope.id} view={r} selectedScope={props.selectedScope} selectedObject={props.selectedObject} onSelectScope={props.onSelectScope} onSelectObject={props.onSelectObject} define={props.define} />
        ))}
      </ul>
    </nav>
  );
}
