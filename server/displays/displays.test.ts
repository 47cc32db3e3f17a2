// Wall displays against a real console manager, on both store providers: a
// screen asks for a pairing, an admin enrols its code, the screen's poll takes
// the credential, and its socket gets its own scope's objects and nothing else,
// whatever it asks for. Wrong, expired and used codes are refused alike,
// limited and audited; a pairing is exchanged once; a move reaches the socket
// at once and changes what it receives; a revocation closes it at once and the
// credential is refused from then on; no secret shows in a log line, an answer
// or the audit log.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { Client, TestHost, waitUntil } from '../testing/test-host';
import { createStoreHost, openStoreProbe, type StoreHost, type StoreProbe } from '../testing/store-host';
import { STORE_PROVIDERS } from '../testing/stores';
import { projectRoot } from '../host/config';
import { cookieIn, enrolScreen, Screen } from '../testing/display-screen';
import { appendEvents } from '../spool/spool';
import { digest } from '../auth/display-credentials';
import { LIVE_EVENTS, readSnapshot, type DisplayNotice, type Snapshot, type SnapshotAnswer, type UnitsDelta } from '../domain/live';
import { SUMMARY_CLASSES, type Status } from '../domain/status';
import { WRONG_CODE } from './displays';

const CODE = /^[BCDFGHJKLMNPQRSTVWXZ]{8}$/;

/** A subscribed socket's answer, decoded (a large one travels gzipped). */
async function subscribe(socket: Socket, request: unknown = {}): Promise<Snapshot & { error?: string }> {
  const answer = await new Promise<SnapshotAnswer & { error?: string }>((resolve) => socket.emit(LIVE_EVENTS.subscribe, request, resolve));
  return answer.error ? (answer as Snapshot & { error: string }) : readSnapshot(answer);
}

/** A socket's deltas and display notices, as they arrive. */
function listen(socket: Socket) {
  const heard = { objects: [] as string[], units: [] as string[], notices: [] as DisplayNotice[], resyncs: 0, disconnected: false };
  socket.on(LIVE_EVENTS.units, (d: UnitsDelta) => {
    heard.objects.push(...(d.objects ?? []).map((o) => `${o.unit}=${o.status}`));
    heard.units.push(...d.units.map((u) => u.unit));
  });
  socket.on(LIVE_EVENTS.display, (n: DisplayNotice) => heard.notices.push(n));
  socket.on(LIVE_EVENTS.resync, () => heard.resyncs++);
  socket.on('disconnect', () => (heard.disconnected = true));
  return heard;
}

/** Logs in as any user from an address of its own (the limits count per address). */
async function loginAs(host: TestHost, user: string, password: string, localAddress: string): Promise<Client> {
  const reach = { localAddress };
  const { fetchWith } = await import('../testing/tls');
  const res = await fetchWith(`${host.url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: host.url }, body: JSON.stringify({ user, password }) }, reach);
  if (res.status !== 200) throw new Error(`login as ${user} failed: ${res.status}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('jobscope_session='))!.split(';')[0];
  const session = (await (await fetchWith(`${host.url}/api/v1/session`, { headers: { cookie } }, reach)).json()) as { csrfToken: string };
  return new Client(host.url, cookie, session.csrfToken, reach);
}

