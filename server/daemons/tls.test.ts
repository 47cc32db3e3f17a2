// HTTPS for the console and the feeds, with real processes and real certificates
// (openssl): a console host with TLS (login, Secure cookie, HSTS, socket.io over
// wss, its own feed pulled over TLS with its CA), feeds checked by a pinned
// fingerprint, a wrong pin or CA kept as the host's last error while the manager
// stays up, and a proxy-terminated console that believes only its trusted proxy.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { freePort, PASSWORDS, TestHost, waitUntil, type Client } from '../testing/test-host';
import { cookieIn, Screen } from '../testing/display-screen';
import { fetchWith, selfSigned, TestCa } from '../testing/tls';
import type { Snapshot, UnitsDelta } from '../domain/live';
import type { FeedProblem } from '../domain/feed-problems';

let dir: string;
let ca: TestCa;
const hosts: TestHost[] = [];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobscope-tls-'));
  ca = TestCa.create(path.join(dir, 'ca'));
});

afterAll(async () => {
  await Promise.all(hosts.map((h) => h.stop()));
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function subscribe(socket: Socket): Promise<Snapshot> {
  return new Promise((resolve, reject) => {
    socket.once('connect_error', reject);
    socket.emit('subscribe', (snapshot: Snapshot & { error?: string }) => (snapshot.error ? reject(new Error(snapshot.error)) : resolve(snapshot)));
  });
}

interface HostRow {
  name: string;
  stale: boolean;
  lastError: FeedProblem | null;
  lastContactAt: string | null;
  tls: { kind: 'ca'; subjects: string[] } | { kind: 'pin'; fingerprint: string } | null;
}

async function hostRows(admin: Client): Promise<HostRow[]> {
  const res = await admin.call('GET', '/hosts');
  expect(res.status).toBe(200);
  return res.body;
}

describe('a console host with TLS', () => {
  let tlsConsole: TestHost;
  let admin: Client;

  beforeAll(async () => {
    tlsConsole = await TestHost.create('tlsconsole', '127.0.0.1', undefined, { tls: ca });
    hosts.push(tlsConsole);
    await tlsConsole.startAgent();
    await tlsConsole.startManager();
    admin = await tlsConsole.login('admin');
  });

  it('serves the API and the View over https only, every answer with HSTS', async () => {
    expect(tlsConsole.url).toMatch(/^https:/);
    const health = await fetchWith(`${tlsConsole.url}/api/v1/health`, {}, tlsConsole.reach);
    expect(health.status).toBe(200);
    expect(health.headers.get('strict-transport-security')).toBe('max-age=31536000');
    const page = await fetchWith(`${tlsConsole.url}/login`, {}, tlsConsole.reach);
    expect(page.status).toBe(200);
    expect(page.headers.get('strict-transport-security')).toBe('max-age=31536000');
    // The page's policy tells the browser to fetch nothing over plain http.
    expect(page.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
    // Plain http on the same port gets no answer, and nobody trusts the certificate without its CA.
    await expect(fetch(`http://${tlsConsole.address}:${tlsConsole.managerPort}/api/v1/health`)).rejects.toThrow();
    await expect(fetch(`${tlsConsole.url}/api/v1/health`)).rejects.toThrow();
  });

  it('logs in over https with Secure cookies', async () => {
    const res = await fetchWith(
      `${tlsConsole.url}/api/v1/login`,
      { method: 'POST', headers: { 'content-type': 'application/json', origin: tlsConsole.url }, body: JSON.stringify({ user: 'operator', password: PASSWORDS.operator }) },
      tlsConsole.reach,
    );
    expect(res.status).toBe(200);
    const cookies = res.headers.getSetCookie();
    expect(cookies.find((c) => c.startsWith('jobscope_session='))).toMatch(/^jobscope_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+; Secure$/);
    expect(cookies.find((c) => c.startsWith('jobscope_device='))).toMatch(/; Secure$/);
    const operator = await tlsConsole.login('operator');
    const session = await operator.call('GET', '/session');
    expect(session).toMatchObject({ status: 200, body: { user: { name: 'operator' }, host: 'tlsconsole' } });
  });

  it('gives a wall display its pairing secret and its credential in Secure cookies, and its live socket over wss', async () => {
    const scope = await admin.call('POST', '/scopes', { name: 'Secure wall' });
    expect(scope.status).toBe(201);
    const scopeId: number = scope.body.scope.id;
    expect((await admin.call('POST', '/objects', { name: 'On the wall', scopeId, host: tlsConsole.name, unit: '/Wall' })).status).toBe(201);

    const screen = new Screen(tlsConsole.url, tlsConsole.reach);
    const pairing = await screen.pair();
    expect(pairing.status).toBe(201);
    expect(cookieIn(pairing.cookies, 'jobscope_pairing')?.attributes).toMatch(/^Path=\S+; HttpOnly; SameSite=Strict; Max-Age=\d+; Secure$/);
    expect((await admin.call('POST', '/displays', { code: pairing.body.code, name: 'Secure wall', scopeId })).status).toBe(201);
    const enrolled = await screen.poll();
    expect(enrolled.body).toMatchObject({ state: 'enrolled' });
    expect(cookieIn(enrolled.cookies, 'jobscope_display')?.attributes).toMatch(/^Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+; Secure$/);
    // Each read of itself sets the credential's cookie again: Secure as well.
    const itself = await screen.call('GET', '/display');
    expect(itself.status).toBe(200);
    expect(cookieIn(itself.cookies, 'jobscope_display')?.attributes).toMatch(/; Secure$/);

    const socket = screen.socket({ auth: { as: 'display' } });
    try {
      const snapshot = await subscribe(socket);
      expect(socket.io.engine.transport.name).toBe('websocket');
      expect(snapshot.objects.map((o) => [o.host, o.unit])).toEqual([[tlsConsole.name, '/Wall']]);
    } finally {
      socket.close();
    }
  });

  it('pulls its own feed over TLS checked with its CA, and streams it over wss', async () => {
    const scope = await admin.call('POST', '/scopes', { name: 'Secure batch' });
    expect(scope.status).toBe(201);
    const object = await admin.call('POST', '/objects', { name: 'Nightly', scopeId: scope.body.scope.id, host: tlsConsole.name, unit: '/Net' });
    expect(object.status).toBe(201);

    const socket = admin.socket();
    const seen: UnitsDelta[] = [];
    socket.on('units', (batch: UnitsDelta) => seen.push(batch));
    const snapshot = await subscribe(socket);
    expect(snapshot.hosts.map((h) => h.name)).toEqual([tlsConsole.name]);
    expect(socket.io.engine.transport.name).toBe('websocket');

    const result = await tlsConsole.exec('/Net/job', 'exit 0');
    expect(result.code).toBe(0);
    const statuses = () => seen.flatMap((b) => b.units.filter((u) => u.unit === '/Net/job').map((u) => u.status));
    await waitUntil('the run over the TLS feed', () => statuses().includes('NORMAL') || undefined, 20_000);
    socket.close();

    const self = (await hostRows(admin)).find((h) => h.name === tlsConsole.name)!;
    expect(self).toMatchObject({ stale: false, lastError: null, tls: { kind: 'ca', subjects: ['CN=Jobscope test CA'] } });
  });

  describe('feeds checked by a pin, and certificates that fail', () => {
    let pinned: TestHost;

    beforeAll(async () => {
      // A self-signed certificate, as a pin is meant for: no CA vouches for it.
      const certificate = selfSigned(path.join(dir, 'pinned'), 'tlspinned', ['tlspinned', '127.0.0.2']);
      pinned = await TestHost.create('tlspinned', '127.0.0.2', undefined, { tls: certificate });
      hosts.push(pinned);
      await pinned.startAgent();
    });

    it('pulls a feed whose certificate is the pinned one, as openssl prints its fingerprint', async () => {
      const printed = execFileSync('openssl', ['x509', '-in', pinned.tls!.certificate.certFile, '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' }).trim();
      expect(printed).toMatch(/^sha256 Fingerprint=([0-9A-F]{2}:){31}[0-9A-F]{2}$/i);
      const added = await admin.call('POST', '/hosts', { name: pinned.name, address: pinned.address, feedPort: pinned.agentPort, token: pinned.token, tlsFingerprint: printed });
      expect(added.status, JSON.stringify(added.body)).toBe(201);
      expect(added.body.host.tls).toEqual({ kind: 'pin', fingerprint: pinned.tls!.certificate.fingerprint });
      const audit = await admin.call('GET', '/audit?action=host.create&limit=1');
      expect(audit.body.entries[0]).toMatchObject({ target: pinned.name, detail: { feedTls: 'pin' } });
      const scope = await admin.call('POST', '/scopes', { name: 'Pinned' });
      await admin.call('POST', '/objects', { name: 'Pinned job', scopeId: scope.body.scope.id, host: pinned.name, unit: '/Pinned' });

      expect((await pinned.exec('/Pinned/job', 'exit 0')).code).toBe(0);
      await waitUntil('the run over the pinned feed', async () => {
        const runs = await admin.call('GET', `/runs?host=${pinned.name}&unit=${encodeURIComponent('/Pinned/job')}`);
        return runs.status === 200 && runs.body.runs?.length > 0 ? true : undefined;
      }, 20_000);
      expect((await hostRows(admin)).find((h) => h.name === pinned.name)).toMatchObject({ stale: false, lastError: null });
    });

    it('keeps a wrong pin or a wrong CA as the host last error, stale, while the manager stays up', async () => {
      const other = TestCa.create(path.join(dir, 'other-ca'), 'Some other CA');
      // The pinned agent under names of its own: the certificate check fails before any answer could say otherwise.
      const wrong = [
        { name: 'wrongpin', address: pinned.address, feedPort: pinned.agentPort, token: pinned.token, tlsFingerprint: tlsConsole.tls!.certificate.fingerprint },
        { name: 'wrongca', address: tlsConsole.address, feedPort: tlsConsole.agentPort, token: tlsConsole.token, tlsCa: other.pem },
        { name: 'plainthere', address: pinned.address, feedPort: pinned.agentPort, token: pinned.token },
      ];
      const scope = await admin.call('POST', '/scopes', { name: 'Wrong trust' });
      for (const host of wrong) {
        expect((await admin.call('POST', '/hosts', host)).status).toBe(201);
        await admin.call('POST', '/objects', { name: `On ${host.name}`, scopeId: scope.body.scope.id, host: host.name, unit: '/Any' });
      }
      const rows = await waitUntil(
        'the certificate problems',
        async () => {
          const list = await hostRows(admin);
          return wrong.every((w) => list.find((h) => h.name === w.name)?.lastError) ? list : undefined;
        },
        30_000,
      );
      const row = (name: string) => rows.find((h) => h.name === name)!;
      expect(row('wrongpin')).toMatchObject({
        stale: true,
        lastError: { code: 'pin-mismatch', at: `127.0.0.2:${pinned.agentPort}`, presented: pinned.tls!.certificate.fingerprint },
      });
      expect(row('wrongca')).toMatchObject({ stale: true, lastError: { code: 'certificate', at: `127.0.0.1:${tlsConsole.agentPort}`, why: 'unable to verify the first certificate' } });
      // Plain http to a TLS agent: the agent drops the connection.
      expect(row('plainthere').stale).toBe(true);
      expect(row('plainthere').lastError).toMatchObject({ code: 'unreachable', at: expect.stringMatching(/^127\.0\.0\.2:\d+$/) });

      // Nothing of it reached the manager: still up, still serving, its other feeds still live.
      expect(tlsConsole.manager!.exitCode).toBeNull();
      expect((await fetchWith(`${tlsConsole.url}/api/v1/health`, {}, tlsConsole.reach)).status).toBe(200);
      expect(row(tlsConsole.name)).toMatchObject({ stale: false });
      expect(row(pinned.name)).toMatchObject({ stale: false });
    });
  });
});

describe('a console behind a TLS-terminating proxy', () => {
  const PROXY_ADDRESS = '127.0.0.6';
  let manager: TestHost;
  let proxy: https.Server;
  let proxyUrl: string;

  beforeAll(async () => {
    // A plain-http console that trusts one proxy; the proxy terminates TLS in front of it.
    manager = await TestHost.create('proxied', '127.0.0.5', undefined, { setup: ['--trusted-proxies', `${PROXY_ADDRESS}/32`] });
    hosts.push(manager);
    await manager.startManager();
    const certificate = ca.issue('proxy', ['proxy', '127.0.0.5'], { file: 'proxy' });
    const port = await freePort('127.0.0.5');
    // As nginx does it: the Host kept, the client's address appended to X-Forwarded-For, the scheme said.
    proxy = https.createServer({ cert: certificate.pem, key: fs.readFileSync(certificate.keyFile) }, (req, res) => {
      const forwarded = [req.headers['x-forwarded-for'], req.socket.remoteAddress].filter(Boolean).join(', ');
      const upstream = http.request(
        {
          host: manager.address,
          port: manager.managerPort,
          localAddress: PROXY_ADDRESS,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, 'x-forwarded-for': forwarded, 'x-forwarded-proto': 'https' },
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
          answer.pipe(res);
        },
      );
      upstream.once('error', () => res.writeHead(502).end());
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(port, '127.0.0.5', resolve));
    proxyUrl = `https://127.0.0.5:${port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => proxy?.close(resolve));
  });

  async function loginAs(url: string, reach: { ca?: string; localAddress: string }, headers: Record<string, string> = {}) {
    return fetchWith(
      `${url}/api/v1/login`,
      { method: 'POST', headers: { 'content-type': 'application/json', origin: url, ...headers }, body: JSON.stringify({ user: 'admin', password: PASSWORDS.admin }) },
      reach,
    );
  }

  /** The client address of a login entry of the audit log, newest first, read by an admin who logs in for it (entry 0). */
  async function loginFromAddress(index: number): Promise<unknown> {
    const admin = await manager.login('admin');
    const audit = await admin.call('GET', `/audit?action=login&limit=${index + 1}`);
    expect(audit.status).toBe(200);
    return audit.body.entries[index]?.detail?.from;
  }

  it('believes the proxy: Secure cookie, HSTS, and the client address from X-Forwarded-For in the audit log', async () => {
    // The client also sends an X-Forwarded-For of its own: only what the proxy appended is believed.
    const res = await loginAs(proxyUrl, { ca: ca.pem, localAddress: '127.0.0.7' }, { 'x-forwarded-for': '203.0.113.9' });
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie()).toEqual([expect.stringMatching(/^jobscope_session=.*; Secure$/), expect.stringMatching(/^jobscope_device=.*; Secure$/)]);
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000');
    expect(await loginFromAddress(1)).toBe('127.0.0.7');
  });

  it('ignores the same headers from a peer it does not trust', async () => {
    const res = await loginAs(manager.url, { localAddress: '127.0.0.8' }, { 'x-forwarded-for': '198.51.100.7', 'x-forwarded-proto': 'https' });
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie().length).toBe(2);
    expect(res.headers.get('set-cookie')).not.toMatch(/Secure/);
    expect(res.headers.get('strict-transport-security')).toBeNull();
    expect(await loginFromAddress(1)).toBe('127.0.0.8');
  });
});
