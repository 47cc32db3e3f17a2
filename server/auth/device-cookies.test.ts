// Device cookies in a real store: issued by a sign-in, stored hashed, replaced by
// the next sign-in from the same browser, shared by several users of one browser,
// ended by a password reset or disabling the user, and swept once expired; on
// both providers.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../store/db';
import { openTestStore, STORE_PROVIDERS } from '../testing/stores';
import { addUser, COMMAND_LINE, resetPassword, updateUser } from './users';
import { login } from './login';
import { LoginThrottle } from './throttle';
import { DEVICE_LIFETIME_MS, deviceCookie, deviceTokens, endExpiredDevices, findTrustedDevice } from './device-cookies';

const sha256 = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

describe.each(STORE_PROVIDERS)('device cookies, %s store', (provider) => {
  let store: Store;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ store, close } = await openTestStore(provider));
    await addUser(store, { name: 'ann', password: 'ann-password', role: 'admin' });
    await addUser(store, { name: 'ben', password: 'ben-password', role: 'operator' });
  });

  afterAll(() => close?.());

  const userId = async (name: string) => (await store.user.findUniqueOrThrow({ where: { name } })).id;

  /** Signs in as a browser holding `cookie`; returns the device cookie's new value. */
  async function signIn(user: string, password: string, cookie?: string): Promise<string> {
    const result = await login(store, new LoginThrottle(), { user, password, clientAddress: '10.2.0.1', deviceCookie: cookie });
    if (!result.ok) throw new Error(`login as ${user} failed`);
    return result.device;
  }

  it('are issued by a sign-in and stored only as a hash', async () => {
    const value = await signIn('ann', 'ann-password');
    const [token] = deviceTokens(value);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await store.deviceCookie.findMany({ where: { userId: await userId('ann') } });
    expect(stored.map((d) => d.id)).toEqual([sha256(token)]);
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(stored[0].expiresAt.getTime() - stored[0].createdAt.getTime()).toBe(DEVICE_LIFETIME_MS);
    expect(await findTrustedDevice(store, 'ann', value)).toEqual({ id: sha256(token), token });
    // For that user only, by the exact name.
    expect(await findTrustedDevice(store, 'ben', value)).toBeUndefined();
    expect(await findTrustedDevice(store, 'Ann', value)).toBeUndefined();
    expect(await findTrustedDevice(store, 'ann', 'x'.repeat(43))).toBeUndefined();
  });

  it('are replaced by the next sign-in from the same browser, which keeps the other users’ tokens', async () => {
    const first = await signIn('ann', 'ann-password');
    const shared = await signIn('ben', 'ben-password', first);
    const [benToken, annToken] = deviceTokens(shared);
    expect(annToken).toBe(first);
    const again = await signIn('ann', 'ann-password', shared);
    const [annNew, benKept] = deviceTokens(again);
    expect(benKept).toBe(benToken);
    expect(annNew).not.toBe(annToken);
    expect(await store.deviceCookie.findUnique({ where: { id: sha256(annToken) } })).toBeNull();
    expect(await findTrustedDevice(store, 'ann', again)).toMatchObject({ token: annNew });
    expect(await findTrustedDevice(store, 'ben', again)).toMatchObject({ token: benToken });
    // A browser keeps five tokens at most.
    let value = again;
    for (let i = 0; i < 6; i++) value = await signIn('ben', 'ben-password', `${deviceTokens(value).join('.')}.${crypto.randomBytes(32).toString('base64url')}`);
    expect(deviceTokens(value)).toHaveLength(5);
  });

  it('are kept 20 per user at most, the newest', async () => {
    for (let i = 0; i < 25; i++) await signIn('ben', 'ben-password');
    expect(await store.deviceCookie.count({ where: { userId: await userId('ben') } })).toBe(20);
  });

  it('end when the password is reset or the user is disabled', async () => {
    const ann = await signIn('ann', 'ann-password');
    const ben = await signIn('ben', 'ben-password');
    await resetPassword(store, await userId('ann'), { password: 'ann-password-2' }, COMMAND_LINE);
    expect(await findTrustedDevice(store, 'ann', ann)).toBeUndefined();
    expect(await store.deviceCookie.count({ where: { userId: await userId('ann') } })).toBe(0);
    expect(await findTrustedDevice(store, 'ben', ben)).toBeDefined();
    await updateUser(store, await userId('ben'), { disabled: true }, COMMAND_LINE);
    expect(await store.deviceCookie.count({ where: { userId: await userId('ben') } })).toBe(0);
    await updateUser(store, await userId('ben'), { disabled: false }, COMMAND_LINE);
    expect(await findTrustedDevice(store, 'ben', ben)).toBeUndefined();
  });

  it('expire after 90 days and are swept then, and only then', async () => {
    const value = await signIn('ben', 'ben-password');
    const count = await store.deviceCookie.count();
    const later = new Date(Date.now() + DEVICE_LIFETIME_MS + 60_000);
    expect(await findTrustedDevice(store, 'ben', value, later)).toBeUndefined();
    expect(await endExpiredDevices(store, new Date(Date.now() + DEVICE_LIFETIME_MS - 60_000))).toBe(0);
    expect(await endExpiredDevices(store, later)).toBe(count);
    expect(await store.deviceCookie.count()).toBe(0);
  });

  it('are HttpOnly, SameSite=Strict, sent to the login route only, Secure on a secure request', () => {
    expect(deviceCookie('abc', false)).toBe('jobscope_device=abc; Path=/api/v1/login; HttpOnly; SameSite=Strict; Max-Age=7776000');
    expect(deviceCookie('abc', true)).toMatch(/; Secure$/);
  });
});
