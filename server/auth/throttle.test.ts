// The login throttle with a fake clock: per address, per (user, address), an
// account under attack slowed (not refused) for untrusted clients, the device
// cookie's way past it, and memory that stays bounded under a spray.
import { describe, expect, it } from 'vitest';
import { LoginThrottle, THROTTLE, type Attempt, type AttackChange, type Ticket } from './throttle';

function setup() {
  const clock = { now: 1_000_000 };
  const throttle = new LoginThrottle(() => clock.now);
  const enter = (attempt: Attempt): Ticket => {
    const entry = throttle.enter(attempt);
    if (!entry.ok) throw new Error(`refused for ${entry.retryAfterMs} ms`);
    return entry.ticket;
  };
  /** One failed attempt, checked and refused at once; returns the attack changes. */
  const fail = (user: string, address: string, account?: string, device?: string): AttackChange[] =>
    throttle.failed(enter({ user, address, device }), { account });
  const refusedFor = (attempt: Attempt): number => {
    const entry = throttle.enter(attempt);
    if (entry.ok) {
      throttle.release(entry.ticket);
      return 0;
    }
    return entry.retryAfterMs;
  };
  /** Failures from `addresses` distinct addresses, `each` per address, for one account. */
  const spray = (user: string, addresses: number, each = 1, prefix = '10.9.') => {
    const changes: AttackChange[] = [];
    for (let i = 0; i < addresses; i++) for (let j = 0; j < each; j++) changes.push(...fail(user, `${prefix}${i >> 8}.${i & 255}`, user));
    return changes;
  };
  return { clock, throttle, enter, fail, refusedFor, spray };
}

describe('login throttle: by address and by (user, address)', () => {
  it('lets a few failures of a pair through, then makes only that pair wait, doubling', () => {
    const { clock, fail, refusedFor } = setup();
    for (let i = 0; i < THROTTLE.pair.free; i++) fail('admin', '10.0.0.1', 'admin');
    expect(refusedFor({ user: 'admin', address: '10.0.0.1' })).toBe(1000);
    // The right password from another address goes ahead at once; so does another user from this one.
    expect(refusedFor({ user: 'admin', address: '10.0.0.2' })).toBe(0);
    expect(refusedFor({ user: 'ops', address: '10.0.0.1' })).toBe(0);
    clock.now += 1000;
    fail('admin', '10.0.0.1', 'admin');
    expect(refusedFor({ user: 'admin', address: '10.0.0.1' })).toBe(2000);
    clock.now += 2000;
    fail('admin', '10.0.0.1', 'admin');
    expect(refusedFor({ user: 'admin', address: '10.0.0.1' })).toBe(4000);
    // Names are taken as typed, as sign-in takes them: another name is another pair.
    expect(refusedFor({ user: 'Admin', address: '10.0.0.1' })).toBe(0);
    // Forgotten after a quiet quarter of an hour.
    clock.now += THROTTLE.quietMs + 1;
    expect(refusedFor({ user: 'admin', address: '10.0.0.1' })).toBe(0);
  });

  it('caps the delay, and a success clears the pair but not the address', () => {
    const { clock, throttle, enter, fail, refusedFor } = setup();
    for (let i = 0; i < 40; i++) {
      clock.now += refusedFor({ user: 'ops', address: '10.0.0.1' });
      fail('ops', '10.0.0.1', 'ops');
    }
    expect(refusedFor({ user: 'ops', address: '10.0.0.1' })).toBe(THROTTLE.pair.maxMs);
    clock.now += THROTTLE.pair.maxMs;
    throttle.succeeded(enter({ user: 'ops', address: '10.0.0.1' }));
    expect(refusedFor({ user: 'ops', address: '10.0.0.1' })).toBe(0);
    // Those 40 failures were also the address's: it stays slowed for every name until quiet.
    expect(refusedFor({ user: 'someone-else', address: '10.0.0.1' })).toBe(THROTTLE.address.maxMs - THROTTLE.pair.maxMs);
  });

  it('slows an address that fails for many names, and no other address', () => {
    const { clock, fail, refusedFor } = setup();
    for (let i = 0; i < THROTTLE.address.free; i++) fail(`name${i}`, '10.0.0.7');
    expect(refusedFor({ user: 'fresh', address: '10.0.0.7' })).toBe(1000);
    expect(refusedFor({ user: 'fresh', address: '10.0.0.8' })).toBe(0);
    clock.now += 1000;
    fail('fresh', '10.0.0.7');
    expect(refusedFor({ user: 'another', address: '10.0.0.7' })).toBe(2000);
  });

  it('counts attempts being checked against the free failures, so that concurrent ones cannot pass them', () => {
    const { throttle, enter, refusedFor } = setup();
    const flying = Array.from({ length: THROTTLE.pair.free }, () => enter({ user: 'admin', address: '10.0.0.3' }));
    expect(refusedFor({ user: 'admin', address: '10.0.0.3' })).toBe(THROTTLE.pair.baseMs);
    expect(refusedFor({ user: 'admin', address: '10.0.0.4' })).toBe(0);
    throttle.release(flying.pop()!); // ended without a verdict: counts nothing
    expect(refusedFor({ user: 'admin', address: '10.0.0.3' })).toBe(0);
    for (const ticket of flying) throttle.failed(ticket);
    throttle.failed(flying[0]); // a second verdict on one attempt counts once
    expect(refusedFor({ user: 'admin', address: '10.0.0.3' })).toBe(0); // 4 failures: one more is free
    expect(throttle.size().inFlight).toBe(0);
  });
});

