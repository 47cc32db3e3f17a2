// Login throttling against a real console manager, with clients that sign in from
// many source addresses (every 127.x address binds on Linux): wrong guesses from
// one address never refuse the right password from another; an account sprayed
// from many addresses is slowed, not refused, and skipped by its device cookie;
// the attack is audited and announced once; a name that is no account is stored
// nowhere as typed.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { Client, PASSWORDS, TestHost, waitUntil } from '../testing/test-host';
import type { AdminChanged, AdminList } from '../domain/live';
import { UNKNOWN_NAME } from '../audit/audit';

let host: TestHost;
let admin: Client;
let socket: Socket;
const notices: AdminList[] = [];

interface Answer {
  status: number;
  ms: number;
  error?: string;
  retryAfter?: string;
  /** The device cookie's value, when the answer set one. */
  device?: string;
  setCookies: string[];
}

/** POST /api/v1/login as a browser on `from` would, with its device cookie if it has one. */
function attempt(from: string, user: string, password: string, device?: string): Promise<Answer> {
  const body = JSON.stringify({ user, password });
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: host.address,
        port: host.managerPort,
        localAddress: from,
        method: 'POST',
        path: '/api/v1/login',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          origin: host.url,
          ...(device ? { cookie: `jobscope_device=${device}` } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => {
          const setCookies = res.headers['set-cookie'] ?? [];
          const deviceCookie = setCookies.find((c) => c.startsWith('jobscope_device='));
          resolve({
            status: res.statusCode!,
            ms: performance.now() - started,
            error: text ? (JSON.parse(text) as { error?: string }).error : undefined,
            retryAfter: res.headers['retry-after'],
            device: deviceCookie?.split(';')[0].slice('jobscope_device='.length),
            setCookies,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const auditOf = async (action: string) => (await admin.call('GET', `/audit?action=${action}&limit=200`)).body.entries as { user: string; detail: Record<string, unknown> }[];
const userRow = async (name: string) => ((await admin.call('GET', '/users')).body.users as { name: string; attack: unknown }[]).find((u) => u.name === name)!;

beforeAll(async () => {
  host = await TestHost.create('throttlehost');
  await host.startManager();
  admin = await host.login('admin');
  socket = admin.socket();
  socket.on('admin:changed', (notice: AdminChanged) => notices.push(notice.list));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
}, 120_000);

afterAll(async () => {
  socket?.close();
  await host?.stop();
});

describe('login throttling against a real manager', () => {
  it('slows wrong guesses from one address, and lets the right password from another address in at once', async () => {
    const statuses: number[] = [];
    let throttled: Answer | undefined;
    for (let i = 0; i < 8; i++) {
      const answer = await attempt('127.0.3.1', 'admin', `wrong-guess-${i}`);
      statuses.push(answer.status);
      if (answer.status === 429) throttled = answer;
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toContain(429);
    expect(throttled!.retryAfter).toMatch(/^[1-9]\d*$/);
    expect(throttled!.error).toMatch(/^Too many failed logins; try again in \d+ s$/);

    const right = await attempt('127.0.3.2', 'admin', PASSWORDS.admin);
    expect(right.status).toBe(200);
    // One address is no attack on the account: nobody else is slowed.
    expect((await userRow('admin')).attack).toBeNull();
    console.log(`login throttle: the right password from another address after 8 wrong guesses: ${Math.round(right.ms)} ms`);
    // The pair is cleared by the success, the guessing address stays slowed.
    expect((await attempt('127.0.3.1', 'admin', PASSWORDS.admin)).status).toBe(429);
  });

  it('answers throttled attempts alike for an existing and an unknown name', async () => {
    const run = async (from: string, user: string) => {
      const answers: Answer[] = [];
      for (let i = 0; i < 7; i++) answers.push(await attempt(from, user, 'not-the-password'));
      return answers.map((a) => [a.status, a.error, a.retryAfter === undefined]);
    };
    expect(await run('127.0.4.2', 'nobody-at-all')).toEqual(await run('127.0.4.1', 'operator'));
  });

  it('slows an account sprayed from many addresses without refusing it, lets its device cookie in at once, and audits the attack once', async () => {
    const password = 'target-password-1';
    expect((await admin.call('POST', '/users', { name: 'target', password, role: 'operator' })).status).toBe(201);
    // Before the attack: a browser signs in, and keeps the device cookie it is given.
    const first = await attempt('127.0.5.1', 'target', password);
    expect(first.status).toBe(200);
    const deviceSetCookie = first.setCookies.find((c) => c.startsWith('jobscope_device='))!;
    expect(deviceSetCookie).toMatch(/; Path=\/api\/v1\/login; HttpOnly; SameSite=Strict; Max-Age=7776000$/);
    const device = first.device!;

    // Twenty wrong guesses from twenty addresses, one each: the first ten go as fast as any.
    const usersNoticesBefore = notices.filter((n) => n === 'users').length;
    const spray = async (from: number, count: number) =>
      Promise.all(Array.from({ length: count }, (_, i) => attempt(`127.0.6.${from + i}`, 'target', `guess-${from + i}`)));
    const early = await spray(1, 10);
    expect(early.map((a) => a.status)).toEqual(Array(10).fill(401));
    // Under attack now: each attempt from an untrusted client waits a second first (four at a time).
    for (let from = 11; from <= 20; from += 4) {
      const held = await spray(from, Math.min(4, 21 - from));
      expect(held.map((a) => a.status)).toEqual(held.map(() => 401));
      for (const a of held) expect(a.ms).toBeGreaterThanOrEqual(950);
    }
    const row = (await userRow('target')) as { attack: { failures: number; addresses: number; since: string } };
    expect(row.attack).toMatchObject({ failures: 20, addresses: 20 });
    expect(Date.parse(row.attack.since)).toBeLessThanOrEqual(Date.now());

    // Twenty failures: two seconds each. The right password from a new address: slowed, not refused.
    const baseline = await attempt('127.0.7.1', 'operator', PASSWORDS.operator);
    expect(baseline.status).toBe(200);
    const slowed = await attempt('127.0.7.2', 'target', password);
    expect(slowed.status).toBe(200);
    expect(slowed.ms).toBeGreaterThanOrEqual(1950);
    // With the device cookie: at once, from any address.
    const trusted = await attempt('127.0.7.3', 'target', password, device);
    expect(trusted.status).toBe(200);
    expect(trusted.ms).toBeLessThan(slowed.ms - 1000);
    console.log(
      `login throttle: account under attack (20 failures from 20 addresses): right password ${Math.round(slowed.ms)} ms, ` +
        `with its device cookie ${Math.round(trusted.ms)} ms, an account not under attack ${Math.round(baseline.ms)} ms`,
    );
    // The device cookie was replaced by a new one.
    expect(trusted.device).toBeDefined();
    expect(trusted.device).not.toBe(device);
    expect((await attempt('127.0.7.4', 'target', password, device)).ms).toBeGreaterThanOrEqual(1950);

    // Past four held attempts for the account, the rest are refused with Retry-After.
    const burst = await Promise.all(Array.from({ length: 6 }, (_, i) => attempt(`127.0.8.${i + 1}`, 'target', `burst-${i}`)));
    expect(burst.map((a) => a.status).sort()).toEqual([401, 401, 401, 401, 429, 429]);
    for (const a of burst.filter((b) => b.status === 429)) expect(a.retryAfter).toBe('2');

    // Audited and announced once for the episode, however many attempts followed.
    const attacks = (await auditOf('login.attack')).filter((e) => e.user === 'target');
    expect(attacks).toHaveLength(1);
    expect(attacks[0].detail).toMatchObject({ failures: 10, addresses: 10, since: expect.any(String) });
    await waitUntil('the notice', () => notices.filter((n) => n === 'users').length > usersNoticesBefore);
    // Every success since also announced the users list (its sessions); failures did only once.
    const successes = 4;
    expect(notices.filter((n) => n === 'users').length - usersNoticesBefore).toBe(1 + successes);

    // A password reset ends the device cookies: the newest one is trusted no more.
    const targetId = ((await admin.call('GET', '/users')).body.users as { id: number; name: string }[]).find((u) => u.name === 'target')!.id;
    expect((await admin.call('POST', `/users/${targetId}/password`, { password: 'target-password-2' })).status).toBe(200);
    const revoked = await attempt('127.0.7.5', 'target', 'target-password-2', trusted.device);
    expect(revoked.status).toBe(200);
    expect(revoked.ms).toBeGreaterThanOrEqual(1950);
  }, 120_000);

  it('stores a name that is no account nowhere as typed: the audit log and the log show a keyed hash', async () => {
    const typo = 'Tr0ub4dor-3-password';
    for (let i = 0; i < 2; i++) expect((await attempt('127.0.9.1', typo, 'whatever-1')).status).toBe(401);
    expect((await attempt('127.0.9.1', 'other-unknown', 'whatever-1')).status).toBe(401);
    // Three more refused, then throttled (the pair's five free failures are spent): not in the audit log, in the log as a marker.
    const more = [];
    for (let i = 0; i < 5; i++) more.push((await attempt('127.0.9.1', typo, 'whatever-1')).status);
    expect(more).toEqual([401, 401, 401, 429, 429]);
    const refused = (await auditOf('login.refused')).filter((e) => e.detail.from === '127.0.9.1');
    expect(refused).toHaveLength(6);
    for (const entry of refused) {
      expect(entry.user).toMatch(UNKNOWN_NAME);
      expect(entry.detail.reason).toBe('unknown-user');
    }
    // The same name, the same marker: admins see how many names were tried.
    expect(new Set(refused.map((e) => e.user)).size).toBe(2);
    const everything = JSON.stringify((await admin.call('GET', '/audit?limit=200')).body);
    expect(everything).not.toContain(typo);
    expect(host.logs).toContain('"from":"127.0.9.1"');
    expect(host.logs).not.toContain(typo);
    expect(host.logs).not.toContain('other-unknown');
    // An existing account's name is recorded as it is.
    await attempt('127.0.9.2', 'guest', 'not-the-password');
    expect((await auditOf('login.refused')).find((e) => e.detail.from === '127.0.9.2')).toMatchObject({ user: 'guest', detail: { reason: 'wrong-password' } });
  });
});
