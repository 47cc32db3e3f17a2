// End to end with real processes: `jobscope exec` → spool → agent feed →
// console manager → store → socket.io client; and the edges refusing bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { TestHost, waitUntil, type Client } from '../testing/test-host';
import type { Snapshot, UnitState, UnitsDelta } from '../domain/live';

let host: TestHost;
let operator: Client;

function subscribe(socket: Socket): Promise<Snapshot> {
  return new Promise((resolve, reject) => {
    socket.once('connect_error', reject);
    socket.emit('subscribe', (snapshot: Snapshot & { error?: string }) => (snapshot.error ? reject(new Error(snapshot.error)) : resolve(snapshot)));
  });
}

function connectError(socket: Socket): Promise<string> {
  return new Promise((resolve) => socket.once('connect_error', (err) => resolve(err.message)));
}

beforeAll(async () => {
  host = await TestHost.create('pipehost');
  await host.startAgent();
  await host.startManager();
  operator = await host.login('operator');
  const scope = await operator.call('POST', '/scopes', { name: 'Batch' });
  expect(scope.status).toBe(201);
  const object = await operator.call('POST', '/objects', { name: 'Nightly', scopeId: scope.body.scope.id, host: host.name, unit: '/Net' });
  expect(object.status).toBe(201);
});

afterAll(async () => {
  await host?.stop();
});

describe('a wrapped job reaches a live client', () => {
  it('streams RUNNING then NORMAL, store first, versions rising', async () => {
    const socket = operator.socket();
    const seen: UnitsDelta[] = [];
    socket.on('units', (batch) => seen.push(batch));
    const snapshot = await subscribe(socket);
    expect(snapshot.hosts.map((h) => h.name)).toEqual([host.name]);

    const result = await host.exec('/Net/job', 'sleep 1; echo done; exit 0');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('done');

    const statuses = () => seen.flatMap((b) => b.units.filter((u) => u.unit === '/Net/job').map((u) => u.status));
    await waitUntil('the end of the run', () => statuses().includes('NORMAL') || undefined, 20_000);
    expect(statuses()[0]).toBe('RUNNING');
    const versions = seen.map((b) => b.version);
    expect(versions[0]).toBeGreaterThan(snapshot.version);
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);

    // A client that connects now resynchronises to the same state from its snapshot.
    const late = operator.socket();
    const again = await subscribe(late);
    expect(again.units.find((u) => u.unit === '/Net/job')).toMatchObject({ status: 'NORMAL', exitCode: 0 });
    expect(again.version).toBeGreaterThanOrEqual(versions.at(-1)!);
    socket.close();
    late.close();
  });

  it('refuses sockets without a session or from another origin, as authentication refusals', async () => {
    const { io } = await import('socket.io-client');
    const anonymous = io(host.url, { transports: ['websocket'], reconnection: false, extraHeaders: { origin: host.url } });
    expect(await connectError(anonymous)).toBe('unauthorized');
    anonymous.close();
    const foreign = io(host.url, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: operator.cookie, origin: 'http://evil.example' } });
    expect(await connectError(foreign)).toBe('unauthorized');
    foreign.close();
  });

  it('drops the live sockets of a session that logs out', async () => {
    const client = await host.login('guest');
    const socket = client.socket();
    await subscribe(socket);
    const closed = new Promise((r) => socket.once('disconnect', r));
    expect((await client.call('POST', '/logout')).status).toBe(204);
    await closed;
    expect((await client.call('GET', '/definitions')).status).toBe(401);
  });
});

describe('bad input gets a clear error and loses nothing', () => {
  it('refuses malformed bodies, missing CSRF tokens, other roles and unknown hosts', async () => {
    const before = await operator.call('GET', '/definitions');
    const scopeId = before.body.scopes[0].id;

    const res = await fetch(`${host.url}/api/v1/objects`, {
      method: 'POST',
      headers: { cookie: operator.cookie, origin: host.url, 'x-csrf-token': operator.csrfToken, 'content-type': 'application/json' },
      body: '{"name": ',
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/not valid JSON/);

    const noCsrf = await fetch(`${host.url}/api/v1/scopes`, {
      method: 'POST',
      headers: { cookie: operator.cookie, origin: host.url, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x' }),
    });
    expect(noCsrf.status).toBe(403);

    const badUnit = await operator.call('POST', '/objects', { name: 'Bad', scopeId, host: host.name, unit: '/Net/<job>' });
    expect(badUnit.status).toBe(400);
    expect(badUnit.body.fields.unit).toMatch(/characters/);

    const unknownHost = await operator.call('POST', '/objects', { name: 'Elsewhere', scopeId, host: 'nosuchhost', unit: '/Net' });
    expect(unknownHost.status).toBe(400);
    expect(unknownHost.body.fields.host).toMatch(/not a registered monitored host name or address/);

    const extraField = await operator.call('POST', '/scopes', { name: 'S', admin: true });
    expect(extraField.status).toBe(400);

    const guest = await host.login('guest');
    const refused = await guest.call('POST', '/objects', { name: 'Sneaky', scopeId, host: host.name, unit: '/Net' });
    expect(refused.status).toBe(403);
    expect((await operator.call('POST', '/hosts', { name: 'h2', address: '127.0.0.2', feedPort: 1, token: 'x'.repeat(20) })).status).toBe(403);

    expect((await operator.call('GET', '/definitions')).body).toEqual(before.body);
    expect(host.manager!.exitCode).toBeNull();
    expect(host.agent!.exitCode).toBeNull();
  });

  it('gives one message for a wrong user name or password and throttles repeated failures', async () => {
    const attempt = (user: string, password: string) =>
      fetch(`${host.url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: host.url }, body: JSON.stringify({ user, password }) });
    const wrongPassword = await attempt('operator', 'nope-nope-nope');
    const noSuchUser = await attempt('nobody', 'nope-nope-nope');
    expect(wrongPassword.status).toBe(401);
    expect(noSuchUser.status).toBe(401);
    expect((await wrongPassword.json()).error).toBe((await noSuchUser.json()).error);
    let last = 0;
    for (let i = 0; i < 6; i++) last = (await attempt('nobody', 'nope-nope-nope')).status;
    expect(last).toBe(429);
  });

  it('refuses a feed with the wrong token and marks the host stale, keeping its statuses', async () => {
    const admin = await host.login('admin');
    // A second registered name pointing at the same agent with a wrong token.
    expect((await admin.call('POST', '/hosts', { name: 'wrongtoken', address: host.address, feedPort: host.agentPort, token: '49aqw5In7nclAPr4E4hRJIpk1SUtXHDe' })).status).toBe(201);
    const scopeId = (await admin.call('GET', '/definitions')).body.scopes[0].id;
    expect((await admin.call('POST', '/objects', { name: 'Wrong', scopeId, host: 'wrongtoken', unit: '/Net' })).status).toBe(201);
    const hosts = await waitUntil('the refusal', async () => {
      const list = (await admin.call('GET', '/hosts')).body as { name: string; lastError: { code: string } | null; stale: boolean }[];
      const wrong = list.find((h) => h.name === 'wrongtoken');
      return wrong?.lastError ? list : undefined;
    });
    expect(hosts.find((h) => h.name === 'wrongtoken')).toMatchObject({ stale: true, lastError: { code: 'token-refused' } });
    expect(hosts.find((h) => h.name === host.name)).toMatchObject({ stale: false });
  });
});
