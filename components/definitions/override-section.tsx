'use client';
// One day at a time: the days changed or skipped, each removable, and a form to
// change another day (today to a month ahead, in the expectation's zone).
import { useState, type FormEvent } from 'react';
import { MAX_OVERRIDE_DAYS_AHEAD, type Deadline, type Expectation, type Override } from '../../server/domain/expectations';
import { addDays } from '../../server/domain/time-zone';
import { ApiError } from '../session/api';
import { useLang, useText } from '../i18n/lang';
import { DeadlineField, deadlineErrors } from './deadline-field';
import { checkOverride, newOverrideDraft, overrideDays, overrideOf, type OverrideDraft } from './expectation-draft';
import { errorsOf, Field, formMessage, NO_ERRORS, type FormErrors } from './field';
import { defText } from './text';
import { useRemoveOverride, useSetOverride } from './use-expectation';
import styles from './definitions.module.css';

/** The fields the form shows the server's messages beside. */
const SHOWN = ['date', 'startBy', 'startBy.at', 'startBy.afterMinutes', 'endBy', 'endBy.at', 'endBy.afterMinutes', 'endWithinMinutes'];

type T = (typeof defText)['en']['expectation'];

/** What an override does that day, in words: "Skipped", or each field it changes. */
export function describeOverride(o: Override, t: T): string {
  if (o.skip) return t.skipped;
  const deadline = (d: Deadline) => ('at' in d ? d.at : t.minutesAfter(d.afterMinutes));
  const parts = [
    o.startBy === null ? t.noStartBy : o.startBy && t.startByIs(deadline(o.startBy)),
    o.endBy === null ? t.noEndBy : o.endBy && t.endByIs(deadline(o.endBy)),
    o.endWithinMinutes === null ? t.noEndWithin : o.endWithinMinutes !== undefined && t.endWithinIs(o.endWithinMinutes),
  ].filter((p): p is string => typeof p === 'string');
  return parts.length > 0 ? parts.join(' · ') : t.unchanged;
}

/** A refusal of the server, or the conflict that asks for a fresh read. */
function messageOf(err: unknown, t: T, reload: () => void): FormErrors {
  if (err instanceof ApiError && err.status === 409) {
    reload();
    return { message: t.changedMeanwhile, fields: {} };
  }
  return errorsOf(err);
}

