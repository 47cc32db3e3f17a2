// What the schedule view shows: every expectation of a scope (and the scopes below
// it, or of the whole console) evaluated now, with the runs matched to it.
import { z } from 'zod';
import type { Store } from '../store/db';
import { LEARNED_DEFAULTS, learnedDuration, normalDurations, type Evaluation, type LearnedAnswer, type ObjectRun, type ScheduleAnswer, type ScheduledObject } from '../domain/expectations';
import { hostNameSchema, unitNameSchema } from '../domain/events';
import { canonicalUnit } from '../domain/unit-path';
import { scopesWithin } from '../definitions/scopes';
import { evaluateObject, expectingObjects, readObjectRuns, unitsUnder } from './evaluation';
import { InputError, parseInput, says, words } from '../input';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

const scheduleQuerySchema = z.strictObject({ scope: z.coerce.number(says('scope is a scope id', 'scope はスコープの ID です')).int().positive().max(2 ** 31 - 1).optional() });

function scheduled(o: { id: number; name: string; scopeId: number; host: string; unit: string; expectation: { timeZone: string } }, e: Evaluation<ObjectRun>): ScheduledObject {
  return {
    objectId: o.id, name: o.name, scopeId: o.scopeId, host: o.host, unit: o.unit, timeZone: o.expectation.timeZone, learnedMs: e.learnedMs,
    occurrences: e.occurrences.map((c) => ({
      at: c.id, date: c.date, state: c.state,
      window: { from: c.window.from.toISOString(), to: c.window.to.toISOString() },
      deadlines: { startBy: iso(c.deadlines.startBy), endBy: iso(c.deadlines.endBy), endWithin: iso(c.deadlines.endWithin), learned: iso(c.deadlines.learned) },
      run: c.run ? { startedAt: c.run.startedAt.toISOString(), endedAt: iso(c.run.endedAt), status: c.run.status } : null,
      flags: c.flags.map((f) => f.kind),
    })),
  };
}

/** The expectations of a scope and the scopes below it (none given: every one), evaluated at `now`. */
export async function readSchedule(store: Store, query: Record<string, string>, now = new Date()): Promise<ScheduleAnswer> {
  const { scope } = parseInput(scheduleQuerySchema, query);
  let objects = await expectingObjects(store);
  if (scope !== undefined) {
    const scopes = await store.scope.findMany({ select: { id: true, parentId: true } });
    if (!scopes.some((s) => s.id === scope)) throw new InputError(words(`no scope ${scope}`, `スコープ ${scope} はありません`), {}, 404);
    const within = scopesWithin(scopes, scope);
    objects = objects.filter((o) => within.has(o.scopeId));
  }
  const answer: ScheduledObject[] = [];
  for (const o of objects) answer.push(scheduled(o, await evaluateObject(store, o, now)));
  return { now: now.toISOString(), objects: answer };
}

const learnedQuerySchema = z.strictObject({ host: hostNameSchema, unit: unitNameSchema });

/**
 * A unit's usual duration, by the learning settings of an object with an expectation that
 * watches it (the first), else the defaults: shown beside each run in the detail.
 */
export async function readLearned(store: Store, query: Record<string, string>): Promise<LearnedAnswer> {
  const { host, unit: given } = parseInput(learnedQuerySchema, query);
  const unit = canonicalUnit(given);
  const watching = (await expectingObjects(store)).find((o) => o.host === host && o.unit === unit);
  const settings = { ...LEARNED_DEFAULTS, ...watching?.expectation.learned };
  const now = new Date();
  const runs = await readObjectRuns(store, host, unit, await unitsUnder(store, host, unit), now, settings.lastN);
  const durations = normalDurations(runs, settings.lastN, now);
  return { learnedMs: learnedDuration(durations, settings.percentile), percentile: settings.percentile, lastN: settings.lastN, runs: durations.length };
}
