import { describe, expect, it } from 'vitest';
import { expectationSchema, LEARNED_DEFAULTS, type Expectation } from '../../server/domain/expectations';
import {
  changedApartFromOverrides,
  checkExpectation,
  checkOverride,
  draftOf,
  errorAt,
  expectationOf,
  newOverrideDraft,
  nextStarts,
  overrideDays,
  overrideOf,
  type ExpectationDraft,
} from './expectation-draft';

const parse = (input: unknown): Expectation => expectationSchema.parse(input);

/** Every field set, the overrides apart (the form sends the ones the object has). */
const full = parse({
  schedule: { times: ['02:30', '14:00'] },
  timeZone: 'Asia/Tokyo',
  startBy: { at: '03:00' },
  endBy: { at: '28:30' },
  endWithinMinutes: 90,
  missedAfterMinutes: 120,
  learned: { enabled: true, percentile: 90, lastN: 30, factor: 2 },
  overrides: [{ date: '2026-03-10', skip: true }, { date: '2026-03-11', startBy: null, endBy: { afterMinutes: 45 }, endWithinMinutes: 30 }],
});

describe('the expectation form draft', () => {
  it('goes back to the same expectation it came from, every field', () => {
    const draft = draftOf(full);
    expect(draft).toMatchObject({ scheduleKind: 'times', times: ['02:30', '14:00'], timeZone: 'Asia/Tokyo', endBy: { kind: 'at', at: '28:30' }, endWithin: '90', missedAfter: '120' });
    expect(parse(expectationOf(draft, full.overrides))).toEqual(full);
  });

  it('goes back to a cron schedule and deadlines in minutes after the start', () => {
    const cron = parse({ schedule: { cron: '30 2 * * 1-5' }, timeZone: 'America/New_York', startBy: { afterMinutes: 15 }, endBy: { afterMinutes: 240 } });
    const draft = draftOf(cron);
    expect(draft).toMatchObject({ scheduleKind: 'cron', cron: '30 2 * * 1-5', startBy: { kind: 'after', after: '15' }, endBy: { kind: 'after', after: '240' } });
    expect(parse(expectationOf(draft))).toEqual(cron);
  });

  it('goes back to a schedule of whenever it runs, and drops what needs an expected start when switched to it', () => {
    const whenever = parse({ schedule: { whenever: true }, timeZone: 'UTC', endWithinMinutes: 45 });
    const draft = draftOf(whenever);
    expect(draft.scheduleKind).toBe('whenever');
    expect(parse(expectationOf(draft))).toEqual(whenever);
    // A full expectation switched to whenever keeps its length limits and leaves the deadlines and days behind.
    const switched = expectationOf({ ...draftOf(full), scheduleKind: 'whenever' }, full.overrides);
    expect(parse(switched)).toEqual(parse({ schedule: { whenever: true }, timeZone: 'Asia/Tokyo', endWithinMinutes: 90, learned: full.learned }));
  });

  it('keeps 28:30 as typed: the next day, 04:30', () => {
    const draft = { ...draftOf(null, 'Asia/Tokyo'), times: ['22:00'], endBy: { kind: 'at' as const, at: ' 28:30 ', after: '' } };
    expect(expectationOf(draft).endBy).toEqual({ at: '28:30' });
    expect(checkExpectation(expectationOf(draft), 'en')).toBeNull();
    expect(checkExpectation(expectationOf({ ...draft, endBy: { ...draft.endBy, at: '48:00' } }), 'en')?.['endBy.at']).toContain('"28:30" is 04:30 the next day');
  });

  it('leaves empty optional fields out, and a stored expectation with none has none again', () => {
    const bare = parse({ schedule: { times: ['06:00'] }, timeZone: 'UTC' });
    const draft = draftOf(bare);
    expect(draft).toMatchObject({ startBy: { kind: 'none' }, endBy: { kind: 'none' }, endWithin: '', missedAfter: '', learned: { enabled: false, percentile: String(LEARNED_DEFAULTS.percentile) } });
    expect(expectationOf(draft)).toEqual({ schedule: { times: ['06:00'] }, timeZone: 'UTC' });
    expect(expectationOf({ ...draft, endWithin: '  ', missedAfter: '', times: ['', '06:00', ' '] })).toEqual({ schedule: { times: ['06:00'] }, timeZone: 'UTC' });
  });

  it('starts a new expectation in the given zone with one empty time and learning on, by the defaults', () => {
    const draft = draftOf(null, 'Europe/Berlin');
    expect(draft).toMatchObject({ scheduleKind: 'times', times: [''], timeZone: 'Europe/Berlin', learned: { enabled: true, lastN: '20', factor: '1.5' } });
    const sent = expectationOf({ ...draft, times: ['01:00'] });
    expect(sent.learned).toEqual(LEARNED_DEFAULTS);
    expect(parse(sent).learned).toEqual(LEARNED_DEFAULTS);
  });

  it('keeps learning turned off with numbers of its own', () => {
    const off = parse({ schedule: { times: ['06:00'] }, timeZone: 'UTC', learned: { enabled: false, percentile: 80, lastN: 10, factor: 3 } });
    expect(parse(expectationOf(draftOf(off)))).toEqual(off);
  });

  it('names the fields the schema refuses, in the language asked for', () => {
    const draft: ExpectationDraft = { ...draftOf(null, 'Mars/Olympus'), scheduleKind: 'cron', cron: '61 * * * *', endWithin: 'ten', startBy: { kind: 'after', at: '', after: '' } };
    const en = checkExpectation(expectationOf(draft), 'en')!;
    expect(Object.keys(en).sort()).toEqual(['endWithinMinutes', 'schedule.cron', 'startBy.afterMinutes', 'timeZone']);
    expect(en['schedule.cron']).toContain('not a cron expression');
    expect(errorAt(en, 'startBy')).toBe(en['startBy.afterMinutes']);
    const ja = checkExpectation(expectationOf(draft), 'ja')!;
    expect(ja['schedule.cron']).toContain('cron 式');
    expect(checkExpectation(expectationOf({ ...draftOf(null, 'UTC'), times: [] }), 'en')?.['schedule.times']).toContain('at least one time');
  });
});