export function OverrideSection({ objectId, expectation, onConflict }: { objectId: number; expectation: Expectation; onConflict(): void }) {
  const d = useText(defText);
  const t = d.expectation;
  const lang = useLang();
  const setOverride = useSetOverride(objectId);
  const removeOverride = useRemoveOverride(objectId);
  const { first, last } = overrideDays(expectation.timeZone, new Date(), MAX_OVERRIDE_DAYS_AHEAD);
  const [draft, setDraft] = useState<OverrideDraft>(() => newOverrideDraft(addDays(first, 1)));
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const set = <K extends keyof OverrideDraft>(key: K, value: OverrideDraft[K]) => setDraft({ ...draft, [key]: value });
  const busy = setOverride.isPending || removeOverride.isPending;

  async function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const override = overrideOf(draft);
    const found = checkOverride(override, lang);
    if (found) return setErrors({ message: null, fields: found });
    // A day that changes nothing is no change.
    if (Object.keys(override).length === 1) return setErrors({ message: t.overrideEmpty, fields: {} });
    setErrors(NO_ERRORS);
    try {
      await setOverride.mutateAsync(override);
      setDraft(newOverrideDraft(addDays(draft.date, 1) > last ? draft.date : addDays(draft.date, 1)));
    } catch (err) {
      setErrors(messageOf(err, t, onConflict));
    }
  }

  async function remove(date: string) {
    setErrors(NO_ERRORS);
    try {
      await removeOverride.mutateAsync(date);
    } catch (err) {
      setErrors(messageOf(err, t, onConflict));
    }
  }

  const f = errors.fields;
  const message = formMessage(errors, SHOWN, d.fixFields) ?? f._;
  return (
    <section className="field-group" aria-labelledby="expectation-overrides-title" data-testid="expectation-overrides">
      <h3 id="expectation-overrides-title" className={styles.sectionTitle}>
        {t.overrides}
      </h3>
      <p className="field-hint">{t.overridesAtOnce}</p>
      {expectation.overrides.length === 0 ? (
        <p className={styles.muted} data-testid="expectation-overrides-none">
          {t.noOverrides}
        </p>
      ) : (
        <ul className={styles.overrideList}>
          {expectation.overrides.map((o) => (
            <li key={o.date} className={styles.overrideRow} data-testid={`expectation-override-${o.date}`}>
              <span className={styles.overrideDate}>{o.date}</span>
              <span className={styles.overrideWhat}>{describeOverride(o, t)}</span>
              <button
                type="button"
                className={`${styles.navAction} ${styles.navActionDanger}`}
                aria-label={t.removeOverride(o.date)}
                title={t.removeOverride(o.date)}
                data-testid={`expectation-override-${o.date}-remove`}
                disabled={busy}
                onClick={() => remove(o.date)}
              >
                <span aria-hidden="true">×</span>
              </button>
            </li>
          ))}
        </ul>
      )}

      <form className={styles.overrideForm} onSubmit={add} noValidate data-testid="override-form" aria-label={t.addOverride}>
        <div className={styles.pair}>
          <Field label={t.date} error={f.date} errorTestId="override-date-error" hint={t.dateHint(first, last, expectation.timeZone)}>
            {(p) => <input {...p} type="date" data-testid="override-date" value={draft.date} min={first} max={last} required onChange={(e) => set('date', e.target.value)} />}
          </Field>
          <Field label={t.thatDay} errorTestId="override-kind-error">
            {(p) => (
              <select {...p} data-testid="override-kind" value={draft.skip ? 'skip' : 'change'} onChange={(e) => set('skip', e.target.value === 'skip')}>
                <option value="change">{t.change}</option>
                <option value="skip">{t.skip}</option>
              </select>
            )}
          </Field>
        </div>
        {!draft.skip && (
          <>
            <DeadlineField
              label={t.startBy}
              value={draft.startBy}
              onChange={(v) => set('startBy', v)}
              kinds={['keep', 'none', 'at', 'after']}
              errors={deadlineErrors(f, 'startBy')}
              testId="override-start-by"
              hint={t.startByHint}
            />
            <DeadlineField
              label={t.endBy}
              value={draft.endBy}
              onChange={(v) => set('endBy', v)}
              kinds={['keep', 'none', 'at', 'after']}
              errors={deadlineErrors(f, 'endBy')}
              testId="override-end-by"
              hint={t.endByHint}
            />
            <div className={styles.pair}>
              <Field label={t.endWithinThatDay} errorTestId="override-end-within-kind-error">
                {(p) => (
                  <select {...p} data-testid="override-end-within-kind" value={draft.endWithinKind} onChange={(e) => set('endWithinKind', e.target.value as OverrideDraft['endWithinKind'])}>
                    <option value="keep">{t.kinds.keep}</option>
                    <option value="none">{t.noneThatDay}</option>
                    <option value="minutes">{t.minutes}</option>
                  </select>
                )}
              </Field>
              {draft.endWithinKind === 'minutes' && (
                <Field label={t.minutes} error={f.endWithinMinutes} errorTestId="override-end-within-error">
                  {(p) => <input {...p} type="number" min={1} max={1440} step={1} data-testid="override-end-within" value={draft.endWithin} onChange={(e) => set('endWithin', e.target.value)} />}
                </Field>
              )}
            </div>
          </>
        )}
        <div className={styles.overrideFoot}>
          {message && (
            <p className={`form-error ${styles.formError}`} role="alert" data-testid="override-form-error">
              {message}
            </p>
          )}
          <button type="submit" className="button small" data-testid="override-submit" disabled={busy}>
            {setOverride.isPending ? t.adding : t.add}
          </button>
        </div>
      </form>
    </section>
  );
}
