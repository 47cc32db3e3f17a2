'use client';
// A new password for one user, in a modal dialog: Escape or Cancel closes it,
// the server's refusal (too short…) is shown beside the field.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Field, NO_ERRORS, type FormErrors } from '../definitions/field';
import { useText } from '../i18n/lang';
import { errorsOf, Refusal } from './feedback';
import { usersText } from './text';
import { useResetPassword, type UserRow } from './use-users';
import styles from './users.module.css';

export function PasswordDialog({ user, onClose, onDone }: { user: UserRow; onClose: () => void; onDone: (endedSessions: number) => void }) {
  const t = useText(usersText);
  const dialog = useRef<HTMLDialogElement>(null);
  const reset = useResetPassword();
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);

  useEffect(() => {
    const d = dialog.current;
    // Modal: the page behind is inert, focus goes to the first field.
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (reset.isPending) return;
    setErrors(NO_ERRORS);
    try {
      const { endedSessions } = await reset.mutateAsync({ id: user.id, password });
      onDone(endedSessions);
      dialog.current?.close();
    } catch (err) {
      setErrors(errorsOf(err));
    }
  }

  const fieldError = errors.fields.password;
  return (
    <dialog ref={dialog} className={styles.dialog} onClose={onClose} aria-labelledby="password-title" data-testid="password-dialog">
      <form className={styles.dialogForm} onSubmit={submit}>
        <h2 id="password-title" className={styles.dialogTitle}>
          {t.password.title(user.name)}
        </h2>
        <Field label={t.password.label} error={fieldError} errorTestId="password-new-error" hint={t.password.hint}>
          {(control) => (
            <input
              {...control}
              type="password"
              data-testid="password-new"
              autoComplete="new-password"
              value={password}
              required
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        {errors.message && !fieldError && <Refusal message={errors.message} testId="password-error" />}
        <div className={styles.dialogButtons}>
          <button type="button" className="button ghost" data-testid="password-cancel" onClick={() => dialog.current?.close()}>
            {t.cancel}
          </button>
          <button type="submit" className="button primary" data-testid="password-submit" disabled={reset.isPending}>
            {reset.isPending ? t.password.saving : t.password.submit}
          </button>
        </div>
      </form>
    </dialog>
  );
}
