'use client';
// A screen without a credential asks the console for a pairing code and polls it until an admin
// enrols it (docs/architecture.md, "Displays"): a new code when one runs out, and every failure
// shown in place and tried again, forever, with backoff and jitter. Never a login form.
import { useEffect, useState } from 'react';
import { api, ApiError } from '../session/api';
import { retryDelayMs, sleep } from './retry';

export interface Pairing {
  /** The 8 letters to show. */
  code: string;
  expiresAt: string;
  consoleHost: string;
}

/** What went wrong, shown on the screen while it keeps trying. */
export interface Trouble {
  since: number;
  /** 0 when the console did not answer, else its HTTP status. */
  status: number;
}

/** Between polls: an admin's enrolment reaches the screen within this and a half. */
const POLL_MS = 1_000;

type PollAnswer = { state: 'waiting' } | { state: 'expired' } | { state: 'enrolled' };

export function usePairing(active: boolean, onEnrolled: () => void): { pairing: Pairing | null; trouble: Trouble | null } {
  const [pairing, setPairing] = useState<Pairing | null>(null);
  const [trouble, setTrouble] = useState<Trouble | null>(null);

  useEffect(() => {
    if (!active) return;
    // A screen back to pairing (revoked) never shows the code it was enrolled with: that one is used.
    setPairing(null);
    setTrouble(null);
    const abort = new AbortController();
    const { signal } = abort;
    (async () => {
      let current: Pairing | null = null;
      let failures = 0;
      while (!signal.aborted) {
        try {
          if (!current || Date.parse(current.expiresAt) <= Date.now()) {
            current = await api<Pairing>('/display/pairing', { method: 'POST', body: {}, signal });
            setPairing(current);
          }
          const answer = await api<PollAnswer>('/display/pairing', { signal });
          failures = 0;
          setTrouble(null);
          if (answer.state === 'enrolled') return onEnrolled();
          // Its time ran out (or the console lost it): the next turn shows a new code.
          if (answer.state === 'expired') current = null;
          await sleep(POLL_MS * (1 + Math.random() / 2), signal);
        } catch (err) {
          if (signal.aborted) return;
          const status = err instanceof ApiError ? err.status : 0;
          setTrouble((was) => ({ since: was?.since ?? Date.now(), status }));
          await sleep(retryDelayMs(failures++), signal).catch(() => {});
        }
      }
    })();
    return () => abort.abort();
  }, [active, onEnrolled]);

  return { pairing: active ? pairing : null, trouble: active ? trouble : null };
}
