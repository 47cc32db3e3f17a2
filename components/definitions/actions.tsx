'use client';
// The buttons definition mode adds to a scope or an object: in a scope's header
// and on a tile as words, in the scope tree as compact symbols with full names.
import { useText } from '../i18n/lang';
import type { DefineActions } from './definer';
import { defText } from './text';
import type { MonitoringObject, Scope } from './types';
import styles from './definitions.module.css';

interface Action {
  id: string;
  /** Shown in a header or on a tile. */
  text: string;
  /** Shown in the scope tree, with the label as its name and tooltip. */
  symbol: string;
  label: string;
  run(): void;
  danger?: boolean;
}

function Actions({ group, actions, compact, tabbable = true }: { group: string; actions: Action[]; compact: boolean; tabbable?: boolean }) {
  return (
    <span className={compact ? styles.navActions : styles.actions} role="group" aria-label={group}>
      {actions.map((a) => (
        <button
          key={a.id}
          type="button"
          className={compact ? `${styles.navAction}${a.danger ? ` ${styles.navActionDanger}` : ''}` : 'button ghost small'}
          // Symbols need a name; words are their own, the group saying whose they are.
          aria-label={compact ? a.label : undefined}
          title={compact ? a.label : undefined}
          aria-haspopup="dialog"
          tabIndex={tabbable ? undefined : -1}
          data-testid={a.id}
          onClick={a.run}
        >
          {compact ? <span aria-hidden="true">{a.symbol}</span> : a.text}
        </button>
      ))}
    </span>
  );
}

/** New scope here, new object here, edit, delete; in the scope tree the test ids start with nav-. */
export function ScopeActions({ scope, actions, compact = false }: { scope: Scope; actions: DefineActions; compact?: boolean }) {
  const t = useText(defText);
  const p = compact ? 'nav-' : '';
  return (
    <Actions
      group={t.actionsFor(scope.name)}
      compact={compact}
      actions={[
        { id: `${p}new-scope-in-${scope.name}`, text: t.newScopeHere, symbol: '+', label: t.newScopeIn(scope.name), run: () => actions.newScope(scope.id) },
        { id: `${p}new-object-in-${scope.name}`, text: t.newObjectHere, symbol: '◇', label: t.newObjectIn(scope.name), run: () => actions.newObject(scope.id) },
        { id: `${p}edit-scope-${scope.name}`, text: t.edit, symbol: '✎', label: t.editNamed(scope.name), run: () => actions.editScope(scope) },
        { id: `${p}delete-scope-${scope.name}`, text: t.delete, symbol: '×', label: t.deleteNamed(scope.name), run: () => actions.deleteScope(scope), danger: true },
      ]}
    />
  );
}

/** The mark of an object with an expectation: a clock glyph, named for screen readers and on hover. */
export function ExpectationMark({ object }: { object: MonitoringObject }) {
  const t = useText(defText);
  if (!object.hasExpectation) return null;
  return (
    <span className={styles.expectationMark} role="img" aria-label={t.hasExpectation} title={t.hasExpectation} data-testid={`has-expectation-${object.name}`}>
      ◷
    </span>
  );
}

/**
 * Edit, expectation, delete; in the scope tree the test ids start with nav-, elsewhere with `idPrefix`.
 * `tabbable` false leaves the buttons out of the tab order, for a grid that moves focus by rows.
 */
export function ObjectActions({
  object,
  actions,
  compact = false,
  idPrefix = compact ? 'nav-' : '',
  tabbable = true,
}: {
  object: MonitoringObject;
  actions: DefineActions;
  compact?: boolean;
  idPrefix?: string;
  tabbable?: boolean;
}) {
  const t = useText(defText);
  return (
    <Actions
      group={t.actionsFor(object.name)}
      compact={compact}
      tabbable={tabbable}
      actions={[
        { id: `${idPrefix}edit-object-${object.name}`, text: t.edit, symbol: '✎', label: t.editNamed(object.name), run: () => actions.editObject(object) },
        { id: `${idPrefix}expectation-object-${object.name}`, text: t.expectationAction, symbol: '◷', label: t.expectationOf(object.name), run: () => actions.expectation(object) },
        { id: `${idPrefix}delete-object-${object.name}`, text: t.delete, symbol: '×', label: t.deleteNamed(object.name), run: () => actions.deleteObject(object), danger: true },
      ]}
    />
  );
}