describe('login throttle: an account under attack from many addresses', () => {
  it('is under attack after 10 failures from 3 addresses, once per episode, and no sooner', () => {
    const { throttle, fail, spray } = setup();
    // Ten failures from two addresses: each pair is slowed on its own, the account is not under attack.
    for (let i = 0; i < 5; i++) fail('admin', '10.0.0.1', 'admin');
    for (let i = 0; i < 4; i++) fail('admin', '10.0.0.2', 'admin');
    expect(fail('admin', '10.0.0.2', 'admin')).toEqual([]);
    expect(throttle.attacks()).toEqual([]);
    const [started, ...more] = fail('admin', '10.0.0.3', 'admin');
    expect(more).toEqual([]);
    expect(started).toEqual({ kind: 'started', user: 'admin', account: 'admin', failures: 11, addresses: 3, since: 1_000_000 });
    // Later failures add to it without starting it again.
    expect(spray('admin', 30)).toEqual([]);
    expect(throttle.attacks()).toEqual([{ user: 'admin', account: 'admin', failures: 41, addresses: 33, since: 1_000_000 }]);
  });

  it('holds attempts from untrusted clients (slowed, not refused), longer as failures grow, up to 30 s', () => {
    const { throttle, enter, spray } = setup();
    spray('admin', 10);
    const right = enter({ user: 'admin', address: '192.0.2.1' });
    expect(right.holdMs).toBe(1000);
    throttle.succeeded(right); // the right password after the hold: signed in, the attack goes on
    expect(throttle.attacks()).toHaveLength(1);
    expect(throttle.size().held).toBe(0);
    spray('admin', 10, 1, '10.8.');
    expect(throttle.tarpit(20)).toBe(2000);
    const t = enter({ user: 'admin', address: '192.0.2.1' });
    expect(t.holdMs).toBe(2000);
    throttle.release(t);
    expect(throttle.tarpit(30)).toBe(4000);
    expect(throttle.tarpit(59)).toBe(16_000);
    expect(throttle.tarpit(60)).toBe(30_000);
    expect(throttle.tarpit(10_000)).toBe(30_000);
    // Other accounts are not slowed.
    expect(enter({ user: 'ops', address: '192.0.2.1' }).holdMs).toBe(0);
  });

  it('holds at most 4 attempts per account, one per address, 256 in all; refuses the rest with the hold as Retry-After', () => {
    const { throttle, enter, refusedFor, spray } = setup();
    spray('admin', 10);
    const held = [1, 2, 3, 4].map((i) => enter({ user: 'admin', address: `192.0.2.${i}` }));
    expect(held.map((t) => t.holdMs)).toEqual([1000, 1000, 1000, 1000]);
    expect(refusedFor({ user: 'admin', address: '192.0.2.5' })).toBe(1000);
    throttle.failed(held[0], { account: 'admin' });
    expect(refusedFor({ user: 'admin', address: '192.0.2.5' })).toBe(0);
    // One held per address: a second attempt from the same address waits for the first.
    const again = enter({ user: 'admin', address: '192.0.2.6' });
    expect(refusedFor({ user: 'admin', address: '192.0.2.6' })).toBe(1000);
    throttle.release(again);
    for (const t of held) throttle.release(t);

    // In all: 64 accounts under attack, 4 held each, fill the tarpit; the next is refused.
    for (let u = 0; u < 64; u++) spray(`user${u}`, 10, 1, `10.${10 + (u >> 4)}.${u & 15}.`);
    const all: Ticket[] = [];
    for (let u = 0; u < 64; u++) for (let i = 0; i < 4; i++) all.push(enter({ user: `user${u}`, address: `198.51.100.${u * 4 + i}` }));
    expect(throttle.size().held).toBe(THROTTLE.tarpit.total);
    expect(refusedFor({ user: 'admin', address: '203.0.113.1' })).toBe(1000);
    for (const t of all) throttle.release(t);
    expect(throttle.size()).toMatchObject({ held: 0, inFlight: 0 });
  });

  it('ends the attack after 15 quiet minutes: the sweep says so once, and a new one starts afresh', () => {
    const { clock, throttle, enter, fail, spray } = setup();
    spray('admin', 12);
    clock.now += THROTTLE.quietMs;
    expect(throttle.sweep()).toEqual([]); // quiet for exactly 15 minutes: not yet
    clock.now += 1;
    expect(throttle.attacks()).toEqual([]);
    expect(enter({ user: 'admin', address: '192.0.2.1' }).holdMs).toBe(0);
    expect(throttle.sweep()).toEqual([{ kind: 'ended', user: 'admin', account: 'admin', failures: 12, addresses: 12, since: 1_000_000 }]);
    expect(throttle.sweep()).toEqual([]);
    expect(spray('admin', 10).map((c) => [c.kind, c.since])).toEqual([['started', clock.now]]);
    // Not swept in time: the next failure after the quiet time ends the old episode itself.
    clock.now += THROTTLE.quietMs + 1;
    expect(fail('admin', '10.7.0.1', 'admin').map((c) => c.kind)).toEqual(['ended']);
  });

  it('names the account only once a failure named an existing one', () => {
    const { throttle, fail } = setup();
    const changes = Array.from({ length: 10 }, (_, i) => fail('nobody', `10.0.1.${i}`)).flat();
    expect(changes).toEqual([{ kind: 'started', user: 'nobody', failures: 10, addresses: 10, since: 1_000_000 }]);
    expect(throttle.attacks()[0].account).toBeUndefined();
  });
});

