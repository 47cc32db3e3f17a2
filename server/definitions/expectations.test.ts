// Monitoring objects' expectations in the store, on both providers: set, read back,
// removed, changed for a day; every change audited with codes and values; refusals
// in both languages; carried by export and import.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../store/db';
import { openTestStore, STORE_PROVIDERS } from '../testing/stores';
import { addHost } from './hosts';
import { createObject, createScope, listDefinitions } from './scopes';
import { getExpectation, MAX_OVERRIDE_DAYS_AHEAD, readExpectation, removeExpectation, removeOverride, setExpectation, setOverride } from './expectations';
import { exportDefinitions, importDefinitions } from './transfer';
import { InputError } from '../input';
import { expectationSchema } from '../domain/expectations';

const USER = 'operator';
const TOKEN = 'kGd5dHka1ekz6thuu-lfkfJvzrgu951k';
/** 10:00 in Tokyo on 2026-03-10 (01:00 UTC). */
const NOW = new Date('2026-03-10T01:00:00Z');

const NIGHTLY = {
  schedule: { times: ['22:00'] },
  timeZone: 'Asia/Tokyo',
  startBy: { afterMinutes: 15 },
  endBy: { at: '28:30' },
  endWithinMinutes: 120,
};

/** The InputError a promise is refused with. */
async function refusal(promise: Promise<unknown>): Promise<InputError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InputError);
  return err as InputError;
}

