'use client';
// A screen waiting to be enrolled: its pairing code, large, with the console it belongs to and
// where an admin enters the code; why it is waiting again (revoked), and what fails, in place.
import { useClock, useText } from '../i18n/lang';
import { useNow } from '../shell/use-now';
import { wallText } from './text';
import type { Pairing, Trouble } from './use-pairing';
import { burnInShift } from './wall-layout';
import styles from './wall.module.css';

/** The code in two groups of four: easier to read out and to type (the console takes it either way). */
export const groupedCode = (code: string) => `${code.slice(0, 4)}-${code.slice(4)}`;

/** `checking`: not yet known whether this screen holds a credential; the console is being asked. */
export function PairingScreen({ pairing, trouble, revoked, checking = false }: { pairing: Pairing | null; trouble: Trouble | null; revoked: boolean; checking?: boolean }) {
  const t = useText(wallText);
  const formatClock = useClock();
  const now = useNow(1000);
  const shift = burnInShift(now);
  const host = pairing?.consoleHost ?? (typeof window === 'undefined' ? '' : window.location.hostname);
  const enterAt = typeof window === 'undefined' ? '/displays' : `${window.location.origin}/displays`;
  return (
    <main className={styles.pairing} style={{ transform: `translate(${shift.x}px, ${shift.y}px)` }} data-testid="pairing">
      <h1>{t.pairingTitle}</h1>
      {revoked && (
        <p className={styles.revoked} data-testid="display-revoked" role="status">
          {t.revoked}
        </p>
      )}
      {pairing ? (
        <>
          <p className={styles.code} data-testid="pairing-code" data-code={pairing.code} aria-label={pairing.code.split('').join(' ')}>
            {groupedCode(pairing.code)}
          </p>
          <p className={styles.where}>
            {t.enterAt(host)} <strong data-testid="pairing-url">{enterAt}</strong>
          </p>
          <p className={styles.hint}>{t.codeUntil(formatClock(pairing.expiresAt))}</p>
        </>
      ) : (
        !trouble && <p className={styles.hint}>{checking ? t.connecting(host) : t.askingCode(host)}</p>
      )}
      {trouble && (
        <p className={styles.trouble} data-testid="display-trouble" role="status">
          {t.trouble(host, trouble.status, formatClock(trouble.since))}
        </p>
      )}
    </main>
  );
}
