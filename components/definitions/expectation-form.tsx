'use client';
// The fields of an expectation: the schedule (daily times or cron) and its zone with
// a preview of the next expected starts, the deadlines, and learning the usual duration.
import { useId, useMemo } from 'react';
import { MIN_LEARNING_RUNS } from '../../server/domain/expectations';
import { dateLocale } from '../i18n/time';
import { useLang, useText } from '../i18n/lang';
import { DeadlineField, deadlineErrors } from './deadline-field';
import { nextStarts, type DeadlineDraft, type ExpectationDraft, type FieldErrors } from './expectation-draft';
import { Field } from './field';
import { defText } from './text';
import { TimesList } from './times-list';
import styles from './definitions.module.css';

/** Every IANA time zone this browser knows, for the field's suggestions. */
function timeZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
}

/** The next expected starts in the expectation's zone and the language on screen ("Tue 10 Mar 02:30"). */
function NextStarts({ draft }: { draft: ExpectationDraft }) {
  const t = useText(defText).expectation;
  const lang = useLang();
  const { scheduleKind, times, cron, timeZone } = draft;
  // Only the schedule and the zone move the preview.
  const text = useMemo(() => {
    const starts = nextStarts({ ...draft, scheduleKind, times, cron, timeZone }, new Date());
    if (starts.length === 0) return null;
    const format = new Intl.DateTimeFormat(dateLocale(lang, typeof navigator === 'undefined' ? undefined : navigator.language), {
      timeZone: timeZone.trim(),
      weekday: 'short',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    return starts.map((d) => format.format(d)).join(lang === 'ja' ? '、' : ', ');
  }, [scheduleKind, times, cron, timeZone, lang]);
  return (
    <p className={styles.nextStarts} aria-live="polite" data-testid="expectation-next">
      <span className={styles.nextStartsLabel}>{t.nextStarts(timeZone.trim())}: </span>
      {text ?? <span className={styles.muted}>{t.noNextStarts}</span>}
    </p>
  );
}

function MinutesField({ label, value, onChange, error, testId, hint, disabled }: { label: string; value: string; onChange(v: string): void; error?: string; testId: string; hint?: string; disabled?: boolean }) {
  return (
    <Field label={label} error={error} errorTestId={`${testId}-error`} hint={hint}>
      {(p) => <input {...p} type="number" min={1} max={1440} step={1} data-testid={testId} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value)} />}
    </Field>
  );
}

