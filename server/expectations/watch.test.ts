// The flag watch over a real store, on both providers, with a clock the test
// moves: flags raised when due and stored once, notified once through the outbox,
// cleared by their run, kept by a manager taking over (raised and notified by
// none twice), acknowledged, withdrawn with their expectation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { Store } from '../store/db';
import { openTestStore, STORE_PROVIDERS } from '../testing/stores';
import { claimStore } from '../store/fence';
import { addHost } from '../definitions/hosts';
import { createObject, createScope } from '../definitions/scopes';
import { removeExpectation, setExpectation } from '../definitions/expectations';
import { FlagWatch } from './watch';
import { acknowledgeFlag } from './acknowledge-flag';
import { readSchedule } from './schedule';
import { readObjectRuns } from './evaluation';
import type { ScopedFlags } from '../live/hub';

const USER = 'operator';
const TOKEN = 'kGd5dHka1ekz6thuu-lfkfJvzrgu951k';
const at = (hhmm: string) => new Date(`2026-03-10T${hhmm}:00Z`);
const HOUR_MS = 3600_000;

describe.each(STORE_PROVIDERS)('flag watch on %s', (provider) => {
  let store: Store;
  let close: () => Promise<void>;
  let scopeId: number;
  let extract: number;
  let load: number;
  let clock = at('01:00');
  let seq = 0;

  /** A watch of its own epoch (a manager that just took the store), recording what it publishes. */
  async function watch() {
    const epoch = await claimStore(store);
    const published: ScopedFlags[][] = [];
    const failures: unknown[] = [];
    const w = new FlagWatch(store, pino({ level: 'silent' }), { epoch, consoleHost: 'clh', notifyMaxAgeMs: HOUR_MS, now: () => clock }, {
      changed: (objects) => published.push(objects),
      notified: () => {},
      failed: (err) => failures.push(err),
    });
    await w.start();
    return { w, published, failures };
  }

  const flagRows = () => store.expectationFlag.findMany({ orderBy: [{ objectId: 'asc' }, { kind: 'asc' }] });
  const notifications = () => store.notification.findMany({ orderBy: { id: 'asc' } });
  /** A run as the feed leaves it: the run, and its unit's latest. */
  const run = async (unit: string, startedAt: Date, endedAt: Date | null, status = endedAt ? 'NORMAL' : 'RUNNING') => {
    const row = { host: 'jh1', execId: `e${++seq}`, spoolId: 's', status, startSeq: seq, startedAt, endedAt };
    await store.run.create({ data: { ...row, unit, lastSeq: seq } });
    await store.unit.upsert({ where: { host_path: { host: 'jh1', path: unit } }, create: { ...row, path: unit, version: seq }, update: { ...row, version: seq } });
  };

  beforeAll(async () => {
    ({ store, close } = await openTestStore(provider));
    await addHost(store, { name: 'jh1', address: '127.0.0.1', feedPort: 7421, token: TOKEN });
    const scope = await createScope(store, { name: 'Billing', webhookUrl: 'https://hooks.example/flags', webhookFilter: 'abnormal,flags' }, USER).catch(async () => {
      // A filter without flags where they are not yet a class: set it on the row.
      const s = await createScope(store, { name: 'Billing' }, USER);
      await store.scope.update({ where: { id: s.id }, data: { webhookUrl: 'https://hooks.example/flags', webhookFilter: 'abnormal,flags' } });
      return s;
    });
    scopeId = scope.id;
    extract = (await createObject(store, { name: 'Extract', scopeId, host: 'jh1', unit: '/Billing/Extract' }, USER)).id;
    load = (await createObject(store, { name: 'Load', scopeId, host: 'jh1', unit: '/Billing/Load' }, USER)).id;
    const nightly = { schedule: { times: ['02:00'] }, timeZone: 'UTC', startBy: { afterMinutes: 10 }, missedAfterMinutes: 60 };
    await setExpectation(store, extract, nightly, USER, clock);
    await setExpectation(store, load, { ...nightly, endWithinMinutes: 30 }, USER, clock);
  });

  afterAll(async () => {
    await close?.();
  });

  it('raises a start delay when it is due, once, and notifies it once', async () => {
    const { w, published, failures } = await watch();
    expect(w.flags()).toEqual([]);
    clock = at('02:05');
    await w.refresh(extract);
    expect(await flagRows()).toEqual([]);

    clock = at('02:11');
    await w.refresh(extract);
    await w.refresh(load);
    await w.refresh(extract);
    const rows = await flagRows();
    expect(rows.map((r) => [r.objectId, r.kind, r.occurrence.toISOString(), r.dueAt.toISOString(), r.endedAt])).toEqual([
      [extract, 'start-delay', '2026-03-10T02:00:00.000Z', '2026-03-10T02:10:00.000Z', null],
      [load, 'start-delay', '2026-03-10T02:00:00.000Z', '2026-03-10T02:10:00.000Z', null],
    ]);
    const sent = await notifications();
    expect(sent.map((n) => n.key)).toEqual([`flag:${extract}:start-delay@2026-03-10T02:00:00.000Z`, `flag:${load}:start-delay@2026-03-10T02:00:00.000Z`]);
    expect(JSON.parse(sent[0].payload)).toMatchObject({ console: 'clh', scope: 'Billing', object: 'Extract', kind: 'start-delay', kindName: { en: 'Start delay', ja: '開始遅延' }, dueAt: '2026-03-10T02:10:00.000Z' });
    expect(w.flags().map((o) => [o.objectId, o.scopeId, o.flags.map((f) => f.kind)])).toEqual([[extract, scopeId, ['start-delay']], [load, scopeId, ['start-delay']]]);
    expect(published.flat().map((o) => o.objectId)).toEqual([extract, load]);
    expect(failures).toEqual([]);
    await w.stop();
  });

  it('a manager taking over keeps the raised flags, raises none twice and notifies none again; the old one can no longer write', async () => {
    const before = await notifications();
    const { w: standby, failures } = await watch();
    expect(standby.flags().map((o) => o.objectId)).toEqual([extract, load]);
    expect(await notifications()).toEqual(before);
    expect(failures).toEqual([]);
    await standby.stop();
  });

  it('clears the start delay when the run starts, and raises an overrun from the run', async () => {
    const { w, published } = await watch();
    await run('/Billing/Extract/job1', at('02:12'), null);
    await run('/Billing/Load', at('02:12'), null);
    clock = at('02:13');
    w.unitsChanged([{ host: 'jh1', unit: '/Billing/Extract/job1' }, { host: 'jh1', unit: '/Billing/Load' }]);
    await new Promise((resolve) => setTimeout(resolve, 400));
    await w.refresh(extract);
    expect(w.flags()).toEqual([]);
    expect(published.flat().filter((o) => o.flags.length === 0).map((o) => o.objectId).sort()).toEqual([extract, load].sort());
    const rows = await flagRows();
    expect(rows.map((r) => [r.objectId, r.kind, r.endReason])).toEqual([
      [extract, 'start-delay', 'cleared'],
      [load, 'start-delay', 'cleared'],
    ]);
    // Load must end within 30 minutes of its start (02:12): overrun from 02:42.
    clock = at('02:43');
    await w.refresh(load);
    expect(w.flags().map((o) => [o.objectId, o.flags.map((f) => [f.kind, f.dueAt])])).toEqual([[load, [['overrun', '2026-03-10T02:42:00.000Z']]]]);
    await w.stop();
  });

  it('acknowledges a raised flag, audited, and refuses one not raised', async () => {
    const { w } = await watch();
    const epoch = (await store.storeMeta.findUniqueOrThrow({ where: { id: 1 } })).epoch;
    const ack = await acknowledgeFlag(store, epoch, load, 'alice', { kind: 'overrun', occurrence: '2026-03-10T02:00:00.000Z', comment: 'known slow day' });
    expect(ack).toMatchObject({ by: 'alice', comment: 'known slow day' });
    await w.refresh(load);
    expect(w.flags()[0].flags[0].ack).toMatchObject({ by: 'alice', comment: 'known slow day' });
    const entry = await store.auditEntry.findFirstOrThrow({ where: { action: 'flag.ack' } });
    expect(JSON.parse(entry.detail!)).toMatchObject({ id: load, flag: 'overrun', occurrence: '2026-03-10T02:00:00.000Z' });
    await expect(acknowledgeFlag(store, epoch, load, 'alice', { kind: 'missed', occurrence: '2026-03-10T02:00:00.000Z' })).rejects.toMatchObject({ status: 404 });
    await expect(acknowledgeFlag(store, epoch, load, 'alice', { kind: 'late', occurrence: 'yesterday' })).rejects.toMatchObject({ status: 400 });
    await expect(acknowledgeFlag(store, epoch, load, 'alice', { kind: 'overrun', occurrence: '2026-03-10T02:00:00.000Z', extra: 1 })).rejects.toMatchObject({ status: 400 });
    await w.stop();
  });

  it('the schedule shows each expected run with its state, run and flags', async () => {
    const { objects } = await readSchedule(store, { scope: String(scopeId) }, clock);
    const today = (id: number) => objects.find((o) => o.objectId === id)!.occurrences.find((o) => o.at === '2026-03-10T02:00:00.000Z')!;
    expect(today(extract)).toMatchObject({ state: 'started', run: { startedAt: '2026-03-10T02:12:00.000Z', endedAt: null }, flags: [] });
    expect(today(load)).toMatchObject({ state: 'started', deadlines: { startBy: '2026-03-10T02:10:00.000Z', endWithin: '2026-03-10T02:42:00.000Z' }, flags: ['overrun'] });
    await expect(readSchedule(store, { scope: '999999' }, clock)).rejects.toMatchObject({ status: 404 });
  });

  it('a run that ends clears the overrun; a missed run is raised when its window closes; flags go with their expectation', async () => {
    const { w } = await watch();
    await store.run.updateMany({ where: { unit: '/Billing/Load' }, data: { status: 'NORMAL', endedAt: at('02:50') } });
    clock = at('02:51');
    await w.refresh(load);
    expect(w.flags()).toEqual([]);
    // Tomorrow's 02:00 runs never come: missed at 03:00 (missedAfterMinutes 60), which replaces the start delay (never raised: no one looked between).
    clock = new Date('2026-03-11T03:00:30Z');
    await w.refresh(load);
    // Both: an object whose deadline passed is evaluated with the one asked for.
    expect(w.flags().map((o) => [o.objectId, o.flags.map((f) => f.kind)])).toEqual([[extract, ['missed']], [load, ['missed']]]);
    const ofTomorrow = (await flagRows()).filter((r) => r.objectId === load && r.occurrence.toISOString() === '2026-03-11T02:00:00.000Z');
    expect(ofTomorrow.map((r) => [r.kind, r.endReason])).toEqual([['missed', null]]);

    await removeExpectation(store, load, USER);
    w.definitionsChanged();
    await w.refresh(extract);
    expect(w.flags().map((o) => o.objectId)).not.toContain(load);
    expect((await flagRows()).filter((r) => r.objectId === load && r.endedAt === null)).toEqual([]);
    expect((await flagRows()).filter((r) => r.objectId === load && r.endReason === 'withdrawn').map((r) => r.kind)).toEqual(['missed']);
    await w.stop();
  });

  it('reads a unit’s runs a page at a time: the whole window, and older ones only while learning needs them', async () => {
    const base = at('12:00').getTime();
    const rows = Array.from({ length: 1200 }, (_, i) => {
      const startedAt = new Date(base - (1200 - i) * 4 * 60_000);
      return { host: 'jh1', execId: `p${i}`, unit: '/Paged', spoolId: 's', status: 'NORMAL', startSeq: 100_000 + i, lastSeq: 100_000 + i, startedAt, endedAt: new Date(startedAt.getTime() + 60_000) };
    });
    await store.run.createMany({ data: rows });
    const since = new Date(base - 24 * HOUR_MS);
    const inWindow = rows.filter((r) => r.startedAt >= since).length;
    const windowOnly = await readObjectRuns(store, 'jh1', '/Paged', ['/Paged'], since, 20);
    // Whole pages, newest first, until one reaches before the window: all of the window, not all 1,200.
    expect(windowOnly.filter((r) => r.startedAt >= since)).toHaveLength(inWindow);
    expect(windowOnly.length).toBeLessThan(1200);
    // Learning from more normal ends than the window holds reads on.
    expect(await readObjectRuns(store, 'jh1', '/Paged', ['/Paged'], since, 600)).toHaveLength(1000);
  });
});
