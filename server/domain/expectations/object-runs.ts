// The runs an expectation is matched against, from a monitoring object's unit:
// the unit's own runs when it has any (a job, or a jobnet wrapped whole by
// `jobscope exec`), else its jobs' runs grouped by run id, a scheduler's one run
// of the jobnet (docs/architecture.md, "Expectations").
import { isRunning, worst, type Status } from '../status';
import type { ExpectationRun } from './evaluate';

/** A stored run of the object's unit or of a unit below it. */
export interface UnitRun {
  unit: string;
  execId: string;
  runId: string | null;
  status: Status;
  startedAt: Date | null;
  endedAt: Date | null;
}

export interface ObjectRun extends ExpectationRun {
  /** The run's exec id (its own), or its run id (a jobnet's jobs). */
  id: string;
}

/** The runs of an object watching `unit`, from the runs of that unit and the units below it. */
export function objectRuns(unit: string, rows: readonly UnitRun[]): ObjectRun[] {
  const started = rows.filter((r): r is UnitRun & { startedAt: Date } => r.startedAt !== null);
  const own = started.filter((r) => r.unit === unit);
  if (own.length > 0) return own.map((r) => ({ id: r.execId, startedAt: r.startedAt, endedAt: r.endedAt, status: r.status }));
  // A jobnet's run: its jobs that share a run id; a job run without one stands alone.
  const groups = new Map<string, (UnitRun & { startedAt: Date })[]>();
  for (const r of started) {
    const key = r.runId ?? `exec:${r.execId}`;
    const group = groups.get(key);
    if (group) group.push(r);
    else groups.set(key, [r]);
  }
  return [...groups.entries()].map(([key, jobs]) => {
    const running = jobs.some((j) => j.endedAt === null || isRunning(j.status));
    const statuses = jobs.map((j) => j.status);
    return {
      id: key,
      startedAt: new Date(Math.min(...jobs.map((j) => j.startedAt.getTime()))),
      endedAt: running ? null : new Date(Math.max(...jobs.map((j) => j.endedAt!.getTime()))),
      status: running ? statuses.find(isRunning) ?? 'RUNNING' : worst(statuses),
    };
  });
}
