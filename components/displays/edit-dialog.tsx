'use client';
// Rename a display, move it to another scope, change its settings: one dialog,
// one PATCH with only what changed (settings one by one), so that a change by
// another admin to something else meanwhile stays as they left it.
import { useState } from 'react';
import { Dialog, DialogFoot } from '../definitions/dialog';
import { scopeIdOf } from '../definitions/scope-options';
import { useSubmit } from '../definitions/submit';
import { defText } from '../definitions/text';
import type { Scope } from '../definitions/types';
import { useText } from '../i18n/lang';
import { changesOf, draftOf } from './display-draft';
import { fieldErrorsOf, formMessageOf, NameField, ScopeField, SettingsFields } from './display-fields';
import { displaysText } from './text';
import { useUpdateDisplay, type DisplayEntry } from './use-displays';
import defStyles from '../definitions/definitions.module.css';
import styles from './displays.module.css';

export function EditDialog({ display, scopes, onClose, onDone }: { display: DisplayEntry; scopes: Scope[]; onClose(): void; onDone(name: string): void }) {
  const t = useText(displaysText);
  const dt = useText(defText);
  const update = useUpdateDisplay();
  const [name, setName] = useState(display.name);
  const [scope, setScope] = useState(display.scope ? String(display.scope.id) : '');
  const [settings, setSettings] = useState(() => draftOf(display.settings));

  const { errors, busy, submit } = useSubmit(
    async () => {
      const changes = changesOf(display, { name, scopeId: scope ? scopeIdOf(scopes, scope) : undefined, settings });
      if (Object.keys(changes).length === 0) return display.name;
      return (await update.mutateAsync({ id: display.id, changes })).display.name;
    },
    (savedName) => {
      onDone(savedName);
      onClose();
    },
  );
  const fields = fieldErrorsOf(errors);

  return (
    <Dialog title={t.editDialog.title(display.name)} testId="display-dialog" onClose={onClose}>
      <form className={defStyles.form} onSubmit={submit} noValidate data-testid="display-form">
        <div className={`${defStyles.body} ${styles.dialogBody}`}>
          <div className={defStyles.row}>
            <NameField value={name} onChange={setName} error={fields.name} testId="display" autoFocus />
            <ScopeField scopes={scopes} value={scope} onChange={setScope} error={fields.scopeId} testId="display" />
          </div>
          <SettingsFields draft={settings} onChange={setSettings} errors={fields} testId="display" />
        </div>
        <DialogFoot id="display" message={formMessageOf(errors)} busy={busy} submitLabel={dt.save} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
