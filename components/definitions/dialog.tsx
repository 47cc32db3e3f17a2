'use client';
// A real modal dialog: <dialog> opened with showModal(), so the page behind it is
// inert and focus stays inside; Escape (the browser's cancel) or the close button
// closes it, and focus goes back to whatever opened it.
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { defText } from './text';
import { useText } from '../i18n/lang';
import styles from './definitions.module.css';

export function Dialog({
  title,
  testId,
  wide = false,
  onClose,
  children,
}: {
  title: string;
  testId: string;
  /** For a form of many sections. */
  wide?: boolean;
  /** Called once the dialog has closed, however: the caller then stops rendering it. */
  onClose(): void;
  children: ReactNode;
}) {
  const t = useText(defText);
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useEffect(() => {
    const dialog = ref.current!;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    // The first field, not the close button, takes the focus.
    dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => {
      if (dialog.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  return (
    <dialog ref={ref} className={wide ? `${styles.dialog} ${styles.dialogWide}` : styles.dialog} aria-labelledby={titleId} data-testid={testId} onClose={() => onCloseRef.current()}>
      <header className={styles.dialogHead}>
        <h2 id={titleId} className={styles.dialogTitle}>
          {title}
        </h2>
        <button type="button" className={styles.dialogClose} aria-label={t.close} data-testid={`${testId}-close`} onClick={() => ref.current?.close()}>
          ×
        </button>
      </header>
      {children}
    </dialog>
  );
}

/** The foot of a dialog's form: what the server refused (when no field shows it), Cancel, and the submit button. */
export function DialogFoot({ id, message, busy, submitLabel, onCancel }: { id: string; message: string | null; busy: boolean; submitLabel: string; onCancel(): void }) {
  const t = useText(defText);
  return (
    <div className={styles.foot}>
      {message && (
        <p className={`form-error ${styles.formError}`} role="alert" data-testid={`${id}-form-error`}>
          {message}
        </p>
      )}
      <button type="button" className="button ghost" data-testid={`${id}-cancel`} onClick={onCancel}>
        {t.cancel}
      </button>
      <button type="submit" className="button primary" data-testid={`${id}-submit`} disabled={busy}>
        {busy ? t.saving : submitLabel}
      </button>
    </div>
  );
}
