'use client';
// The fields the enrol form and the edit dialog share: name, business scope and
// the settings. Each shows the server's message for it beside it (the server's
// field names: name, scopeId, settings.rotateSeconds…).
import { useId, useMemo } from 'react';
import { DEFAULT_DISPLAY_SETTINGS, MAX_INTERVAL_SECONDS, MIN_INTERVAL_SECONDS, TILE_DENSITIES, type TileDensity } from '../../server/domain/display-settings';
import { SUMMARY_CLASSES } from '../../server/domain/status';
import { LANGS, type Lang } from '../../server/domain/words';
import { Field, type ControlProps, type FormErrors } from '../definitions/field';
import { indented, scopeOptions } from '../definitions/scope-options';
import type { Scope } from '../definitions/types';
import { common } from '../i18n/dictionary';
import { useText } from '../i18n/lang';
import { toggleClass, type SettingsDraft } from './display-draft';
import { displaysText } from './text';
import styles from './displays.module.css';

/** The fields these forms show beside their controls; anything else the server names goes under the form. */
export const FIELDS_SHOWN = ['code', 'name', 'scopeId', ...Object.keys(DEFAULT_DISPLAY_SETTINGS).map((setting) => `settings.${setting}`)];

/** The server's field messages, one per control: an error on one class of the list is the list's. */
export function fieldErrorsOf(errors: FormErrors): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, message] of Object.entries(errors.fields)) out[key.replace(/^settings\.classes\..*$/, 'settings.classes')] ??= message;
  return out;
}

/** The server's message under the form, unless it only repeats what the fields show beside them. */
export function formMessageOf(errors: FormErrors): string | null {
  const named = Object.keys(fieldErrorsOf(errors));
  return named.length > 0 && named.every((f) => FIELDS_SHOWN.includes(f)) ? null : errors.message;
}

