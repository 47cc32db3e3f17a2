'use client';
// Enrols the screen that shows a pairing code: the code as the admin types it
// (the server ignores case, spaces and hyphens), a name, a business scope and
// the settings. A wrong code gets the server's one message beside the code,
// whatever was wrong with it.
import { useState } from 'react';
import { DEFAULT_DISPLAY_SETTINGS, type DisplaySettings } from '../../server/domain/display-settings';
import { Field } from '../definitions/field';
import { scopeIdOf } from '../definitions/scope-options';
import { useSubmit } from '../definitions/submit';
import type { Scope } from '../definitions/types';
import { useText } from '../i18n/lang';
import { Done, Refusal } from '../users/feedback';
import { draftOf, settingsOf } from './display-draft';
import { fieldErrorsOf, formMessageOf, NameField, ScopeField, SettingsFields } from './display-fields';
import { displaysText } from './text';
import { useEnrolDisplay } from './use-displays';
import styles from './displays.module.css';

const DEFAULTS: DisplaySettings = { ...DEFAULT_DISPLAY_SETTINGS, classes: [...DEFAULT_DISPLAY_SETTINGS.classes] };

export function EnrolForm({ scopes }: { scopes: Scope[] }) {
  const t = useText(displaysText);
  const enrol = useEnrolDisplay();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [scope, setScope] = useState('');
  const [settings, setSettings] = useState(() => draftOf(DEFAULTS));
  const [done, setDone] = useState<string | null>(null);

  const { errors, busy, submit } = useSubmit(
    () => {
      setDone(null);
      return enrol.mutateAsync({ code, name, scopeId: scope ? scopeIdOf(scopes, scope) : undefined, settings: settingsOf(settings) });
    },
    ({ display }) => {
      // The next screen is often enrolled alike: the scope and the settings stay.
      setDone(t.done.enrolled(display.name));
      setCode('');
      setName('');
    },
  );
  const fields = fieldErrorsOf(errors);
  const message = formMessageOf(errors);

  return (
    <form className={styles.form} onSubmit={submit} noValidate data-testid="enrol-form" aria-labelledby="enrol-title">
      <h2 id="enrol-title" className={styles.sectionTitle}>
        {t.enrol.title}
      </h2>
      <p className={styles.hint}>{t.enrol.hint}</p>
      <div className={styles.formFields}>
        <Field label={t.enrol.code} error={fields.code} errorTestId="enrol-code-error">
          {(control) => (
            <input
              {...control}
              className={styles.code}
              data-testid="enrol-code"
              value={code}
              maxLength={64}
              spellCheck={false}
              autoComplete="off"
              autoCapitalize="characters"
              onChange={(e) => setCode(e.target.value)}
            />
          )}
        </Field>
        <NameField value={name} onChange={setName} error={fields.name} testId="enrol" />
        <ScopeField scopes={scopes} value={scope} onChange={setScope} error={fields.scopeId} testId="enrol" />
      </div>
      <SettingsFields draft={settings} onChange={setSettings} errors={fields} testId="enrol" />
      <div className={styles.formFoot}>
        <button type="submit" className="button primary" data-testid="enrol-submit" disabled={busy}>
          {busy ? t.enrol.saving : t.enrol.submit}
        </button>
        {message && <Refusal message={message} testId="enrol-error" />}
        {done && <Done message={done} testId="enrol-done" />}
      </div>
    </form>
  );
}
