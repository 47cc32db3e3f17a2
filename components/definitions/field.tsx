'use client';
import { useId, type ReactNode } from 'react';
import { ApiError } from '../session/api';

/** What a control needs to be labelled and described by its field. */
export interface ControlProps {
  id: string;
  'aria-describedby': string | undefined;
  'aria-invalid': true | undefined;
}

/** A labelled control with its hint, and the server's error for that field beside it. */
export function Field({
  label,
  error,
  errorTestId,
  hint,
  children,
}: {
  label: string;
  error?: string;
  errorTestId: string;
  hint?: ReactNode;
  children(control: ControlProps): ReactNode;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {children({ id, 'aria-describedby': describedBy, 'aria-invalid': error ? true : undefined })}
      {error && (
        <span className="field-error" id={errorId} role="alert" data-testid={errorTestId}>
          {error}
        </span>
      )}
      {hint && (
        <span className="field-hint" id={hintId}>
          {hint}
        </span>
      )}
    </div>
  );
}

/** Errors of one submit: the message and the fields the server named. */
export interface FormErrors {
  message: string | null;
  fields: Record<string, string>;
}

export const NO_ERRORS: FormErrors = { message: null, fields: {} };

export function errorsOf(err: unknown): FormErrors {
  if (err instanceof ApiError) return { message: err.message, fields: err.fields };
  return { message: (err as Error).message, fields: {} };
}

/**
 * The message to show under the form: the server's, unless every field it named
 * is shown beside its control already.
 */
export function formMessage(errors: FormErrors, shown: readonly string[], fallback: string): string | null {
  if (!errors.message) return null;
  const named = Object.keys(errors.fields);
  if (named.length === 0 || named.some((f) => !shown.includes(f))) return errors.message;
  return fallback;
}
