// What an operator expects of a monitoring object: when it should start, by
// when it should have started and ended, and how long it usually takes. One
// schema for the store (JSON text), the API's edge and export/import; the rules
// it feeds are in evaluate.ts and docs/architecture.md ("Expectations").
import { Cron } from 'croner';
import { z } from 'zod';
import { inRenderingLang, says } from '../../input';
import { words } from '../words';
import { isLocalDate, isTimeZone } from '../time-zone';

/** A clock time of day, "00:00" to "23:59". */
const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;
/** A deadline's clock time, counted from the expected start's midnight: "00:00" to "47:59" ("28:30" is 04:30 the next day). */
const DEADLINE_CLOCK = /^([0-3]\d|4[0-7]):[0-5]\d$/;

export const MAX_TIMES_A_DAY = 48;
/** The longest any span an operator sets may be: a day, so an occurrence's deadlines fall by the end of the day after it. */
export const MAX_SPAN_MINUTES = 24 * 60;
export const MAX_OVERRIDES = 100;
export const MAX_CRON_LENGTH = 100;
/** How far ahead an override may be set: a month, so that none outlives what an operator remembers setting. */
export const MAX_OVERRIDE_DAYS_AHEAD = 31;

/** Minutes past midnight of a "HH:MM" the schema accepted (hours may pass 24). */
export function minutesOfClock(clock: string): number {
  const [hours, minutes] = clock.split(':').map(Number);
  return hours * 60 + minutes;
}

/**
 * A cron expression's schedule in a zone. Five fields (minute precision);
 * lists and ranges of fixed times (`30 2,14 * * *`) keep the fixed-time DST
 * rule, as in Vixie cron, so they behave as the same list of `times` would.
 */
export function cronIn(expression: string, timeZone: string): Cron {
  return new Cron(expression, { timezone: timeZone, mode: '5-part', fixedTimeRule: 'no-wildcard' });
}

function isCron(expression: string): boolean {
  try {
    // Parsed in UTC: whether it ever fires does not depend on the zone.
    return cronIn(expression, 'UTC').nextRun(new Date(Date.UTC(2000, 0, 1))) !== null;
  } catch {
    return false;
  }
}

const minutes = (field: string, max = MAX_SPAN_MINUTES) =>
  z
    .number(says(`${field} must be a number of minutes`, `${field} は分数です`))
    .int(says(`${field} must be whole minutes`, `${field} は整数の分数です`))
    .min(1, says(`${field} is at least 1 minute`, `${field} は 1 分以上です`))
    .max(max, says(`${field} is at most ${max} minutes`, `${field} は ${max} 分以下です`));

const timeZone = z
  .string(says('timeZone is an IANA time zone name such as Asia/Tokyo', 'timeZone は Asia/Tokyo のような IANA のタイムゾーン名です'))
  .max(64, says('timeZone is longer than 64 characters', 'timeZone が 64 文字を超えています'))
  .refine(isTimeZone, says('timeZone is not a time zone this console knows (an IANA name such as Asia/Tokyo)', 'timeZone はこのコンソールが知らないタイムゾーンです (Asia/Tokyo のような IANA の名前)'));

const cron = z
  .string(says('schedule.cron is a cron expression such as "30 2 * * *"', 'schedule.cron は "30 2 * * *" のような cron 式です'))
  .max(MAX_CRON_LENGTH, says(`schedule.cron is longer than ${MAX_CRON_LENGTH} characters`, `schedule.cron が ${MAX_CRON_LENGTH} 文字を超えています`))
  .refine(isCron, says('schedule.cron is not a cron expression of five fields that ever fires (minute hour day month weekday, such as "30 2 * * *")', 'schedule.cron が一度も起動しないか、5 項目の cron 式 (分 時 日 月 曜日、例 "30 2 * * *") ではありません'));

