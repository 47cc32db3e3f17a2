'use client';
import { useState } from 'react';
import { common } from '../i18n/dictionary';
import { useText } from '../i18n/lang';


/** Two clicks to delete, with the server's refusal shown in place. */
export function DeleteButton({
  testId,
  label,
  onDelete,
}: {
  testId: string;
  label: string;
  onDelete: () => Promise<unknown>;
}) {
  const t = useText(common).definitions;
  const [armed, setArmed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await onDelete();
      setArmed(false);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <span className="delete">
      {armed ? (
        <>
          <button type="button" className="button danger small" data-testid={`${testId}-confirm`} onClick={confirm} disabled={busy}>
            {t.confirmDelete}
          </button>
          <button type="button" className="button ghost small" onClick={() => setArmed(false)} disabled={busy}>
            {t.cancel}
          </button>
        </>
      ) : (
        <button type="button" className="button ghost small" data-testid={testId} aria-label={`${t.delete} ${label}`} onClick={() => setArmed(true)}>
          {t.delete}
        </button>
      )}
      {error && (
        <span className="inline-error" role="alert" data-testid={`${testId}-error`}>
          {error}
        </span>
      )}
    </span>
  );
}
