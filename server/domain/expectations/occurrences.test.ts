import { describe, expect, it } from 'vitest';
import { expectationSchema, occurrencesBetween, scheduleAround, type Schedule } from '../expectations';

const isoList = (dates: Date[]) => dates.map((d) => d.toISOString());
const starts = (schedule: Schedule, timeZone: string, from: string, to: string) =>
  isoList(occurrencesBetween(expectationSchema.parse({ schedule, timeZone }), new Date(from), new Date(to)));

describe('occurrencesBetween', () => {
  it('lists daily times in the zone, from inclusive to exclusive', () => {
    // 02:30 and 14:00 in Tokyo are 17:30Z and 05:00Z.
    expect(starts({ times: ['02:30', '14:00'] }, 'Asia/Tokyo', '2026-03-09T17:30:00Z', '2026-03-11T05:00:00Z')).toEqual([
      '2026-03-09T17:30:00.000Z',
      '2026-03-10T05:00:00.000Z',
      '2026-03-10T17:30:00.000Z',
    ]);
  });

  it('lists cron starts in the zone', () => {
    // Weekdays at 09:00 in Tokyo; 14 and 15 March 2026 are a Saturday and a Sunday.
    expect(starts({ cron: '0 9 * * 1-5' }, 'Asia/Tokyo', '2026-03-12T00:00:00Z', '2026-03-17T00:00:00Z')).toEqual([
      '2026-03-12T00:00:00.000Z',
      '2026-03-13T00:00:00.000Z',
      '2026-03-16T00:00:00.000Z',
    ]);
  });

  it('gives the neighbours on either side of the window', () => {
    const expectation = expectationSchema.parse({ schedule: { cron: '0 9 * * 1' }, timeZone: 'Europe/London' });
    const around = scheduleAround(expectation, new Date('2026-03-10T00:00:00Z'), new Date('2026-03-12T00:00:00Z'));
    expect(around).toEqual({ before: new Date('2026-03-09T09:00:00Z'), starts: [], after: new Date('2026-03-16T09:00:00Z') });
  });

  describe('on a spring-forward day, a fixed time the clocks skip starts when they jump', () => {
    // New York, 8 March 2026: 02:00 EST becomes 03:00 EDT (07:00Z).
    const window = ['2026-03-07T12:00:00Z', '2026-03-09T12:00:00Z'] as const;
    const expected = ['2026-03-08T07:00:00.000Z', '2026-03-09T06:30:00.000Z'];

    it('for a list of times', () => {
      expect(starts({ times: ['02:30'] }, 'America/New_York', ...window)).toEqual(expected);
    });

    it('for cron, and a cron list of fixed times behaves as the same list of times', () => {
      expect(starts({ cron: '30 2 * * *' }, 'America/New_York', ...window)).toEqual(expected);
      expect(starts({ cron: '30 2,14 * * *' }, 'America/New_York', ...window)).toEqual(starts({ times: ['02:30', '14:30'] }, 'America/New_York', ...window));
    });

    it('once, for two times in the same gap', () => {
      expect(starts({ times: ['02:00', '02:30'] }, 'America/New_York', '2026-03-08T05:00:00Z', '2026-03-08T12:00:00Z')).toEqual(['2026-03-08T07:00:00.000Z']);
      expect(starts({ cron: '0,30 2 * * *' }, 'America/New_York', '2026-03-08T05:00:00Z', '2026-03-08T12:00:00Z')).toEqual(['2026-03-08T07:00:00.000Z']);
    });

    it('in London too', () => {
      // 29 March 2026: 01:00 GMT becomes 02:00 BST (01:00Z).
      expect(starts({ times: ['01:30'] }, 'Europe/London', '2026-03-28T12:00:00Z', '2026-03-30T12:00:00Z')).toEqual(['2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z']);
      expect(starts({ cron: '30 1 * * *' }, 'Europe/London', '2026-03-28T12:00:00Z', '2026-03-30T12:00:00Z')).toEqual(['2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z']);
    });

    it('but an interval cron skips the times that do not exist', () => {
      expect(starts({ cron: '*/30 1-3 * * *' }, 'America/New_York', '2026-03-08T05:00:00Z', '2026-03-08T09:00:00Z')).toEqual([
        '2026-03-08T06:00:00.000Z', // 01:00 EST
        '2026-03-08T06:30:00.000Z', // 01:30 EST
        '2026-03-08T07:00:00.000Z', // 03:00 EDT
        '2026-03-08T07:30:00.000Z', // 03:30 EDT
      ]);
    });
  });

  describe('on a fall-back day, a fixed time the clocks show twice starts once, at its first instance', () => {
    // New York, 1 November 2026: 01:30 EDT (05:30Z), then 01:30 EST (06:30Z).
    const window = ['2026-10-31T12:00:00Z', '2026-11-02T12:00:00Z'] as const;
    const expected = ['2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z'];

    it('for a list of times and for cron', () => {
      expect(starts({ times: ['01:30'] }, 'America/New_York', ...window)).toEqual(expected);
      expect(starts({ cron: '30 1 * * *' }, 'America/New_York', ...window)).toEqual(expected);
    });

    it('in London too', () => {
      // 25 October 2026: 01:30 BST (00:30Z), then 01:30 GMT (01:30Z).
      expect(starts({ times: ['01:30'] }, 'Europe/London', '2026-10-24T12:00:00Z', '2026-10-25T12:00:00Z')).toEqual(['2026-10-25T00:30:00.000Z']);
      expect(starts({ cron: '30 1 * * *' }, 'Europe/London', '2026-10-24T12:00:00Z', '2026-10-25T12:00:00Z')).toEqual(['2026-10-25T00:30:00.000Z']);
    });

    it('but an interval cron runs through both passes of the hour', () => {
      expect(starts({ cron: '*/30 1 * * *' }, 'America/New_York', '2026-11-01T04:00:00Z', '2026-11-01T08:00:00Z')).toEqual([
        '2026-11-01T05:00:00.000Z', // 01:00 EDT
        '2026-11-01T05:30:00.000Z', // 01:30 EDT
        '2026-11-01T06:00:00.000Z', // 01:00 EST
        '2026-11-01T06:30:00.000Z', // 01:30 EST
      ]);
    });
  });

  it('keeps the same local time in Tokyo, which has no DST', () => {
    expect(starts({ times: ['02:30'] }, 'Asia/Tokyo', '2026-03-07T00:00:00Z', '2026-03-10T00:00:00Z')).toEqual([
      '2026-03-07T17:30:00.000Z',
      '2026-03-08T17:30:00.000Z',
      '2026-03-09T17:30:00.000Z',
    ]);
  });
});
