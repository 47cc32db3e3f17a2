'use client';
// Create or edit a business scope: name, comment, icon, parent, its mail
// recipients and what notifies, and (once it exists) its map's background
// image. The server validates; its field messages show beside the fields.
import { useState } from 'react';
import { DEFAULT_SCOPE_ICON, isIcon, type IconName } from '../../server/domain/icons';
import { useText } from '../i18n/lang';
import { BackgroundControls } from '../map/background-controls';
import { mapText } from '../map/text';
import { Dialog, DialogFoot } from './dialog';
import { Field, formMessage } from './field';
import { IconPicker } from './icon-picker';
import { indented, scopeIdOf, scopeOptions } from './scope-options';
import { useSubmit } from './submit';
import { defText } from './text';
import type { Scope } from './types';
import { useCreateScope, useSetScopeNotifications, useUpdateScope } from './use-definitions';
import { NOTIFY_CLASSES } from '../../server/notifications/outbox';
import styles from './definitions.module.css';

export type ScopeTarget = { mode: 'create'; parentId: number | null } | { mode: 'edit'; scope: Scope };

const SHOWN = ['name', 'comment', 'icon', 'parentId', 'mailTo', 'webhookFilter'] as const;

/** Recipients as typed: one a line or separated by commas (or both); blanks dropped, the server checks each. */
export const recipientsOf = (typed: string) =>
  typed
    .split(/[,\n]/)
    .map((a) => a.trim())
    .filter(Boolean);

/** The server names a refused recipient by its place (mailTo.2): shown with the address it refused. */
function recipientError(fields: Record<string, string>, recipients: string[], say: (address: string, error: string) => string): string | undefined {
  if (fields.mailTo) return fields.mailTo;
  const refused = Object.entries(fields).filter(([field]) => /^mailTo\.\d+$/.test(field));
  if (refused.length === 0) return undefined;
  return refused.map(([field, error]) => say(recipients[Number(field.slice('mailTo.'.length))] ?? '', error)).join('; ');
}

