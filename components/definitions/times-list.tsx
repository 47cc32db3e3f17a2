'use client';
// The daily times of a schedule: one row each, added and removed; at least one row stays.
import { useText } from '../i18n/lang';
import { defText } from './text';
import styles from './definitions.module.css';

export function TimesList({
  times,
  onChange,
  errors,
  describedBy,
}: {
  times: string[];
  onChange(times: string[]): void;
  /** The schema's message per row ("schedule.times.0"), by index. */
  errors: (string | undefined)[];
  describedBy?: string;
}) {
  const t = useText(defText).expectation;
  const set = (i: number, value: string) => onChange(times.map((v, j) => (j === i ? value : v)));
  return (
    <div className={styles.times}>
      <ol className={styles.timesList} data-testid="expectation-times">
        {times.map((time, i) => (
          <li key={i} className={styles.timeRow}>
            <input
              aria-label={t.time(i + 1)}
              aria-describedby={describedBy}
              aria-invalid={errors[i] ? true : undefined}
              data-testid={`expectation-time-${i}`}
              value={time}
              inputMode="numeric"
              placeholder="02:30"
              maxLength={5}
              autoComplete="off"
              onChange={(e) => set(i, e.target.value)}
            />
            <button
              type="button"
              className={styles.navAction}
              aria-label={t.removeTime(i + 1)}
              title={t.removeTime(i + 1)}
              data-testid={`expectation-time-${i}-remove`}
              disabled={times.length === 1}
              onClick={() => onChange(times.filter((_, j) => j !== i))}
            >
              <span aria-hidden="true">×</span>
            </button>
            {errors[i] && (
              <span className="field-error" role="alert" data-testid={`expectation-time-${i}-error`}>
                {errors[i]}
              </span>
            )}
          </li>
        ))}
      </ol>
      <button type="button" className="button ghost small" data-testid="expectation-add-time" onClick={() => onChange([...times, ''])}>
        {t.addTime}
      </button>
    </div>
  );
}
