'use client';
// Acknowledging, with an optional comment: an abnormal end of a run, or a flag of an object.
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { Acknowledgement } from '../../server/domain/live';
import { useClock, useText } from '../i18n/lang';
import { api, ApiError } from '../session/api';
import { useShell } from '../shell/app-shell';
import { detailText } from './text';

/** Who acknowledged, when, and what they said. */
export function AckLine({ ack, testId = 'ack-line' }: { ack: Acknowledgement | null; testId?: string }) {
  const formatClock = useClock();
  const t = useText(detailText);
  if (!ack) return null;
  return (
    <p className="ack-line" data-testid={testId}>
      ✓ {t.acknowledgedBy(ack.by, formatClock(ack.at))}
      {ack.comment && <span className="ack-comment">“{ack.comment}”</span>}
    </p>
  );
}

/** POSTs `body` with the comment to `path`; `testId` names the form's parts (`<testId>-comment`, `<testId>-submit`). */
export function AckForm({ path, body = {}, confirm, testId = 'ack', onDone }: { path: string; body?: Record<string, unknown>; confirm: string; testId?: string; onDone(): void }) {
  const t = useText(detailText);
  const { session } = useShell();
  const [comment, setComment] = useState('');
  const ack = useMutation({
    mutationFn: () => api(path, { method: 'POST', body: { ...body, comment }, csrfToken: session?.csrfToken }),
    onSuccess: onDone,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    ack.mutate();
  };
  return (
    <form className="ack-form" onSubmit={submit} data-testid={`${testId}-form`}>
      <label className="field">
        <span>{t.ackComment}</span>
        <textarea value={comment} maxLength={500} rows={2} onChange={(e) => setComment(e.target.value)} data-testid={`${testId}-comment`} autoFocus />
      </label>
      {ack.error && (
        <p className="form-error" role="alert">
          {ack.error instanceof ApiError ? (ack.error.fields.comment ?? ack.error.message) : String(ack.error)}
        </p>
      )}
      <div className="form-foot">
        <button type="submit" className="button primary" disabled={ack.isPending} data-testid={`${testId}-submit`}>
          {confirm}
        </button>
        <button type="button" className="button ghost" onClick={onDone}>
          {t.cancel}
        </button>
      </div>
    </form>
  );
}
