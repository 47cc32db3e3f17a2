// What operators expect of a monitoring object's runs (docs/architecture.md,
// "Expectations"): kept on the object as JSON text, set or removed whole, or
// changed for one day by an override. Each change is one transaction with its
// audit entry; the rules that read an expectation are in server/domain/expectations.
import crypto from 'node:crypto';
import type { Store, Tx } from '../store/db';
import { expectationSchema, MAX_OVERRIDE_DAYS_AHEAD, overrideSchema, type Deadline, type Expectation, type Override } from '../domain/expectations';
import { addDays, isLocalDate, localDateOf } from '../domain/time-zone';
import { recordAudit, type AuditInput } from '../audit/audit';
import { check, InputError, parseInput, words, type Words } from '../input';

export { MAX_OVERRIDE_DAYS_AHEAD };

/** An object's expectation as stored: none, one, or one that no longer parses (kept, reported, never thrown). */
export interface StoredExpectation {
  expectation: Expectation | null;
  /** Why the stored text is not an expectation (written by an older console, or by hand). */
  problem: Words | null;
}

/** Reads the stored JSON text back through the schema. */
export function readExpectation(stored: string | null): StoredExpectation {
  if (stored === null) return { expectation: null, problem: null };
  let raw: unknown;
  try {
    raw = JSON.parse(stored);
  } catch {
    return { expectation: null, problem: words('the stored expectation is not JSON', '保存されている予定が JSON ではありません') };
  }
  const parsed = check(expectationSchema, raw);
  if (parsed.ok) return { expectation: parsed.data, problem: null };
  const [first] = parsed.issues;
  const at = first.path.join('.');
  return { expectation: null, problem: at ? words(`${at}: ${first.text.en}`, `${at}: ${first.text.ja}`) : first.text };
}

const noObject = (id: number) => new InputError(words(`no monitoring object ${id}`, `監視オブジェクト ${id} はありません`), {}, 404);

async function findObject(db: Store | Tx, id: number) {
  const object = await db.monitoringObject.findUnique({ where: { id }, select: { name: true, expectation: true } });
  if (!object) throw noObject(id);
  return object;
}

/** The stored text's revision: a client that read it names it (If-Match) so that a change made meanwhile is refused, not overwritten. */
export const expectationRevision = (stored: string | null) => crypto.createHash('sha256').update(stored ?? '').digest('base64url').slice(0, 16);

export async function getExpectation(store: Store, id: number): Promise<StoredExpectation & { revision: string }> {
  const { expectation } = await findObject(store, id);
  return { ...readExpectation(expectation), revision: expectationRevision(expectation) };
}

/** Refuses a change based on another revision than the stored one (none given: any). */
function checkRevision(id: number, stored: string | null, revision: string | undefined): void {
  if (revision === undefined || revision === expectationRevision(stored)) return;
  throw new InputError(words(`the expectation of monitoring object ${id} changed meanwhile; read it again and retry`, `監視オブジェクト ${id} の予定が同時に変更されました。読み直してからやり直してください`), {}, 409);
}

/**
 * Writes an object's expectation only if it is still the text read (null: none), so
 * that two operators changing one object at once never lose a change unseen.
 */
async function write(tx: Tx, id: number, before: string | null, expectation: Expectation | null, now = new Date()): Promise<void> {
  // The first expectation starts when flags may be raised; changing it keeps that, removing it ends it.
  const since = expectation === null ? { expectationSince: null } : before === null ? { expectationSince: now } : {};
  const { count } = await tx.monitoringObject.updateMany({ where: { id, expectation: before }, data: { expectation: expectation === null ? null : JSON.stringify(expectation), ...since } });
  if (count === 0) {
    throw new InputError(words(`the expectation of monitoring object ${id} changed meanwhile; read it again and retry`, `監視オブジェクト ${id} の予定が同時に変更されました。読み直してからやり直してください`), {}, 409);
  }
}

/** The first day an override still matters: the evaluated window starts at yesterday's midnight in the zone. */
const firstDayThatMatters = (timeZone: string, now: Date) => addDays(localDateOf(now, timeZone), -1);

/** Overrides whose day no evaluation reads any more are dropped when the expectation changes, so they never fill the list. */
function withoutPastOverrides(expectation: Expectation, now: Date): Expectation {
  const first = firstDayThatMatters(expectation.timeZone, now);
  return { ...expectation, overrides: expectation.overrides.filter((o) => o.date >= first) };
}

/** A deadline as an audit value: a clock time, minutes after the expected start, or null (none that day). */
const deadlineValue = (deadline: Deadline | null | undefined) => (deadline === undefined ? undefined : deadline === null ? null : 'at' in deadline ? deadline.at : deadline.afterMinutes);

function expectationDetail(id: number, e: Expectation): AuditInput['detail'] {
  return {
    id,
    ...('cron' in e.schedule ? { cron: e.schedule.cron } : 'times' in e.schedule ? { times: e.schedule.times } : { whenever: true }),
    timeZone: e.timeZone,
    startBy: deadlineValue(e.startBy),
    endBy: deadlineValue(e.endBy),
    endWithinMinutes: e.endWithinMinutes,
    missedAfterMinutes: e.missedAfterMinutes,
    learned: e.learned?.enabled,
    overrides: e.overrides.map((o) => o.date),
  };
}

