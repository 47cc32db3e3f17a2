// Every route of the REST API, for every role and for a wall display: what the
// permission table does not allow is refused by the server (403), and no
// credential at all is 401. The routes are read from the API itself, so a new
// route is checked the day it is added. A display's socket, too, is held to its
// own scope whatever it asks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allows, ROLES, type Role } from '../auth/roles';
import { TestHost, type Client } from '../testing/test-host';
import { enrolScreen, type Screen } from '../testing/display-screen';
import { LIVE_EVENTS, type Snapshot } from '../domain/live';
import { createApi, type ApiDeps } from './api';

const routes = createApi({} as ApiDeps).table();
let host: TestHost;
const clients = {} as Record<Role, Client>;
let display: Screen;
let displayScope: number;

/** A concrete path for a route: parameters filled with plausible values. */
const concrete = (path: string) => path.replace(/:(\w+)/g, (_, key: string) => (key === 'id' ? '1' : key === 'host' || key === 'name' ? host.name : 'x'));

beforeAll(async () => {
  host = await TestHost.create('roleshost');
  await host.startManager();
  for (const role of ROLES) clients[role] = await host.login(role);
  displayScope = (await clients.admin.call('POST', '/scopes', { name: 'Wall' })).body.scope.id;
  await clients.admin.call('POST', '/scopes', { name: 'Elsewhere' });
  ({ screen: display } = await enrolScreen(host.url, clients.admin, { name: 'Wall display', scopeId: displayScope }));
});

afterAll(async () => {
  await host?.stop();
});

describe('roles on every route', () => {
  it('has routes to check', () => {
    expect(routes.filter((r) => r.permission !== null).length).toBeGreaterThan(20);
  });

  it('refuses each role what the permission table does not allow it', async () => {
    const checked: string[] = [];
    for (const route of routes) {
      if (route.permission === null) continue;
      for (const role of ROLES) {
        if (allows(role, route.permission)) continue;
        const reply = await clients[role].call(route.method, concrete(route.path).replace(/^\/api\/v1/, ''), route.method === 'GET' ? undefined : {});
        expect(reply.status, `${role} ${route.method} ${route.path}`).toBe(403);
        checked.push(`${role} ${route.method} ${route.path}`);
      }
    }
    // Guests are refused every write, operators every admin page, and nobody a display's route.
    expect(checked.filter((c) => c.startsWith('guest')).length).toBeGreaterThan(10);
    expect(checked.some((c) => c.startsWith('operator GET /api/v1/users'))).toBe(true);
    expect(checked).toContain('admin GET /api/v1/display');
    // Expectations: anyone who reads definitions reads them; only operators and admins change them.
    const expectationRoutes = routes.filter((r) => r.path.startsWith('/api/v1/objects/:id/expectation')).map((r) => `${r.method} ${r.path}`);
    expect(expectationRoutes).toEqual([
      'GET /api/v1/objects/:id/expectation',
      'PUT /api/v1/objects/:id/expectation',
      'DELETE /api/v1/objects/:id/expectation',
      'PUT /api/v1/objects/:id/expectation/overrides/:date',
      'DELETE /api/v1/objects/:id/expectation/overrides/:date',
    ]);
    expect(checked.filter((c) => c.includes('/expectation'))).toEqual(expectationRoutes.filter((r) => !r.startsWith('GET')).map((r) => `guest ${r}`));
    // Flags: everyone reads the schedule and usual durations; operators and admins acknowledge a flag.
    expect(checked.filter((c) => /\/(flags|schedule|learned)/.test(c))).toEqual(['guest POST /api/v1/objects/:id/flags/ack']);
  });

  it("gives a wall display its own routes and refuses it every other, even with a person's CSRF token", async () => {
    const allowed: string[] = [];
    for (const route of routes) {
      if (route.permission === null) continue;
      const reply = await display.call(route.method, concrete(route.path).replace(/^\/api\/v1/, ''), route.method === 'GET' ? undefined : {}, { 'x-csrf-token': clients.admin.csrfToken });
      if (allows('display', route.permission)) {
        expect(reply.status, `display ${route.method} ${route.path}`).toBe(200);
        allowed.push(`${route.method} ${route.path}`);
      } else {
        expect(reply.status, `display ${route.method} ${route.path}`).toBe(403);
      }
    }
    expect(allowed).toEqual(['GET /api/v1/display']);
  });

  it("holds a display's socket to its own scope's objects, and refuses it a person's socket", async () => {
    const socket = display.socket();
    try {
      const snapshot = await new Promise<Snapshot & { error?: string }>((resolve) => socket.emit(LIVE_EVENTS.subscribe, { scope: null }, resolve));
      expect(snapshot).toMatchObject({ units: [], objects: [] });
      expect(snapshot.hosts).toEqual([]);
    } finally {
      socket.close();
    }
    // Asked for as a person's (a session cookie that is no session beside it), the handshake is refused.
    const asPerson = display.socket({ cookie: `jobscope_session=nosuchsession; ${display.cookie}` });
    try {
      expect(await new Promise((resolve) => asPerson.once('connect_error', (err) => resolve(err.message)))).toBe('unauthorized');
    } finally {
      asPerson.close();
    }
  });

  it('answers 401 without a credential on every route that needs one', async () => {
    for (const route of routes) {
      if (route.permission === null) continue;
      const res = await fetch(`${host.url}${concrete(route.path)}`, {
        method: route.method,
        headers: { origin: host.url, 'content-type': 'application/json' },
        body: route.method === 'GET' ? undefined : '{}',
      });
      expect(res.status, `${route.method} ${route.path}`).toBe(401);
    }
  });
});
