// The expectation routes of a real console manager on both store providers, called
// as a browser would: who may read and change them, what a browser is told, and
// hostile bodies that must get a clear 400 (never a 500) from a manager that keeps running.
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { waitUntil, type Client, type TestHost } from '../testing/test-host';
import { createStoreHost, type StoreHost } from '../testing/store-host';
import { STORE_PROVIDERS } from '../testing/stores';
import { addDays, localDateOf } from '../domain/time-zone';
import { LIVE_EVENTS } from '../domain/live';

const HOURLY = { schedule: { cron: '0 * * * *' }, timeZone: 'UTC', startBy: { afterMinutes: 10 } };

describe.each(STORE_PROVIDERS)('expectation routes on %s', (provider) => {
  let target: StoreHost;
  let host: TestHost;
  let manager: ChildProcess;
  let admin: Client;
  let operator: Client;
  let guest: Client;
  let objectId: number;
  let socket: Socket;
  let definitionChanges = 0;

  beforeAll(async () => {
    target = await createStoreHost(`exp${provider.slice(0, 2)}`, provider);
    host = target.host;
    manager = await host.startManager();
    [admin, operator, guest] = await Promise.all([host.login('admin'), host.login('operator'), host.login('guest')]);
    socket = guest.socket();
    socket.on(LIVE_EVENTS.definitions, () => definitionChanges++);
    // As a browser does: a new host to watch reads every unit again, and the room is left until subscribed again.
    socket.on(LIVE_EVENTS.resync, () => socket.emit(LIVE_EVENTS.subscribe, () => {}));
    await new Promise((resolve) => socket.emit(LIVE_EVENTS.subscribe, resolve));
    const scopeId = (await admin.call('POST', '/scopes', { name: 'Nightly' })).body.scope.id;
    objectId = (await admin.call('POST', '/objects', { name: 'Backup', scopeId, host: host.name, unit: '/Ops/backup' })).body.object.id;
    // Both changes heard before the tests count theirs.
    await waitUntil('the notices of the scope and the object', () => definitionChanges >= 2 || undefined);
  });

  afterAll(async () => {
    socket?.close();
    await host?.stop();
  });

  const path = (id = objectId) => `/objects/${id}/expectation`;

  it('lets an operator set and remove an expectation; a guest reads it, is refused changes, and hears of each', async () => {
    expect(await guest.call('GET', path())).toMatchObject({ status: 200, body: { expectation: null } });
    const heard = definitionChanges;
    const set = await operator.call('PUT', path(), HOURLY);
    expect(set).toEqual({ status: 200, body: { expectation: { ...HOURLY, overrides: [] } } });
    await waitUntil('the definitions notice', () => definitionChanges > heard || undefined);
    expect((await guest.call('GET', path())).body).toMatchObject({ expectation: { ...HOURLY, overrides: [] } });
    const defs = (await guest.call('GET', '/definitions')).body;
    expect(defs.objects.find((o: { id: number }) => o.id === objectId)).toMatchObject({ hasExpectation: true });

    const day = addDays(localDateOf(new Date(), 'UTC'), 1);
    expect((await guest.call('PUT', path(), HOURLY)).status).toBe(403);
    expect((await guest.call('DELETE', path())).status).toBe(403);
    expect((await guest.call('PUT', `${path()}/overrides/${day}`, { skip: true })).status).toBe(403);
    expect((await guest.call('DELETE', `${path()}/overrides/${day}`)).status).toBe(403);

    expect((await operator.call('DELETE', path())).status).toBe(204);
    expect((await guest.call('GET', path())).body).toMatchObject({ expectation: null });
    expect((await admin.call('PUT', path(), HOURLY)).status).toBe(200);
    const audit = (await admin.call('GET', '/audit?limit=5')).body.entries.map((e: { action: string; user: string }) => `${e.user} ${e.action}`);
    expect(audit.slice(0, 3)).toEqual(['admin expectation.set', 'operator expectation.remove', 'operator expectation.set']);
  });

  it('refuses a change based on a revision that is no longer the stored one (If-Match), and takes the current one', async () => {
    await operator.call('PUT', path(), HOURLY);
    const read = (await operator.call('GET', path())).body.revision as string;
    expect(read).toMatch(/^[\w-]{16}$/);
    // Someone else changes it meanwhile.
    expect((await admin.call('PUT', path(), { ...HOURLY, endWithinMinutes: 5 })).status).toBe(200);
    const stale = await operator.call('PUT', path(), { ...HOURLY, endWithinMinutes: 9 }, { 'if-match': `"${read}"` });
    expect(stale.status).toBe(409);
    expect((await operator.call('DELETE', path(), undefined, { 'if-match': `"${read}"` })).status).toBe(409);
    expect((await operator.call('GET', path())).body.expectation.endWithinMinutes).toBe(5);
    const current = (await operator.call('GET', path())).body.revision as string;
    expect(current).not.toBe(read);
    expect((await operator.call('PUT', path(), { ...HOURLY, endWithinMinutes: 9 }, { 'if-match': `"${current}"` })).status).toBe(200);
    expect((await operator.call('PUT', path(), HOURLY, { 'if-match': '*' })).status).toBe(200);
  });

  it('sets, replaces and removes a day’s override; refuses a past day in the language asked', async () => {
    const today = localDateOf(new Date(), 'UTC');
    const day = addDays(today, 1);
    expect(await operator.call('PUT', `${path()}/overrides/${day}`, { startBy: { at: '05:00' } })).toEqual({ status: 200, body: { override: { date: day, startBy: { at: '05:00' } } } });
    expect((await operator.call('PUT', `${path()}/overrides/${day}`, { skip: true })).body).toEqual({ override: { date: day, skip: true } });
    expect((await guest.call('GET', path())).body.expectation.overrides).toEqual([{ date: day, skip: true }]);

    const past = await operator.call('PUT', `${path()}/overrides/${addDays(today, -2)}`, { skip: true });
    expect(past.status).toBe(400);
    expect(past.body.error).toMatch(/an override is for a day from today/);
    const pastJa = await operator.call('PUT', `${path()}/overrides/${addDays(today, -2)}`, { skip: true }, { 'accept-language': 'ja' });
    expect(pastJa.body.error).toMatch(/臨時変更は今日/);
    expect((await operator.call('PUT', `${path()}/overrides/not-a-date`, { skip: true })).status).toBe(400);

    expect((await operator.call('DELETE', `${path()}/overrides/${day}`)).status).toBe(204);
    expect((await operator.call('DELETE', `${path()}/overrides/${day}`)).status).toBe(404);
    expect((await guest.call('GET', path())).body.expectation.overrides).toEqual([]);
  });

  it('answers 404 for an object that does not exist, or an id that is none', async () => {
    for (const id of [999999, 'x1' as unknown as number]) {
      expect((await guest.call('GET', path(id))).status).toBe(404);
      expect((await operator.call('PUT', path(id), HOURLY)).status).toBe(404);
      expect((await operator.call('DELETE', path(id))).status).toBe(404);
    }
    const missing = await operator.call('PUT', path(999999), HOURLY, { 'accept-language': 'ja' });
    expect(missing.body.error).toBe('監視オブジェクト 999999 はありません');
  });

  it('answers hostile bodies with a clear 4xx, never a 500, and keeps running with the expectation as it was', async () => {
    const before = (await guest.call('GET', path())).body;
    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
    const nested = (n: number): unknown => (n === 0 ? {} : { schedule: nested(n - 1) });
    const raw = async (url: string, body: string) =>
      fetch(`${host.url}/api/v1${url}`, { method: 'PUT', headers: { cookie: operator.cookie, origin: host.url, 'x-csrf-token': operator.csrfToken, 'content-type': 'application/json' }, body });
    const bodies: [string, string][] = [
      ['deeply nested array', deep(20_000)],
      ['deeply nested object', JSON.stringify(nested(2_000))],
      ['not JSON', '{"schedule": '],
      ['a string', '"0 * * * *"'],
      ['null', 'null'],
      ['wrong types', JSON.stringify({ schedule: { cron: 5, times: 'x' }, timeZone: ['UTC'], startBy: 'soon', learned: { factor: '2' }, overrides: {} })],
      ['a huge cron', JSON.stringify({ ...HOURLY, schedule: { cron: '0 '.repeat(20_000) } })],
      ['many times', JSON.stringify({ ...HOURLY, schedule: { times: Array.from({ length: 5000 }, () => '01:00') } })],
      ['many overrides', JSON.stringify({ ...HOURLY, overrides: Array.from({ length: 1000 }, (_, i) => ({ date: addDays('2030-01-01', i), skip: true })) })],
      ['a prototype key', '{"__proto__": {"schedule": {"cron": "0 * * * *"}}, "timeZone": "UTC"}'],
    ];
    for (const [what, body] of bodies) {
      for (const url of [path(), `${path()}/overrides/${addDays(localDateOf(new Date(), 'UTC'), 1)}`]) {
        const res = await raw(url, body);
        expect(res.status, `${what} to ${url}`).toBe(400);
        expect((await res.json()).error, what).toMatch(/\S/);
      }
    }
    const tooLarge = await raw(path(), JSON.stringify({ ...HOURLY, comment: 'x'.repeat(70 * 1024) }));
    expect(tooLarge.status).toBe(413);
    expect(manager.exitCode).toBeNull();
    expect((await fetch(`${host.url}/api/v1/health`)).status).toBe(200);
    expect((await guest.call('GET', path())).body).toEqual(before);
  });
});
