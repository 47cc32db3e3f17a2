'use client';
// A business scope's background image: chosen, checked for size here (the server
// judges the rest), uploaded, replaced or removed after a confirmation.
import { useEffect, useState } from 'react';
import type { Scope } from '../definitions/types';
import { useText } from '../i18n/lang';
import { BACKGROUND_ACCEPT, formatSize, tooLarge } from './background';
import styles from './map.module.css';
import { mapText } from './text';
import { useRemoveBackground, useUploadBackground } from './use-map-changes';

/** Upload, replace or remove a scope's background: on its map and in its edit dialog (testId tells them apart). */
export function BackgroundControls({ scope, testId = 'map-background' }: { scope: Scope; testId?: string }) {
  const t = useText(mapText);
  const upload = useUploadBackground();
  const remove = useRemoveBackground();
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const [armed, setArmed] = useState(false);
  const hasBackground = scope.hasBackground === true;

  useEffect(() => {
    setMessage(null);
    setArmed(false);
  }, [scope.id]);

  function choose(file: File | undefined) {
    if (!file) return;
    setArmed(false);
    if (tooLarge(file.size)) {
      setMessage({ error: true, text: t.tooLarge(formatSize(file.size)) });
      return;
    }
    setMessage(null);
    upload.mutate(
      { scopeId: scope.id, file },
      {
        onSuccess: () => setMessage({ error: false, text: t.uploaded }),
        onError: (err) => setMessage({ error: true, text: t.uploadFailed(err.message) }),
      },
    );
  }

  function confirmRemove() {
    setMessage(null);
    remove.mutate(scope.id, {
      onSuccess: () => setArmed(false),
      onError: (err) => setMessage({ error: true, text: t.removeFailed(err.message) }),
    });
  }

  const busy = upload.isPending || remove.isPending;
  return (
    <div className={styles.backgroundControls} role="group" aria-label={t.background} data-testid={`${testId}-controls`}>
      <label className={`button small ${styles.upload}`} title={t.backgroundHint} aria-disabled={busy}>
        {upload.isPending ? t.uploading : hasBackground ? t.replaceBackground : t.uploadBackground}
        <input
          type="file"
          className="sr-only"
          accept={BACKGROUND_ACCEPT}
          data-testid={`${testId}-input`}
          disabled={busy}
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            e.currentTarget.value = ''; // the same file again is a new choice
            choose(file);
          }}
        />
      </label>
      {hasBackground &&
        (armed ? (
          <>
            <button type="button" className="button danger small" data-testid={`${testId}-remove-confirm`} disabled={busy} onClick={confirmRemove}>
              {t.confirmRemove}
            </button>
            <button type="button" className="button ghost small" disabled={busy} onClick={() => setArmed(false)}>
              {t.cancel}
            </button>
          </>
        ) : (
          <button type="button" className="button ghost small" data-testid={`${testId}-remove`} disabled={busy} onClick={() => setArmed(true)}>
            {t.removeBackground}
          </button>
        ))}
      {message && (
        <span
          className={message.error ? 'inline-error' : 'muted'}
          role={message.error ? 'alert' : 'status'}
          data-testid={`${testId}-message`}
          data-error={message.error ? 'true' : 'false'}
        >
          {message.text}
        </span>
      )}
    </div>
  );
}
