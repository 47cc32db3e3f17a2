// What should have happened by now and has not: each expected start around
// `now`, the run matched to it, its deadlines, and the flags raised. Pure and
// deterministic: the same expectation, runs and `now` give the same result on
// any manager, so an active one and a standby raise the same flags. The rules
// are in docs/architecture.md ("Expectations: what should have happened").
import { summaryOf, type Status } from '../status';
import { addDays, localDateOf, localToInstant, type LocalDate } from '../time-zone';
import { scheduleAround } from './occurrences';
import { isWhenever, MIN_LEARNING_RUNS, minutesOfClock, type Deadline, type Expectation, type LearnedSettings, type Override } from './schema';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** A run may be seen a little before its expected start (clocks of hosts differ): by up to this much. */
export const EARLY_TOLERANCE_MS = 2 * MINUTE_MS;
/** Without missedAfterMinutes, a run may still begin this long after the start-by deadline (or the expected start). */
export const MISSED_GRACE_MINUTES = 30;

export const FLAG_KINDS = ['start-delay', 'end-delay', 'missed', 'overrun'] as const;
export type FlagKind = (typeof FLAG_KINDS)[number];

export const OCCURRENCE_STATES = ['expected', 'late-start', 'missed', 'started', 'ended', 'skipped'] as const;
/**
 * expected: no run yet, nothing late; late-start: no run, past its start-by deadline;
 * missed: its window closed with no run; started: its run has not ended; ended: its run ended
 * (in any status); skipped: an override skips its day.
 */
export type OccurrenceState = (typeof OCCURRENCE_STATES)[number];

export interface ExpectationRun {
  startedAt: Date;
  /** null while it runs. */
  endedAt: Date | null;
  status: Status;
}

/** A flag's identity is its kind and its occurrence (with the object, which the caller knows). */
export interface Flag {
  kind: FlagKind;
  /** The occurrence's expected start, ISO 8601 in UTC. */
  occurrence: string;
  /** When it became due: raised at any `now` at or after this while its condition holds. */
  dueAt: Date;
}

export const flagKey = (flag: Pick<Flag, 'kind' | 'occurrence'>): string => `${flag.kind}@${flag.occurrence}`;

export interface Deadlines {
  /** Start delay from here, with no run. */
  startBy: Date | null;
  /** End delay from here, unless ended (or missed). */
  endBy: Date | null;
  /** Overrun from here: the run's start plus endWithinMinutes. */
  endWithin: Date | null;
  /** Overrun from here: the run's start plus factor × the duration learned by then. */
  learned: Date | null;
}

export interface Occurrence<R extends ExpectationRun = ExpectationRun> {
  /** The expected start. */
  at: Date;
  /** Its identity: `at` as ISO 8601 in UTC. */
  id: string;
  /** Its day in the expectation's zone: the day an override names. */
  date: LocalDate;
  state: OccurrenceState;
  /** The first run that started in its window. */
  run: R | null;
  /** Runs starting in [from, to) are its runs; with none by `to` it is missed. */
  window: { from: Date; to: Date };
  deadlines: Deadlines;
  flags: Flag[];
}

export interface Evaluation<R extends ExpectationRun = ExpectationRun> {
  /** Occurrences from here (yesterday's local midnight); a flag of one before it has expired, not cleared. */
  from: Date;
  /** …until here (now + 24 hours). */
  to: Date;
  /** The learned duration at `now` (each run's limit uses the one at its start), null when off or learned from too few runs. */
  learnedMs: number | null;
  occurrences: Occurrence<R>[];
  /** Every occurrence's flags, earliest due first. */
  flags: Flag[];
  /** The next instant after `now` at which a flag may be raised, cleared or expire, with no new run. */
  nextDueAt: Date;
}

export interface EvaluateOptions {
  earlyToleranceMs?: number;
  /** When the expectation was first set: occurrences expected before it raise no flags (nobody expected them yet). */
  since?: Date;
}

/** A high percentile of durations by nearest rank; null from fewer than MIN_LEARNING_RUNS. */
export function learnedDuration(durationsMs: readonly number[], percentile: number): number | null {
  if (durationsMs.length < MIN_LEARNING_RUNS) return null;
  const sorted = [...durationsMs].sort((a, b) => a - b);
  // The small subtraction keeps 95 % of 20 at rank 19 whatever floating point makes of it.
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((percentile * sorted.length) / 100 - 1e-9)));
  return sorted[rank - 1];
}

/** The durations of the last `lastN` runs that ended normally by an instant, latest first: what a duration is learned from. */
export function normalDurations(runs: readonly ExpectationRun[], lastN: number, instant: Date): number[] {
  return runs
    .filter((r): r is ExpectationRun & { endedAt: Date } => r.endedAt !== null && r.endedAt <= instant && summaryOf(r.status) === 'normal')
    .sort((a, b) => b.endedAt.getTime() - a.endedAt.getTime())
    .slice(0, lastN)
    .map((r) => r.endedAt.getTime() - r.startedAt.getTime());
}

