// An object's expectation evaluated against its runs in the store at an instant:
// what the flag watch raises and clears, and what the schedule view shows.
import type { Store, Tx } from '../store/db';
import { evaluate, objectRuns, type Evaluation, type Expectation, type ObjectRun, type UnitRun } from '../domain/expectations';
import { summaryOf, type Status } from '../domain/status';
import { readExpectation } from '../definitions/expectations';

/**
 * A unit's runs are read a page at a time, newest first, in the order of the (host, unit,
 * startSeq) index (the spool's order, which is the order they started in), until the window is
 * covered and enough normal ends are in for learning.
 */
const PAGE = 500;
/** At most this many runs of one unit for one evaluation, however often it runs. */
const MAX_UNIT_RUNS = 5000;

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

/** The units an object's runs come from: its own and those below it that have reported. */
export async function unitsUnder(db: Store | Tx, host: string, unit: string): Promise<string[]> {
  const rows = await db.unit.findMany({ where: { host, OR: [{ path: unit }, { path: { startsWith: `${unit}/` } }] }, select: { path: true } });
  // Checked exactly: whatever LIKE makes of `_` and `%` in a path.
  return rows.map((r) => r.path).filter((path) => path === unit || path.startsWith(`${unit}/`));
}

const RUN_FIELDS = { unit: true, execId: true, runId: true, status: true, startedAt: true, endedAt: true, startSeq: true } as const;

/** A unit's runs from `since` on, and before it until `learnN` of them ended normally (for the learned duration). */
async function readUnitRuns(db: Store | Tx, host: string, unit: string, since: Date, learnN: number): Promise<UnitRun[]> {
  const runs: UnitRun[] = [];
  let normal = 0;
  for (let before: number | undefined; ; ) {
    const page = await db.run.findMany({ where: { host, unit, ...(before === undefined ? {} : { startSeq: { lt: before } }) }, select: RUN_FIELDS, orderBy: { startSeq: 'desc' }, take: PAGE });
    for (const r of page) {
      const status = r.status as Status;
      runs.push({ ...r, status });
      if (r.endedAt && summaryOf(status) === 'normal') normal++;
    }
    const oldest = page.at(-1);
    if (!oldest || page.length < PAGE || runs.length >= MAX_UNIT_RUNS) return runs;
    if (oldest.startedAt !== null && oldest.startedAt < since && normal >= learnN) return runs;
    before = oldest.startSeq;
  }
}

/** The runs of an object watching `unit`, from the runs of `units` (its own and those below it). */
export async function readObjectRuns(db: Store | Tx, host: string, unit: string, units: readonly string[], since: Date, learnN: number): Promise<ObjectRun[]> {
  const rows: UnitRun[] = [];
  for (const u of units) rows.push(...(await readUnitRuns(db, host, u, since, learnN)));
  return objectRuns(unit, rows);
}

/** Where an evaluation at `now` starts: early enough for yesterday's midnight in any zone. */
const readSince = (now: Date) => new Date(now.getTime() - 2 * 24 * 3600_000);

/** Evaluates an object at `now`; `units` are the units its runs come from (read when not given). */
export async function evaluateObject(db: Store | Tx, object: ExpectingObject, now: Date, units?: readonly string[]): Promise<Evaluation<ObjectRun>> {
  const { expectation } = object;
  const learnN = expectation.learned?.enabled ? expectation.learned.lastN : 0;
  const runs = await readObjectRuns(db, object.host, object.unit, units ?? (await unitsUnder(db, object.host, object.unit)), readSince(now), learnN);
  return evaluate(expectation, runs, now, object.since ? { since: object.since } : {});
}
