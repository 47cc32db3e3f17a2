// Device cookies (OWASP, "Slow Down Online Guessing Attacks with Device
// Cookies"): a successful sign-in leaves a random token in that browser, for
// that user. While the account is under attack, sign-ins presenting one skip the
// slowdown every other client gets (server/auth/throttle.ts).
// Only the token's sha256 is stored, in the store, so a cookie survives a
// failover and can be revoked: a password reset or disabling the user ends all
// of the user's. Each lasts 90 days from the sign-in that issued it (every
// sign-in replaces the one it presented) and is swept once expired.
// One browser may serve several users (a shared desk): the cookie holds up to
// five tokens, the newest first. It is sent to the login route only.
import crypto from 'node:crypto';
import type { Store, Tx } from '../store/db';

export const DEVICE_COOKIE = 'jobscope_device';
export const DEVICE_COOKIE_PATH = '/api/v1/login';
export const DEVICE_LIFETIME_MS = 90 * 24 * 3600_000;
/** Tokens one browser keeps (for as many users). */
const TOKENS_PER_COOKIE = 5;
/** Device cookies kept per user: a script that signs in without keeping cookies must not grow the table. */
const DEVICES_PER_USER = 20;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

const digest = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

/** The well-formed tokens of a cookie's value, at most five. */
export function deviceTokens(value: string | undefined): string[] {
  if (!value || value.length > 512) return [];
  return value.split('.').filter((t) => TOKEN.test(t)).slice(0, TOKENS_PER_COOKIE);
}

export interface TrustedDevice {
  /** The stored id (the token's hash), as the throttle knows the device. */
  id: string;
  token: string;
}

/** The device cookie among the cookie's tokens that is valid for this user name, if any. */
export async function findTrustedDevice(store: Store, userName: string, cookie: string | undefined, now = new Date()): Promise<TrustedDevice | undefined> {
  const tokens = deviceTokens(cookie);
  if (tokens.length === 0) return undefined;
  const byId = new Map(tokens.map((t) => [digest(t), t]));
  const found = await store.deviceCookie.findFirst({
    where: { id: { in: [...byId.keys()] }, expiresAt: { gt: now }, user: { name: userName, disabled: false } },
    select: { id: true },
  });
  return found ? { id: found.id, token: byId.get(found.id)! } : undefined;
}

/**
 * Issues a new device cookie for the user, replacing the one presented (if valid), and
 * returns the cookie's new value: the new token first, then the other users' tokens.
 */
export async function issueDevice(store: Store, userId: number, cookie: string | undefined, replacing?: TrustedDevice, now = new Date()): Promise<string> {
  const token = crypto.randomBytes(32).toString('base64url');
  await store.$transaction(async (tx) => {
    if (replacing) await tx.deviceCookie.deleteMany({ where: { id: replacing.id, userId } });
    await tx.deviceCookie.create({ data: { id: digest(token), userId, createdAt: now, expiresAt: new Date(now.getTime() + DEVICE_LIFETIME_MS) } });
    const surplus = await tx.deviceCookie.findMany({ where: { userId }, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], skip: DEVICES_PER_USER, select: { id: true } });
    if (surplus.length > 0) await tx.deviceCookie.deleteMany({ where: { id: { in: surplus.map((d) => d.id) } } });
  });
  const others = deviceTokens(cookie).filter((t) => t !== replacing?.token);
  return [token, ...others].slice(0, TOKENS_PER_COOKIE).join('.');
}

/** Ends every device cookie of a user (password reset, disabled); returns how many. */
export async function revokeDevices(tx: Tx, userId: number): Promise<number> {
  return (await tx.deviceCookie.deleteMany({ where: { userId } })).count;
}

/** Deletes the device cookies past their lifetime; returns how many. */
export async function endExpiredDevices(store: Store, now = new Date()): Promise<number> {
  return (await store.deviceCookie.deleteMany({ where: { expiresAt: { lte: now } } })).count;
}

/** The Set-Cookie of a device cookie: HttpOnly, SameSite=Strict, sent to the login route only; Secure on a secure request. */
export function deviceCookie(value: string, secure: boolean): string {
  return `${DEVICE_COOKIE}=${value}; Path=${DEVICE_COOKIE_PATH}; HttpOnly; SameSite=Strict; Max-Age=${DEVICE_LIFETIME_MS / 1000}${secure ? '; Secure' : ''}`;
}
