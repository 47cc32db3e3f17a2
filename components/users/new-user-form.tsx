'use client';
// A new console user: name, password, role. The server validates; its message
// for each field is shown beside that field.
import { useState, type FormEvent } from 'react';
import { ROLES } from '../../server/auth/roles';
import { Field, NO_ERRORS, type FormErrors } from '../definitions/field';
import { common } from '../i18n/dictionary';
import { useText } from '../i18n/lang';
import type { Role } from '../session/session';
import { Done, errorsOf, Refusal } from './feedback';
import { usersText } from './text';
import { useCreateUser } from './use-users';
import styles from './users.module.css';

const FIELDS = ['name', 'password', 'role'];

export function NewUserForm() {
  const t = useText(usersText);
  const roles = useText(common).header.roles;
  const create = useCreateUser();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('guest');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [done, setDone] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (create.isPending) return;
    setErrors(NO_ERRORS);
    setDone(null);
    try {
      const { user } = await create.mutateAsync({ name: name.trim(), password, role });
      setDone(t.done.created(user.name));
      setName('');
      setPassword('');
    } catch (err) {
      setErrors(errorsOf(err));
    }
  }

  // The message repeats a field's error; show it only when no field carries it.
  const fieldShown = FIELDS.some((f) => errors.fields[f]);
  return (
    <form className={styles.form} onSubmit={submit} data-testid="new-user-form" aria-labelledby="new-user-title">
      <h2 id="new-user-title" className={styles.sectionTitle}>
        {t.newUser.title}
      </h2>
      <div className={styles.formFields}>
        <Field label={t.newUser.name} error={errors.fields.name} errorTestId="new-user-name-error" hint={t.newUser.nameHint}>
          {(control) => (
            <input
              {...control}
              data-testid="new-user-name"
              value={name}
              required
              maxLength={64}
              spellCheck={false}
              autoComplete="off"
              onChange={(e) => setName(e.target.value)}
            />
          )}
        </Field>
        <Field label={t.newUser.password} error={errors.fields.password} errorTestId="new-user-password-error">
          {(control) => (
            <input
              {...control}
              data-testid="new-user-password"
              type="password"
              value={password}
              required
              autoComplete="new-password"
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        <Field label={t.newUser.role} error={errors.fields.role} errorTestId="new-user-role-error">
          {(control) => (
            <select
              {...control} data-testid="new-user-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {roles[r]}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <div className={styles.formFoot}>
        <button type="submit" className="button primary" data-testid="new-user-submit" disabled={create.isPending}>
          {create.isPending ? t.newUser.saving : t.newUser.submit}
        </button>
        {errors.message && !fieldShown && <Refusal message={errors.message} testId="new-user-error" />}
        {done && <Done message={done} testId="new-user-done" />}
      </div>
    </form>
  );
}
