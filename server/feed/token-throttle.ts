// Wrong feed tokens, per remote address: after a few, the address must wait
// (429 with Retry-After, the token not even looked at, so that guessing learns
// nothing meanwhile), the wait doubling with each further wrong token up to a
// minute. A right token clears its address; other addresses are never touched.
// Refusals are logged as one line per address per interval (how many, first and
// last), never one per request, and never with the token, which this file never
// sees. An IPv6 address counts by its /64 (one host's share of a network), and
// the state is bounded: past MAX_ADDRESSES the longest quiet address is dropped,
// its unreported refusals folded into one line for "other addresses".
import { embeddedIpv4, ipv6Bytes } from '../host/networks';
import { Recent } from '../recent';

export const FREE_REFUSALS = 10;
export const BASE_WAIT_MS = 1000;
export const MAX_WAIT_MS = 60_000;
/** An address with no refusal for this long starts afresh. */
export const FORGET_AFTER_MS = 10 * 60_000;
/** At most one log line per address in this long. */
export const REPORT_INTERVAL_MS = 60_000;
export const MAX_ADDRESSES = 10_000;

export type RefusalKind = 'missing' | 'wrong';

/** What one log line says about one address (or, as "other addresses", about those dropped). */
export interface RefusalReport {
  remote: string;
  /** Requests refused for a missing or wrong token since the last line. */
  refused: number;
  missing: number;
  /** Requests answered 429 without a look at their token since the last line. */
  throttled: number;
  first: string;
  last: string;
  /** Milliseconds the address must still wait, when it must. */
  waitMs?: number;
}

interface Entry {
  /** Refusals counted for the wait: they decay only by FORGET_AFTER_MS of quiet. */
  failures: number;
  lastFailure: number;
  // Since the last line about it:
  refused: number;
  missing: number;
  throttled: number;
  first: number;
  last: number;
  reportedAt: number | null;
}

/** The key an address counts under: IPv4 (also when written as IPv6), else its IPv6 /64. */
export function addressKey(remote: string): string {
  const v4 = embeddedIpv4(remote);
  if (v4) return v4;
  const bytes = ipv6Bytes(remote);
  if (!bytes) return remote;
  const groups = Array.from({ length: 4 }, (_, i) => ((bytes[2 * i] << 8) | bytes[2 * i + 1]).toString(16));
  return `${groups.join(':')}::/64`;
}

/** How long an address must still wait, by its refusals counted for the wait; 0 or less: it need not. */
function waitOf(e: Entry, now: number): number {
  if (e.failures < FREE_REFUSALS) return 0;
  return e.lastFailure + Math.min(MAX_WAIT_MS, BASE_WAIT_MS * 2 ** (e.failures - FREE_REFUSALS)) - now;
}

export class FeedTokenThrottle {
  private entries: Recent<Entry>;
  /** Refusals of addresses dropped to bound memory, not yet reported. */
  private others: Omit<Entry, 'failures' | 'lastFailure' | 'reportedAt'> | null = null;

  constructor(
    private report: (r: RefusalReport) => void,
    private now: () => number = Date.now,
    maxAddresses = MAX_ADDRESSES,
  ) {
    this.entries = new Recent(maxAddresses);
  }

  /** Milliseconds this address must wait before a token of its is looked at again; 0: go ahead. Counts a throttled request. */
  waitFor(remote: string): number {
    const now = this.now();
    const key = addressKey(remote);
    const e = this.live(key, now);
    if (!e) return 0;
    const wait = waitOf(e, now);
    if (wait <= 0) return 0;
    this.note(key, e, now, (x) => x.throttled++);
    return wait;
  }

  /** A request refused for a missing or wrong token. */
  refused(remote: string, kind: RefusalKind): void {
    const now = this.now();
    const key = addressKey(remote);
    const e = this.live(key, now) ?? this.add(key, now);
    e.failures++;
    e.lastFailure = now;
    this.note(key, e, now, (x) => {
      x.refused++;
      if (kind === 'missing') x.missing++;
    });
  }

  /** A right token: its address starts afresh (what it had not reported yet is reported now). */
  accepted(remote: string): void {
    const key = addressKey(remote);
    const e = this.entries.get(key);
    if (!e) return;
    if (e.refused + e.throttled > 0) this.emit(key, e, this.now());
    this.entries.delete(key);
  }

  /** Reports every address whose interval is up (with `all`, every one: when the agent stops), and forgets quiet ones; call it every few seconds. */
  flush(all = false): void {
    const now = this.now();
    for (const [key, e] of this.entries.entries()) {
      const pending = e.refused + e.throttled > 0;
      if (pending && (all || e.reportedAt === null || now - e.reportedAt >= REPORT_INTERVAL_MS)) this.emit(key, e, now);
      if (!pending && now - e.lastFailure > FORGET_AFTER_MS) this.entries.delete(key);
    }
    if (this.others) {
      const o = this.others;
      this.others = null;
      this.report({ remote: 'other addresses', refused: o.refused, missing: o.missing, throttled: o.throttled, first: iso(o.first), last: iso(o.last) });
    }
  }

  /** How many addresses are remembered (for tests of the bound). */
  get size(): number {
    return this.entries.size;
  }

  private live(key: string, now: number): Entry | undefined {
    const e = this.entries.get(key);
    if (e && e.refused + e.throttled === 0 && now - e.lastFailure > FORGET_AFTER_MS) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  private add(key: string, now: number): Entry {
    const e: Entry = { failures: 0, lastFailure: now, refused: 0, missing: 0, throttled: 0, first: now, last: now, reportedAt: null };
    // The longest quiet address goes; its unreported refusals are told as "other addresses".
    for (const old of this.entries.put(key, e)) {
      if (old.refused + old.throttled === 0) continue;
      const o = (this.others ??= { refused: 0, missing: 0, throttled: 0, first: old.first, last: old.last });
      o.refused += old.refused;
      o.missing += old.missing;
      o.throttled += old.throttled;
      o.first = Math.min(o.first, old.first);
      o.last = Math.max(o.last, old.last);
    }
    return e;
  }

  /** Counts one request for the log; the first of an address, and the first after a quiet interval, is reported at once. */
  private note(key: string, e: Entry, now: number, count: (e: Entry) => void): void {
    if (e.refused + e.throttled === 0) e.first = now;
    count(e);
    e.last = now;
    // Most recently active last: the first in the map is the one to drop.
    this.entries.put(key, e);
    if (e.reportedAt === null || now - e.reportedAt >= REPORT_INTERVAL_MS) this.emit(key, e, now);
  }

  private emit(key: string, e: Entry, now: number): void {
    const wait = waitOf(e, now);
    this.report({
      remote: key,
      refused: e.refused,
      missing: e.missing,
      throttled: e.throttled,
      first: iso(e.first),
      last: iso(e.last),
      ...(wait > 0 ? { waitMs: wait } : {}),
    });
    e.refused = e.missing = e.throttled = 0;
    e.reportedAt = now;
  }
}

const iso = (ms: number) => new Date(ms).toISOString();
