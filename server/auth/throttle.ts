// Slowing down online password guessing (OWASP's Authentication Cheat Sheet and
// "Slow Down Online Guessing Attacks with Device Cookies"), as a pure state
// machine with an injected clock: the login use case asks it before checking a
// password (enter) and tells it how the check went (failed, succeeded).
//
// - By source address: after 20 failures from one address (for any names) each
//   further attempt from it must wait, 1 s doubling up to 5 minutes.
// - By (user, address): after 5 free failures, the same for that pair only. A
//   wrong guess from address X never refuses the right password from Y.
// - By user, across addresses: a name that failed 10 times from at least 3
//   addresses with no 15-minute pause is under attack. Until it has been quiet
//   for 15 minutes, every attempt for it from an untrusted client is held before
//   its password is checked (the tarpit): 1 s, doubling every 10 further
//   failures, up to 30 s. Slowed, not refused: only past 4 held attempts for the
//   user, one per address, or 256 held overall is an attempt refused.
// - A trusted device (the caller found a valid device cookie for that user)
//   skips all three; after 5 failures of its own it is trusted no more.
// An attempt refused here is answered 429 with Retry-After, without checking
// anything; it counts as no failure. Attempts being checked count against the
// free failures, so that concurrent requests cannot get past them.
//
// The state lives in this process's memory, so it starts empty whenever a
// manager starts, after a failover too. It stays bounded under a spray of names
// and addresses: each kind of record is capped, dropping the one that failed
// least recently, and forgotten after 15 quiet minutes. Names are taken as typed,
// as sign-in takes them ("Admin" is another name than "admin", and guessing its
// password slows nobody down); which of them are accounts only the caller knows.
import { Recent } from '../recent';

export const THROTTLE = {
  /** A record is forgotten this long after its last failure; an attack ends then. */
  quietMs: 15 * 60_000,
  address: { free: 20, baseMs: 1000, maxMs: 5 * 60_000 },
  pair: { free: 5, baseMs: 1000, maxMs: 5 * 60_000 },
  /** Failures with a trusted device before it is trusted no more (until quiet). */
  device: { free: 5 },
  /** When a name is under attack: this many failures from this many addresses. */
  attack: { failures: 10, addresses: 3 },
  tarpit: { baseMs: 1000, doubleEvery: 10, maxMs: 30_000, perUser: 4, total: 256 },
  /** How many records of each kind are kept at most; addresses remembered per name. */
  tracked: { addresses: 10_000, pairs: 20_000, users: 10_000, devices: 5_000, addressesPerUser: 100 },
} as const;

type Widen<T> = { [K in keyof T]: T[K] extends number ? number : Widen<T[K]> };
export type ThrottleLimits = Widen<typeof THROTTLE>;

export interface Attempt {
  user: string;
  address: string;
  /** The stored id of a valid device cookie of this user, if the client presented one. */
  device?: string;
}

/** An attempt let through: hold it holdMs (the tarpit) before checking it, then report failed or succeeded. */
export interface Ticket {
  readonly user: string;
  readonly address: string;
  readonly pair: string;
  /** Set when the attempt came from a trusted device. */
  readonly device?: string;
  readonly holdMs: number;
}

export type Entry = { ok: true; ticket: Ticket } | { ok: false; retryAfterMs: number };

/** A name under attack: its failures and distinct addresses since its first failure. */
export interface AttackView {
  /** The name as typed. */
  user: string;
  /** The account's name, once a failure named an existing account (the caller says). */
  account?: string;
  failures: number;
  /** Distinct addresses, counted up to THROTTLE.tracked.addressesPerUser. */
  addresses: number;
  /** The first failure of the run (ms). */
  since: number;
}

export interface AttackChange extends AttackView {
  kind: 'started' | 'ended';
}

interface Failures {
  failures: number;
  first: number;
  last: number;
}

interface UserFailures extends Failures {
  user: string;
  account?: string;
  /** 30-bit hashes of the addresses that failed (a small integer each). */
  addresses: Set<number>;
  attacked: boolean;
}

/** FNV-1a, 30 bits: an address in a small integer, for counting distinct ones. */
function addressHash(address: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < address.length; i++) h = Math.imul(h ^ address.charCodeAt(i), 0x01000193);
  return h & 0x3fffffff;
}

