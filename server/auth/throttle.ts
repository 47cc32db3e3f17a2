// Repeated failed logins are slowed down per user name and per client address:
// after a few failures each further attempt must wait, doubling up to a limit.
// An address gets more free failures than a name: many operators may share one (a proxy).
const FREE_FAILURES = { user: 5, addr: 20 } as const;
const BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 5 * 60_000;
const FORGET_AFTER_MS = 15 * 60_000;

interface Record_ {
  failures: number;
  lastFailure: number;
}

export class LoginThrottle {
  private records = new Map<string, Record_>();

  /** Milliseconds the caller must still wait before trying again (0: go ahead). Keys are `user:…` or `addr:…`. */
  waitFor(keys: string[], now = Date.now()): number {
    let wait = 0;
    for (const key of keys) {
      const r = this.records.get(key);
      if (!r) continue;
      if (now - r.lastFailure > FORGET_AFTER_MS) {
        this.records.delete(key);
        continue;
      }
      const free = key.startsWith('addr:') ? FREE_FAILURES.addr : FREE_FAILURES.user;
      if (r.failures < free) continue;
      const delay = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (r.failures - free));
      wait = Math.max(wait, r.lastFailure + delay - now);
    }
    return Math.max(0, wait);
  }

  failed(keys: string[], now = Date.now()): void {
    for (const key of keys) {
      const r = this.records.get(key);
      this.records.set(key, { failures: (r?.failures ?? 0) + 1, lastFailure: now });
    }
    if (this.records.size > 100_000) this.records.clear(); // bound memory under a spray of names
  }

  succeeded(keys: string[]): void {
    for (const key of keys) this.records.delete(key);
  }
}
