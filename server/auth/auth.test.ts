import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/db';
import { addUser } from './users';
import { login, sweepLogins, WRONG_CREDENTIALS, type LoginResult } from './login';
import { listAudit, UNKNOWN_NAME } from '../audit/audit';
import { LoginThrottle, THROTTLE } from './throttle';
import { authorize, AccessError } from './authorize';
import { endExpiredSessions, findSession, IDLE_TIMEOUT_MS, ABSOLUTE_TIMEOUT_MS, listSessions, readCookie } from './sessions';
import { allows, PERMISSIONS, ROLES } from './roles';

let store: Store;
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobscope-auth-'));
  store = await openStore(path.join(dir, 'console.db'));
  await addUser(store, { name: 'ops', password: 'correct-horse', role: 'operator' });
  await addUser(store, { name: 'viewer', password: 'correct-horse', role: 'guest' });
});

afterAll(async () => {
  await store.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The stored id of a session: the sha256 of its token. */
const sessionIdOf = (token: string) => crypto.createHash('sha256').update(token).digest('hex');
const attempt = (user: string, password: string, clientAddress = '10.0.0.1') => ({ user, password, clientAddress });

describe('login', () => {
  it('stores only a hash of the password', async () => {
    const user = await store.user.findUniqueOrThrow({ where: { name: 'ops' } });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(user.passwordHash).not.toContain('correct-horse');
  });

  it('gives the same answer for a wrong password and an unknown user', async () => {
    const throttle = new LoginThrottle();
    const wrong = await login(store, throttle, attempt('ops', 'wrong-password'));
    const unknown = await login(store, throttle, attempt('ghost', 'wrong-password', '10.0.0.2'));
    // What the client is told.
    const answer = (r: LoginResult) => (r.ok ? r : { status: r.status, error: r.error, retryAfter: r.retryAfter });
    expect(answer(wrong)).toEqual({ status: 401, error: WRONG_CREDENTIALS, retryAfter: undefined });
    expect(answer(unknown)).toEqual(answer(wrong));
    // What the log may say: the account, or a marker for a name that is none.
    expect(wrong).toMatchObject({ as: 'ops' });
    expect(unknown).toMatchObject({ as: expect.stringMatching(UNKNOWN_NAME) });
  });

  it('creates a session that authorises by role and stores only the token hash', async () => {
    const result = await login(store, new LoginThrottle(), attempt('ops', 'correct-horse'));
    if (!result.ok) throw new Error('login failed');
    expect(await store.session.findFirst({ where: { id: result.token } })).toBeNull();
    const principal = await authorize(store, { session: result.token }, 'definitions.write');
    expect(principal).toMatchObject({ kind: 'user', user: { name: 'ops', role: 'operator' } });
    await expect(authorize(store, { session: result.token }, 'hosts.write')).rejects.toMatchObject({ status: 403 });
    await expect(authorize(store, { session: 'not-a-token' }, 'status.read')).rejects.toBeInstanceOf(AccessError);
    await expect(authorize(store, {}, 'status.read')).rejects.toMatchObject({ status: 401 });
    // A person's session never holds a wall display's permission.
    await expect(authorize(store, { session: result.token }, 'display.status')).rejects.toMatchObject({ status: 403 });
  });

  it('expires sessions when idle, at the absolute limit, and when the user is disabled', async () => {
    const make = async () => {
      const r = await login(store, new LoginThrottle(), attempt('viewer', 'correct-horse'));
      if (!r.ok) throw new Error('login failed');
      return r.token;
    };
    const idle = await make();
    expect(await findSession(store, idle, new Date(Date.now() + IDLE_TIMEOUT_MS + 1000))).toBeNull();
    expect(await findSession(store, idle)).toBeNull(); // and it is gone for good

    const old = await make();
    for (let t = 0; t < ABSOLUTE_TIMEOUT_MS; t += IDLE_TIMEOUT_MS / 2) expect(await findSession(store, old, new Date(Date.now() + t))).not.toBeNull();
    expect(await findSession(store, old, new Date(Date.now() + ABSOLUTE_TIMEOUT_MS + 1000))).toBeNull();

    const disabled = await make();
    await store.user.update({ where: { name: 'viewer' }, data: { disabled: true } });
    expect(await findSession(store, disabled)).toBeNull();
    expect((await login(store, new LoginThrottle(), attempt('viewer', 'correct-horse'))).ok).toBe(false);
    await store.user.update({ where: { name: 'viewer' }, data: { disabled: false } });
  });

  it('sweeps away the sessions that expired, and only those, naming them', async () => {
    await store.session.deleteMany();
    const signIn = async (at: Date) => {
      const r = await login(store, new LoginThrottle(), attempt('ops', 'correct-horse'));
      if (!r.ok) throw new Error('login failed');
      await findSession(store, r.token, at);
      return r.token;
    };
    // Well past the limits: each sign-in (a password hash) takes a while on a busy machine.
    const now = Date.now();
    const margin = 10 * 60_000;
    const active = await signIn(new Date(now + IDLE_TIMEOUT_MS));
    const idle = await signIn(new Date(now));
    const idleLater = new Date(now + IDLE_TIMEOUT_MS + margin);
    expect(await endExpiredSessions(store, idleLater)).toEqual([sessionIdOf(idle)]);
    expect(await listSessions(store, undefined, idleLater)).toHaveLength(1);
    expect(await endExpiredSessions(store, idleLater)).toEqual([]);
    expect(await findSession(store, active, idleLater)).not.toBeNull();
    expect(await endExpiredSessions(store, new Date(now + ABSOLUTE_TIMEOUT_MS + margin))).toEqual([sessionIdOf(active)]);
    expect(await store.session.count()).toBe(0);
  });
});

describe('attacks on accounts', () => {
  it('records an attack once when it starts and once when it went quiet, for accounts only', async () => {
    const clock = { now: Date.now() };
    const throttle = new LoginThrottle(() => clock.now);
    const entries = async (action: 'login.attack' | 'login.attack.end') => (await listAudit(store, { action })).entries;
    const results: LoginResult[] = [];
    for (let i = 0; i < 11; i++) results.push(await login(store, throttle, attempt('ops', `guess-${i}`, `10.3.0.${i}`)));
    for (let i = 0; i < 10; i++) await login(store, throttle, attempt('no-such-account', `guess-${i}`, `10.4.0.${i}`));
    expect(results.map((r) => r.attacks.map((a) => a.kind))).toEqual([...Array(9).fill([]), ['started'], []]);
    expect(results[9].attacks[0]).toMatchObject({ account: 'ops', failures: 10, addresses: 10 });
    const [started, ...none] = await entries('login.attack');
    expect(none).toEqual([]);
    expect(started).toMatchObject({ user: 'ops', detail: { failures: 10, addresses: 10, since: new Date(clock.now).toISOString() } });

    expect(await sweepLogins(store, throttle)).toEqual([]);
    clock.now += THROTTLE.quietMs + 1;
    const ended = await sweepLogins(store, throttle);
    expect(ended).toMatchObject([{ kind: 'ended', account: 'ops', failures: 11 }]);
    expect(await entries('login.attack.end')).toMatchObject([{ user: 'ops', detail: { failures: 11, addresses: 11, since: started.detail.since } }]);
    expect(await sweepLogins(store, throttle)).toEqual([]);
  });
});

describe('roles', () => {
  it('lets guests read only, operators define, admins do everything a person may, and a display only show its scope', () => {
    for (const permission of Object.keys(PERMISSIONS) as (keyof typeof PERMISSIONS)[]) {
      // A permission is a person's or a display's, never both.
      expect(allows('admin', permission)).toBe(!allows('display', permission));
      if (!permission.endsWith('.read')) expect(allows('guest', permission)).toBe(false);
    }
    expect(Object.keys(PERMISSIONS).filter((p) => allows('display', p as keyof typeof PERMISSIONS))).toEqual(['display.status']);
    expect(allows('operator', 'definitions.write')).toBe(true);
    expect(allows('operator', 'hosts.write')).toBe(false);
    expect(allows('operator', 'users.write')).toBe(false);
    expect(allows('operator', 'displays.read')).toBe(false);
    expect(ROLES).toEqual(['admin', 'operator', 'guest']);
  });
});

describe('cookies', () => {
  it('reads one cookie among several', () => {
    expect(readCookie('a=1; jobscope_session=abc; b=2', 'jobscope_session')).toBe('abc');
    expect(readCookie(undefined, 'jobscope_session')).toBeUndefined();
  });
});
