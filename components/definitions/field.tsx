'use client';
import type { ReactNode } from 'react';

/** A labelled control with the server's error for that field beneath it. */
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
  hint?: string;
  children: ReactNode;
}) {
  return (
    <label className={error ? 'field field-invalid' : 'field'}>
      <span className="field-label">{label}</span>
      {children}
      {hint && !error && <span className="field-hint">{hint}</span>}
      {error && (
        <span className="field-error" role="alert" data-testid={errorTestId}>
          {error}
        </span>
      )}
    </label>
  );
}

/** Errors of one submit: the message and the fields the server named. */
export interface FormErrors {
  message: string | null;
  fields: Record<string, string>;
}

export const NO_ERRORS: FormErrors = { message: null, fields: {} };