describe('changedApartFromOverrides', () => {
  it('tells a change of the expectation from one of its single days', () => {
    expect(changedApartFromOverrides(full, { ...full, overrides: [] })).toBe(false);
    expect(changedApartFromOverrides(full, { ...full, endWithinMinutes: 60 })).toBe(true);
    expect(changedApartFromOverrides(null, full)).toBe(true);
    expect(changedApartFromOverrides(null, null)).toBe(false);
  });
});

describe('one day’s override', () => {
  it('skips the day', () => {
    expect(overrideOf({ ...newOverrideDraft('2026-03-10'), skip: true, endWithinKind: 'minutes', endWithin: '5' })).toEqual({ date: '2026-03-10', skip: true });
  });

  it('changes only what it names; none that day is null', () => {
    const draft = { ...newOverrideDraft('2026-03-10'), startBy: { kind: 'none' as const, at: '', after: '' }, endBy: { kind: 'at' as const, at: '30:00', after: '' } };
    expect(overrideOf(draft)).toEqual({ date: '2026-03-10', startBy: null, endBy: { at: '30:00' } });
    expect(overrideOf({ ...draft, endWithinKind: 'none' }).endWithinMinutes).toBeNull();
    expect(overrideOf({ ...draft, endWithinKind: 'minutes', endWithin: '45' }).endWithinMinutes).toBe(45);
    expect(overrideOf(newOverrideDraft('2026-03-10'))).toEqual({ date: '2026-03-10' });
    expect(checkOverride(overrideOf({ ...draft, endWithinKind: 'minutes', endWithin: '0' }), 'en')?.endWithinMinutes).toContain('at least 1 minute');
  });

  it('is for today to 31 days ahead in the expectation’s zone', () => {
    // 20:00 UTC on 9 March is already 10 March in Tokyo.
    expect(overrideDays('Asia/Tokyo', new Date('2026-03-09T20:00:00Z'), 31)).toEqual({ first: '2026-03-10', last: '2026-04-10' });
  });
});

describe('the preview of the next starts', () => {
  const now = new Date('2026-03-09T12:00:00Z');

  it('lists the next three of a list of times in its zone', () => {
    const draft = { ...draftOf(null, 'Asia/Tokyo'), times: ['02:30'] };
    // 02:30 in Tokyo is 17:30 UTC the day before.
    expect(nextStarts(draft, now).map((d) => d.toISOString())).toEqual(['2026-03-09T17:30:00.000Z', '2026-03-10T17:30:00.000Z', '2026-03-11T17:30:00.000Z']);
  });

  it('finds those of a cron of every minute and of one a year', () => {
    expect(nextStarts({ ...draftOf(null, 'UTC'), scheduleKind: 'cron', cron: '* * * * *' }, now)).toHaveLength(3);
    expect(nextStarts({ ...draftOf(null, 'UTC'), scheduleKind: 'cron', cron: '0 0 1 1 *' }, now).map((d) => d.toISOString())).toEqual([
      '2027-01-01T00:00:00.000Z',
      '2028-01-01T00:00:00.000Z',
      '2029-01-01T00:00:00.000Z',
    ]);
  });

  it('has none while the schedule or the zone does not read', () => {
    expect(nextStarts({ ...draftOf(null, 'UTC'), scheduleKind: 'cron', cron: '61 * * * *' }, now)).toEqual([]);
    expect(nextStarts({ ...draftOf(null, 'Nowhere/Else'), times: ['02:00'] }, now)).toEqual([]);
  });
});
