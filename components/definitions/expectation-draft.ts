// An expectation as its form holds it (everything as typed, each deadline with its
// kind), and back to what the API takes: empty optional fields left out, numbers that
// are not numbers sent as such so that the schema names their field. The same schema
// checks it in the browser and on the server (server/domain/expectations).
import {
  expectationSchema,
  LEARNED_DEFAULTS,
  occurrencesBetween,
  overrideSchema,
  type Deadline,
  type Expectation,
  type ExpectationInput,
  type Override,
} from '../../server/domain/expectations';
import { addDays, localDateOf, type LocalDate } from '../../server/domain/time-zone';
import { check, type Issue } from '../../server/input';
import type { Lang } from '../i18n/lang-choice';

/** none: no deadline; keep (overrides only): the expectation's own that day. */
export type DeadlineKind = 'none' | 'at' | 'after' | 'keep';

export interface DeadlineDraft {
  kind: DeadlineKind;
  /** "HH:MM", up to "47:59" (the next day). */
  at: string;
  /** Minutes after the expected start. */
  after: string;
}

export interface ExpectationDraft {
  /** whenever: no expected start, each run watched for its length only. */
  scheduleKind: 'times' | 'cron' | 'whenever';
  /** One row each, as typed; empty rows are left out. */
  times: string[];
  cron: string;
  timeZone: string;
  startBy: DeadlineDraft;
  endBy: DeadlineDraft;
  /** Empty: none. */
  endWithin: string;
  missedAfter: string;
  learned: { enabled: boolean; percentile: string; lastN: string; factor: string };
}

const NO_DEADLINE: DeadlineDraft = { kind: 'none', at: '', after: '' };

/** The browser's own zone, the default of a new expectation. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

const text = (n: number | undefined) => (n === undefined ? '' : String(n));

function deadlineDraft(deadline: Deadline | null | undefined, absent: DeadlineKind): DeadlineDraft {
  if (deadline === undefined) return { ...NO_DEADLINE, kind: absent };
  if (deadline === null) return NO_DEADLINE;
  return 'at' in deadline ? { kind: 'at', at: deadline.at, after: '' } : { kind: 'after', at: '', after: String(deadline.afterMinutes) };
}

export function draftOf(expectation: Expectation | null, timeZone = browserTimeZone()): ExpectationDraft {
  if (!expectation) {
    return {
      scheduleKind: 'times',
      times: [''],
      cron: '',
      timeZone,
      startBy: NO_DEADLINE,
      endBy: NO_DEADLINE,
      endWithin: '',
      missedAfter: '',
      learned: learnedDraft(LEARNED_DEFAULTS),
    };
  }
  const { schedule } = expectation;
  return {
    scheduleKind: 'cron' in schedule ? 'cron' : 'whenever' in schedule ? 'whenever' : 'times',
    times: 'times' in schedule ? [...schedule.times] : [''],
    cron: 'cron' in schedule ? schedule.cron : '',
    timeZone: expectation.timeZone,
    startBy: deadlineDraft(expectation.startBy, 'none'),
    endBy: deadlineDraft(expectation.endBy, 'none'),
    endWithin: text(expectation.endWithinMinutes),
    missedAfter: text(expectation.missedAfterMinutes),
    // None stored: learning is off, the defaults ready for when it is turned on.
    learned: expectation.learned ? learnedDraft(expectation.learned) : { ...learnedDraft(LEARNED_DEFAULTS), enabled: false },
  };
}

function learnedDraft(l: { enabled: boolean; percentile: number; lastN: number; factor: number }): ExpectationDraft['learned'] {
  return { enabled: l.enabled, percentile: String(l.percentile), lastN: String(l.lastN), factor: String(l.factor) };
}

/** A number as typed; what is not one goes as NaN, which the schema refuses by its field. */
const numberOf = (typed: string): number => (typed.trim() === '' ? NaN : Number(typed.trim()));
const optionalNumber = (typed: string): number | undefined => (typed.trim() === '' ? undefined : numberOf(typed));

function deadlineOf(d: DeadlineDraft): Deadline | null | undefined {
  switch (d.kind) {
    case 'keep':
      return undefined;
    case 'none':
      return null;
    case 'at':
      return { at: d.at.trim() };
    case 'after':
      return { afterMinutes: numberOf(d.after) };
  }
}

