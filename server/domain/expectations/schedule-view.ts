// What GET /api/v1/schedule answers (server/expectations/schedule.ts): each object's
// expected runs around now, as the View draws them on a timeline. One definition for both sides.
import type { Status } from '../status';
import type { FlagKind, OccurrenceState } from './evaluate';

export interface ScheduledOccurrence {
  /** The expected start (ISO 8601, UTC). */
  at: string;
  /** Its day in the expectation's zone. */
  date: string;
  state: OccurrenceState;
  window: { from: string; to: string };
  deadlines: { startBy: string | null; endBy: string | null; endWithin: string | null; learned: string | null };
  run: { startedAt: string; endedAt: string | null; status: Status } | null;
  /** Flags raised now on this occurrence. */
  flags: FlagKind[];
}

export interface ScheduledObject {
  objectId: number;
  name: string;
  scopeId: number;
  host: string;
  unit: string;
  timeZone: string;
  /** The usual duration learned from its runs (ms); null when not learned. */
  learnedMs: number | null;
  occurrences: ScheduledOccurrence[];
}

export interface ScheduleAnswer {
  /** The instant evaluated. */
  now: string;
  objects: ScheduledObject[];
}

/** GET /api/v1/learned: a unit's usual duration, from its last runs that ended normally. */
export interface LearnedAnswer {
  learnedMs: number | null;
  percentile: number;
  lastN: number;
  /** How many normal ends it was learned from. */
  runs: number;
}
