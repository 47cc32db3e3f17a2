// A choice among a few, as buttons side by side of which one is pressed: the list's rows, the
// schedule's shape and hours.
import styles from './segmented.module.css';

interface SegmentedProps<T extends string> {
  label: string;
  options: readonly T[];
  value: T;
  words: Record<T, string>;
  /** Each button's test id is `${testId}-${option}`. */
  testId: string;
  onChange: (value: T) => void;
}

export function Segmented<T extends string>({ label, options, value, words, testId, onChange }: SegmentedProps<T>) {
  return (
    <div className={styles.group} role="group" aria-label={label}>
      {options.map((option) => (
        <button key={option} type="button" className={styles.option} aria-pressed={value === option} data-testid={`${testId}-${option}`} onClick={() => onChange(option)}>
          {words[option]}
        </button>
      ))}
    </div>
  );
}
