'use client';
// What an operator expects of a monitoring object, in one dialog: the schedule, its
// zone and deadlines (checked in the browser by the server's own schema, the server's
// refusals beside the fields), single-day changes, and removing it after a confirmation.
// A change made meanwhile by someone else is read again rather than overwritten.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useLang, useText } from '../i18n/lang';
import { ApiError } from '../session/api';
import { ConfirmDialog } from './confirm-dialog';
import { Dialog } from './dialog';
import { changedApartFromOverrides, checkExpectation, draftOf, expectationOf, type ExpectationDraft } from './expectation-draft';
import { ExpectationFields } from './expectation-form';
import { errorsOf, formMessage, NO_ERRORS, type FormErrors } from './field';
import { OverrideSection } from './override-section';
import { defText } from './text';
import type { MonitoringObject } from './types';
import { useExpectation, useRemoveExpectation, useSetExpectation, type ExpectationAnswer } from './use-expectation';
import styles from './definitions.module.css';

const FORM_ID = 'expectation-form';

export function ExpectationDialog({ object, onClose }: { object: MonitoringObject; onClose(): void }) {
  const t = useText(defText);
  const query = useExpectation(object.id);
  const remove = useRemoveExpectation(object.id);
  const [confirming, setConfirming] = useState(false);

  return (
    <>
      <Dialog title={t.expectation.title(object.name)} testId="expectation-dialog" wide onClose={onClose}>
        {query.data ? (
          <ExpectationEditor objectId={object.id} answer={query.data} reload={async () => (await query.refetch()).data} onRemove={() => setConfirming(true)} onClose={onClose} />
        ) : (
          <div className={styles.body}>
            {query.isError ? (
              <p className="form-error" role="alert" data-testid="expectation-load-error">
                {errorsOf(query.error).message}
              </p>
            ) : (
              <p className={styles.muted}>{t.expectation.loading}</p>
            )}
          </div>
        )}
      </Dialog>
      {confirming && (
        <ConfirmDialog
          title={t.expectation.removeTitle(object.name)}
          confirm={t.confirmDelete}
          busyLabel={t.expectation.removing}
          testId="expectation-remove-dialog"
          onConfirm={() => remove.mutateAsync()}
          onDone={onClose}
          onClose={() => setConfirming(false)}
        >
          {t.expectation.removeBody}
        </ConfirmDialog>
      )}
    </>
  );
}

/** The fields the form shows the server's messages beside (the rest go under it). */
const shownFields = (fields: Record<string, string>) => Object.keys(fields).filter((k) => /^(schedule|timeZone|startBy|endBy|endWithinMinutes|missedAfterMinutes|learned)(\.|$)/.test(k));

function ExpectationEditor({
  objectId,
  answer,
  reload,
  onRemove,
  onClose,
}: {
  objectId: number;
  answer: ExpectationAnswer;
  /** Reads the expectation again; its answer, or undefined when the read failed. */
  reload(): Promise<ExpectationAnswer | undefined>;
  onRemove(): void;
  onClose(): void;
}) {
  const t = useText(defText);
  const lang = useLang();
  const save = useSetExpectation(objectId);
  const [draft, setDraft] = useState<ExpectationDraft>(() => draftOf(answer.expectation));
  /** The expectation the form was filled from: one stored since by someone else is not overwritten unseen. */
  const [base, setBase] = useState(answer.expectation);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const stored = answer.expectation;
  const formRef = useRef<HTMLFormElement>(null);
  // The dialog opened before the expectation was read: its first field takes the focus once it is.
  useEffect(() => formRef.current?.querySelector<HTMLElement>('input:checked, input, select')?.focus(), []);

  /** A change clears what was said under the form; the fields keep theirs until the next save. */
  function change(next: ExpectationDraft) {
    setDraft(next);
    if (errors.message) setErrors({ ...errors, message: null });
  }

  /** Someone else changed it: the form starts again from what is stored now. */
  function startFrom(expectation: ExpectationAnswer['expectation']) {
    setDraft(draftOf(expectation));
    setBase(expectation);
  }

  async function readAgain() {
    const fresh = await reload();
    if (fresh) startFrom(fresh.expectation);
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const found = checkExpectation(expectationOf(draft), lang);
    if (found) return setErrors({ message: found._ ?? t.fixFields, fields: found });
    setErrors(NO_ERRORS);
    setBusy(true);
    try {
      // Read once more (it is also read again live): someone else may have saved it while the form was open.
      const current = ((await reload()) ?? answer).expectation;
      if (changedApartFromOverrides(base, current)) {
        startFrom(current);
        return setErrors({ message: t.expectation.changedMeanwhile, fields: {} });
      }
      // The overrides go as they are stored now: they are changed one day at a time, below.
      await save.mutateAsync(expectationOf(draft, current?.overrides ?? []));
      onClose();
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        setErrors({ message: t.expectation.changedMeanwhile, fields: {} });
        await readAgain();
      } else {
        setErrors(errorsOf(err));
      }
    } finally {
      setBusy(false);
    }
  }

  const message = formMessage(errors, shownFields(errors.fields), t.fixFields);
  return (
    <>
      <div className={styles.body}>
        {!stored && (
          <p className={styles.note} data-testid="expectation-none">
            {answer.problem ? t.expectation.problem(answer.problem) : t.expectation.none}
          </p>
        )}
        <form ref={formRef} id={FORM_ID} className={styles.sections} onSubmit={submit} noValidate data-testid="expectation-form">
          <ExpectationFields draft={draft} onChange={change} fields={errors.fields} />
        </form>
        {stored && 'whenever' in stored.schedule ? null : stored ? (
          <OverrideSection objectId={objectId} expectation={stored} onConflict={() => void reload()} />
        ) : (
          <p className={styles.muted} data-testid="expectation-overrides-first">
            {t.expectation.overridesFirst}
          </p>
        )}
      </div>
      <div className={styles.foot}>
        {message && (
          <p className={`form-error ${styles.formError}`} role="alert" data-testid="expectation-form-error">
            {message}
          </p>
        )}
        {stored && (
          <button type="button" className={`button ghost ${styles.footStart}`} data-testid="expectation-remove" onClick={onRemove}>
            {t.expectation.remove}
          </button>
        )}
        <button type="button" className="button ghost" data-testid="expectation-cancel" onClick={onClose}>
          {t.cancel}
        </button>
        <button type="submit" form={FORM_ID} className="button primary" data-testid="expectation-submit" disabled={busy}>
          {busy ? t.saving : t.save}
        </button>
      </div>
    </>
  );
}
