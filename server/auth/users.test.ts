import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/db';
import { listAudit } from '../audit/audit';
import { addUser, createUser, listUsers, resetPassword, setPassword, updateUser } from './users';
import { login, WRONG_CREDENTIALS } from './login';
import { LoginThrottle } from './throttle';
import { authorize } from './authorize';
import { endSessionById, findSession, listSessions, logout, type Actor } from './sessions';
import { refusal } from '../testing/refusal';

let store: Store;
let dir: string;
let root: Actor;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobscope-users-'));
  store = await openStore(path.join(dir, 'console.db'));
  const created = await addUser(store, { name: 'root', password: 'root-password', role: 'admin' });
  root = { userId: created.id, name: 'root' };
});

afterAll(async () => {
  await store.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

const signIn = async (user: string, password: string, clientAddress = '10.1.0.1') => {
  const result = await login(store, new LoginThrottle(), { user, password, clientAddress });
  if (!result.ok) throw new Error(`login as ${user} failed: ${result.error}`);
  return result.token;
};


const userId = async (name: string) => (await store.user.findUniqueOrThrow({ where: { name } })).id;
const auditText = async () => JSON.stringify((await listAudit(store, { limit: '200' })).entries);

describe('createUser', () => {
  it('adds a user who can log in, and records who added them', async () => {
    const user = await createUser(store, { name: 'carol', password: 'carol-password', role: 'operator' }, root);
    expect(user).toMatchObject({ name: 'carol', role: 'operator', disabled: false, sessions: 0, lastSeenAt: null });
    expect(typeof user.id).toBe('number');
    await signIn('carol', 'carol-password');
    const [entry] = (await listAudit(store, { action: 'user.create', limit: '1' })).entries;
    expect(entry).toMatchObject({ user: 'root', action: 'user.create', target: 'carol', detail: { role: 'operator' } });
    expect(await auditText()).not.toContain('carol-password');
  });

  it('refuses bad input with a message per field', async () => {
    const err = await refusal(createUser(store, { name: 'bad name!', password: 'short', role: 'owner' }, root));
    expect(err.status).toBe(400);
    expect(err.fields).toEqual({
      name: 'user name may contain letters, digits and _ . @ - only',
      password: 'password must have at least 8 characters',
      role: 'role must be one of admin, operator, guest',
    });
    expect((await refusal(createUser(store, {}, root))).fields).toEqual({
      name: 'user name is required',
      password: 'password is required',
      role: 'role must be one of admin, operator, guest',
    });
    expect((await refusal(createUser(store, { name: 'x', password: 'long-enough', role: 'guest', admin: true }, root))).status).toBe(400);
  });

  it('refuses a name that exists, in any case, on the name field with 409', async () => {
    for (const name of ['carol', 'Carol']) {
      const err = await refusal(createUser(store, { name, password: 'another-password', role: 'guest' }, root));
      expect(err.status).toBe(409);
      expect(Object.keys(err.fields)).toEqual(['name']);
    }
  });

  it('keeps the command line working: addUser and setPassword', async () => {
    await addUser(store, { name: 'cli-user', password: 'first-password', role: 'guest' });
    await expect(addUser(store, { name: 'cli-user', password: 'first-password', role: 'guest' })).rejects.toThrow(/already exists/);
    await expect(addUser(store, { name: 'x', password: 'short', role: 'guest' })).rejects.toThrow(/at least 8 characters/);
    const token = await signIn('cli-user', 'first-password');
    await setPassword(store, 'cli-user', 'second-password');
    expect(await findSession(store, token)).toBeNull();
    await signIn('cli-user', 'second-password');
    await expect(setPassword(store, 'nobody', 'second-password')).rejects.toThrow(/no user nobody/);
  });
});

describe('listUsers', () => {
  it('shows each user with their live sessions and when they were last seen, never a hash', async () => {
    await createUser(store, { name: 'dave', password: 'dave-password', role: 'guest' }, root);
    await signIn('dave', 'dave-password');
    await signIn('dave', 'dave-password');
    const users = await listUsers(store);
    expect(users.map((u) => u.name)).toEqual(['carol', 'cli-user', 'dave', 'root']);
    const dave = users.find((u) => u.name === 'dave')!;
    expect(dave).toMatchObject({ role: 'guest', disabled: false, sessions: 2 });
    expect(Date.now() - Date.parse(dave.lastSeenAt!)).toBeLessThan(60_000);
    expect(Object.keys(dave).sort()).toEqual(['attack', 'createdAt', 'disabled', 'id', 'lastSeenAt', 'name', 'role', 'sessions']);
    expect(dave.attack).toBeNull();
  });
});

describe('updateUser', () => {
  it('changes a role; the session stays and authorises by the new role', async () => {
    const token = await signIn('carol', 'carol-password');
    await expect(authorize(store, { session: token }, 'definitions.write')).resolves.toMatchObject({ user: { role: 'operator' } });
    const result = await updateUser(store, await userId('carol'), { role: 'guest' }, root);
    expect(result).toMatchObject({ changed: true, user: { name: 'carol', role: 'guest' } });
    await expect(authorize(store, { session: token }, 'definitions.write')).rejects.toMatchObject({ status: 403 });
    const [entry] = (await listAudit(store, { action: 'user.update', limit: '1' })).entries;
    expect(entry).toMatchObject({ user: 'root', target: 'carol', detail: { role: 'operator → guest' } });
  });

  it('says when nothing changed and records nothing', async () => {
    const before = await store.auditEntry.count();
    expect((await updateUser(store, await userId('carol'), { role: 'guest' }, root)).changed).toBe(false);
    expect(await store.auditEntry.count()).toBe(before);
  });

  it('disabling ends every session; the user can no longer log in, with the usual message', async () => {
    const token = await signIn('dave', 'dave-password');
    const result = await updateUser(store, await userId('dave'), { disabled: true }, root);
    expect(result).toMatchObject({ changed: true, user: { disabled: true, sessions: 0 } });
    expect(await store.session.count({ where: { user: { name: 'dave' } } })).toBe(0);
    expect(await findSession(store, token)).toBeNull();
    const refused = await login(store, new LoginThrottle(), { user: 'dave', password: 'dave-password', clientAddress: '10.1.0.9' });
    expect(refused).toMatchObject({ ok: false, status: 401, error: WRONG_CREDENTIALS, as: 'dave' });
    const [entry] = (await listAudit(store, { action: 'login.refused', limit: '1' })).entries;
    expect(entry).toMatchObject({ user: 'dave', detail: { from: '10.1.0.9', reason: 'disabled' } });
    const [update] = (await listAudit(store, { action: 'user.update', limit: '1' })).entries;
    expect(update).toMatchObject({ target: 'dave', detail: { disabled: true, sessionsEnded: 3 } });
    // Enabled again, they log in again.
    await updateUser(store, await userId('dave'), { disabled: false }, root);
    await signIn('dave', 'dave-password');
  });

  it('refuses empty, unknown or ill-typed changes', async () => {
    const id = await userId('dave');
    expect((await refusal(updateUser(store, id, {}, root))).message).toBe('nothing to change: give role or disabled');
    expect((await refusal(updateUser(store, id, { disabled: 'yes' }, root))).fields).toEqual({ disabled: 'disabled must be true or false' });
    expect((await refusal(updateUser(store, id, { role: 'owner' }, root))).fields).toEqual({ role: 'role must be one of admin, operator, guest' });
    expect((await refusal(updateUser(store, id, { name: 'eve' }, root))).status).toBe(400);
    expect((await refusal(updateUser(store, 9999, { role: 'guest' }, root))).status).toBe(404);
  });

  it('an admin cannot disable themself or drop their own admin role', async () => {
    await createUser(store, { name: 'root2', password: 'root2-password', role: 'admin' }, root);
    const self = await refusal(updateUser(store, root.userId!, { disabled: true }, root));
    expect(self).toMatchObject({ status: 409, message: 'You cannot disable your own account', fields: { disabled: 'not your own account' } });
    const demote = await refusal(updateUser(store, root.userId!, { role: 'operator' }, root));
    expect(demote).toMatchObject({ status: 409, message: 'You cannot drop your own admin role' });
    expect((await listUsers(store)).find((u) => u.name === 'root')).toMatchObject({ role: 'admin', disabled: false });
  });

  it('never disables or demotes the last enabled admin', async () => {
    const root2 = { userId: await userId('root2'), name: 'root2' };
    // root2 disables root: root2 is then the one enabled admin.
    await updateUser(store, root.userId!, { disabled: true }, root2);
    for (const change of [{ disabled: true }, { role: 'guest' }]) {
      // Asked by someone else (the command line, say): still refused.
      const err = await refusal(updateUser(store, root2.userId, change, { name: '(command line)' }));
      expect(err.status).toBe(409);
      expect(err.message).toBe('root2 is the last enabled admin: make another user admin first');
    }
    // A disabled admin does not count, and may be changed freely.
    await updateUser(store, root.userId!, { role: 'operator' }, root2);
    await updateUser(store, root.userId!, { role: 'admin', disabled: false }, root2);
    // With two enabled admins again, one may be demoted.
    await updateUser(store, root2.userId, { role: 'operator' }, root);
    await updateUser(store, root2.userId, { role: 'admin' }, root);
  });

  it('refuses the second of two demotions that run at the same time', async () => {
    const root2 = { userId: await userId('root2'), name: 'root2' };
    const results = await Promise.allSettled([
      updateUser(store, root2.userId, { role: 'guest' }, { name: '(command line)' }),
      updateUser(store, root.userId!, { role: 'guest' }, { name: '(command line)' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(await store.user.count({ where: { role: 'admin', disabled: false } })).toBe(1);
    await store.user.updateMany({ where: { name: { in: ['root', 'root2'] } }, data: { role: 'admin' } });
  });
});

describe('resetPassword', () => {
  it('sets the new password and ends every session of the user', async () => {
    const id = await userId('carol');
    const token = await signIn('carol', 'carol-password');
    expect(await resetPassword(store, id, { password: 'carol-new-password' }, root)).toEqual({ endedSessions: 3 });
    expect(await findSession(store, token)).toBeNull();
    expect((await login(store, new LoginThrottle(), { user: 'carol', password: 'carol-password', clientAddress: '10.1.0.2' })).ok).toBe(false);
    await signIn('carol', 'carol-new-password');
    const [entry] = (await listAudit(store, { action: 'user.password', limit: '1' })).entries;
    expect(entry).toMatchObject({ user: 'root', target: 'carol', detail: { sessionsEnded: 3 } });
    expect(await auditText()).not.toContain('carol-new-password');
  });

  it('refuses a short password on its field, and an unknown user', async () => {
    const err = await refusal(resetPassword(store, await userId('carol'), { password: 'short' }, root));
    expect(err.fields).toEqual({ password: 'password must have at least 8 characters' });
    expect((await refusal(resetPassword(store, 9999, { password: 'long-enough-1' }, root))).status).toBe(404);
  });
});

describe('sessions', () => {
  it('lists live sessions by their stored id, never the token', async () => {
    const token = await signIn('dave', 'dave-password');
    const mine = await findSession(store, token);
    const sessions = await listSessions(store, mine!.sessionId);
    const listed = sessions.find((s) => s.id === mine!.sessionId)!;
    expect(listed).toMatchObject({ user: 'dave', role: 'guest', current: true });
    expect(Object.keys(listed).sort()).toEqual(['createdAt', 'current', 'expiresAt', 'id', 'lastSeenAt', 'role', 'user']);
    expect(JSON.stringify(sessions)).not.toContain(token);
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    // The idle limit comes before the absolute one for a new session.
    expect(Date.parse(listed.expiresAt)).toBeLessThanOrEqual(Date.now() + 12 * 3600_000);
    // An expired session is not listed even though it is still stored.
    await store.session.update({ where: { id: mine!.sessionId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await listSessions(store)).some((s) => s.id === mine!.sessionId)).toBe(false);
  });

  it('ends one session by its id and records it', async () => {
    const token = await signIn('dave', 'dave-password');
    const other = await signIn('dave', 'dave-password');
    const { sessionId } = (await findSession(store, token))!;
    expect(await endSessionById(store, sessionId, root)).toEqual({ user: 'dave' });
    expect(await findSession(store, token)).toBeNull();
    expect(await findSession(store, other)).not.toBeNull();
    const [entry] = (await listAudit(store, { action: 'session.end', limit: '1' })).entries;
    expect(entry).toMatchObject({ user: 'root', target: 'dave', detail: { session: sessionId.slice(0, 8) } });
    expect((await refusal(endSessionById(store, sessionId, root))).status).toBe(404);
    expect((await refusal(endSessionById(store, 'not-an-id', root))).status).toBe(404);
  });

  it('records logins with the address, and logouts', async () => {
    const token = await signIn('dave', 'dave-password', '192.0.2.7');
    const [entry] = (await listAudit(store, { action: 'login', limit: '1' })).entries;
    expect(entry).toMatchObject({ user: 'dave', detail: { from: '192.0.2.7' } });
    await logout(store, (await findSession(store, token))!, '192.0.2.7');
    expect(await findSession(store, token)).toBeNull();
    expect((await listAudit(store, { action: 'logout', limit: '1' })).entries[0]).toMatchObject({ user: 'dave', detail: { from: '192.0.2.7' } });
    expect(await auditText()).not.toContain('dave-password');
  });
});
