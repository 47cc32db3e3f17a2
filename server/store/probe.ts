// The console store's own footing, checked the only way that proves it: a small
// write transaction that also checks the fencing epoch. It runs every few
// seconds, and at once after any store error whose cause is not plain, so
// that a store that cannot be written ends the daemon (the cluster then fails
// it over) while a refused value is contained where it came in.
import type { Store } from './db';
import { assertEpoch } from './fence';
import { isStoreFootingFault } from '../host/footing';

/** Probes in a row that may fail for reasons of no known kind (timeouts) before the store counts as lost. */
const TOLERATED_FAILURES = 3;
/** How long a probe waits for the store (another transaction may hold it), and for its own write. */
const PROBE_MAX_WAIT_MS = 30_000;
const PROBE_TIMEOUT_MS = 10_000;

export interface StoreWatch {
  /** Probes now: true when the store takes a write; a lost store calls onLost instead of returning. */
  check(): Promise<boolean>;
  stop(): void;
}

export function watchStore(store: Store, epoch: number, o: { everyMs: number; onLost: (err: unknown) => void }): StoreWatch {
  let failures = 0;
  let running: Promise<boolean> | null = null;
  const probe = async (): Promise<boolean> => {
    try {
      // A long transaction (a large snapshot) may hold the store meanwhile: a busy store is not a lost one.
      await store.$transaction((tx) => assertEpoch(tx, epoch), { maxWait: PROBE_MAX_WAIT_MS, timeout: PROBE_TIMEOUT_MS });
      failures = 0;
      return true;
    } catch (err) {
      if (isStoreFootingFault(err) || ++failures >= TOLERATED_FAILURES) o.onLost(err);
      return false;
    }
  };
  // One probe at a time: callers that ask while one runs share its answer.
  const check = () => (running ??= probe().finally(() => (running = null)));
  const timer = setInterval(() => void check(), o.everyMs);
  timer.unref();
  return { check, stop: () => clearInterval(timer) };
}