const times = z
  .array(
    z.string(says('schedule.times are times of day "HH:MM"', 'schedule.times は "HH:MM" の時刻です')).regex(CLOCK, says('schedule.times are times of day from "00:00" to "23:59"', 'schedule.times は "00:00" から "23:59" までの時刻です')),
    says('schedule.times is a list of times of day such as ["02:30"]', 'schedule.times は ["02:30"] のような時刻のリストです'),
  )
  .min(1, says('schedule.times has at least one time', 'schedule.times には時刻を 1 つ以上書きます'))
  .max(MAX_TIMES_A_DAY, says(`schedule.times has at most ${MAX_TIMES_A_DAY} times`, `schedule.times の時刻は ${MAX_TIMES_A_DAY} 個までです`))
  // Kept in order, each once: two equal times are one expected start.
  .transform((list) => [...new Set(list)].sort());

const schedule = z
  .strictObject(
    {
      cron: cron.optional(),
      times: times.optional(),
      whenever: z.literal(true, says('schedule.whenever is true or left out', 'schedule.whenever は true か省略です')).optional(),
    },
    says('schedule is {"cron": "…"}, {"times": ["HH:MM", …]} or {"whenever": true}', 'schedule は {"cron": "…"}、{"times": ["HH:MM", …]} か {"whenever": true} です'),
  )
  .refine((s) => [s.cron, s.times, s.whenever].filter((v) => v !== undefined).length === 1, says('schedule has one of cron, times or whenever', 'schedule には cron、times、whenever のどれか 1 つを書きます'))
  .transform((s): Schedule => (s.cron !== undefined ? { cron: s.cron } : s.times !== undefined ? { times: s.times } : { whenever: true }));

/** When runs are expected: by cron, at times of day, or whenever they come (no expected start: only how long each run takes is watched). */
export type Schedule = { cron: string } | { times: string[] } | { whenever: true };
export const isWhenever = (schedule: Schedule): schedule is { whenever: true } => 'whenever' in schedule;

/** A deadline: a clock time on the expected start's day, or some minutes after the expected start. */
const deadline = (field: string) =>
  z
    .strictObject(
      {
        at: z
          .string(says(`${field}.at is a time "HH:MM"`, `${field}.at は "HH:MM" の時刻です`))
          .regex(DEADLINE_CLOCK, says(`${field}.at is a time from "00:00" to "47:59" ("28:30" is 04:30 the next day)`, `${field}.at は "00:00" から "47:59" までの時刻です ("28:30" は翌日の 04:30)`))
          .optional(),
        afterMinutes: minutes(`${field}.afterMinutes`).optional(),
      },
      says(`${field} is {"at": "HH:MM"} or {"afterMinutes": N}`, `${field} は {"at": "HH:MM"} か {"afterMinutes": N} です`),
    )
    .refine((d) => (d.at === undefined) !== (d.afterMinutes === undefined), says(`${field} has either at or afterMinutes, not both`, `${field} には at か afterMinutes のどちらか一方を書きます`))
    .transform((d): Deadline => (d.at !== undefined ? { at: d.at } : { afterMinutes: d.afterMinutes ?? 0 }));

export type Deadline = { at: string } | { afterMinutes: number };

export const LEARNED_DEFAULTS = { enabled: true, percentile: 95, lastN: 20, factor: 1.5 } as const;
/** Fewer normal ends than this teach nothing: a duration is learned from at least this many. */
export const MIN_LEARNING_RUNS = 5;

const learned = z.strictObject(
  {
    enabled: z.boolean(says('learned.enabled is true or false', 'learned.enabled は true か false です')).default(LEARNED_DEFAULTS.enabled),
    percentile: z
      .number(says('learned.percentile is a number from 50 to 100', 'learned.percentile は 50 から 100 までの数です'))
      .min(50, says('learned.percentile is at least 50', 'learned.percentile は 50 以上です'))
      .max(100, says('learned.percentile is at most 100', 'learned.percentile は 100 以下です'))
      .default(LEARNED_DEFAULTS.percentile),
    lastN: z
      .number(says('learned.lastN is a number of runs', 'learned.lastN は実行の数です'))
      .int(says('learned.lastN is a whole number of runs', 'learned.lastN は整数です'))
      .min(MIN_LEARNING_RUNS, says(`learned.lastN is at least ${MIN_LEARNING_RUNS} runs`, `learned.lastN は ${MIN_LEARNING_RUNS} 回以上です`))
      .max(500, says('learned.lastN is at most 500 runs', 'learned.lastN は 500 回以下です'))
      .default(LEARNED_DEFAULTS.lastN),
    factor: z
      .number(says('learned.factor is a number from 1 to 10', 'learned.factor は 1 から 10 までの数です'))
      .min(1, says('learned.factor is at least 1', 'learned.factor は 1 以上です'))
      .max(10, says('learned.factor is at most 10', 'learned.factor は 10 以下です'))
      .default(LEARNED_DEFAULTS.factor),
  },
  says('learned is {"enabled", "percentile", "lastN", "factor"}', 'learned は {"enabled", "percentile", "lastN", "factor"} です'),
);

