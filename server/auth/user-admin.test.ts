// User administration against a real console manager: only admins reach it;
// disabling a user or ending a session cuts their live socket at once and
// refuses their next request; the audit log shows it, without passwords.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { Client, PASSWORDS, TestHost } from '../testing/test-host';
import type { Snapshot } from '../domain/live';

let host: TestHost;
let admin: Client;
const NEW_PASSWORD = 'frank-password-1';
const sockets: Socket[] = [];

/** Logs in as any user, as a browser would (TestHost.login knows only its three). */
async function loginAs(user: string, password: string): Promise<Client> {
  const res = await fetch(`${host.url}/api/v1/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: host.url },
    body: JSON.stringify({ user, password }),
  });
  if (res.status !== 200) throw new Error(`login as ${user} failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie')!.split(';')[0];
  const session = (await (await fetch(`${host.url}/api/v1/session`, { headers: { cookie } })).json()) as { csrfToken: string };
  return new Client(host.url, cookie, session.csrfToken);
}

/** A live socket, connected and subscribed to the status like the View's. */
async function liveSocket(client: Client): Promise<Socket> {
  const socket = client.socket();
  sockets.push(socket);
  await new Promise<Snapshot>((resolve, reject) => {
    socket.once('connect_error', reject);
    socket.emit('subscribe', (snapshot: Snapshot & { error?: string }) => (snapshot.error ? reject(new Error(snapshot.error)) : resolve(snapshot)));
  });
  return socket;
}

/** Resolves with how long after `since` the server disconnected the socket; fails if it stays connected. */
function disconnectedAfter(socket: Socket, since: () => number, timeoutMs = 5000): Promise<{ ms: number; reason: string }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the socket was not disconnected within ${timeoutMs} ms`)), timeoutMs);
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve({ ms: Date.now() - since(), reason });
    });
  });
}

beforeAll(async () => {
  host = await TestHost.create('adminhost');
  await host.startManager();
  admin = await host.login('admin');
});

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await host?.stop();
});

describe('user administration', () => {
  it('refuses operators and guests on every users, sessions and audit route', async () => {
    const routes: [string, string, unknown?][] = [
      ['GET', '/users'],
      ['POST', '/users', { name: 'mallory', password: 'mallory-password', role: 'admin' }],
      ['PATCH', '/users/1', { role: 'guest' }],
      ['POST', '/users/1/password', { password: 'mallory-password' }],
      ['GET', '/sessions'],
      ['DELETE', `/sessions/${'0'.repeat(64)}`],
      ['GET', '/audit'],
      ['GET', '/audit?action=login&limit=5'],
    ];
    for (const role of ['operator', 'guest'] as const) {
      const client = await host.login(role);
      for (const [method, path, body] of routes) {
        const res = await client.call(method, path, body);
        expect({ role, method, path, status: res.status }).toEqual({ role, method, path, status: 403 });
      }
    }
    // Nothing was changed by the refused requests.
    const users = await admin.call('GET', '/users');
    expect(users.body.users.map((u: { name: string }) => u.name)).toEqual(['admin', 'guest', 'operator']);
    expect(users.body.users.find((u: { name: string }) => u.name === 'admin')).toMatchObject({ role: 'admin', disabled: false });
  });

  it('adds a user (bad input: 400 with a message per field); the user logs in and opens a live socket; disabling them cuts it at once', async () => {
    const bad = await admin.call('POST', '/users', { name: 'frank smith', password: 'short', role: 'boss' });
    expect(bad.status).toBe(400);
    expect(bad.body.fields).toEqual({
      name: 'user name may contain letters, digits and _ . @ - only',
      password: 'password must have at least 8 characters',
      role: 'role must be one of admin, operator, guest',
    });
    const duplicate = await admin.call('POST', '/users', { name: 'Operator', password: NEW_PASSWORD, role: 'guest' });
    expect(duplicate).toMatchObject({ status: 409, body: { fields: { name: expect.any(String) } } });

    const created = await admin.call('POST', '/users', { name: 'frank', password: NEW_PASSWORD, role: 'operator' });
    expect(created.status).toBe(201);
    expect(created.body.user).toMatchObject({ name: 'frank', role: 'operator', disabled: false, sessions: 0 });
    const frankId: number = created.body.user.id;

    const frank = await loginAs('frank', NEW_PASSWORD);
    const socket = await liveSocket(frank);
    expect(socket.connected).toBe(true);
    expect((await admin.call('GET', '/users')).body.users.find((u: { name: string }) => u.name === 'frank').sessions).toBe(1);

    let sent = 0;
    const cut = disconnectedAfter(socket, () => sent);
    sent = Date.now();
    const disabled = await admin.call('PATCH', `/users/${frankId}`, { disabled: true });
    expect(disabled.status).toBe(200);
    expect(disabled.body.user).toMatchObject({ name: 'frank', disabled: true, sessions: 0 });
    const { ms, reason } = await cut;
    expect(reason).toBe('io server disconnect');
    expect(ms).toBeLessThan(1000);

    expect((await frank.call('GET', '/definitions')).status).toBe(401);
    // A new socket is refused at the handshake, and so is a new login, with the usual message.
    const again = frank.socket();
    sockets.push(again);
    expect(await new Promise((resolve) => again.once('connect_error', (err) => resolve(err.message)))).toBe('unauthorized');
    const relogin = await fetch(`${host.url}/api/v1/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: host.url },
      body: JSON.stringify({ user: 'frank', password: NEW_PASSWORD }),
    });
    expect(relogin.status).toBe(401);
    expect(await relogin.json()).toEqual({ error: 'Wrong user name or password' });
  });

  it('guards the admins: no disabling oneself, no demoting the last enabled admin', async () => {
    const adminId: number = (await admin.call('GET', '/users')).body.users.find((u: { name: string }) => u.name === 'admin').id;
    const self = await admin.call('PATCH', `/users/${adminId}`, { disabled: true });
    expect(self).toMatchObject({ status: 409, body: { error: 'You cannot disable your own account' } });
    const demote = await admin.call('PATCH', `/users/${adminId}`, { role: 'operator' });
    expect(demote).toMatchObject({ status: 409, body: { error: 'You cannot drop your own admin role' } });
    expect((await admin.call('PATCH', '/users/9999', { role: 'guest' })).status).toBe(404);
    expect((await admin.call('PATCH', '/users/abc', { role: 'guest' })).status).toBe(404);
    expect((await admin.call('POST', `/users/${adminId}/password`, { password: 'short' })).body.fields).toEqual({
      password: 'password must have at least 8 characters',
    });
  });

  it('ends one session: that session’s socket drops, the user’s other session stays', async () => {
    const frankId: number = (await admin.call('GET', '/users')).body.users.find((u: { name: string }) => u.name === 'frank').id;
    expect((await admin.call('PATCH', `/users/${frankId}`, { disabled: false })).status).toBe(200);
    const first = await loginAs('frank', NEW_PASSWORD);
    const second = await loginAs('frank', NEW_PASSWORD);
    const firstSocket = await liveSocket(first);
    const secondSocket = await liveSocket(second);

    const listed = await admin.call('GET', '/sessions');
    expect(listed.status).toBe(200);
    const franks = listed.body.sessions.filter((s: { user: string }) => s.user === 'frank');
    expect(franks).toHaveLength(2);
    // The cookie's token is never shown: only the stored id, a hash of it.
    const listedText = JSON.stringify(listed.body);
    for (const c of [first, second, admin]) expect(listedText).not.toContain(c.cookie.split('=')[1]);
    expect(listed.body.sessions.filter((s: { current: boolean }) => s.current)).toHaveLength(1);

    // Which listed session is the first client's: end one and see whose requests fail.
    let sent = 0;
    const cut = Promise.race([
      disconnectedAfter(firstSocket, () => sent).then((r) => ({ ...r, which: 'first' })),
      disconnectedAfter(secondSocket, () => sent).then((r) => ({ ...r, which: 'second' })),
    ]);
    sent = Date.now();
    expect((await admin.call('DELETE', `/sessions/${franks[0].id}`)).status).toBe(204);
    const { ms, which } = await cut;
    expect(ms).toBeLessThan(1000);
    const [ended, kept, keptSocket] = which === 'first' ? [first, second, secondSocket] : [second, first, firstSocket];
    expect((await ended.call('GET', '/definitions')).status).toBe(401);
    expect((await kept.call('GET', '/definitions')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(keptSocket.connected).toBe(true);
    expect((await admin.call('DELETE', `/sessions/${franks[0].id}`)).status).toBe(404);

    // A new role drops the user's sockets too: the browser reconnects and is authorised by the new role.
    const roleCut = disconnectedAfter(keptSocket, () => sent);
    sent = Date.now();
    expect((await admin.call('PATCH', `/users/${frankId}`, { role: 'guest' })).body.user.role).toBe('guest');
    expect((await roleCut).ms).toBeLessThan(1000);
    expect((await kept.call('GET', '/session')).body.user).toEqual({ name: 'frank', role: 'guest' });
    expect((await kept.call('POST', '/scopes', { name: 'Nope' })).status).toBe(403);

    // A password reset ends every session and cuts their sockets.
    const resetSocket = await liveSocket(kept);
    const resetCut = disconnectedAfter(resetSocket, () => sent);
    sent = Date.now();
    const reset = await admin.call('POST', `/users/${frankId}/password`, { password: 'frank-password-2' });
    expect(reset).toMatchObject({ status: 200, body: { endedSessions: 1 } });
    expect((await resetCut).ms).toBeLessThan(1000);
    expect((await kept.call('GET', '/definitions')).status).toBe(401);
    await loginAs('frank', 'frank-password-2');
  });

  it('keeps an audit log of logins and user changes, newest first, with no password in it', async () => {
    const logins = await admin.call('GET', '/audit?action=login&limit=50');
    expect(logins.status).toBe(200);
    expect(logins.body.entries.length).toBeGreaterThan(0);
    expect(logins.body.entries.every((e: { action: string }) => e.action === 'login')).toBe(true);
    expect(logins.body.entries).toContainEqual(expect.objectContaining({ user: 'frank', action: 'login', detail: { from: '127.0.0.1' } }));
    expect(logins.body.entries).toContainEqual(expect.objectContaining({ user: 'admin', action: 'login' }));

    const refused = await admin.call('GET', '/audit?action=login.refused');
    expect(refused.body.entries).toContainEqual(expect.objectContaining({ user: 'frank', detail: { from: '127.0.0.1', reason: 'disabled' } }));

    const updates = (await admin.call('GET', '/audit?action=user.update')).body.entries;
    expect(updates.map((e: { user: string; target: string; detail: unknown }) => [e.user, e.target, e.detail])).toEqual([
      ['admin', 'frank', { role: 'operator → guest' }],
      ['admin', 'frank', { disabled: false }],
      ['admin', 'frank', { disabled: true, sessionsEnded: 1 }],
    ]);

    // Everything, a page at a time, newest first; the pages join up.
    const all: { id: number; action: string }[] = [];
    for (let before = ''; ; ) {
      const page = await admin.call('GET', `/audit?limit=5&before=${before}`);
      expect(page.status).toBe(200);
      all.push(...page.body.entries);
      if (page.body.nextBefore === null) break;
      before = String(page.body.nextBefore);
    }
    expect(all.map((e) => e.id)).toEqual([...all.map((e) => e.id)].sort((a, b) => b - a));
    expect(all.map((e) => e.action)).toEqual(expect.arrayContaining(['user.create', 'user.password', 'session.end']));
    const text = JSON.stringify(all);
    for (const secret of [NEW_PASSWORD, 'frank-password-2', 'mallory-password', ...Object.values(PASSWORDS)]) expect(text).not.toContain(secret);

    expect((await admin.call('GET', '/audit?limit=0')).body.fields).toEqual({ limit: 'limit must be a number from 1 to 200' });
  });
});
