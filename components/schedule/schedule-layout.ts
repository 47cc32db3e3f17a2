// Where each expected run of today goes on the Schedule view's timeline: the viewer's day
// (midnight to midnight in the viewer's time zone), time as a share of it, and each
// occurrence as the marks it shows. Pure: no React, no clock (`now` is given).
import type { FlagKind, ScheduledObject, ScheduledOccurrence } from '../../server/domain/expectations';
import type { Status } from '../../server/domain/status';
import { addDays, localDateOf, localToInstant, type LocalDate } from '../../server/domain/time-zone';

/** The day on the axis: from its midnight to the next, in the viewer's zone (23 or 25 hours on a change of offset). */
const HOUR_MS = 3_600_000;

export interface Day {
  date: LocalDate;
  timeZone: string;
  from: number;
  to: number;
}

export function dayAt(now: number, timeZone: string): Day {
  const date = localDateOf(new Date(now), timeZone);
  return { date, timeZone, from: localToInstant(date, 0, timeZone).getTime(), to: localToInstant(addDays(date, 1), 0, timeZone).getTime() };
}

/** An instant as a percentage of the day from its left edge; outside the day, clamped to its edges. */
export function xOf(t: number, day: Day): number {
  const share = (t - day.from) / (day.to - day.from);
  return Math.min(100, Math.max(0, share * 100));
}

/** A point mark: its place, or null when it falls outside the day. */
export function pointOf(t: number | null, day: Day): number | null {
  return t === null || t < day.from || t > day.to ? null : xOf(t, day);
}

/** A stretch of time clipped to the day: where it starts and how wide it is (percent), which ends the day cut off. */
export interface Span {
  left: number;
  width: number;
  cutStart: boolean;
  cutEnd: boolean;
}

export function spanOf(from: number, to: number, day: Day): Span | null {
  if (to < day.from || from > day.to || to < from) return null;
  const left = xOf(from, day);
  return { left, width: xOf(to, day) - left, cutStart: from < day.from, cutEnd: to > day.to };
}

/**
 * The part of the day a timeline shows: `hours` of it around now (a third of them past), kept
 * within the day; the whole day when it has no more hours than that.
 */
export function rangeOf(day: Day, now: number, hours: number): Day {
  const width = hours * HOUR_MS;
  if (width >= day.to - day.from) return day;
  const from = Math.min(Math.max(now - width / 3, day.from), day.to - width);
  return { ...day, from, to: from + width };
}

/**
 * The hours on the axis of a range of the day: each local hour's start (counted from the day's
 * midnight, so a day of 23 or 25 hours has that many) that falls in the range, with its index.
 */
export function hoursOf(range: Day, day: Day = range): { at: number; x: number; index: number }[] {
  const hours: { at: number; x: number; index: number }[] = [];
  for (let at = day.from, index = 0; at < day.to; at += HOUR_MS, index++) if (at >= range.from && at <= range.to) hours.push({ at, x: xOf(at, range), index });
  return hours;
}

const ms = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso));

/** How late a run was against its deadlines (ms; null when it was not late or cannot be yet). */
export interface Lateness {
  /** Started after its start-by deadline, by this much. */
  start: number | null;
  /** Ended after its end-by deadline, by this much. */
  end: number | null;
}

export function latenessOf(o: ScheduledOccurrence): Lateness {
  const startBy = ms(o.deadlines.startBy);
  const endBy = ms(o.deadlines.endBy);
  const started = o.run ? Date.parse(o.run.startedAt) : null;
  const ended = ms(o.run?.endedAt ?? null);
  return {
    start: started !== null && startBy !== null && started > startBy ? started - startBy : null,
    end: ended !== null && endBy !== null && ended > endBy ? ended - endBy : null,
  };
}

/**
 * The state an occurrence shows, one of six: late is a run that started after its start-by or
 * ended after its end-by, or no run yet past its start-by; the others are the server's.
 */
export const SHOWN_STATES = ['expected', 'started', 'ended', 'late', 'missed', 'skipped'] as const;
export type ShownState = (typeof SHOWN_STATES)[number];

export function shownStateOf(o: ScheduledOccurrence): ShownState {
  if (o.state === 'late-start') return 'late';
  if (o.state === 'started' || o.state === 'ended') {
    const late = latenessOf(o);
    return late.start !== null || late.end !== null ? 'late' : o.state;
  }
  return o.state;
}

/** Where a raised flag is drawn: at the deadline it came due at. */
export function flagAt(kind: FlagKind, o: ScheduledOccurrence): number | null {
  switch (kind) {
    case 'start-delay':
      return ms(o.deadlines.startBy);
    case 'end-delay':
      return ms(o.deadlines.endBy);
    case 'missed':
      return ms(o.window.to);
    case 'overrun': {
      const limits = [o.deadlines.endWithin, o.deadlines.learned].map(ms).filter((t): t is number => t !== null);
      return limits.length ? Math.min(...limits) : null;
    }
  }
}

/** One occurrence as its marks on the day (percent from the left; null: not on this day). */
export interface OccurrenceMarks {
  occurrence: ScheduledOccurrence;
  state: ShownState;
  late: Lateness;
  /** The expected start. */
  tick: number | null;
  startBy: number | null;
  endBy: number | null;
  window: Span | null;
  /** The run, from its start to its end, or to now while it runs. */
  bar: (Span & { running: boolean; status: Status }) | null;
  flags: { kind: FlagKind; x: number | null }[];
  /** Where its glyph and its details sit: the expected start, else the run's start, else the day's edge it comes from. */
  anchor: number;
}

/** An occurrence's marks, or null when nothing of it (expected start, run, deadlines) falls on the day. */
export function marksOf(o: ScheduledOccurrence, day: Day, now: number): OccurrenceMarks | null {
  const at = Date.parse(o.at);
  const run = o.run ? { from: Date.parse(o.run.startedAt), to: ms(o.run.endedAt) ?? Math.max(now, Date.parse(o.run.startedAt)) } : null;
  const startBy = ms(o.deadlines.startBy);
  const endBy = ms(o.deadlines.endBy);
  const times = [at, startBy, endBy, run?.from ?? null, run?.to ?? null].filter((t): t is number => t !== null);
  const first = Math.min(...times);
  const last = Math.max(...times);
  if (last < day.from || first >= day.to) return null;
  const bar = run && spanOf(run.from, run.to, day);
  const tick = pointOf(at, day);
  return {
    occurrence: o,
    state: shownStateOf(o),
    late: latenessOf(o),
    tick,
    startBy: pointOf(startBy, day),
    endBy: pointOf(endBy, day),
    window: spanOf(Date.parse(o.window.from), Date.parse(o.window.to), day),
    bar: bar && o.run ? { ...bar, running: o.run.endedAt === null, status: o.run.status } : null,
    flags: o.flags.map((kind) => ({ kind, x: pointOf(flagAt(kind, o), day) })),
    anchor: tick ?? bar?.left ?? xOf(at, day),
  };
}

export interface ScheduleRow {
  object: ScheduledObject;
  marks: OccurrenceMarks[];
}

/** One row per object, by name, with the occurrences that touch the day (or the range shown) in time order. */
export function rowsOf(objects: readonly ScheduledObject[], day: Day, now: number): ScheduleRow[] {
  return [...objects]
    .sort((a, b) => a.name.localeCompare(b.name) || a.objectId - b.objectId)
    .map((object) => ({
      object,
      marks: object.occurrences.map((o) => marksOf(o, day, now)).filter((m): m is OccurrenceMarks => m !== null),
    }));
}