describe('login throttle: trusted devices', () => {
  it('lets a device cookie of the account past the tarpit, the pair and the address', () => {
    const { throttle, enter, spray, fail, refusedFor } = setup();
    spray('admin', 40);
    for (let i = 0; i < THROTTLE.address.free; i++) fail(`x${i}`, '192.0.2.9'); // the address is slowed too
    expect(refusedFor({ user: 'admin', address: '192.0.2.9' })).toBe(1000);
    const trusted = enter({ user: 'admin', address: '192.0.2.9', device: 'd1' });
    expect(trusted.holdMs).toBe(0);
    throttle.succeeded(trusted);
    // Held for everyone else.
    expect(enter({ user: 'admin', address: '192.0.2.10' }).holdMs).toBe(8000);
  });

  it('trusts a device no more after 5 failures of its own, which do not count as an attack', () => {
    const { throttle, enter, fail } = setup();
    for (let i = 0; i < THROTTLE.device.free; i++) expect(fail('admin', `10.0.2.${i}`, 'admin', 'd1')).toEqual([]);
    expect(throttle.attacks()).toEqual([]);
    // Now it goes as any client: its address, pair and the account's state apply.
    const t = enter({ user: 'admin', address: '10.0.3.1', device: 'd1' });
    expect(t.device).toBeUndefined();
    throttle.release(t);
    // Another device of the account is still trusted; a success clears a device's failures.
    const other = enter({ user: 'admin', address: '10.0.3.1', device: 'd2' });
    expect(other.device).toBe('d2');
    throttle.succeeded(other);
  });
});

describe('login throttle: memory', () => {
  it('stays bounded under a spray of names and addresses, dropping the least recently failed', () => {
    const { throttle, fail, spray } = setup();
    spray('admin', 10);
    const ended: AttackChange[] = [];
    const { tracked } = THROTTLE;
    for (let i = 0; i < 60_000; i++) {
      ended.push(...fail(`spray${i}`, `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`));
      if (i % 1000 === 0) ended.push(...fail('admin', `172.16.${i >> 8 & 255}.${i & 255}`, 'admin')); // still attacked: kept
    }
    expect(throttle.size()).toEqual({ addresses: tracked.addresses, pairs: tracked.pairs, users: tracked.users, devices: 0, inFlight: 0, held: 0 });
    expect(ended).toEqual([]);
    expect(throttle.attacks().map((a) => a.user)).toEqual(['admin']);

    // An attacked name that no one tries any more is dropped when room is needed: its attack ends.
    for (let i = 0; i < tracked.users; i++) ended.push(...fail(`again${i}`, `10.200.${i >> 8}.${i & 255}`));
    expect(ended.map((c) => [c.kind, c.user])).toEqual([['ended', 'admin']]);

    // Addresses remembered per name are capped too.
    spray('target', 500);
    expect(throttle.attacks().find((a) => a.user === 'target')).toMatchObject({ failures: 500, addresses: tracked.addressesPerUser });
  });
});
