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
  onClose,
  children,
}: {
  title: string;
  testId: string;
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
    <dialog ref={ref} className={styles.dialog} aria-labelledby={titleId} data-testid={testId} onClose={() => onCloseRef.current()}>
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