/** Sets an object's whole expectation (replacing any), checked with expectationSchema. */
export async function setExpectation(store: Store, id: number, input: unknown, user: string, now = new Date(), revision?: string): Promise<Expectation> {
  const expectation = withoutPastOverrides(parseInput(expectationSchema, input), now);
  return store.$transaction(async (tx) => {
    const object = await findObject(tx, id);
    checkRevision(id, object.expectation, revision);
    await write(tx, id, object.expectation, expectation, now);
    await recordAudit(tx, { user, action: 'expectation.set', target: object.name, detail: expectationDetail(id, expectation) });
    return expectation;
  });
}

export async function removeExpectation(store: Store, id: number, user: string, revision?: string): Promise<void> {
  await store.$transaction(async (tx) => {
    const object = await findObject(tx, id);
    checkRevision(id, object.expectation, revision);
    if (object.expectation === null) throw new InputError(words(`monitoring object ${id} has no expectation`, `監視オブジェクト ${id} に予定はありません`), {}, 404);
    await write(tx, id, object.expectation, null);
    await recordAudit(tx, { user, action: 'expectation.remove', target: object.name, detail: { id } });
  });
}

/** A date from a path: "YYYY-MM-DD" that exists. */
function dateParam(date: string): string {
  if (!isLocalDate(date)) throw new InputError(words(`"${date}" is not a date "YYYY-MM-DD"`, `"${date}" は "YYYY-MM-DD" の日付ではありません`), { date: words('a date "YYYY-MM-DD" that exists', '実在する "YYYY-MM-DD" の日付') });
  return date;
}

/** The object's expectation, to change one day of: refused when it has none, or none that still reads. */
async function currentExpectation(tx: Tx, id: number) {
  const object = await findObject(tx, id);
  const { expectation, problem } = readExpectation(object.expectation);
  if (expectation === null) {
    const why = problem ?? words('set one first', '先に予定を設定してください');
    throw new InputError(words(`monitoring object ${id} has no usable expectation: ${why.en}`, `監視オブジェクト ${id} に使える予定がありません: ${why.ja}`), {}, 409);
  }
  return { object, expectation };
}

/**
 * Adds or replaces the override of one day (`date`, in the expectation's zone): from
 * today to MAX_OVERRIDE_DAYS_AHEAD days ahead. The body is the override without its
 * date (or with the same date).
 */
export async function setOverride(store: Store, id: number, date: string, input: unknown, user: string, now = new Date()): Promise<Override> {
  dateParam(date);
  const given = typeof input === 'object' && input !== null && !Array.isArray(input) ? (input as Record<string, unknown>) : null;
  if (given && given.date !== undefined && given.date !== date) {
    throw new InputError(words(`date in the body (${String(given.date)}) is not the date in the path (${date})`, `本文の date (${String(given.date)}) がパスの日付 (${date}) と違います`), {
      date: words('leave it out, or give the date of the path', '省略するか、パスと同じ日付にしてください'),
    });
  }
  const override = parseInput(overrideSchema, given ? { ...given, date } : input);
  return store.$transaction(async (tx) => {
    const { object, expectation } = await currentExpectation(tx, id);
    const today = localDateOf(now, expectation.timeZone);
    const last = addDays(today, MAX_OVERRIDE_DAYS_AHEAD);
    if (date < today || date > last) {
      throw new InputError(
        words(`an override is for a day from today (${today} in ${expectation.timeZone}) to ${last}; ${date} is not`, `臨時変更は今日 (${expectation.timeZone} で ${today}) から ${last} までの日に設定します。${date} はその範囲外です`),
        { date: words(`from ${today} to ${last}`, `${today} から ${last} まで`) },
      );
    }
    const overrides = [...expectation.overrides.filter((o) => o.date !== date), override].sort((a, b) => a.date.localeCompare(b.date));
    // Checked whole again: the list's own limits (how many days) hold too.
    const changed = withoutPastOverrides(parseInput(expectationSchema, { ...expectation, overrides }), now);
    await write(tx, id, object.expectation, changed);
    await recordAudit(tx, {
      user,
      action: 'expectation.override',
      target: object.name,
      detail: { id, date, startBy: deadlineValue(override.startBy), endBy: deadlineValue(override.endBy), endWithinMinutes: override.endWithinMinutes, skip: override.skip },
    });
    return override;
  });
}

export async function removeOverride(store: Store, id: number, date: string, user: string): Promise<void> {
  dateParam(date);
  await store.$transaction(async (tx) => {
    const { object, expectation } = await currentExpectation(tx, id);
    if (!expectation.overrides.some((o) => o.date === date)) {
      throw new InputError(words(`monitoring object ${id} has no override on ${date}`, `監視オブジェクト ${id} に ${date} の臨時変更はありません`), {}, 404);
    }
    await write(tx, id, object.expectation, { ...expectation, overrides: expectation.overrides.filter((o) => o.date !== date) });
    await recordAudit(tx, { user, action: 'expectation.override.remove', target: object.name, detail: { id, date } });
  });
}