export function ExpectationFields({ draft, onChange, fields }: { draft: ExpectationDraft; onChange(draft: ExpectationDraft): void; fields: FieldErrors }) {
  const t = useText(defText).expectation;
  const zones = useMemo(timeZones, []);
  const zonesId = useId();
  const timesHintId = useId();
  const set = <K extends keyof ExpectationDraft>(key: K, value: ExpectationDraft[K]) => onChange({ ...draft, [key]: value });
  const setLearned = (changes: Partial<ExpectationDraft['learned']>) => set('learned', { ...draft.learned, ...changes });
  const learnedOff = !draft.learned.enabled;
  const scheduleError = fields.schedule ?? fields['schedule.times'];

  return (
    <>
      <fieldset className="field-group">
        <legend className={styles.sectionTitle}>{t.schedule}</legend>
        <div className={styles.choices} role="radiogroup" aria-label={t.scheduleKind}>
          {(['times', 'cron', 'whenever'] as const).map((kind) => (
            <label key={kind} className={styles.choice}>
              <input
                type="radio"
                name="schedule-kind"
                value={kind}
                data-testid={`expectation-schedule-${kind}`}
                checked={draft.scheduleKind === kind}
                onChange={() => set('scheduleKind', kind)}
              />
              {kind === 'times' ? t.byTimes : kind === 'cron' ? t.byCron : t.whenever}
            </label>
          ))}
        </div>
        {draft.scheduleKind === 'whenever' ? (
          <p className="field-hint" data-testid="expectation-whenever-hint">
            {t.wheneverHint}
          </p>
        ) : draft.scheduleKind === 'times' ? (
          <div className="field">
            <span className="field-label">{t.times}</span>
            <TimesList times={draft.times} onChange={(times) => set('times', times)} errors={draft.times.map((_, i) => fields[`schedule.times.${i}`])} describedBy={timesHintId} />
            {scheduleError && (
              <span className="field-error" role="alert" data-testid="expectation-times-error">
                {scheduleError}
              </span>
            )}
            <span className="field-hint" id={timesHintId}>
              {t.timesHint}
            </span>
          </div>
        ) : (
          <Field label={t.cron} error={fields['schedule.cron'] ?? fields.schedule} errorTestId="expectation-cron-error" hint={t.cronHint}>
            {(p) => <input {...p} data-testid="expectation-cron" value={draft.cron} spellCheck={false} autoComplete="off" placeholder="30 2 * * *" maxLength={100} onChange={(e) => set('cron', e.target.value)} />}
          </Field>
        )}
        <Field label={t.timeZone} error={fields.timeZone} errorTestId="expectation-time-zone-error" hint={t.timeZoneHint}>
          {(p) => (
            <input {...p} data-testid="expectation-time-zone" list={zonesId} value={draft.timeZone} spellCheck={false} autoComplete="off" maxLength={64} onChange={(e) => set('timeZone', e.target.value)} />
          )}
        </Field>
        <datalist id={zonesId}>
          {zones.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
        {draft.scheduleKind !== 'whenever' && <NextStarts draft={draft} />}
      </fieldset>

      <fieldset className="field-group">
        <legend className={styles.sectionTitle}>{t.deadlines}</legend>
        {draft.scheduleKind === 'whenever' ? (
          <MinutesField label={t.endWithin} value={draft.endWithin} onChange={(v) => set('endWithin', v)} error={fields.endWithinMinutes ?? fields.schedule} testId="expectation-end-within" hint={t.optional} />
        ) : (
          <ScheduledDeadlines draft={draft} set={set} fields={fields} />
        )}
      </fieldset>

      <fieldset className="field-group">
        <legend className={styles.sectionTitle}>{t.learned}</legend>
        <label className={styles.choice}>
          <input type="checkbox" data-testid="expectation-learned" checked={draft.learned.enabled} onChange={(e) => setLearned({ enabled: e.target.checked })} />
          {t.learnedEnabled}
        </label>
        <div className={styles.row3}>
          <Field label={t.percentile} error={fields['learned.percentile']} errorTestId="expectation-percentile-error">
            {(p) => <input {...p} type="number" min={50} max={100} data-testid="expectation-percentile" value={draft.learned.percentile} disabled={learnedOff} onChange={(e) => setLearned({ percentile: e.target.value })} />}
          </Field>
          <Field label={t.lastN} error={fields['learned.lastN']} errorTestId="expectation-last-n-error">
            {(p) => <input {...p} type="number" min={MIN_LEARNING_RUNS} max={500} step={1} data-testid="expectation-last-n" value={draft.learned.lastN} disabled={learnedOff} onChange={(e) => setLearned({ lastN: e.target.value })} />}
          </Field>
          <Field label={t.factor} error={fields['learned.factor']} errorTestId="expectation-factor-error">
            {(p) => <input {...p} type="number" min={1} max={10} step={0.1} data-testid="expectation-factor" value={draft.learned.factor} disabled={learnedOff} onChange={(e) => setLearned({ factor: e.target.value })} />}
          </Field>
        </div>
        <p className="field-hint">{t.learnedHint(MIN_LEARNING_RUNS)}</p>
      </fieldset>
    </>
  );
}

/** The deadlines counted from an expected start: start by, end by, end within, missed after. */
function ScheduledDeadlines({
  draft,
  set,
  fields,
}: {
  draft: ExpectationDraft;
  set: <K extends keyof ExpectationDraft>(key: K, value: ExpectationDraft[K]) => void;
  fields: FieldErrors;
}) {
  const t = useText(defText).expectation;
  return (
    <>
      <DeadlineField
        label={t.startBy}
        value={draft.startBy}
        onChange={(v: DeadlineDraft) => set('startBy', v)}
        kinds={['none', 'at', 'after']}
        errors={deadlineErrors(fields, 'startBy')}
        testId="expectation-start-by"
        hint={t.startByHint}
      />
      <DeadlineField
        label={t.endBy}
        value={draft.endBy}
        onChange={(v: DeadlineDraft) => set('endBy', v)}
        kinds={['none', 'at', 'after']}
        errors={deadlineErrors(fields, 'endBy')}
        testId="expectation-end-by"
        hint={t.endByHint}
      />
      <div className={styles.pair}>
        <MinutesField label={t.endWithin} value={draft.endWithin} onChange={(v) => set('endWithin', v)} error={fields.endWithinMinutes} testId="expectation-end-within" hint={t.optional} />
        <MinutesField label={t.missedAfter} value={draft.missedAfter} onChange={(v) => set('missedAfter', v)} error={fields.missedAfterMinutes} testId="expectation-missed-after" hint={t.missedHint} />
      </div>
    </>
  );
}