describe.each(STORE_PROVIDERS)('expectations on %s', (provider) => {
  let store: Store;
  let close: () => Promise<void>;
  let objectId: number;
  let otherId: number;

  const audit = async () =>
    (await store.auditEntry.findMany({ where: { action: { startsWith: 'expectation' } }, orderBy: { id: 'asc' } })).map((e) => ({ action: e.action, target: e.target, detail: e.detail ? JSON.parse(e.detail) : {} }));

  beforeAll(async () => {
    ({ store, close } = await openTestStore(provider));
    await addHost(store, { name: 'jh1', address: '127.0.0.1', feedPort: 7421, token: TOKEN });
    const scope = await createScope(store, { name: 'Billing' }, USER);
    objectId = (await createObject(store, { name: 'Extract', scopeId: scope.id, host: 'jh1', unit: '/Billing/extract' }, USER)).id;
    otherId = (await createObject(store, { name: 'Load', scopeId: scope.id, host: 'jh1', unit: '/Billing/load' }, USER)).id;
  });

  afterAll(async () => {
    await close?.();
  });

  it('sets an expectation whole, reads it back as parsed, lists the object as having one, and audits it', async () => {
    expect(await getExpectation(store, objectId)).toMatchObject({ expectation: null, problem: null });
    const set = await setExpectation(store, objectId, NIGHTLY, USER, NOW);
    expect(set).toEqual({ ...NIGHTLY, overrides: [] });
    expect(await getExpectation(store, objectId)).toMatchObject({ expectation: set, problem: null });
    const { objects } = await listDefinitions(store);
    expect(objects.find((o) => o.id === objectId)).toMatchObject({ hasExpectation: true });
    expect(objects.find((o) => o.id === otherId)).toMatchObject({ hasExpectation: false });
    expect(objects[0]).not.toHaveProperty('expectation');
    expect((await audit()).at(-1)).toEqual({
      action: 'expectation.set',
      target: 'Extract',
      detail: { id: objectId, times: ['22:00'], timeZone: 'Asia/Tokyo', startBy: 15, endBy: '28:30', endWithinMinutes: 120, overrides: [] },
    });
  });

  it('refuses an expectation that does not parse, with the field, in English and Japanese, and changes nothing', async () => {
    const before = await getExpectation(store, objectId);
    const err = await refusal(setExpectation(store, objectId, { ...NIGHTLY, timeZone: 'Mars/Olympus' }, USER, NOW));
    expect(err.status).toBe(400);
    expect(err.in('en').fields.timeZone).toMatch(/not a time zone this console knows/);
    expect(err.in('ja').fields.timeZone).toMatch(/タイムゾーン/);
    expect(err.in('en').error).toMatch(/^timeZone: /);
    const wrongTypes = await refusal(setExpectation(store, objectId, { schedule: 'daily', timeZone: 7, endWithinMinutes: '5' }, USER, NOW));
    expect(Object.keys(wrongTypes.fields)).toEqual(expect.arrayContaining(['schedule', 'timeZone', 'endWithinMinutes']));
    expect((await refusal(setExpectation(store, objectId, [1, 2], USER, NOW))).fields._).toMatch(/an expectation is/);
    expect((await refusal(setExpectation(store, objectId, { ...NIGHTLY, owner: 'me' }, USER, NOW))).status).toBe(400);
    expect(await getExpectation(store, objectId)).toMatchObject(before);
  });

  it('answers 404 for an object that does not exist', async () => {
    for (const attempt of [
      () => getExpectation(store, 999999),
      () => setExpectation(store, 999999, NIGHTLY, USER, NOW),
      () => removeExpectation(store, 999999, USER),
      () => setOverride(store, 999999, '2026-03-11', { skip: true }, USER, NOW),
      () => removeOverride(store, 999999, '2026-03-11', USER),
    ]) {
      const err = await refusal(attempt());
      expect(err.status).toBe(404);
      expect(err.text.en).toBe('no monitoring object 999999');
    }
  });

  it('adds, replaces and removes one day’s override, each audited', async () => {
    const tomorrow = await setOverride(store, objectId, '2026-03-11', { endBy: { at: '30:00' }, startBy: null }, USER, NOW);
    expect(tomorrow).toEqual({ date: '2026-03-11', endBy: { at: '30:00' }, startBy: null });
    await setOverride(store, objectId, '2026-03-10', { skip: true }, USER, NOW);
    let { expectation } = await getExpectation(store, objectId);
    expect(expectation!.overrides.map((o) => o.date)).toEqual(['2026-03-10', '2026-03-11']);

    // The same day again replaces it; a date in the body must be the path's.
    await setOverride(store, objectId, '2026-03-11', { date: '2026-03-11', endWithinMinutes: 30 }, USER, NOW);
    ({ expectation } = await getExpectation(store, objectId));
    expect(expectation!.overrides).toEqual([{ date: '2026-03-10', skip: true }, { date: '2026-03-11', endWithinMinutes: 30 }]);
    expect((await refusal(setOverride(store, objectId, '2026-03-12', { date: '2026-03-13', skip: true }, USER, NOW))).fields.date).toMatch(/path/);

    await removeOverride(store, objectId, '2026-03-10', USER);
    ({ expectation } = await getExpectation(store, objectId));
    expect(expectation!.overrides.map((o) => o.date)).toEqual(['2026-03-11']);
    expect((await refusal(removeOverride(store, objectId, '2026-03-10', USER))).status).toBe(404);

    expect((await audit()).slice(-4)).toEqual([
      { action: 'expectation.override', target: 'Extract', detail: { id: objectId, date: '2026-03-11', startBy: null, endBy: '30:00' } },
      { action: 'expectation.override', target: 'Extract', detail: { id: objectId, date: '2026-03-10', skip: true } },
      { action: 'expectation.override', target: 'Extract', detail: { id: objectId, date: '2026-03-11', endWithinMinutes: 30 } },
      { action: 'expectation.override.remove', target: 'Extract', detail: { id: objectId, date: '2026-03-10' } },
    ]);
  });

  it('refuses an override for a past day, too far ahead, not a date, or badly formed', async () => {
    const past = await refusal(setOverride(store, objectId, '2026-03-09', { skip: true }, USER, NOW));
    expect(past.status).toBe(400);
    expect(past.text.en).toMatch(/from today \(2026-03-10 in Asia\/Tokyo\) to 2026-04-10; 2026-03-09 is not/);
    expect(past.text.ja).toMatch(/今日/);
    expect(MAX_OVERRIDE_DAYS_AHEAD).toBe(31);
    const last = '2026-04-10';
    await setOverride(store, objectId, last, { skip: true }, USER, NOW);
    await removeOverride(store, objectId, last, USER);
    expect((await refusal(setOverride(store, objectId, '2026-04-11', { skip: true }, USER, NOW))).fields.date).toBe('from 2026-03-10 to 2026-04-10');
    expect((await refusal(setOverride(store, objectId, '2026-02-30', { skip: true }, USER, NOW))).fields.date).toMatch(/exists/);
    expect((await refusal(removeOverride(store, objectId, 'yesterday', USER))).status).toBe(400);
    const bad = await refusal(setOverride(store, objectId, '2026-03-12', { skip: false, endWithinMinutes: 0, extra: 1 }, USER, NOW));
    expect(bad.status).toBe(400);
    expect((await refusal(setOverride(store, objectId, '2026-03-12', 'skip', USER, NOW))).status).toBe(400);
    expect((await getExpectation(store, objectId)).expectation!.overrides.map((o) => o.date)).toEqual(['2026-03-11']);
  });

  it('drops overrides of days no evaluation reads any more when the expectation changes', async () => {
    const later = new Date('2026-03-13T01:00:00Z');
    await setOverride(store, objectId, '2026-03-14', { skip: true }, USER, later);
    // 2026-03-11 is the day before yesterday on the 13th: gone; tomorrow's stays.
    expect((await getExpectation(store, objectId)).expectation!.overrides.map((o) => o.date)).toEqual(['2026-03-14']);
  });

  it('never loses a change made at the same time: each one either stays or is refused with 409', async () => {
    const later = new Date('2026-03-13T01:00:00Z');
    const days = ['2026-03-15', '2026-03-16', '2026-03-17', '2026-03-18'];
    const results = await Promise.allSettled(days.map((day) => setOverride(store, objectId, day, { skip: true }, USER, later)));
    const kept = (await getExpectation(store, objectId)).expectation!.overrides.map((o) => o.date);
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') expect(kept).toContain(days[i]);
      else expect((r.reason as InputError).status).toBe(409);
    });
    expect(results.some((r) => r.status === 'fulfilled')).toBe(true);
    for (const day of kept.filter((d) => days.includes(d))) await removeOverride(store, objectId, day, USER);
  });

  it('refuses an override on an object without an expectation (409)', async () => {
    const err = await refusal(setOverride(store, otherId, '2026-03-11', { skip: true }, USER, NOW));
    expect(err.status).toBe(409);
    expect(err.text.en).toMatch(/no usable expectation: set one first/);
  });

  it('reports a stored expectation that no longer parses instead of throwing, and lets it be set again', async () => {
    await store.monitoringObject.update({ where: { id: otherId }, data: { expectation: JSON.stringify({ schedule: { hourly: true }, timeZone: 'UTC' }) } });
    const read = await getExpectation(store, otherId);
    expect(read.expectation).toBeNull();
    expect(read.problem!.en).toMatch(/^schedule/);
    expect(readExpectation('{not json').problem!.en).toMatch(/not JSON/);
    expect((await refusal(setOverride(store, otherId, '2026-03-11', { skip: true }, USER, NOW))).status).toBe(409);
    await setExpectation(store, otherId, { schedule: { cron: '*/30 * * * *' }, timeZone: 'UTC' }, USER, NOW);
    expect((await getExpectation(store, otherId)).problem).toBeNull();
  });

  it('removes an expectation, audited; removing none is 404', async () => {
    await removeExpectation(store, otherId, USER);
    expect(await getExpectation(store, otherId)).toMatchObject({ expectation: null, problem: null });
    expect((await audit()).at(-1)).toEqual({ action: 'expectation.remove', target: 'Load', detail: { id: otherId } });
    expect((await refusal(removeExpectation(store, otherId, USER))).status).toBe(404);
  });

  it('carries expectations through export and import; an object without one has no field', async () => {
    const doc = await exportDefinitions(store, 'clh1');
    const [extract, load] = doc.scopes[0].objects;
    const kept = (await getExpectation(store, objectId)).expectation!;
    expect(extract.expectation).toEqual(kept);
    expect(load).not.toHaveProperty('expectation');

    await importDefinitions(store, JSON.parse(JSON.stringify(doc)), 'admin');
    const { objects } = await listDefinitions(store);
    const imported = objects.find((o) => o.name === 'Extract')!;
    expect(imported.hasExpectation).toBe(true);
    expect((await getExpectation(store, imported.id)).expectation).toEqual(kept);
    expect(objects.find((o) => o.name === 'Load')!.hasExpectation).toBe(false);
    objectId = imported.id;
  });

  it('refuses an import with a bad expectation whole, naming its path, and changes nothing', async () => {
    const doc = JSON.parse(JSON.stringify(await exportDefinitions(store, 'clh1')));
    doc.scopes[0].objects[1].expectation = { ...NIGHTLY, endBy: { at: '48:00' } };
    const before = await listDefinitions(store);
    const err = await refusal(importDefinitions(store, doc, 'admin'));
    expect(err.status).toBe(400);
    expect(Object.keys(err.fields)).toEqual(['$.scopes[0].objects[1].expectation.endBy.at']);
    expect(err.text.en).toMatch(/^the definitions document has 1 problem; first, \$\.scopes\[0\]\.objects\[1\]\.expectation\.endBy\.at: /);
    expect(await listDefinitions(store)).toEqual(before);
  });

  it('parses what it stored back to itself (the JSON kept is the schema’s output)', async () => {
    const row = await store.monitoringObject.findUnique({ where: { id: objectId }, select: { expectation: true } });
    const stored = JSON.parse(row!.expectation!);
    expect(expectationSchema.parse(stored)).toEqual(stored);
  });
});
