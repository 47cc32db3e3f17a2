// The console's edge against a real manager: the anonymous polling request that
// once stopped it, names that are not the console's own (DNS rebinding), paths
// that do not decode, the pages' Content-Security-Policy, and a live socket
// whose session ends while it is open.
import http from 'node:http';
import Database from 'better-sqlite3';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, TestHost, waitUntil } from '../testing/test-host';
import type { Snapshot } from '../domain/live';

let host: TestHost;
let guest: Client;

beforeAll(async () => {
  host = await TestHost.create('edgehost', '127.0.0.1', undefined, ['--aliases', 'console.example']);
  await host.startAgent();
  await host.startManager();
  guest = await host.login('guest');
});

afterAll(async () => {
  await host?.stop();
});

/** A raw request, with the Host header the test chooses (fetch does not let it). */
function raw(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: host.address, port: host.managerPort, method, path, headers }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const stillUp = async () => {
  expect(host.manager!.exitCode).toBeNull();
  expect((await fetch(`${host.url}/api/v1/health`)).status).toBe(200);
};

describe('socket.io over polling', () => {
  it('answers an anonymous CONNECT packet once, refusing it, and goes on', async () => {
    for (let i = 0; i < 3; i++) {
      const open = await raw('GET', '/socket.io/?EIO=4&transport=polling');
      expect(open.status).toBe(200);
      const sid = JSON.parse(open.body.slice(1)).sid as string;
      const connect = await raw('POST', `/socket.io/?EIO=4&transport=polling&sid=${sid}`, { 'content-type': 'text/plain' }, '40');
      expect(connect).toMatchObject({ status: 200, body: 'ok' });
      const answer = await raw('GET', `/socket.io/?EIO=4&transport=polling&sid=${sid}`);
      expect(answer.body).toBe('44{"message":"unauthorized"}');
    }
    await stillUp();
    expect(host.logs).not.toMatch(/Cannot set headers/);
  });
});

describe('the Host allow-list', () => {
  it('serves the console\'s own names, its aliases and localhost on a loopback address, and refuses any other name with 421', async () => {
    for (const name of [`127.0.0.1:${host.managerPort}`, `EDGEHOST:${host.managerPort}`, 'console.example', `localhost:${host.managerPort}`, 'edgehost.']) {
      expect((await raw('GET', '/api/v1/health', { host: name })).status, name).toBe(200);
    }
    for (const name of ['rebind.example', `rebind.example:${host.managerPort}`, 'edgehost.rebind.example', '[::1]', 'bad host']) {
      const page = await raw('GET', '/login', { host: name });
      expect(page.status, name).toBe(421);
      expect(page.body, name).not.toContain('<html');
    }
    await stillUp();
  });

  it('refuses a login and a live socket sent under a foreign name, even with a matching Origin', async () => {
    const login = await raw(
      'POST',
      '/api/v1/login',
      { host: `rebind.example:${host.managerPort}`, origin: `http://rebind.example:${host.managerPort}`, 'content-type': 'application/json' },
      JSON.stringify({ user: 'guest', password: 'guest-password-1' }),
    );
    expect(login.status).toBe(421);
    expect(login.headers['set-cookie']).toBeUndefined();
    const socket = io(host.url, {
      extraHeaders: { host: `rebind.example:${host.managerPort}`, origin: `http://rebind.example:${host.managerPort}`, cookie: guest.cookie },
      transports: ['polling'],
      reconnection: false,
    });
    const refused = await new Promise<string>((resolve) => {
      socket.once('connect', () => resolve('connected'));
      socket.once('connect_error', (err) => resolve(err.message));
    });
    socket.close();
    expect(refused).not.toBe('connected');
    await stillUp();
  });
});

describe('paths and pages', () => {
  it('answers a path that does not decode with 400, on the API and on pages', async () => {
    for (const path of ['/api/v1/objects/%E0%A4%A', '/%E0%A4%A', '/monitor%', '/api/v1/runs/%ZZ/1']) {
      const answer = await raw('GET', path, { cookie: guest.cookie });
      expect(answer.status, path).toBe(400);
      expect(JSON.parse(answer.body).error).toMatch(/percent-encoding/);
    }
    await stillUp();
  });

  it('serves pages under a strict Content-Security-Policy whose nonce is on every script, new each time', async () => {
    const nonces = [];
    for (let i = 0; i < 2; i++) {
      const page = await raw('GET', '/login');
      const policy = String(page.headers['content-security-policy']);
      expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
      expect(policy).toContain("object-src 'none'");
      expect(policy).toContain("frame-ancestors 'none'");
      const nonce = /'nonce-([^']+)'/.exec(policy)![1];
      const scripts = page.body.match(/<script[^>]*>/g) ?? [];
      expect(scripts.length).toBeGreaterThan(0);
      for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);
      nonces.push(nonce);
    }
    expect(nonces[0]).not.toBe(nonces[1]);
    expect((await raw('GET', '/api/v1/health')).headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
  });
});

describe('a live socket whose session ends', () => {
  it('is closed when its session expires, as a logout closes it', async () => {
    const session = await host.login('operator');
    // The session runs out three seconds from now (as if it had been idle for almost its whole period).
    const db = new Database(host.storeFile, { timeout: 10_000 });
    db.prepare(`UPDATE "Session" SET "expiresAt" = ? WHERE "userId" = (SELECT id FROM "User" WHERE name = 'operator')`).run(new Date(Date.now() + 3000).toISOString().replace("Z", "+00:00"));
    db.close();
    const socket = session.socket();
    await new Promise<Snapshot>((resolve, reject) => {
      socket.once('connect_error', reject);
      socket.emit('subscribe', (s: Snapshot & { error?: string }) => (s.error ? reject(new Error(s.error)) : resolve(s)));
    });
    const closedAt = await waitUntil('the socket closed', () => (socket.connected ? undefined : Date.now()), 15_000);
    socket.close();
    expect((await session.call('GET', '/session')).status).toBe(401);
    expect(closedAt).toBeGreaterThan(0);
    await stillUp();
  });
});
