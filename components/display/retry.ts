// How a wall display waits before trying again: doubling from a second up to a bound, with
// jitter, so that many screens that failed together (a failover, a network cut) do not return in step.
export const RETRY_FIRST_MS = 1_000;
export const RETRY_MAX_MS = 15_000;

/** The wait before try `attempt + 1` (attempt counts from 0): 0.5 to 1.5 times the doubled step. */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const step = Math.min(RETRY_FIRST_MS * 2 ** Math.min(attempt, 16), RETRY_MAX_MS);
  return Math.round(step * (0.5 + random()));
}

/** Waits `ms`, or less when `signal` aborts (then rejects with its reason). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