describe.each(STORE_PROVIDERS)('wall displays on %s', (provider) => {
  let target: StoreHost;
  let host: TestHost;
  let admin: Client;
  let probe: StoreProbe;
  const scopes = { east: 0, eastNight: 0, west: 0 };
  /** Every screen of the file: their secrets must show nowhere but in their cookies. */
  const screens: Screen[] = [];
  /** Every answer an admin got, as text. */
  const adminAnswers: string[] = [];
  const sockets: Socket[] = [];

  const append = (...runs: [string, Status][]) =>
    appendEvents(
      host.spoolFile,
      runs.map(([unit, status]) => ({
        host: host.name, unit, execId: `${unit}-${status}-${Math.random()}`, runId: null, kind: 'status' as const, status,
        at: new Date().toISOString(), node: 'n', pid: null, exitCode: null, signal: null, outputTail: null, reason: null,
      })),
    );
  const call = async (method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
    const answer = await admin.call(method, path, body, headers);
    adminAnswers.push(JSON.stringify(answer.body ?? null));
    return answer;
  };
  const newScreen = () => {
    const screen = new Screen(host.url);
    screens.push(screen);
    return screen;
  };
  const enrol = async (name: string, scopeId: number, settings?: unknown) => {
    const enrolled = await enrolScreen(host.url, admin, { name, scopeId, settings });
    screens.push(enrolled.screen);
    return enrolled;
  };
  const socketOf = (screen: Screen, o?: Parameters<Screen['socket']>[0]) => {
    const socket = screen.socket(o);
    sockets.push(socket);
    return socket;
  };
  /** A change in East that every subscriber of East hears last: what it was sent before has arrived by then. */
  const barrier = async (heard: { objects: string[] }, status: Status) => {
    append(['/E/a', status]);
    await waitUntil(`the barrier ${status}`, () => heard.objects.includes(`/E=${status}`));
  };

  beforeAll(async () => {
    target = await createStoreHost(`disp${provider.slice(0, 2)}`, provider);
    host = target.host;
    await host.startAgent();
    await host.startManager();
    probe = openStoreProbe(target);
    admin = await host.login('admin');
    scopes.east = (await admin.call('POST', '/scopes', { name: 'East' })).body.scope.id;
    scopes.eastNight = (await admin.call('POST', '/scopes', { name: 'Night', parentId: scopes.east })).body.scope.id;
    scopes.west = (await admin.call('POST', '/scopes', { name: 'West' })).body.scope.id;
    for (const [name, scopeId, unit] of [['E', scopes.east, '/E'], ['EN', scopes.eastNight, '/EN'], ['W', scopes.west, '/W']] as const) {
      expect((await admin.call('POST', '/objects', { name, scopeId, host: host.name, unit })).status).toBe(201);
    }
    append(['/E/a', 'NORMAL'], ['/EN/b', 'RUNNING'], ['/W/c', 'NORMAL']);
    const all = admin.socket();
    await waitUntil('the first units', async () => ((await subscribe(all)).units.length === 3 ? true : undefined));
    all.close();
  });

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await probe?.close();
    await host?.stop();
  });

  it("pairs a screen, enrols its code, hands it its credential, and its socket gets its own scope's objects and nothing else", async () => {
    const screen = newScreen();
    const pairing = await screen.pair();
    expect(pairing.status).toBe(201);
    expect(pairing.body.code).toMatch(CODE);
    expect(pairing.body.consoleHost).toBe(host.name);
    expect(Date.parse(pairing.body.expiresAt) - Date.now()).toBeGreaterThan(9 * 60_000);
    expect(Object.keys(pairing.body).sort()).toEqual(['code', 'consoleHost', 'expiresAt']);
    const pairingCookie = cookieIn(pairing.cookies, 'jobscope_pairing')!;
    expect(pairingCookie.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(pairingCookie.attributes).toMatch(/Path=\/api\/v1\/display\/pairing; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    expect((await screen.poll()).body).toEqual({ state: 'waiting' });

    // Typed as people type it: lower case, a space in the middle.
    const code = `${pairing.body.code.slice(0, 4).toLowerCase()} ${pairing.body.code.slice(4)}`;
    const enrolled = await call('POST', '/displays', { code, name: 'Operations wall', scopeId: scopes.east, settings: { language: 'ja', classes: ['warning', 'abnormal'], timeZone: 'Asia/Tokyo' } });
    expect(enrolled.status).toBe(201);
    expect(enrolled.body.display).toMatchObject({
      name: 'Operations wall', scope: { id: scopes.east, name: 'East' }, state: 'awaiting-screen', enrolledBy: 'admin', connected: false, revokedAt: null,
      settings: { language: 'ja', classes: ['abnormal', 'warning'], timeZone: 'Asia/Tokyo', rotate: false, density: 'comfortable' },
    });

    const exchanged = await screen.poll();
    expect(exchanged.body).toMatchObject({ state: 'enrolled', display: { name: 'Operations wall', consoleHost: host.name, scope: { id: scopes.east, name: 'East' } } });
    const credential = cookieIn(exchanged.cookies, 'jobscope_display')!;
    expect(credential.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(credential.attributes).toBe(`Path=/; HttpOnly; SameSite=Strict; Max-Age=${400 * 24 * 3600}`);
    expect(cookieIn(exchanged.cookies, 'jobscope_pairing')).toEqual({ value: '', attributes: 'Path=/api/v1/display/pairing; HttpOnly; SameSite=Strict; Max-Age=0' });
    // Only its hash is stored.
    expect(await probe.count('Display', `"credentialHash" = '${digest(screen.credential!)}'`)).toBe(1);

    // What it reads of itself: its scope and the scope below, their objects, no other.
    const me = await screen.call('GET', '/display');
    expect(me.status).toBe(200);
    expect(cookieIn(me.cookies, 'jobscope_display')?.value).toBe(screen.credential);
    expect(me.body.display).toMatchObject({ name: 'Operations wall', consoleHost: host.name, scope: { id: scopes.east }, settings: { language: 'ja' } });
    expect(me.body.scopes.map((s: { name: string }) => s.name)).toEqual(['East', 'Night']);
    expect(me.body.objects.map((o: { unit: string }) => o.unit)).toEqual(['/E', '/EN']);
    // And the build of the View served, which a screen reloads for when it changes.
    expect(me.body.build).toBe(fs.readFileSync(path.join(projectRoot(), '.next', 'BUILD_ID'), 'utf8').trim());

    // Asking for West's units, it gets East's objects and no units; its hosts are East's.
    const socket = socketOf(screen);
    const snapshot = await subscribe(socket, { scope: scopes.west, units: true });
    expect(snapshot.units).toEqual([]);
    expect(snapshot.objects.map((o) => o.unit).sort()).toEqual(['/E', '/EN']);
    expect(snapshot.hosts.map((h) => h.name)).toEqual([host.name]);
    const heard = listen(socket);
    const everything = admin.socket();
    sockets.push(everything);
    await subscribe(everything, { units: false });
    const heardByAdmin = listen(everything);
    append(['/W/c', 'ABNORMAL'], ['/EN/b', 'ABNORMAL']);
    await waitUntil('both changes at the admin', () => heardByAdmin.objects.includes('/W=ABNORMAL') && heardByAdmin.objects.includes('/EN=ABNORMAL'));
    await barrier(heard, 'WARNING');
    expect(heard.objects).toEqual(['/EN=ABNORMAL', '/E=WARNING']);
    expect(heard.units).toEqual([]);

    const listed = (await call('GET', '/displays')).body.displays.find((d: { id: number }) => d.id === enrolled.body.display.id);
    expect(listed).toMatchObject({ state: 'active', connected: true, userAgent: screen.userAgent });
    expect(Date.parse(listed.connectedSince)).toBeGreaterThan(Date.now() - 60_000);
    expect(Date.parse(listed.lastSeenAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(JSON.stringify(listed)).not.toMatch(/credential|hash/i);

    // Nothing a person may do: reading definitions, runs, hosts; writing anything.
    expect((await screen.call('GET', '/definitions')).status).toBe(403);
    expect((await screen.call('GET', `/runs?host=${host.name}&unit=%2FE`)).status).toBe(403);
    expect((await screen.call('GET', '/displays')).status).toBe(403);
    expect((await screen.call('POST', '/scopes', { name: 'Mine' })).status).toBe(403);
    expect((await screen.call('GET', '/session')).status).toBe(401);

    const audit = await call('GET', '/audit?limit=10');
    const actions = audit.body.entries.map((e: { action: string; user: string; target: string }) => [e.action, e.user, e.target]);
    expect(actions).toEqual(expect.arrayContaining([['display.enrol', 'admin', 'Operations wall'], ['display.credential', '(display)', 'Operations wall']]));
    const entry = audit.body.entries.find((e: { action: string }) => e.action === 'display.enrol');
    expect(entry.detail).toMatchObject({ scopeId: scopes.east, language: 'ja', classes: ['abnormal', 'warning'], timeZone: 'Asia/Tokyo' });
  });

  it('refuses a wrong, an expired and a used code with the same words in both languages, and audits why', async () => {
    const used = newScreen();
    const usedCode = (await used.pair()).body.code;
    expect((await call('POST', '/displays', { code: usedCode, name: 'First', scopeId: scopes.west })).status).toBe(201);

    const late = newScreen();
    const lateCode = (await late.pair()).body.code;
    // Its ten minutes pass: the clock moved in the store.
    await probe.exec(`UPDATE "DisplayPairing" SET "expiresAt" = "createdAt" WHERE "displayId" IS NULL`);
    expect((await late.poll()).body).toEqual({ state: 'expired' });
    expect(late.pairingSecret).toBeUndefined();

    const wrong = lateCode === 'BBBBBBBB' ? 'CCCCCCCC' : 'BBBBBBBB';
    const answers = [];
    for (const code of [wrong, lateCode, usedCode]) {
      const en = await call('POST', '/displays', { code, name: 'Second', scopeId: scopes.west });
      const ja = await call('POST', '/displays', { code, name: 'Second', scopeId: scopes.west }, { 'accept-language': 'ja' });
      answers.push([en.status, en.body, ja.status, ja.body]);
    }
    const expected = [400, { error: WRONG_CODE.en, fields: { code: WRONG_CODE.en } }, 400, { error: WRONG_CODE.ja, fields: { code: WRONG_CODE.ja } }];
    expect(answers).toEqual([expected, expected, expected]);

    // Not a code at all: the field says what a code is, and nothing is looked up.
    const malformed = await call('POST', '/displays', { code: 'AEIOU123', name: 'Second', scopeId: scopes.west });
    expect(malformed).toMatchObject({ status: 400, body: { fields: { code: 'code is the 8 letters the screen shows' } } });

    const refused = (await call('GET', '/audit?action=display.enrol.refused&limit=20')).body.entries;
    expect(refused.map((e: { user: string; detail: { reason: string; from: string } }) => [e.user, e.detail.reason, e.detail.from])).toEqual(
      ['used-code', 'used-code', 'expired-code', 'expired-code', 'unknown-code', 'unknown-code'].map((reason) => ['admin', reason, '127.0.0.1']),
    );
    // The typed codes are kept nowhere.
    const audit = JSON.stringify(await probe.rows('SELECT * FROM "AuditEntry"'));
    for (const code of [wrong, lateCode, usedCode]) expect(audit).not.toContain(code);
  });

  it('exchanges a pairing once: of two polls at once one gets the credential, and the pairing cookie is worth nothing after', async () => {
    const screen = newScreen();
    const code = (await screen.pair()).body.code;
    const secret = screen.pairingSecret!;
    expect((await call('POST', '/displays', { code, name: 'Twice', scopeId: scopes.west })).status).toBe(201);
    const twin = newScreen();
    twin.pairingSecret = secret;
    const polls = await Promise.all([screen.poll(), twin.poll()]);
    expect(polls.map((p) => p.body.state).sort()).toEqual(['enrolled', 'expired']);
    expect([screen, twin].filter((s) => s.credential).length).toBe(1);
    const replay = newScreen();
    replay.pairingSecret = secret;
    const again = await replay.poll();
    expect(again.body).toEqual({ state: 'expired' });
    expect(cookieIn(again.cookies, 'jobscope_display')).toBeUndefined();
    expect(await probe.count('DisplayPairing', `"secretHash" = '${digest(secret)}'`)).toBe(0);
  });

  it('tells a moved display at once and gives its socket the new scope; settings are checked in both languages', async () => {
    const { screen, id } = await enrol('Moving wall', scopes.east);
    const socket = socketOf(screen);
    expect((await subscribe(socket)).objects.map((o) => o.unit).sort()).toEqual(['/E', '/EN']);
    const heard = listen(socket);

    const renamed = await call('PATCH', `/displays/${id}`, { name: 'Moved wall', settings: { pageSeconds: 20, density: 'compact' } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.display).toMatchObject({ name: 'Moved wall', settings: { pageSeconds: 20, density: 'compact', rotateSeconds: 30 } });
    await waitUntil('the rename on the socket', () => heard.notices.length === 1);
    expect(heard.notices[0]).toMatchObject({ state: 'changed', display: { name: 'Moved wall', scope: { id: scopes.east }, settings: { pageSeconds: 20, density: 'compact' } } });
    expect(heard.resyncs).toBe(0);

    expect((await call('PATCH', `/displays/${id}`, { scopeId: scopes.west })).status).toBe(200);
    await waitUntil('the move on the socket', () => heard.notices.length === 2 && heard.resyncs === 1);
    expect(heard.notices[1]).toMatchObject({ state: 'changed', display: { scope: { id: scopes.west, name: 'West' } } });
    // It left East at once: East's changes no longer reach it; subscribing again gives West.
    append(['/E/a', 'ABNORMAL']);
    const west = await subscribe(socket, { scope: scopes.east });
    expect(west.objects.map((o) => o.unit)).toEqual(['/W']);
    append(['/W/c', 'RUNNING']);
    await waitUntil("West's change", () => heard.objects.includes('/W=RUNNING'));
    expect(heard.objects.filter((o) => o.startsWith('/E'))).toEqual([]);

    const audit = (await call('GET', '/audit?action=display.update&limit=2')).body.entries;
    expect(audit.map((e: { detail: unknown }) => e.detail)).toEqual([{ id, scopeId: scopes.west }, { id, name: 'Moved wall', pageSeconds: 20, density: 'compact' }]);

    const bad: [unknown, string, string, string][] = [
      [{ timeZone: 'Mars/Olympus_Mons' }, 'settings.timeZone', 'not a time zone', 'タイムゾーン'],
      [{ classes: [] }, 'settings.classes', 'at least one', '1 つ以上'],
      [{ classes: ['abnormal', 'purple'] }, 'settings.classes.1', 'among', '集計区分'],
      [{ pageSeconds: 1 }, 'settings.pageSeconds', 'at least 5 seconds', '5 秒以上'],
      [{ density: 'dense' }, 'settings.density', 'comfortable or compact', 'comfortable か compact'],
      [{ language: 'fr' }, 'settings.language', 'en or ja', 'en か ja'],
      [{ rotate: 'yes' }, 'settings.rotate', 'true or false', 'true か false'],
      [{ colour: 'red' }, 'settings', 'colour', 'colour'],
    ];
    for (const [settings, field, en, ja] of bad) {
      const answer = await call('PATCH', `/displays/${id}`, { settings });
      const japanese = await call('PATCH', `/displays/${id}`, { settings }, { 'accept-language': 'ja' });
      expect([answer.status, japanese.status], JSON.stringify(settings)).toEqual([400, 400]);
      expect(answer.body.fields[field], JSON.stringify(settings)).toContain(en);
      expect(japanese.body.fields[field], JSON.stringify(settings)).toContain(ja);
    }
    expect((await call('PATCH', `/displays/${id}`, { scopeId: 999_999 })).body.fields).toEqual({ scopeId: 'no business scope 999999' });
    // None of them changed it.
    expect((await call('GET', '/displays')).body.displays.find((d: { id: number }) => d.id === id).settings).toEqual({
      rotate: false, rotateSeconds: 30, pageSeconds: 20, density: 'compact', classes: [...SUMMARY_CLASSES], timeZone: null, language: 'en',
    });
  });

  it('tells a display whose scope was deleted, and its subscription then has no scope', async () => {
    const temporary = (await call('POST', '/scopes', { name: 'Temporary' })).body.scope.id;
    const { screen, id } = await enrol('Orphan wall', temporary);
    const socket = socketOf(screen);
    expect((await subscribe(socket)).objects).toEqual([]);
    const heard = listen(socket);
    expect((await call('DELETE', `/scopes/${temporary}`)).status).toBe(204);
    await waitUntil('the notice', () => heard.notices.length === 1);
    expect(heard.notices[0]).toMatchObject({ state: 'changed', display: { id, scope: null } });
    expect(await subscribe(socket)).toEqual({ error: 'unknown-scope' });
    expect((await screen.call('GET', '/display')).body).toMatchObject({ display: { scope: null }, scopes: [], objects: [] });
  });

  it('revokes a display: its socket is told and closed at once, and its credential is refused from then on', async () => {
    const { screen, id } = await enrol('Doomed wall', scopes.west);
    const sockets = [socketOf(screen), socketOf(screen, { auth: { as: 'display' } })];
    for (const socket of sockets) await subscribe(socket);
    const heard = sockets.map(listen);
    await waitUntil('both sockets listed', async () => (await call('GET', '/displays')).body.displays.find((d: { id: number }) => d.id === id).connected || undefined);

    const began = Date.now();
    expect((await call('DELETE', `/displays/${id}`)).status).toBe(204);
    await waitUntil('both sockets closed', () => heard.every((h) => h.disconnected));
    expect(Date.now() - began).toBeLessThan(2000);
    for (const h of heard) expect(h.notices).toEqual([{ state: 'revoked' }]);

    expect((await screen.call('GET', '/display')).status).toBe(401);
    const again = socketOf(screen);
    const refusal = await new Promise<string>((resolve) => again.once('connect_error', (err) => resolve(err.message)));
    expect(refusal).toBe('unauthorized');
    const listed = (await call('GET', '/displays')).body.displays.find((d: { id: number }) => d.id === id);
    expect(listed).toMatchObject({ state: 'revoked', connected: false });
    expect(Date.parse(listed.revokedAt)).toBeGreaterThan(began - 1000);
    expect((await call('PATCH', `/displays/${id}`, { name: 'Back' })).status).toBe(409);
    expect((await call('DELETE', `/displays/${id}`)).status).toBe(409);
    expect((await call('DELETE', '/displays/999999')).status).toBe(404);
  });

  it('limits pairings per address and wrong codes per admin and per address', async () => {
    const fromElsewhere = new Screen(host.url, { localAddress: '127.0.0.9' });
    screens.push(fromElsewhere);
    const statuses = [];
    for (let i = 0; i < 11; i++) statuses.push((await fromElsewhere.pair()).status);
    expect(statuses).toEqual([...Array(10).fill(201), 429]);
    // Another address is not slowed.
    expect((await newScreen().pair()).status).toBe(201);

    expect((await call('POST', '/users', { name: 'keeper', password: 'keeper-password-1', role: 'admin' })).status).toBe(201);
    const keeper = await loginAs(host, 'keeper', 'keeper-password-1', '127.0.0.8');
    const wrong = [];
    for (let i = 0; i < 11; i++) wrong.push(await keeper.call('POST', '/displays', { code: 'BBBBBBBB', name: 'Guess', scopeId: scopes.west }));
    expect(wrong.map((a) => a.status)).toEqual([...Array(10).fill(400), 429]);
    expect(wrong.at(-1)!.body.error).toMatch(/^Too many requests; try again in \d+ s$/);
    // Refused before the code is looked at: ten refusals audited, not eleven.
    expect((await call('GET', '/audit?action=display.enrol.refused&limit=50')).body.entries.filter((e: { user: string }) => e.user === 'keeper')).toHaveLength(10);
    // The admin at another address is not.
    expect((await call('POST', '/displays', { code: 'BBBBBBBB', name: 'Guess', scopeId: scopes.west })).status).toBe(400);
  });

  it('keeps each display on its scope through an import that recreates every scope, by the scope\'s path', async () => {
    const night = await enrol('Night wall', scopes.eastNight);
    const gone = await enrol('Gone wall', (await call('POST', '/scopes', { name: 'Not in the document' })).body.scope.id);
    const exported = await call('GET', '/definitions/export');
    expect(exported.status).toBe(200);
    const document = { ...exported.body, scopes: exported.body.scopes.filter((s: { name: string }) => s.name !== 'Not in the document') };
    expect((await call('POST', '/definitions/import', document)).status).toBe(200);
    const listed = (await call('GET', '/displays')).body.displays as { id: number; scope: { id: number; name: string } | null }[];
    const definitions = (await call('GET', '/definitions')).body.scopes as { id: number; name: string; parentId: number | null }[];
    const newNight = definitions.find((s) => s.name === 'Night')!;
    expect(newNight.id).not.toBe(scopes.eastNight); // recreated
    expect(listed.find((d) => d.id === night.id)!.scope).toEqual({ id: newNight.id, name: 'Night' });
    expect(listed.find((d) => d.id === gone.id)!.scope).toBeNull();
    // The screen's own view follows: its scope's objects, from the new scope.
    expect((await night.screen.call('GET', '/display')).body).toMatchObject({ display: { scope: { id: newNight.id, name: 'Night' } } });
    const socket = socketOf(night.screen);
    await waitUntil('the night scope again', async () => ((await subscribe(socket)).objects?.map((o) => o.unit).join() === '/EN' ? true : undefined));
  });

  it('never shows a pairing secret or a display credential in a log line, an answer, a URL or the audit log', async () => {
    const secrets = screens.flatMap((s) => s.secrets);
    expect(secrets.length).toBeGreaterThan(20);
    const audit = JSON.stringify(await probe.rows('SELECT * FROM "AuditEntry"'));
    const stored = JSON.stringify([await probe.rows('SELECT * FROM "Display"'), await probe.rows('SELECT * FROM "DisplayPairing"')]);
    const answers = [...adminAnswers, ...screens.flatMap((s) => s.seen)].join('\n');
    for (const secret of secrets) {
      expect(host.logs).not.toContain(secret);
      expect(audit).not.toContain(secret);
      expect(stored).not.toContain(secret);
      expect(answers).not.toContain(secret);
    }
  });
});
