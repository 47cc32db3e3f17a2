'use client';
// "Are you sure?" as a modal dialog: what will happen, then the action or Cancel.
// The server's refusal shows in the dialog, which stays open.
import { useState, type ReactNode } from 'react';
import { useText } from '../i18n/lang';
import { Dialog } from './dialog';
import { errorsOf } from './field';
import { defText } from './text';
import styles from './definitions.module.css';

export function ConfirmDialog({
  title,
  children,
  confirm,
  busyLabel,
  testId,
  danger = true,
  onConfirm,
  onDone,
  onClose,
}: {
  title: string;
  children: ReactNode;
  /** The label of the action button. */
  confirm: string;
  busyLabel: string;
  /** The dialog's test id; the action is `${testId}-confirm`, the refusal `${testId}-error`. */
  testId: string;
  danger?: boolean;
  onConfirm(): Promise<unknown>;
  /** After the action succeeded; the dialog closes by default. */
  onDone?(result: unknown): void;
  onClose(): void;
}) {
  const t = useText(defText);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function run() {
    setBusy(true);
    setError(null);
    try {
      const result = await onConfirm();
      setBusy(false);
      if (onDone) onDone(result);
      else onClose();
    } catch (err) {
      setError(errorsOf(err).message);
      setBusy(false);
    }
  }

  return (
    <Dialog title={title} testId={testId} onClose={onClose}>
      <div className={styles.body}>
        <div className={styles.text}>{children}</div>
      </div>
      <div className={styles.foot}>
        {error && (
          <p className={`form-error ${styles.formError}`} role="alert" data-testid={`${testId}-error`}>
            {error}
          </p>
        )}
        <button type="button" className="button ghost" data-autofocus data-testid={`${testId}-cancel`} onClick={onClose}>
          {t.cancel}
        </button>
        <button type="button" className={danger ? 'button danger' : 'button primary'} data-testid={`${testId}-confirm`} onClick={run} disabled={busy}>
          {busy ? busyLabel : confirm}
        </button>
      </div>
    </Dialog>
  );
}
