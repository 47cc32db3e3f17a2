// Notices of changed admin lists over the live socket, against a real console
// manager and real socket.io clients: an admin's socket hears of every change to
// the users, the sessions and the audit log; an operator's or a guest's never
// does; and the role is the one the server holds for the socket's session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { Client, TestHost, waitUntil } from '../testing/test-host';
import type { AdminChanged, AdminList, Snapshot } from '../domain/live';

let host: TestHost;
let admin: Client;
const sockets: Socket[] = [];

/** A subscribed live socket and what it heard: admin notices, and definition changes to wait on. */
interface Listener {
  socket: Socket;
  notices: AdminList[];
  definitionChanges: number;
}

async function listen(client: Client): Promise<Listener> {
  const socket = client.socket();
  sockets.push(socket);
  const listener: Listener = { socket, notices: [], definitionChanges: 0 };
  socket.on('admin:changed', (notice: AdminChanged) => listener.notices.push(notice.list));
  socket.on('definitions', () => listener.definitionChanges++);
  await new Promise<Snapshot>((resolve, reject) => {
    socket.once('connect_error', reject);
    socket.emit('subscribe', (snapshot: Snapshot & { error?: string }) => (snapshot.error ? reject(new Error(snapshot.error)) : resolve(snapshot)));
  });
  return listener;
}

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

/**
 * Changes a definition and waits until every listener heard of it. The server sends a
 * socket its events in order, so whatever it sent before has arrived by then.
 */
async function barrier(by: Client, listeners: Listener[]): Promise<void> {
  const before = listeners.map((l) => l.definitionChanges);
  expect((await by.call('POST', '/scopes', { name: `Barrier ${Date.now()} ${Math.random()}` })).status).toBe(201);
  await waitUntil('the definition change on every socket', () => listeners.every((l, i) => l.definitionChanges > before[i]));
}

beforeAll(async () => {
  host = await TestHost.create('noticehost');
  await host.startManager();
  admin = await host.login('admin');
});

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await host?.stop();
});

describe('admin notices on the live socket', () => {
  it("tell an admin's socket which list changed, and never an operator's or a guest's", async () => {
    const operator = await host.login('operator');
    const guest = await host.login('guest');
    const [adminSocket, operatorSocket, guestSocket] = await Promise.all([admin, operator, guest].map(listen));

    const created = await admin.call('POST', '/users', { name: 'nina', password: 'nina-password-1', role: 'guest' });
    expect(created.status).toBe(201);
    const nina = await loginAs('nina', 'nina-password-1');
    const refused = await fetch(`${host.url}/api/v1/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: host.url },
      body: JSON.stringify({ user: 'nina', password: 'not-her-password' }),
    });
    expect(refused.status).toBe(401);
    const ninaSession = (await admin.call('GET', '/sessions')).body.sessions.find((s: { user: string }) => s.user === 'nina');
    expect((await admin.call('DELETE', `/sessions/${ninaSession.id}`)).status).toBe(204);
    expect((await nina.call('GET', '/session')).status).toBe(401);
    await barrier(operator, [adminSocket, operatorSocket, guestSocket]);

    expect(adminSocket.notices).toEqual([
      ...['users', 'audit'], // nina created
      ...['users', 'sessions', 'audit'], // nina signed in
      'audit', // a refused sign-in
      ...['users', 'sessions', 'audit'], // her session ended
      'audit', // the operator's new scope
    ]);
    expect(operatorSocket.notices).toEqual([]);
    expect(guestSocket.notices).toEqual([]);
  });

  it("go by the role the server holds for the socket's session: a new admin's socket hears them, once demoted her new socket does not", async () => {
    expect((await admin.call('POST', '/users', { name: 'olga', password: 'olga-password-1', role: 'admin' })).status).toBe(201);
    const olga = await loginAs('olga', 'olga-password-1');
    const olgaAsAdmin = await listen(olga);
    await host.login('guest');
    await waitUntil("a guest's sign-in on olga's socket", () => olgaAsAdmin.notices.length === 3);
    expect(olgaAsAdmin.notices).toEqual(['users', 'sessions', 'audit']);
    const olgaId: number = (await admin.call('GET', '/users')).body.users.find((u: { name: string }) => u.name === 'olga').id;

    // A new role drops her socket; the one she opens again is authorised by the new role.
    const dropped = new Promise((resolve) => olgaAsAdmin.socket.once('disconnect', resolve));
    expect((await admin.call('PATCH', `/users/${olgaId}`, { role: 'operator' })).status).toBe(200);
    await dropped;
    const olgaAsOperator = await listen(olga);
    const adminSocket = await listen(admin);

    expect((await admin.call('POST', '/users', { name: 'pavel', password: 'pavel-password-1', role: 'guest' })).status).toBe(201);
    await barrier(olga, [adminSocket, olgaAsOperator]);
    expect(adminSocket.notices).toEqual(['users', 'audit', 'audit']);
    expect(olgaAsOperator.notices).toEqual([]);
  });
});