export function ScopeDialog({ target, scopes, onClose }: { target: ScopeTarget; scopes: Scope[]; onClose(): void }) {
  const t = useText(defText);
  const mt = useText(mapText);
  const create = useCreateScope();
  const update = useUpdateScope();
  const setNotifications = useSetScopeNotifications();
  const editing = target.mode === 'edit' ? target.scope : null;
  const [name, setName] = useState(editing?.name ?? '');
  const [comment, setComment] = useState(editing?.comment ?? '');
  const [icon, setIcon] = useState<IconName>(editing?.icon && isIcon(editing.icon) ? editing.icon : DEFAULT_SCOPE_ICON);
  const [parent, setParent] = useState(String((editing ? editing.parentId : target.mode === 'create' ? target.parentId : null) ?? ''));
  const [mailTo, setMailTo] = useState((editing?.mailTo ?? []).join('\n'));
  const [classes, setClasses] = useState<string[]>((editing?.webhookFilter ?? 'abnormal').split(','));

  const { errors, busy, submit } = useSubmit(
    async () => {
      // Sent as typed: the server trims, and refuses with a reason beside the field.
      const body = { name, comment: comment.trim(), icon, parentId: parent ? (scopeIdOf(scopes, parent) ?? null) : null };
      const notifications = { mailTo: recipientsOf(mailTo), webhookFilter: NOTIFY_CLASSES.filter((c) => classes.includes(c)).join(',') };
      if (!editing) return create.mutateAsync({ ...body, ...notifications });
      // Recipients and filter go first, and only when changed: the scope's other fields are a separate change.
      const before = { mailTo: editing.mailTo ?? [], webhookFilter: editing.webhookFilter ?? 'abnormal' };
      if (JSON.stringify(notifications) !== JSON.stringify(before)) await setNotifications.mutateAsync({ id: editing.id, ...notifications });
      return update.mutateAsync({ id: editing.id, ...body });
    },
    () => onClose(),
  );
  const message = formMessage(errors, [...SHOWN, ...Object.keys(errors.fields).filter((f) => /^mailTo\.\d+$/.test(f))], t.fixFields);
  const mailError = recipientError(errors.fields, recipientsOf(mailTo), t.recipientError);
  // The background is saved at once, apart from the form: the scope as the console has it now.
  const current = editing ? (scopes.find((s) => s.id === editing.id) ?? editing) : null;

  return (
    <Dialog title={editing ? t.scopeDialog.edit(editing.name) : t.scopeDialog.create} testId="scope-dialog" onClose={onClose}>
      <form className={styles.form} onSubmit={submit} noValidate data-testid="scope-form">
        <div className={styles.body}>
          <Field label={t.name} error={errors.fields.name} errorTestId="scope-name-error">
            {(p) => <input {...p} data-autofocus data-testid="scope-name" value={name} maxLength={80} autoComplete="off" onChange={(e) => setName(e.target.value)} />}
          </Field>
          <Field label={t.comment} error={errors.fields.comment} errorTestId="scope-comment-error" hint={t.commentHint}>
            {(p) => <input {...p} data-testid="scope-comment" value={comment} maxLength={500} autoComplete="off" onChange={(e) => setComment(e.target.value)} />}
          </Field>
          <IconPicker value={icon} onChange={setIcon} error={errors.fields.icon} testId="scope-icon" />
          <Field label={t.parent} error={errors.fields.parentId} errorTestId="scope-parent-error">
            {(p) => (
              <select {...p} data-testid="scope-parent" value={parent} onChange={(e) => setParent(e.target.value)}>
                <option value="">{t.noParent}</option>
                {/* A scope never moves under itself or a scope inside it: those are not offered. */}
                {scopeOptions(scopes, editing?.id ?? null).map(({ scope, depth }) => (
                  <option key={scope.id} value={scope.id}>
                    {indented(scope.name, depth)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <fieldset className="field-group" data-testid="scope-notifications">
            <legend className="field-group-legend">{t.notifications}</legend>
            <Field label={t.mailTo} error={mailError} errorTestId="scope-mail-to-error" hint={t.mailToHint}>
              {(p) => <textarea {...p} data-testid="scope-mail-to" value={mailTo} rows={3} autoComplete="off" spellCheck={false} onChange={(e) => setMailTo(e.target.value)} />}
            </Field>
            <fieldset className="check-group" aria-invalid={errors.fields.webhookFilter ? true : undefined}>
              <legend className="field-label">{t.notifyAbout}</legend>
              {NOTIFY_CLASSES.map((c) => (
                <label key={c} className="check">
                  <input
                    type="checkbox"
                    data-testid={`scope-notify-${c}`}
                    checked={classes.includes(c)}
                    onChange={(e) => setClasses((now) => (e.target.checked ? [...now, c] : now.filter((x) => x !== c)))}
                  />
                  {t.notifyClasses[c]}
                </label>
              ))}
              {errors.fields.webhookFilter && (
                <span className="field-error" role="alert" data-testid="scope-notify-error">
                  {errors.fields.webhookFilter}
                </span>
              )}
              <span className="field-hint">{t.notifyHint}</span>
            </fieldset>
            {editing && <span className="field-hint" data-testid="scope-webhook">{editing.hasWebhook ? t.webhookSet : t.webhookNone}</span>}
          </fieldset>
          <div className="field" data-testid="scope-background">
            <span className="field-label">{mt.background}</span>
            {current ? <BackgroundControls scope={current} testId="scope-background" /> : <span className="field-hint">{t.backgroundOnceCreated}</span>}
            {current && <span className="field-hint">{mt.backgroundHint}</span>}
          </div>
        </div>
        <DialogFoot id="scope" message={message} busy={busy} submitLabel={editing ? t.save : t.create} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
