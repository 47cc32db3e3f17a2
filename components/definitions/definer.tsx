'use client';
// Definition mode's actions on scopes and objects, wherever they are offered
// (the scope tree, a scope's header, a tile): each opens its dialog here.
import { useCallback, useMemo, useState, type ReactNode } from 'react';
import { useText } from '../i18n/lang';
import { ConfirmDialog } from './confirm-dialog';
import { ExpectationDialog } from './expectation-dialog';
import { ObjectDialog, type ObjectTarget } from './object-dialog';
import { ScopeDialog, type ScopeTarget } from './scope-dialog';
import { scopesWithin } from './scope-options';
import { defText } from './text';
import type { Definitions, MonitoringObject, Scope } from './types';
import { useDeleteObject, useDeleteScope } from './use-definitions';

export interface DefineActions {
  newScope(parentId: number | null): void;
  newObject(scopeId: number | null): void;
  editScope(scope: Scope): void;
  deleteScope(scope: Scope): void;
  editObject(object: MonitoringObject): void;
  deleteObject(object: MonitoringObject): void;
  /** What should happen to the object's runs, and by when. */
  expectation(object: MonitoringObject): void;
}

type Open =
  | { kind: 'scope'; target: ScopeTarget }
  | { kind: 'object'; target: ObjectTarget }
  | { kind: 'delete-scope'; scope: Scope }
  | { kind: 'delete-object'; object: MonitoringObject }
  | { kind: 'expectation'; object: MonitoringObject }
  | null;

/** The actions, and the dialog one of them opened (render it anywhere: it is modal). */
export function useDefiner(defs: Definitions | undefined): { actions: DefineActions; dialog: ReactNode } {
  const t = useText(defText);
  const [open, setOpen] = useState<Open>(null);
  const close = useCallback(() => setOpen(null), []);
  const deleteScope = useDeleteScope();
  const deleteObject = useDeleteObject();

  const actions = useMemo<DefineActions>(
    () => ({
      newScope: (parentId) => setOpen({ kind: 'scope', target: { mode: 'create', parentId } }),
      newObject: (scopeId) => setOpen({ kind: 'object', target: { mode: 'create', scopeId } }),
      editScope: (scope) => setOpen({ kind: 'scope', target: { mode: 'edit', scope } }),
      deleteScope: (scope) => setOpen({ kind: 'delete-scope', scope }),
      editObject: (object) => setOpen({ kind: 'object', target: { mode: 'edit', object } }),
      deleteObject: (object) => setOpen({ kind: 'delete-object', object }),
      expectation: (object) => setOpen({ kind: 'expectation', object }),
    }),
    [],
  );

  let dialog: ReactNode = null;
  if (open && defs) {
    switch (open.kind) {
      case 'scope':
        dialog = <ScopeDialog target={open.target} scopes={defs.scopes} onClose={close} />;
        break;
      case 'object':
        dialog = <ObjectDialog target={open.target} scopes={defs.scopes} hosts={defs.hosts} onClose={close} />;
        break;
      case 'expectation':
        dialog = <ExpectationDialog object={open.object} onClose={close} />;
        break;
      case 'delete-scope': {
        const within = scopesWithin(defs.scopes, open.scope.id);
        const objects = defs.objects.filter((o) => within.has(o.scopeId)).length;
        dialog = (
          <ConfirmDialog
            title={t.deleteScopeTitle(open.scope.name)}
            confirm={t.confirmDelete}
            busyLabel={t.deleting}
            testId="delete-dialog"
            onConfirm={() => deleteScope.mutateAsync(open.scope.id)}
            onClose={close}
          >
            {t.deleteScopeBody(within.size - 1, objects)}
          </ConfirmDialog>
        );
        break;
      }
      case 'delete-object':
        dialog = (
          <ConfirmDialog
            title={t.deleteObjectTitle(open.object.name)}
            confirm={t.confirmDelete}
            busyLabel={t.deleting}
            testId="delete-dialog"
            onConfirm={() => deleteObject.mutateAsync(open.object.id)}
            onClose={close}
          >
            {t.deleteObjectBody(open.object.host, open.object.unit)}
          </ConfirmDialog>
        );
        break;
    }
  }
  return { actions, dialog };
}
