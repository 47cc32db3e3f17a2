'use client';
// A deadline: none (or, for one day, as usual), a clock time, or minutes after the
// expected start; the second control follows the kind chosen.
import type { ReactNode } from 'react';
import { useText } from '../i18n/lang';
import type { DeadlineDraft, DeadlineKind } from './expectation-draft';
import { Field } from './field';
import { defText } from './text';
import styles from './definitions.module.css';

/** A deadline's errors as the server names them: `startBy`, `startBy.at`, `startBy.afterMinutes`. */
export const deadlineErrors = (fields: Record<string, string>, key: 'startBy' | 'endBy') => ({ whole: fields[key], at: fields[`${key}.at`], after: fields[`${key}.afterMinutes`] });

export function DeadlineField({
  label,
  value,
  onChange,
  kinds,
  errors,
  testId,
  hint,
  disabled,
}: {
  label: string;
  value: DeadlineDraft;
  onChange(value: DeadlineDraft): void;
  /** The kinds offered, in order; for one day "none" reads "none that day". */
  kinds: readonly DeadlineKind[];
  /** The schema's messages for the deadline as a whole, its time and its minutes. */
  errors: { whole?: string; at?: string; after?: string };
  testId: string;
  hint?: ReactNode;
  disabled?: boolean;
}) {
  const t = useText(defText).expectation;
  const oneDay = kinds.includes('keep');
  return (
    <div className={styles.pair}>
      <Field label={label} error={value.kind === 'at' || value.kind === 'after' ? undefined : errors.whole} errorTestId={`${testId}-error`}>
        {(p) => (
          <select {...p} data-testid={`${testId}-kind`} value={value.kind} disabled={disabled} onChange={(e) => onChange({ ...value, kind: e.target.value as DeadlineKind })}>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {k === 'none' && oneDay ? t.noneThatDay : t.kinds[k]}
              </option>
            ))}
          </select>
        )}
      </Field>
      {value.kind === 'at' && (
        <Field label={t.at} error={errors.at ?? errors.whole} errorTestId={`${testId}-error`} hint={hint}>
          {(p) => (
            <input
              {...p}
              data-testid={`${testId}-at`}
              value={value.at}
              inputMode="numeric"
              placeholder="HH:MM"
              maxLength={5}
              autoComplete="off"
              disabled={disabled}
              onChange={(e) => onChange({ ...value, at: e.target.value })}
            />
          )}
        </Field>
      )}
      {value.kind === 'after' && (
        <Field label={t.after} error={errors.after ?? errors.whole} errorTestId={`${testId}-error`}>
          {(p) => (
            <input
              {...p}
              type="number"
              min={1}
              max={1440}
              step={1}
              data-testid={`${testId}-after`}
              value={value.after}
              disabled={disabled}
              onChange={(e) => onChange({ ...value, after: e.target.value })}
            />
          )}
        </Field>
      )}
    </div>
  );
}