/** What the form sends: the expectation as typed, with the overrides it has now (they are changed one day at a time). */
export function expectationOf(draft: ExpectationDraft, overrides: readonly Override[] = []): ExpectationInput {
  const whenever = draft.scheduleKind === 'whenever';
  const out: ExpectationInput = {
    schedule: whenever ? { whenever: true } : draft.scheduleKind === 'cron' ? { cron: draft.cron.trim() } : { times: draft.times.map((t) => t.trim()).filter(Boolean) },
    timeZone: draft.timeZone.trim(),
  };
  // With no expected start there is nothing to be late against: those fields are hidden and not sent.
  const startBy = whenever ? undefined : deadlineOf(draft.startBy);
  if (startBy) out.startBy = startBy;
  const endBy = whenever ? undefined : deadlineOf(draft.endBy);
  if (endBy) out.endBy = endBy;
  const endWithin = optionalNumber(draft.endWithin);
  if (endWithin !== undefined) out.endWithinMinutes = endWithin;
  const missedAfter = whenever ? undefined : optionalNumber(draft.missedAfter);
  if (missedAfter !== undefined) out.missedAfterMinutes = missedAfter;
  const learned = { enabled: draft.learned.enabled, percentile: numberOf(draft.learned.percentile), lastN: numberOf(draft.learned.lastN), factor: numberOf(draft.learned.factor) };
  const isDefault = learned.percentile === LEARNED_DEFAULTS.percentile && learned.lastN === LEARNED_DEFAULTS.lastN && learned.factor === LEARNED_DEFAULTS.factor;
  // Off with the default numbers is what none says.
  if (learned.enabled || !isDefault) out.learned = learned;
  if (overrides.length > 0 && !whenever) out.overrides = [...overrides];
  return out;
}

/**
 * Whether two expectations differ in more than their single-day changes: a form opened on one
 * and saved over the other would undo what someone else set meanwhile.
 */
export function changedApartFromOverrides(a: Expectation | null, b: Expectation | null): boolean {
  const rest = (e: Expectation | null) => (e ? JSON.stringify({ ...e, overrides: [] }) : null);
  return rest(a) !== rest(b);
}

/** One day's change as its form holds it. */
export interface OverrideDraft {
  date: LocalDate;
  skip: boolean;
  startBy: DeadlineDraft;
  endBy: DeadlineDraft;
  /** keep: the expectation's own; none: none that day; minutes: `endWithin`. */
  endWithinKind: 'keep' | 'none' | 'minutes';
  endWithin: string;
}

export function newOverrideDraft(date: LocalDate): OverrideDraft {
  const keep = { ...NO_DEADLINE, kind: 'keep' as const };
  return { date, skip: false, startBy: keep, endBy: keep, endWithinKind: 'keep', endWithin: '' };
}

/** What PUT …/overrides/:date takes: the fields it changes (null: none that day), or the skip. */
export function overrideOf(draft: OverrideDraft): Override {
  if (draft.skip) return { date: draft.date, skip: true };
  const out: Override = { date: draft.date };
  const startBy = deadlineOf(draft.startBy);
  if (startBy !== undefined) out.startBy = startBy;
  const endBy = deadlineOf(draft.endBy);
  if (endBy !== undefined) out.endBy = endBy;
  if (draft.endWithinKind === 'none') out.endWithinMinutes = null;
  if (draft.endWithinKind === 'minutes') out.endWithinMinutes = numberOf(draft.endWithin);
  return out;
}

/** The days an override may be set for: today to 31 days ahead, in the expectation's zone. */
export function overrideDays(timeZone: string, now: Date, daysAhead: number): { first: LocalDate; last: LocalDate } {
  const first = localDateOf(now, timeZone);
  return { first, last: addDays(first, daysAhead) };
}

/** Problems found in the browser, by field ("startBy.at", "schedule.times.0"; "_" for the whole), in one language. */
export type FieldErrors = Record<string, string>;

function fieldsOf(issues: Issue[], lang: Lang): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of issues) fields[issue.path.join('.') || '_'] ??= issue.text[lang];
  return fields;
}

export function checkExpectation(input: ExpectationInput, lang: Lang): FieldErrors | null {
  const checked = check(expectationSchema, input);
  return checked.ok ? null : fieldsOf(checked.issues, lang);
}

export function checkOverride(input: Override, lang: Lang): FieldErrors | null {
  const checked = check(overrideSchema, input);
  return checked.ok ? null : fieldsOf(checked.issues, lang);
}

/** The first error of a field or of any part of it ("startBy" finds "startBy.at"). */
export function errorAt(fields: FieldErrors, key: string): string | undefined {
  return fields[key] ?? Object.entries(fields).find(([k]) => k.startsWith(`${key}.`))?.[1];
}

/** The next expected starts after `now`, for the preview; none while the schedule or the zone does not read. */
export function nextStarts(draft: ExpectationDraft, now: Date, count = 3): Date[] {
  const { schedule, timeZone } = expectationOf(draft);
  const parsed = expectationSchema.safeParse({ schedule, timeZone });
  if (!parsed.success) return [];
  // Widening windows: a cron of every minute finds its three in the first, a yearly one in the last.
  for (const days of [1 / 24, 2, 8, 32, 366, 4 * 366]) {
    const starts = occurrencesBetween(parsed.data, now, new Date(now.getTime() + days * 86_400_000));
    if (starts.length >= count || days > 366) return starts.slice(0, count);
  }
  return [];
}
