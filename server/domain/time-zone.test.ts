import { Cron } from 'croner';
import { describe, expect, it } from 'vitest';
import { addDays, isLocalDate, isTimeZone, localDateOf, localToInstant } from './time-zone';

const iso = (d: Date) => d.toISOString();

describe('time zones', () => {
  it('knows IANA names', () => {
    expect(isTimeZone('Asia/Tokyo')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });

  it('reads real calendar days only', () => {
    expect(isLocalDate('2028-02-29')).toBe(true);
    expect(isLocalDate('2026-02-29')).toBe(false);
    expect(isLocalDate('2026-13-01')).toBe(false);
    expect(isLocalDate('2026-3-1')).toBe(false);
  });

  it('counts days across months and years', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('tells the day an instant falls on in a zone', () => {
    const instant = new Date('2026-03-09T16:30:00Z');
    expect(localDateOf(instant, 'Asia/Tokyo')).toBe('2026-03-10');
    expect(localDateOf(instant, 'America/New_York')).toBe('2026-03-09');
    expect(localDateOf(instant, 'Europe/London')).toBe('2026-03-09');
  });

  it('turns a day and a time of day into an instant', () => {
    expect(iso(localToInstant('2026-03-10', 2 * 60 + 30, 'Asia/Tokyo'))).toBe('2026-03-09T17:30:00.000Z');
    expect(iso(localToInstant('2026-07-01', 9 * 60, 'America/New_York'))).toBe('2026-07-01T13:00:00.000Z');
    expect(iso(localToInstant('2026-01-01', 9 * 60, 'Europe/London'))).toBe('2026-01-01T09:00:00.000Z');
  });

  it('puts a time the clocks skip at the instant they jump', () => {
    // New York, 8 March 2026: 02:00 EST becomes 03:00 EDT (07:00Z).
    expect(iso(localToInstant('2026-03-08', 2 * 60 + 30, 'America/New_York'))).toBe('2026-03-08T07:00:00.000Z');
    expect(iso(localToInstant('2026-03-08', 2 * 60, 'America/New_York'))).toBe('2026-03-08T07:00:00.000Z');
    // London, 29 March 2026: 01:00 GMT becomes 02:00 BST (01:00Z).
    expect(iso(localToInstant('2026-03-29', 60 + 30, 'Europe/London'))).toBe('2026-03-29T01:00:00.000Z');
  });

  it('puts a time the clocks show twice at its first instance', () => {
    // New York, 1 November 2026: 01:30 EDT (05:30Z), then 01:30 EST (06:30Z).
    expect(iso(localToInstant('2026-11-01', 60 + 30, 'America/New_York'))).toBe('2026-11-01T05:30:00.000Z');
    // London, 25 October 2026: 01:30 BST (00:30Z), then 01:30 GMT (01:30Z).
    expect(iso(localToInstant('2026-10-25', 60 + 30, 'Europe/London'))).toBe('2026-10-25T00:30:00.000Z');
  });

  it('agrees with cron fixed-time jobs for every quarter hour of the change days', () => {
    const days = [
      ['America/New_York', '2026-03-08'],
      ['America/New_York', '2026-11-01'],
      ['Europe/London', '2026-03-29'],
      ['Europe/London', '2026-10-25'],
      ['Asia/Tokyo', '2026-03-08'],
    ] as const;
    for (const [zone, date] of days) {
      for (let minute = 0; minute < 24 * 60; minute += 15) {
        const [y, m, d] = date.split('-').map(Number);
        const cron = new Cron(`${minute % 60} ${Math.floor(minute / 60)} ${d} ${m} *`, { timezone: zone });
        const expected = cron.nextRun(localToInstant(addDays(date, -1), 0, zone));
        expect(iso(localToInstant(date, minute, zone)), `${zone} ${date} ${minute} min (${y})`).toBe(expected && iso(expected));
      }
    }
  });
});
