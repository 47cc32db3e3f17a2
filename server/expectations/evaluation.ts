// An object's expectation evaluated against its runs in the store at an instant:
// what the flag watch raises and clears, and what the schedule view shows.
import type { Store, Tx } from '../store/db';
import { evaluate, objectRuns, type Evaluation, type Expectation, type ObjectRun, type UnitRun } from '../domain/expectations';
import type { Status } from '../domain/status';
import { readExpectation } from '../definitions/expectations';

/** Runs read for learning a duration, whatever their age: enough for the largest lastN of jobnets with a few jobs each. */
const HISTORY_ROWS = 2000;
/** Runs that started before the evaluated window by up to this much still count (one could be matched, or still running). */
const WINDOW_MARGIN_MS = 24 * 3600_000;

export interface ExpectingObject {
  id: number;
  name: string;
  scopeId: number;
  host: string;
  unit: string;
  expectation: Expectation;
  /** When it was first set: runs expected before raise no flags. */
  since: Date | null;
}

/** The objects with an expectation that reads (one that does not is reported by its API, and watched by none). */
export async function expectingObjects(db: Store | Tx, ids?: number[]): Promise<ExpectingObject[]> {
  const rows = await db.monitoringObject.findMany({
    where: { expectation: { not: null }, ...(ids ? { id: { in: ids } } : {}) },
    select: { id: true, name: true, scopeId: true, host: true, unit: true, expectation: true, expectationSince: true },
    orderBy: { id: 'asc' },
  });
  return rows.flatMap(({ expectation: stored, expectationSince: since, ...o }) => {
    const { expectation } = readExpectation(stored);
    return expectation ? [{ ...o, expectation, since }] : [];
  });
}

/** The runs of an object's unit and of the units below it: those around the window, and the latest for learning. */
export async function readObjectRuns(db: Store | Tx, host: string, unit: string, since: Date): Promise<ObjectRun[]> {
  // A prefix the (host, unit) index serves; checked exactly below, whatever LIKE makes of `_` and `%`.
  const units = { OR: [{ unit }, { unit: { startsWith: `${unit}/` } }] };
  const select = { unit: true, execId: true, runId: true, status: true, startedAt: true, endedAt: true } as const;
  const [recent, latest] = await Promise.all([
    db.run.findMany({ where: { host, ...units, startedAt: { gte: new Date(since.getTime() - WINDOW_MARGIN_MS) } }, select }),
    db.run.findMany({ where: { host, ...units, startedAt: { not: null } }, select, orderBy: { startedAt: 'desc' }, take: HISTORY_ROWS }),
  ]);
  const byExec = new Map<string, UnitRun>();
  for (const r of [...recent, ...latest]) {
    if (r.unit === unit || r.unit.startsWith(`${unit}/`)) byExec.set(r.execId, { ...r, status: r.status as Status });
  }
  return objectRuns(unit, [...byExec.values()]);
}

/** Where an evaluation at `now` starts: early enough for yesterday's midnight in any zone. */
const readSince = (now: Date) => new Date(now.getTime() - 2 * 24 * 3600_000);

export async function evaluateObject(db: Store | Tx, object: ExpectingObject, now: Date): Promise<Evaluation<ObjectRun>> {
  return evaluate(object.expectation, await readObjectRuns(db, object.host, object.unit, readSince(now)), now, object.since ? { since: object.since } : {});
}
