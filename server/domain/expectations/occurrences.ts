// The expected starts of a schedule, as instants, in the expectation's zone.
// DST follows cron (croner, as Vixie cron): a fixed time the clocks skip runs
// when they jump, a fixed time they show twice runs once, at its first
// instance; an interval (`*/15 * * * *`) skips the gap and runs through both
// passes of a repeated hour. A list of `times` is a list of fixed times.
import { addDays, localDateOf, localToInstant } from '../time-zone';
import { cronIn, minutesOfClock, type Expectation } from './schema';

/** A bound on the starts of one window, so a cron of every minute stays a few thousand. */
export const MAX_OCCURRENCES = 5000;

/** The scheduled starts in [from, to), and the nearest one on either side (null: none). */
export interface ScheduleAround {
  before: Date | null;
  starts: Date[];
  after: Date | null;
}

export function scheduleAround(expectation: Pick<Expectation, 'schedule' | 'timeZone'>, from: Date, to: Date): ScheduleAround {
  const { schedule, timeZone } = expectation;
  // Runs that come whenever they come have no expected start: each run is its own occurrence (evaluate.ts).
  if ('whenever' in schedule) return { before: null, starts: [], after: null };
  return 'cron' in schedule ? cronAround(schedule.cron, timeZone, from, to) : timesAround(schedule.times, timeZone, from, to);
}

/** The expected starts in [from, to), skipped days included (evaluate marks them). */
export function occurrencesBetween(expectation: Pick<Expectation, 'schedule' | 'timeZone'>, from: Date, to: Date): Date[] {
  return scheduleAround(expectation, from, to).starts;
}

function cronAround(expression: string, timeZone: string, from: Date, to: Date): ScheduleAround {
  const cron = cronIn(expression, timeZone);
  const starts: Date[] = [];
  // nextRun gives the first run strictly after its argument, in whole seconds.
  let next = cron.nextRun(new Date(from.getTime() - 1));
  while (next && next < to && starts.length < MAX_OCCURRENCES) {
    starts.push(next);
    next = cron.nextRun(next);
  }
  const [before] = cron.previousRuns(1, from);
  return { before: before ?? null, starts, after: next && next >= to ? next : null };
}

function timesAround(times: readonly string[], timeZone: string, from: Date, to: Date): ScheduleAround {
  const minutes = times.map(minutesOfClock);
  // Every day has every time: a day either side holds the neighbours.
  const first = addDays(localDateOf(from, timeZone), -1);
  const last = addDays(localDateOf(to, timeZone), 1);
  const instants = new Set<number>();
  for (let date = first; date <= last; date = addDays(date, 1)) {
    // Two times in one DST gap both start when the clocks jump: one start.
    for (const m of minutes) instants.add(localToInstant(date, m, timeZone).getTime());
  }
  const sorted = [...instants].sort((a, b) => a - b);
  const before = sorted.filter((t) => t < from.getTime()).at(-1);
  const after = sorted.find((t) => t >= to.getTime());
  const starts = sorted.filter((t) => t >= from.getTime() && t < to.getTime()).slice(0, MAX_OCCURRENCES);
  return { before: before === undefined ? null : new Date(before), starts: starts.map((t) => new Date(t)), after: after === undefined ? null : new Date(after) };
}