/** The learned duration of the last N runs that ended normally by an instant. */
function learnedBy(settings: LearnedSettings | undefined, runs: readonly ExpectationRun[], instant: Date): number | null {
  if (!settings?.enabled) return null;
  return learnedDuration(normalDurations(runs, settings.lastN, instant), settings.percentile);
}

/** The rules of one day: an override replaces the fields it names; null removes one. */
function rulesOn(expectation: Expectation, override: Override | undefined) {
  const pick = <K extends 'startBy' | 'endBy' | 'endWithinMinutes'>(key: K) =>
    override && override[key] !== undefined ? (override[key] ?? undefined) : expectation[key];
  return { startBy: pick('startBy'), endBy: pick('endBy'), endWithinMinutes: pick('endWithinMinutes'), skip: override?.skip === true };
}

/**
 * A deadline's instant. `at` is a clock time on the expected start's day ("28:30" is 04:30 the
 * next day); one that would fall before the expected start is the next day's. Clock times the
 * zone skips or repeats follow the cron rule (time-zone.ts).
 */
export function deadlineAt(deadline: Deadline | undefined, expectedStart: Date, date: LocalDate, timeZone: string): Date | null {
  if (!deadline) return null;
  if ('afterMinutes' in deadline) return new Date(expectedStart.getTime() + deadline.afterMinutes * MINUTE_MS);
  const minutes = minutesOfClock(deadline.at);
  const day = Math.floor(minutes / (24 * 60));
  const clock = minutes % (24 * 60);
  const instant = localToInstant(addDays(date, day), clock, timeZone);
  return instant < expectedStart ? localToInstant(addDays(date, day + 1), clock, timeZone) : instant;
}

const plus = (instant: Date, ms: number) => new Date(instant.getTime() + ms);
const earliest = (...instants: (Date | null)[]): Date | null =>
  instants.reduce<Date | null>((min, d) => (d !== null && (min === null || d < min) ? d : min), null);

