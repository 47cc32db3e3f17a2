'use client';
// The icon of a scope or object: every icon of the list visible at once, as a
// group of radio buttons (arrow keys move the choice), with a larger preview.
import { useId } from 'react';
import { Icon, ICONS, type IconName } from '../icons/icons';
import { useText } from '../i18n/lang';
import { defText } from './text';
import styles from './definitions.module.css';

export function IconPicker({
  value,
  onChange,
  error,
  testId,
}: {
  value: IconName;
  onChange(icon: IconName): void;
  error?: string;
  /** Prefix of the test ids: `${testId}-${icon}`, `${testId}-preview`, `${testId}-error`. */
  testId: string;
}) {
  const t = useText(defText);
  const name = useId();
  const errorId = `${name}-error`;
  return (
    <fieldset className={`${styles.iconField}${error ? ' field-invalid' : ''}`} aria-describedby={error ? errorId : undefined}>
      <legend className={styles.iconLegend}>{t.icon}</legend>
      <div className={styles.iconPicker}>
        <div className={styles.iconPreview} data-testid={`${testId}-preview`} data-icon={value}>
          <Icon name={value} size={36} />
        </div>
        <div>
          <div className={styles.iconList} role="presentation">
            {ICONS.map((icon) => (
              <label key={icon} className={styles.iconChoice} title={t.icons[icon]}>
                <input
                  type="radio"
                  name={name}
                  value={icon}
                  checked={value === icon}
                  onChange={() => onChange(icon)}
                  aria-label={t.icons[icon]}
                  data-testid={`${testId}-${icon}`}
                />
                <Icon name={icon} size={20} />
              </label>
            ))}
          </div>
          <p className={styles.iconName} aria-live="polite">
            {t.iconChosen(t.icons[value])}
          </p>
        </div>
      </div>
      {error && (
        <span className="field-error" id={errorId} role="alert" data-testid={`${testId}-error`}>
          {error}
        </span>
      )}
    </fieldset>
  );
}
