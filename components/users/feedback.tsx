'use client';
// How an answer of the console is shown on the admin pages: a refusal with a
// word and a mark (never colour alone), or a short note of what was done.
import { ApiError } from '../session/api';
import { useClock, useText } from '../i18n/lang';
import type { FormErrors } from '../definitions/field';
import { usersText } from './text';
import tableStyles from '../table/table.module.css';
import styles from './users.module.css';

export function errorsOf(err: unknown): FormErrors {
  if (err instanceof ApiError) return { message: err.message, fields: err.fields };
  return { message: err instanceof Error ? err.message : String(err), fields: {} };
}

export function Refusal({ message, testId }: { message: string; testId?: string }) {
  const t = useText(usersText);
  return (
    <p className={tableStyles.refusal} role="alert" data-testid={testId}>
      <strong>
        <span aria-hidden="true">⚠ </span>
        {t.refused}
      </strong>
      <span>{message}</span>
    </p>
  );
}

export function Done({ message, testId }: { message: string; testId?: string }) {
  return (
    <p className={styles.done} role="status" data-testid={testId}>
      <span aria-hidden="true">✓</span>
      <span>{message}</span>
    </p>
  );
}

/** A moment in the operator's time zone, the full date and time on hover. */
export function Time({ iso, fallback = '—' }: { iso: string | null; fallback?: string }) {
  const formatClock = useClock();
  if (!iso) return <span className={styles.time}>{fallback}</span>;
  return (
    <time className={styles.time} dateTime={iso} title={new Date(iso).toLocaleString()}>
      {formatClock(iso)}
    </time>
  );
}