const attackView = (r: UserFailures): AttackView => ({
  user: r.user,
  ...(r.account !== undefined ? { account: r.account } : {}),
  failures: r.failures,
  addresses: r.addresses.size,
  since: r.first,
});

interface TicketState extends Ticket {
  inFlight: string[];
  held: boolean;
  done: boolean;
}

export class LoginThrottle {
  private addresses: Recent<Failures>;
  private pairs: Recent<Failures>;
  private users: Recent<UserFailures>;
  private devices: Recent<Failures>;
  /** Attempts being checked, per key (`a:`, `p:`, `d:`); an entry exists only while one is. */
  private inFlight = new Map<string, number>();
  /** Attempts held in the tarpit, per name and per pair, and in all. */
  private heldByUser = new Map<string, number>();
  private heldPairs = new Set<string>();
  private heldTotal = 0;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly limits: ThrottleLimits = THROTTLE,
  ) {
    const { tracked } = limits;
    this.addresses = new Recent(tracked.addresses);
    this.pairs = new Recent(tracked.pairs);
    this.users = new Recent(tracked.users);
    this.devices = new Recent(tracked.devices);
  }

  /** Whether an attempt may be checked now (after holding it ticket.holdMs), or how long it must wait. */
  enter(attempt: Attempt): Entry {
    const now = this.now();
    const user = attempt.user.slice(0, 200);
    const address = attempt.address.slice(0, 100);
    const pair = `${user}\u0000${address}`;
    if (attempt.device !== undefined) {
      const key = `d:${attempt.device}`;
      const own = this.live(this.devices.get(attempt.device), now)?.failures ?? 0;
      if (own + this.flying(key) < this.limits.device.free) return { ok: true, ticket: this.admit({ user, address, pair, device: attempt.device, holdMs: 0 }, [key]) };
      // A device with too many failures of its own goes on as any other client.
    }
    const wait = Math.max(
      this.wait(this.live(this.addresses.get(address), now), this.flying(`a:${address}`), this.limits.address, now),
      this.wait(this.live(this.pairs.get(pair), now), this.flying(`p:${pair}`), this.limits.pair, now),
    );
    if (wait > 0) return { ok: false, retryAfterMs: wait };
    let holdMs = 0;
    const attacked = this.live(this.users.get(user), now);
    if (attacked?.attacked) {
      holdMs = this.tarpit(attacked.failures);
      const { perUser, total } = this.limits.tarpit;
      if (this.heldPairs.has(pair) || (this.heldByUser.get(user) ?? 0) >= perUser || this.heldTotal >= total) return { ok: false, retryAfterMs: holdMs };
    }
    return { ok: true, ticket: this.admit({ user, address, pair, holdMs }, [`a:${address}`, `p:${pair}`]) };
  }

  /**
   * The attempt's credentials were refused. `account` names the existing account the
   * attempt named, if any. Returns the attacks this failure started or ended.
   */
  failed(ticket: Ticket, { account }: { account?: string } = {}): AttackChange[] {
    const t = ticket as TicketState;
    if (t.done) return [];
    this.release(t);
    const now = this.now();
    this.count(this.addresses, t.address, now);
    this.count(this.pairs, t.pair, now);
    // A trusted device's failures are its own: they do not make the account look attacked.
    if (t.device !== undefined) {
      this.count(this.devices, t.device, now);
      return [];
    }
    return this.countUser(t, account, now);
  }

  /** The attempt signed in: its pair and device start afresh; the address and the name's attack stay. */
  succeeded(ticket: Ticket): void {
    const t = ticket as TicketState;
    if (t.done) return;
    this.release(t);
    this.pairs.delete(t.pair);
    if (t.device !== undefined) this.devices.delete(t.device);
  }

  /** The attempt ended without a verdict (an error): frees what it held, counts nothing. */
  release(ticket: Ticket): void {
    const t = ticket as TicketState;
    if (t.done) return;
    t.done = true;
    for (const key of t.inFlight) {
      const n = (this.inFlight.get(key) ?? 1) - 1;
      if (n > 0) this.inFlight.set(key, n);
      else this.inFlight.delete(key);
    }
    if (t.held) {
      const n = (this.heldByUser.get(t.user) ?? 1) - 1;
      if (n > 0) this.heldByUser.set(t.user, n);
      else this.heldByUser.delete(t.user);
      this.heldPairs.delete(t.pair);
      this.heldTotal--;
    }
  }

  /** Forgets every record quiet for long enough; returns the attacks that thereby ended. */
  sweep(): AttackChange[] {
    const now = this.now();
    const ended: AttackChange[] = [];
    for (const map of [this.addresses, this.pairs, this.devices]) {
      for (const [key, r] of map.entries()) if (!this.live(r, now)) map.delete(key);
    }
    for (const [key, r] of this.users.entries()) {
      if (this.live(r, now)) continue;
      this.users.delete(key);
      if (r.attacked) ended.push({ kind: 'ended', ...attackView(r) });
    }
    return ended;
  }

  /** The names under attack now. */
  attacks(): AttackView[] {
    const now = this.now();
    const list: AttackView[] = [];
    for (const [, r] of this.users.entries()) if (r.attacked && this.live(r, now)) list.push(attackView(r));
    return list;
  }

  /** How many records of each kind are kept, and attempts held: for tests of the bounds. */
  size(): { addresses: number; pairs: number; users: number; devices: number; inFlight: number; held: number } {
    return { addresses: this.addresses.size, pairs: this.pairs.size, users: this.users.size, devices: this.devices.size, inFlight: this.inFlight.size, held: this.heldTotal };
  }

  /** How long the tarpit holds an attempt for a name with this many failures. */
  tarpit(failures: number): number {
    const { baseMs, doubleEvery, maxMs } = this.limits.tarpit;
    return Math.min(maxMs, baseMs * 2 ** Math.floor(Math.max(0, failures - this.limits.attack.failures) / doubleEvery));
  }

  private live<R extends Failures>(r: R | undefined, now: number): R | undefined {
    return r && now - r.last <= this.limits.quietMs ? r : undefined;
  }

  private flying(key: string): number {
    return this.inFlight.get(key) ?? 0;
  }

  /** 0 when an attempt may go ahead; else how long it must wait. */
  private wait(r: Failures | undefined, inFlight: number, { free, baseMs, maxMs }: { free: number; baseMs: number; maxMs: number }, now: number): number {
    const failures = r?.failures ?? 0;
    if (failures + inFlight < free) return 0;
    // Past the free failures one attempt at a time: the one being checked decides what comes next.
    if (inFlight > 0) return baseMs;
    const delay = Math.min(maxMs, baseMs * 2 ** (failures - free));
    return Math.max(0, r!.last + delay - now);
  }

  private admit(ticket: Ticket, inFlight: string[]): Ticket {
    for (const key of inFlight) this.inFlight.set(key, this.flying(key) + 1);
    const held = ticket.holdMs > 0;
    if (held) {
      this.heldByUser.set(ticket.user, (this.heldByUser.get(ticket.user) ?? 0) + 1);
      this.heldPairs.add(ticket.pair);
      this.heldTotal++;
    }
    const state: TicketState = { ...ticket, inFlight, held, done: false };
    return state;
  }

  private count(map: Recent<Failures>, key: string, now: number): void {
    const r = this.live(map.get(key), now);
    map.put(key, r ? { failures: r.failures + 1, first: r.first, last: now } : { failures: 1, first: now, last: now });
  }

  private countUser(t: TicketState, account: string | undefined, now: number): AttackChange[] {
    const changes: AttackChange[] = [];
    let r = this.users.get(t.user);
    if (r && !this.live(r, now)) {
      if (r.attacked) changes.push({ kind: 'ended', ...attackView(r) });
      r = undefined;
    }
    r ??= { user: t.user, failures: 0, first: now, last: now, addresses: new Set(), attacked: false };
    r.failures++;
    r.last = now;
    if (r.addresses.size < this.limits.tracked.addressesPerUser) r.addresses.add(addressHash(t.address));
    if (account !== undefined) r.account = account;
    const { failures, addresses } = this.limits.attack;
    if (!r.attacked && r.failures >= failures && r.addresses.size >= addresses) {
      r.attacked = true;
      changes.push({ kind: 'started', ...attackView(r) });
    }
    // A name dropped to make room (the least recently failed) is no longer watched: its attack ends.
    for (const dropped of this.users.put(t.user, r)) if (dropped.attacked) changes.push({ kind: 'ended', ...attackView(dropped) });
    return changes;
  }
}
