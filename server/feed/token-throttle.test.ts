// The agent's throttle of wrong feed tokens, on a clock of its own.
import { describe, expect, it } from 'vitest';
import { addressKey, FeedTokenThrottle, FORGET_AFTER_MS, FREE_REFUSALS, MAX_WAIT_MS, REPORT_INTERVAL_MS, type RefusalReport } from './token-throttle';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');

function throttle(maxAddresses?: number) {
  const clock = { now: T0 };
  const reports: RefusalReport[] = [];
  const t = new FeedTokenThrottle((r) => reports.push(r), () => clock.now, maxAddresses);
  return { t, clock, reports };
}

describe('the feed token throttle', () => {
  it('lets a few wrong tokens through, then makes the address wait, doubling up to a minute', () => {
    const { t, clock } = throttle();
    for (let i = 0; i < FREE_REFUSALS - 1; i++) {
      expect(t.waitFor('192.0.2.7')).toBe(0);
      t.refused('192.0.2.7', 'wrong');
      clock.now += 10;
    }
    expect(t.waitFor('192.0.2.7')).toBe(0);
    t.refused('192.0.2.7', 'wrong'); // the tenth
    expect(t.waitFor('192.0.2.7')).toBe(1000);
    clock.now += 400;
    expect(t.waitFor('192.0.2.7')).toBe(600);
    const waits: number[] = [];
    for (let i = 0; i < 10; i++) {
      clock.now += t.waitFor('192.0.2.7');
      expect(t.waitFor('192.0.2.7')).toBe(0);
      t.refused('192.0.2.7', 'wrong');
      waits.push(t.waitFor('192.0.2.7'));
    }
    expect(waits).toEqual([2000, 4000, 8000, 16000, 32000, MAX_WAIT_MS, MAX_WAIT_MS, MAX_WAIT_MS, MAX_WAIT_MS, MAX_WAIT_MS]);
  });

  it('never touches another address, and a right token clears its own', () => {
    const { t } = throttle();
    for (let i = 0; i < FREE_REFUSALS + 3; i++) t.refused('192.0.2.7', 'wrong');
    expect(t.waitFor('192.0.2.7')).toBeGreaterThan(0);
    expect(t.waitFor('192.0.2.8')).toBe(0);
    expect(t.waitFor('::ffff:192.0.2.8')).toBe(0);
    t.accepted('192.0.2.8');
    expect(t.waitFor('192.0.2.7')).toBeGreaterThan(0);
    t.accepted('192.0.2.7');
    expect(t.waitFor('192.0.2.7')).toBe(0);
  });

  it('counts an address however it is written, and an IPv6 host by its /64', () => {
    expect(addressKey('::ffff:10.0.0.1')).toBe('10.0.0.1');
    expect(addressKey('10.0.0.1')).toBe('10.0.0.1');
    expect(addressKey('2001:db8:1:2::5')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2:ffff::6')).toBe('2001:db8:1:2::/64');
    const { t } = throttle();
    for (let i = 0; i < FREE_REFUSALS; i++) t.refused(`2001:db8:1:2::${i.toString(16)}`, 'wrong');
    expect(t.waitFor('2001:db8:1:2::ffff')).toBeGreaterThan(0);
    expect(t.waitFor('2001:db8:1:3::1')).toBe(0);
  });

  it('reports one line per address per interval: how many, first and last, what was throttled', () => {
    const { t, clock, reports } = throttle();
    t.refused('192.0.2.7', 'missing');
    expect(reports).toEqual([{ remote: '192.0.2.7', refused: 1, missing: 1, throttled: 0, first: '2026-01-01T00:00:00.000Z', last: '2026-01-01T00:00:00.000Z' }]);
    for (let i = 0; i < 30; i++) {
      clock.now += 100;
      if (t.waitFor('192.0.2.7') === 0) t.refused('192.0.2.7', 'wrong');
    }
    t.refused('198.51.100.1', 'wrong');
    t.flush();
    expect(reports.map((r) => r.remote)).toEqual(['192.0.2.7', '198.51.100.1']); // nothing more before the interval is up
    clock.now = T0 + REPORT_INTERVAL_MS;
    t.flush();
    expect(reports[2]).toEqual({
      remote: '192.0.2.7',
      refused: FREE_REFUSALS - 1 + 1, // the nine left free, and one more after the first wait
      missing: 0,
      throttled: 30 - FREE_REFUSALS,
      first: '2026-01-01T00:00:00.100Z',
      last: '2026-01-01T00:00:03.000Z',
    });
    expect(reports).toHaveLength(3); // 198.51.100.1 had nothing new
    t.flush();
    expect(reports).toHaveLength(3);
    // Everything pending goes out when the agent stops, interval up or not.
    t.refused('198.51.100.1', 'wrong'); // its last line was 57 s ago
    t.refused('198.51.100.1', 'wrong');
    t.flush();
    expect(reports).toHaveLength(3);
    t.flush(true);
    expect(reports.slice(3)).toMatchObject([{ remote: '198.51.100.1', refused: 2 }]);
    reports.splice(3);
    // A new refusal after a quiet interval is reported at once.
    clock.now += REPORT_INTERVAL_MS;
    t.refused('192.0.2.7', 'wrong');
    expect(reports[3]).toMatchObject({ remote: '192.0.2.7', refused: 1, first: reports[3].last });
  });

  it('forgets an address after ten quiet minutes', () => {
    const { t, clock } = throttle();
    for (let i = 0; i < FREE_REFUSALS + 5; i++) t.refused('192.0.2.7', 'wrong');
    t.flush();
    clock.now += REPORT_INTERVAL_MS;
    t.flush(); // reports what was pending
    clock.now += FORGET_AFTER_MS + 1;
    t.flush();
    expect(t.size).toBe(0);
    expect(t.waitFor('192.0.2.7')).toBe(0);
  });

  it('remembers a bounded number of addresses, folding what the dropped ones did not report into one line', () => {
    const { t, clock, reports } = throttle(100);
    for (let i = 0; i < 5000; i++) {
      t.refused(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, 'wrong');
      t.refused(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, 'wrong');
      expect(t.size).toBeLessThanOrEqual(100);
    }
    expect(reports).toHaveLength(5000); // each address's first refusal, at once
    clock.now += REPORT_INTERVAL_MS;
    t.flush();
    const others = reports.find((r) => r.remote === 'other addresses');
    expect(others).toMatchObject({ refused: 4900 }); // the second refusal of each address dropped
    expect(reports.filter((r) => r.remote !== 'other addresses')).toHaveLength(5000 + 100);
    // Still throttling what it remembers: the latest addresses.
    for (let i = 0; i < FREE_REFUSALS; i++) t.refused('10.0.19.135', 'wrong');
    expect(t.waitFor('10.0.19.135')).toBeGreaterThan(0);
  });
});
