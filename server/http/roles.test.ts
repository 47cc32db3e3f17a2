// Every route of the REST API, for every role: a role that the permission table
// does not allow is refused by the server (403), and no session at all is 401.
// The routes are read from the API itself, so a new route is checked the day it
// is added.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allows, ROLES, type Role } from '../auth/roles';
import { TestHost, type Client } from '../testing/test-host';
import { createApi, type ApiDeps } from './api';

const routes = createApi({} as ApiDeps).table();
let host: TestHost;
const clients = {} as Record<Role, Client>;

/** A concrete path for a route: parameters filled with plausible values. */
const concrete = (path: string) => path.replace(/:(\w+)/g, (_, key: string) => (key === 'id' ? '1' : key === 'host' || key === 'name' ? host.name : 'x'));

beforeAll(async () => {
  host = await TestHost.create('roleshost');
  await host.startManager();
  for (const role of ROLES) clients[role] = await host.login(role);
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
    // Guests are refused every write, operators every admin page.
    expect(checked.filter((c) => c.startsWith('guest')).length).toBeGreaterThan(10);
    expect(checked.some((c) => c.startsWith('operator GET /api/v1/users'))).toBe(true);
  });

  it('answers 401 without a session on every route that needs one', async () => {
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