export function evaluate<R extends ExpectationRun>(expectation: Expectation, runs: readonly R[], now: Date, options: EvaluateOptions = {}): Evaluation<R> {
  const tolerance = options.earlyToleranceMs ?? EARLY_TOLERANCE_MS;
  const zone = expectation.timeZone;
  const today = localDateOf(now, zone);
  const from = localToInstant(addDays(today, -1), 0, zone);
  const to = plus(now, DAY_MS);
  const { before, starts, after } = scheduleAround(expectation, from, to);

  // Only what is known at `now`: a run starting later is not here yet, one ending later still runs.
  const known = runs.filter((r) => r.startedAt <= now).sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
  const learnedMs = learnedBy(expectation.learned, known, now);
  if (isWhenever(expectation.schedule)) return evaluateEachRun(expectation, known, now, { from, to, learnedMs, since: options.since });

  // Windows do not overlap: a run belongs to the latest expected start before it (less the
  // tolerance, but no earlier than halfway from the one before), so each run has one occurrence.
  const windowStart = (previous: Date | null, at: Date) =>
    previous ? Math.max(at.getTime() - tolerance, Math.floor((previous.getTime() + at.getTime()) / 2)) : at.getTime() - tolerance;
  const windowStarts = starts.map((at, i) => windowStart(i === 0 ? before : starts[i - 1], at));
  const followingStart = after ? windowStart(starts.at(-1) ?? before, after) : Infinity;

  let nextRun = 0;
  const occurrences = starts.map((at, i): Occurrence<R> => {
    const id = at.toISOString();
    const date = localDateOf(at, zone);
    const rules = rulesOn(expectation, expectation.overrides.find((o) => o.date === date));
    const startBy = deadlineAt(rules.startBy, at, date, zone);
    const missedAt = expectation.missedAfterMinutes
      ? plus(at, expectation.missedAfterMinutes * MINUTE_MS)
      : plus(startBy ?? at, MISSED_GRACE_MINUTES * MINUTE_MS);
    const window = { from: new Date(windowStarts[i]), to: new Date(Math.min(missedAt.getTime(), windowStarts[i + 1] ?? followingStart)) };

    while (nextRun < known.length && known[nextRun].startedAt < window.from) nextRun++;
    const run = nextRun < known.length && known[nextRun].startedAt < window.to ? known[nextRun] : null;

    if (rules.skip) {
      return { at, id, date, state: 'skipped', run, window, deadlines: { startBy: null, endBy: null, endWithin: null, learned: null }, flags: [] };
    }
    const endBy = deadlineAt(rules.endBy, at, date, zone);
    const endWithin = run && rules.endWithinMinutes ? plus(run.startedAt, rules.endWithinMinutes * MINUTE_MS) : null;
    // Learned from the runs that had ended when this one started: a run ending meanwhile does not move its limit.
    const learnedAtStart = run ? learnedBy(expectation.learned, known, run.startedAt) : null;
    const learned = run && learnedAtStart !== null && expectation.learned ? plus(run.startedAt, Math.round(learnedAtStart * expectation.learned.factor)) : null;
    const deadlines = { startBy, endBy, endWithin, learned };
    const expected = !options.since || at >= options.since;
    const due = (kind: FlagKind, dueAt: Date | null): Flag[] => (expected && dueAt !== null && dueAt <= now ? [{ kind, occurrence: id, dueAt }] : []);

    if (!run) {
      // Missed replaces both delays: nothing started, and nothing will for this occurrence.
      if (window.to <= now) return { at, id, date, state: 'missed', run, window, deadlines, flags: due('missed', window.to) };
      const flags = [...due('start-delay', startBy), ...due('end-delay', endBy)];
      return { at, id, date, state: flags.some((f) => f.kind === 'start-delay') ? 'late-start' : 'expected', run, window, deadlines, flags };
    }
    if (run.endedAt === null || run.endedAt > now) {
      const flags = [...due('end-delay', endBy), ...due('overrun', earliest(endWithin, learned))];
      return { at, id, date, state: 'started', run, window, deadlines, flags };
    }
    return { at, id, date, state: 'ended', run, window, deadlines, flags: [] };
  });

  const flags = occurrences
    .flatMap((o) => o.flags)
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.occurrence.localeCompare(b.occurrence) || FLAG_KINDS.indexOf(a.kind) - FLAG_KINDS.indexOf(b.kind));

  // Every instant a flag may change without a new run; the next midnight, when yesterday's expire.
  const changes: (Date | null)[] = [localToInstant(addDays(today, 1), 0, zone)];
  for (const o of occurrences) {
    if (o.state === 'skipped' || o.state === 'ended' || o.state === 'missed' || (options.since && o.at < options.since)) continue;
    changes.push(o.deadlines.startBy, o.deadlines.endBy, o.deadlines.endWithin, o.deadlines.learned);
    if (!o.run) changes.push(o.window.to);
  }
  const nextDueAt = earliest(...changes.filter((d) => d !== null && d > now)) ?? plus(now, DAY_MS);

  return { from, to, learnedMs, occurrences, flags, nextDueAt };
}

/**
 * Runs that come whenever they come: each run in the window is an occurrence of its own, expected
 * when it started, and only its length is watched (overrun by endWithinMinutes or the learned
 * duration); no run is ever late to start or missed.
 */
function evaluateEachRun<R extends ExpectationRun>(
  expectation: Expectation,
  known: readonly R[],
  now: Date,
  { from, to, learnedMs, since }: { from: Date; to: Date; learnedMs: number | null; since?: Date },
): Evaluation<R> {
  const zone = expectation.timeZone;
  const occurrences = known
    .filter((r) => r.startedAt >= from)
    .map((run): Occurrence<R> => {
      const at = run.startedAt;
      const id = at.toISOString();
      const endWithin = expectation.endWithinMinutes ? plus(at, expectation.endWithinMinutes * MINUTE_MS) : null;
      const learnedAtStart = learnedBy(expectation.learned, known, at);
      const learned = learnedAtStart !== null && expectation.learned ? plus(at, Math.round(learnedAtStart * expectation.learned.factor)) : null;
      const deadlines = { startBy: null, endBy: null, endWithin, learned };
      const base = { at, id, date: localDateOf(at, zone), run, window: { from: at, to: at }, deadlines };
      if (run.endedAt !== null && run.endedAt <= now) return { ...base, state: 'ended', flags: [] };
      const overrunAt = earliest(endWithin, learned);
      const flags: Flag[] = overrunAt && overrunAt <= now && (!since || at >= since) ? [{ kind: 'overrun', occurrence: id, dueAt: overrunAt }] : [];
      return { ...base, state: 'started', flags };
    });
  const flags = occurrences.flatMap((o) => o.flags).sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.occurrence.localeCompare(b.occurrence));
  const changes: (Date | null)[] = [localToInstant(addDays(localDateOf(now, zone), 1), 0, zone)];
  for (const o of occurrences) if (o.state === 'started') changes.push(o.deadlines.endWithin, o.deadlines.learned);
  const nextDueAt = earliest(...changes.filter((d) => d !== null && d > now)) ?? plus(now, DAY_MS);
  return { from, to, learnedMs, occurrences, flags, nextDueAt };
}