/** An interval in whole seconds, within the bounds the settings allow. */
function SecondsInput({ control, testId, value, disabled, onChange }: { control: ControlProps; testId: string; value: string | number; disabled?: boolean; onChange(value: string): void }) {
  return (
    <input
      {...control}
      type="number"
      inputMode="numeric"
      min={MIN_INTERVAL_SECONDS}
      max={MAX_INTERVAL_SECONDS}
      step={1}
      data-testid={testId}
      value={value}
      disabled={disabled}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

/** Every IANA time zone this browser knows, for the field's suggestions. */
function timeZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
}

export function NameField({ value, onChange, error, testId, autoFocus }: { value: string; onChange(name: string): void; error?: string; testId: string; autoFocus?: boolean }) {
  const t = useText(displaysText).fields;
  return (
    <Field label={t.name} error={error} errorTestId={`${testId}-name-error`} hint={t.nameHint}>
      {(control) => (
        <input
          {...control}
          data-testid={`${testId}-name`}
          data-autofocus={autoFocus || undefined}
          value={value}
          maxLength={80}
          autoComplete="off"
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

/** A business scope from the definitions, in tree order; none picked yet offers a prompt. */
export function ScopeField({ scopes, value, onChange, error, testId }: { scopes: Scope[]; value: string; onChange(scopeId: string): void; error?: string; testId: string }) {
  const t = useText(displaysText).fields;
  return (
    <Field label={t.scope} error={error} errorTestId={`${testId}-scope-error`}>
      {(control) => (
        <select {...control} data-testid={`${testId}-scope`} value={value} onChange={(e) => onChange(e.target.value)}>
          {value === '' && <option value="">{t.chooseScope}</option>}
          {scopeOptions(scopes).map(({ scope, depth }) => (
            <option key={scope.id} value={scope.id}>
              {indented(scope.name, depth)}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function SettingsFields({
  draft,
  onChange,
  errors,
  testId,
}: {
  draft: SettingsDraft;
  onChange(draft: SettingsDraft): void;
  errors: Record<string, string>;
  testId: string;
}) {
  const t = useText(displaysText);
  const summaryNames = useText(common).summary;
  const zones = useMemo(timeZones, []);
  const zonesId = useId();
  const classesErrorId = useId();
  const set = <K extends keyof SettingsDraft>(key: K, value: SettingsDraft[K]) => onChange({ ...draft, [key]: value });
  const secondsHint = t.fields.secondsHint(MIN_INTERVAL_SECONDS, MAX_INTERVAL_SECONDS);
  const classesError = errors['settings.classes'];

  return (
    <fieldset className="field-group" data-testid={`${testId}-settings`}>
      <legend className="field-group-legend">{t.fields.settings}</legend>
      <div className={styles.settingsGrid}>
        <div className={styles.rotate}>
          <label className="check">
            <input type="checkbox" data-testid={`${testId}-rotate`} checked={draft.rotate} onChange={(e) => set('rotate', e.target.checked)} />
            {t.fields.rotate}
          </label>
          {errors['settings.rotate'] && (
            <span className="field-error" role="alert" data-testid={`${testId}-rotate-error`}>
              {errors['settings.rotate']}
            </span>
          )}
          <Field label={t.fields.rotateSeconds} error={errors['settings.rotateSeconds']} errorTestId={`${testId}-rotate-seconds-error`} hint={secondsHint}>
            {(control) => (
              <SecondsInput control={control} testId={`${testId}-rotate-seconds`} value={draft.rotateSeconds} disabled={!draft.rotate} onChange={(v) => set('rotateSeconds', v)} />
            )}
          </Field>
        </div>
        <Field label={t.fields.pageSeconds} error={errors['settings.pageSeconds']} errorTestId={`${testId}-page-seconds-error`} hint={secondsHint}>
          {(control) => <SecondsInput control={control} testId={`${testId}-page-seconds`} value={draft.pageSeconds} onChange={(v) => set('pageSeconds', v)} />}
        </Field>
        <Field label={t.fields.density} error={errors['settings.density']} errorTestId={`${testId}-density-error`}>
          {(control) => (
            <select {...control} data-testid={`${testId}-density`} value={draft.density} onChange={(e) => set('density', e.target.value as TileDensity)}>
              {TILE_DENSITIES.map((d) => (
                <option key={d} value={d}>
                  {t.summary.density[d]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t.fields.timeZone} error={errors['settings.timeZone']} errorTestId={`${testId}-time-zone-error`} hint={t.fields.timeZoneHint}>
          {(control) => (
            <input
              {...control}
              list={zonesId}
              data-testid={`${testId}-time-zone`}
              value={draft.timeZone}
              maxLength={64}
              spellCheck={false}
              autoComplete="off"
              onChange={(e) => set('timeZone', e.target.value)}
            />
          )}
        </Field>
        <datalist id={zonesId}>
          {zones.map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
        <Field label={t.fields.language} error={errors['settings.language']} errorTestId={`${testId}-language-error`}>
          {(control) => (
            <select {...control} data-testid={`${testId}-language`} value={draft.language} onChange={(e) => set('language', e.target.value as Lang)}>
              {LANGS.map((lang) => (
                <option key={lang} value={lang}>
                  {t.languages[lang]}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <fieldset className="check-group" aria-describedby={classesError ? classesErrorId : undefined} aria-invalid={classesError ? true : undefined}>
        <legend className="field-label">{t.fields.classes}</legend>
        <div className={styles.classList}>
          {SUMMARY_CLASSES.map((c) => (
            <label key={c} className="check">
              <input
                type="checkbox"
                data-testid={`${testId}-class-${c}`}
                checked={draft.classes.includes(c)}
                onChange={(e) => set('classes', toggleClass(draft.classes, c, e.target.checked))}
              />
              {summaryNames[c]}
            </label>
          ))}
        </div>
        {classesError && (
          <span className="field-error" id={classesErrorId} role="alert" data-testid={`${testId}-classes-error`}>
            {classesError}
          </span>
        )}
      </fieldset>
    </fieldset>
  );
}