/** One day's exception: replaces the fields it names (null: none that day) for the occurrences on its date, or skips them. */
export const overrideSchema = z.strictObject(
  {
    date: z
      .string(says('overrides[].date is a date "YYYY-MM-DD"', 'overrides[].date は "YYYY-MM-DD" の日付です'))
      .refine(isLocalDate, says('overrides[].date is a date "YYYY-MM-DD" that exists', 'overrides[].date は実在する "YYYY-MM-DD" の日付です')),
    startBy: deadline('overrides[].startBy').nullable().optional(),
    endBy: deadline('overrides[].endBy').nullable().optional(),
    endWithinMinutes: minutes('overrides[].endWithinMinutes').nullable().optional(),
    skip: z.literal(true, says('overrides[].skip is true or left out', 'overrides[].skip は true か省略です')).optional(),
  },
  says('an override is {"date", "startBy", "endBy", "endWithinMinutes", "skip"}', '臨時変更は {"date", "startBy", "endBy", "endWithinMinutes", "skip"} です'),
);

export const expectationSchema = z.strictObject(
  {
    schedule,
    /** The zone the schedule, the clock deadlines and the override dates are read in. */
    timeZone,
    startBy: deadline('startBy').optional(),
    endBy: deadline('endBy').optional(),
    endWithinMinutes: minutes('endWithinMinutes').optional(),
    /** How long after the expected start a run may still begin (default: 30 minutes after the start-by deadline, or the start). */
    missedAfterMinutes: minutes('missedAfterMinutes').optional(),
    learned: learned.optional(),
    overrides: z
      .array(overrideSchema, says('overrides is a list of one-day changes', 'overrides は 1 日だけの変更のリストです'))
      .max(MAX_OVERRIDES, says(`overrides has at most ${MAX_OVERRIDES} days`, `overrides は ${MAX_OVERRIDES} 日分までです`))
      .refine((list) => new Set(list.map((o) => o.date)).size === list.length, says('overrides has each date once', 'overrides の日付は 1 日 1 つです'))
      .default([]),
  },
  says('an expectation is {"schedule", "timeZone", …}', '予定は {"schedule", "timeZone", …} です'),
)
  // With no expected start, only a run's own length can be late: deadlines and days have nothing to count from.
  .superRefine((e, ctx) => {
    if (!isWhenever(e.schedule)) return;
    for (const field of ['startBy', 'endBy', 'missedAfterMinutes'] as const) {
      if (e[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: inRenderingLang(words(`${field} needs an expected start: a schedule of cron or times`, `${field} には予定の開始時刻 (cron か times の schedule) が必要です`)) });
    }
    if (e.overrides.length > 0) ctx.addIssue({ code: 'custom', path: ['overrides'], message: inRenderingLang(words('overrides need a schedule of cron or times', 'overrides には cron か times の schedule が必要です')) });
    if (e.endWithinMinutes === undefined && !e.learned?.enabled) {
      ctx.addIssue({ code: 'custom', path: ['schedule'], message: inRenderingLang(words('a schedule of whenever watches how long runs take: give endWithinMinutes or learned', 'whenever の schedule は実行時間を見ます: endWithinMinutes か learned を指定してください')) });
    }
  });

export type Expectation = z.output<typeof expectationSchema>;
export type ExpectationInput = z.input<typeof expectationSchema>;
export type Override = Expectation['overrides'][number];
export type LearnedSettings = NonNullable<Expectation['learned']>;
