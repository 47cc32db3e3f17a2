import { describe, expect, it } from 'vitest';
import { check, InputError, parseInput } from '../../input';
import { expectationSchema, LEARNED_DEFAULTS } from '../expectations';

const base = { schedule: { times: ['02:30'] }, timeZone: 'Asia/Tokyo' };

/** The first refusal of an input, in both languages, with where it is. */
function refusal(input: unknown) {
  const result = check(expectationSchema, input);
  if (result.ok) throw new Error('accepted');
  const [first] = result.issues;
  return { path: first.path.join('.'), en: first.text.en, ja: first.text.ja };
}

describe('expectation schema', () => {
  it('takes a list of daily times, each once and in order, with no overrides by default', () => {
    expect(expectationSchema.parse({ ...base, schedule: { times: ['14:00', '02:30', '14:00'] } })).toEqual({
      schedule: { times: ['02:30', '14:00'] },
      timeZone: 'Asia/Tokyo',
      overrides: [],
    });
  });

  it('takes a cron expression and every deadline form', () => {
    const input = {
      schedule: { cron: '30 2 * * 1-5' },
      timeZone: 'America/New_York',
      startBy: { afterMinutes: 15 },
      endBy: { at: '28:30' },
      endWithinMinutes: 90,
      missedAfterMinutes: 60,
      learned: {},
      overrides: [
        { date: '2026-03-10', startBy: { at: '03:00' }, endBy: null },
        { date: '2026-03-11', skip: true },
      ],
    };
    expect(expectationSchema.parse(input)).toEqual({ ...input, learned: LEARNED_DEFAULTS });
  });

  it('reads back what it wrote (the store keeps the output as JSON)', () => {
    const once = expectationSchema.parse({ ...base, learned: { percentile: 90 }, overrides: [{ date: '2026-03-10', skip: true }] });
    expect(expectationSchema.parse(JSON.parse(JSON.stringify(once)))).toEqual(once);
  });

  it('refuses a schedule with both forms or neither', () => {
    expect(refusal({ ...base, schedule: { cron: '0 2 * * *', times: ['02:00'] } })).toEqual({
      path: 'schedule',
      en: 'schedule has one of cron, times or whenever',
      ja: 'schedule には cron、times、whenever のどれか 1 つを書きます',
    });
    expect(refusal({ ...base, schedule: {} }).en).toBe('schedule has one of cron, times or whenever');
    expect(refusal({ ...base, schedule: '0 2 * * *' })).toMatchObject({ path: 'schedule', en: 'schedule is {"cron": "…"}, {"times": ["HH:MM", …]} or {"whenever": true}' });
  });

  it('refuses cron expressions that are not five fields or never fire', () => {
    for (const cron of ['every day', '0 0 2 * * *', '61 2 * * *', '0 0 30 2 *']) {
      expect(refusal({ ...base, schedule: { cron } }), cron).toEqual({
        path: 'schedule.cron',
        en: 'schedule.cron is not a cron expression of five fields that ever fires (minute hour day month weekday, such as "30 2 * * *")',
        ja: 'schedule.cron が一度も起動しないか、5 項目の cron 式 (分 時 日 月 曜日、例 "30 2 * * *") ではありません',
      });
    }
    expect(expectationSchema.safeParse({ ...base, schedule: { cron: '@daily' } }).success).toBe(true);
  });

  it('refuses times that are not "HH:MM" within a day', () => {
    for (const time of ['2:30', '24:00', '02:60', '0230']) {
      expect(refusal({ ...base, schedule: { times: [time] } }), time).toEqual({
        path: 'schedule.times.0',
        en: 'schedule.times are times of day from "00:00" to "23:59"',
        ja: 'schedule.times は "00:00" から "23:59" までの時刻です',
      });
    }
    expect(refusal({ ...base, schedule: { times: [] } }).en).toBe('schedule.times has at least one time');
  });

  it('refuses an unknown time zone', () => {
    expect(refusal({ ...base, timeZone: 'Tokyo' })).toEqual({
      path: 'timeZone',
      en: 'timeZone is not a time zone this console knows (an IANA name such as Asia/Tokyo)',
      ja: 'timeZone はこのコンソールが知らないタイムゾーンです (Asia/Tokyo のような IANA の名前)',
    });
  });

  it('takes deadline clock times up to 47:59 and refuses beyond', () => {
    expect(expectationSchema.safeParse({ ...base, endBy: { at: '47:59' } }).success).toBe(true);
    expect(refusal({ ...base, endBy: { at: '48:00' } })).toEqual({
      path: 'endBy.at',
      en: 'endBy.at is a time from "00:00" to "47:59" ("28:30" is 04:30 the next day)',
      ja: 'endBy.at は "00:00" から "47:59" までの時刻です ("28:30" は翌日の 04:30)',
    });
    expect(refusal({ ...base, startBy: { at: '03:00', afterMinutes: 10 } })).toMatchObject({ path: 'startBy', en: 'startBy has either at or afterMinutes, not both' });
  });

  it('refuses spans that are not whole minutes from 1 to a day', () => {
    expect(refusal({ ...base, startBy: { afterMinutes: 0 } })).toEqual({ path: 'startBy.afterMinutes', en: 'startBy.afterMinutes is at least 1 minute', ja: 'startBy.afterMinutes は 1 分以上です' });
    expect(refusal({ ...base, endWithinMinutes: 1441 })).toEqual({ path: 'endWithinMinutes', en: 'endWithinMinutes is at most 1440 minutes', ja: 'endWithinMinutes は 1440 分以下です' });
    expect(refusal({ ...base, missedAfterMinutes: 1.5 })).toMatchObject({ path: 'missedAfterMinutes', en: 'missedAfterMinutes must be whole minutes' });
  });

  it('refuses learning from fewer runs than it needs', () => {
    expect(refusal({ ...base, learned: { lastN: 3 } })).toEqual({ path: 'learned.lastN', en: 'learned.lastN is at least 5 runs', ja: 'learned.lastN は 5 回以上です' });
    expect(refusal({ ...base, learned: { factor: 0.5 } }).en).toBe('learned.factor is at least 1');
  });

  it('refuses overrides on days that do not exist, twice on one day, or skip other than true', () => {
    expect(refusal({ ...base, overrides: [{ date: '2026-02-30', skip: true }] })).toEqual({
      path: 'overrides.0.date',
      en: 'overrides[].date is a date "YYYY-MM-DD" that exists',
      ja: 'overrides[].date は実在する "YYYY-MM-DD" の日付です',
    });
    expect(refusal({ ...base, overrides: [{ date: '2026-03-10', skip: true }, { date: '2026-03-10', endWithinMinutes: 60 }] })).toEqual({
      path: 'overrides',
      en: 'overrides has each date once',
      ja: 'overrides の日付は 1 日 1 つです',
    });
    expect(refusal({ ...base, overrides: [{ date: '2026-03-10', skip: false }] }).en).toBe('overrides[].skip is true or left out');
  });

  it('refuses fields it does not know', () => {
    expect(refusal({ ...base, startAt: '02:30' }).path).toBe('');
  });

  it('names the field in the error at the edge', () => {
    try {
      parseInput(expectationSchema, { ...base, timeZone: 'Tokyo' });
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).in('ja').error).toBe('timeZone: timeZone はこのコンソールが知らないタイムゾーンです (Asia/Tokyo のような IANA の名前)');
    }
  });
});
