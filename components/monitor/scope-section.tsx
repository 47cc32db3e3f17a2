'use client';
import { memo } from 'react';
import { colourOf } from '../../server/domain/status';
import { statusName, type Lang, common } from '../i18n/dictionary';
import { useLang, useText } from '../i18n/lang';
import { ScopeActions } from '../definitions/actions';
import type { DefineActions } from '../definitions/definer';
import { Icon } from '../icons/icons';
import { statusStyle } from './colour';
import { StatusGlyph } from './glyph';
import { ObjectTile } from './object-tile';
import type { ObjectView, ScopeView } from './scope-tree';
import { SummaryCountsView } from './summary-counts';
import styles from '../definitions/definitions.module.css';
import { FlagCountsView } from '../flags/flag-marks';

export const ScopeSection = memo(function ScopeSection({ view, define, onSelectObject }: { view: ScopeView; define: DefineActions | null; onSelectObject(o: ObjectView): void }) {
  const lang = useLang();
  const text = useText(common);
  const { scope, summary } = view;
  const empty = view.scopes.length === 0 && view.objects.length === 0;
  return (
    <section
      className={`scope depth-${Math.min(view.depth, 3)}`}
      data-testid={`scope-${scope.name}`}
      data-status={summary.status}
      data-colour={colourOf(summary.status)}
      aria-label={scope.name}
    >
      <header className="scope-head" style={statusStyle(summary.status)}>
        <span className="scope-swatch" aria-hidden="true" />
        <Icon name={scope.icon ?? 'scope'} size={18} className={styles.scopeIcon} />
        <h2 className="scope-name">{scope.name}</h2>
        <span className="scope-status">
          <StatusGlyph status={summary.status} />
          {statusName(summary.status, lang)}
        </span>
        {summary.acknowledged && <span className="ack-badge">✓ {text.monitor.acknowledged}</span>}
        {summary.stale && <span className="stale-badge">{text.monitor.stale}</span>}
        {scope.comment && (
          <span className="scope-comment" title={scope.comment}>
            {scope.comment}
          </span>
        )}
        <SummaryCountsView counts={summary.counts} testId={`counts-${scope.name}`} />
        <FlagCountsView counts={view.flagCounts} testId={`flag-counts-${scope.name}`} />
        {define && <ScopeActions scope={scope} actions={define} />}
      </header>
      {empty && <p className="scope-empty">{text.monitor.emptyScope}</p>}
      {view.objects.length > 0 && (
        <div className="tiles">
          {view.objects.map((o) => (
            <ObjectTile key={o.object.id} view={o} onSelect={onSelectObject} define={define} />
          ))}
        </div>
      )}
      {view.scopes.map((child) => (
        <ScopeSection key={child.scope.id} view={child} define={define} onSelectObject={onSelectObject} />
      ))}
    </section>
  );
});
