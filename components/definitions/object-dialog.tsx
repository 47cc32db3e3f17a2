'use client';
// Create or edit a monitoring object: name, comment, icon, scope, target host
// (a registered host, or a logical host name or address typed in), and the unit:
// its path, with the scheduler service as an optional field of its own, joined
// as SERVICE:/path. The server validates; its messages show beside the fields.
import { useState } from 'react';
import { DEFAULT_OBJECT_ICON, isIcon, type IconName } from '../../server/domain/icons';
import { parseUnitName } from '../../server/domain/unit-path';
import { useText } from '../i18n/lang';
import { Dialog, DialogFoot } from './dialog';
import { Field, formMessage } from './field';
import { IconPicker } from './icon-picker';
import { indented, scopeIdOf, scopeOptions } from './scope-options';
import { useSubmit } from './submit';
import { defText } from './text';
import type { MonitoringObject, RegisteredHost, Scope } from './types';
import { useCreateObject, useUpdateObject } from './use-definitions';
import styles from './definitions.module.css';

export type ObjectTarget = { mode: 'create'; scopeId: number | null } | { mode: 'edit'; object: MonitoringObject };

/** The value of the host <select> that shows the text field instead: never a host name. */
const OTHER = '*';
const SHOWN = ['name', 'comment', 'icon', 'scopeId', 'host', 'unit'] as const;

/** A unit's service and path, for the two fields; a name the parser refuses stays whole in the path. */
export function splitUnit(unit: string): { service: string; path: string } {
  const parsed = parseUnitName(unit);
  if (!parsed.ok || parsed.value.service === null) return { service: '', path: unit };
  return { service: parsed.value.service, path: unit.slice(parsed.value.service.length + 1) };
}

/** The unit full name the two fields make: SERVICE:/path, or the path alone. */
export function joinUnit(service: string, path: string): string {
  const s = service.trim().replace(/:$/, '');
  const p = path.trim();
  return s ? `${s}:${p}` : p;
}

export function ObjectDialog({
  target,
  scopes,
  hosts,
  onClose,
}: {
  target: ObjectTarget;
  scopes: Scope[];
  hosts: RegisteredHost[];
  onClose(): void;
}) {
  const t = useText(defText);
  const create = useCreateObject();
  const update = useUpdateObject();
  const editing = target.mode === 'edit' ? target.object : null;
  const known = (name: string) => hosts.some((h) => h.name === name);
  const initialHost = editing?.host ?? (hosts.length === 1 ? hosts[0].name : '');
  const initialUnit = splitUnit(editing?.unit ?? '');

  const [name, setName] = useState(editing?.name ?? '');
  const [comment, setComment] = useState(editing?.comment ?? '');
  const [icon, setIcon] = useState<IconName>(editing?.icon && isIcon(editing.icon) ? editing.icon : DEFAULT_OBJECT_ICON);
  const [scope, setScope] = useState(String((editing ? editing.scopeId : target.mode === 'create' ? target.scopeId : null) ?? ''));
  const [hostChoice, setHostChoice] = useState(initialHost === '' || known(initialHost) ? initialHost : OTHER);
  const [typedHost, setTypedHost] = useState(initialHost !== '' && !known(initialHost) ? initialHost : '');
  const [service, setService] = useState(initialUnit.service);
  const [path, setPath] = useState(initialUnit.path);

  const host = hostChoice === OTHER ? typedHost.trim() : hostChoice;
  const unit = joinUnit(service, path);
  const { errors, busy, submit } = useSubmit(
    () => {
      const body = { name, comment: comment.trim(), icon, scopeId: (scopeIdOf(scopes, scope) ?? null) as number, host, unit };
      return editing ? update.mutateAsync({ id: editing.id, ...body }) : create.mutateAsync(body);
    },
    () => onClose(),
  );
  const message = formMessage(errors, SHOWN, t.fixFields);
  // The unit is one field on the server: a problem with its service shows beside the service.
  const unitError = errors.fields.unit;
  const serviceError = unitError && /^scheduler service/.test(unitError) ? unitError : undefined;
  const pathError = serviceError ? undefined : unitError;

  return (
    <Dialog title={editing ? t.objectDialog.edit(editing.name) : t.objectDialog.create} testId="object-dialog" onClose={onClose}>
      <form className={styles.form} onSubmit={submit} noValidate data-testid="object-form">
        <div className={styles.body}>
          <Field label={t.name} error={errors.fields.name} errorTestId="object-name-error">
            {(p) => <input {...p} data-autofocus data-testid="object-name" value={name} maxLength={80} autoComplete="off" onChange={(e) => setName(e.target.value)} />}
          </Field>
          <Field label={t.comment} error={errors.fields.comment} errorTestId="object-comment-error" hint={t.commentHint}>
            {(p) => <input {...p} data-testid="object-comment" value={comment} maxLength={500} autoComplete="off" onChange={(e) => setComment(e.target.value)} />}
          </Field>
          <IconPicker value={icon} onChange={setIcon} error={errors.fields.icon} testId="object-icon" />
          <Field label={t.scope} error={errors.fields.scopeId} errorTestId="object-scope-error">
            {(p) => (
              <select {...p} data-testid="object-scope" value={scope} onChange={(e) => setScope(e.target.value)}>
                <option value="">{t.chooseScope}</option>
                {scopeOptions(scopes).map(({ scope: s, depth }) => (
                  <option key={s.id} value={s.id}>
                    {indented(s.name, depth)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            label={t.host}
            error={hostChoice === OTHER ? undefined : errors.fields.host}
            errorTestId="object-host-error"
            hint={hosts.length === 0 ? t.noHosts : hostChoice === OTHER ? undefined : t.hostHint}
          >
            {(p) => (
              <select {...p} data-testid="object-host" value={hostChoice} onChange={(e) => setHostChoice(e.target.value)}>
                <option value="">{t.chooseHost}</option>
                {hosts.map((h) => (
                  <option key={h.name} value={h.name}>
                    {`${h.name} (${h.address})`}
                  </option>
                ))}
                <option value={OTHER}>{t.otherHost}</option>
              </select>
            )}
          </Field>
          {hostChoice === OTHER && (
            <Field label={t.hostTyped} error={errors.fields.host} errorTestId="object-host-error" hint={t.hostHint}>
              {(p) => (
                <input
                  {...p}
                  data-testid="object-host-other"
                  value={typedHost}
                  spellCheck={false}
                  autoComplete="off"
                  placeholder="jobhost1 / 192.0.2.10"
                  onChange={(e) => setTypedHost(e.target.value)}
                />
              )}
            </Field>
          )}
          <div className={styles.rowUnit}>
            <Field label={t.service} error={serviceError} errorTestId="object-service-error" hint={t.serviceHint}>
              {(p) => (
                <input {...p} data-testid="object-service" value={service} spellCheck={false} autoComplete="off" placeholder="AJSROOT1" onChange={(e) => setService(e.target.value)} />
              )}
            </Field>
            <Field label={t.unitPath} error={pathError} errorTestId="object-unit-error" hint={t.unitPathHint}>
              {(p) => (
                <input {...p} data-testid="object-unit" value={path} spellCheck={false} autoComplete="off" placeholder="/Group/Jobnet" onChange={(e) => setPath(e.target.value)} />
              )}
            </Field>
          </div>
          {unit && (
            <p className={styles.unitPreview} data-testid="object-unit-preview">
              {t.unitWillBe(unit)}
            </p>
          )}
        </div>
        <DialogFoot id="object" message={message} busy={busy} submitLabel={editing ? t.save : t.create} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
