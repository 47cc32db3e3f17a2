// Sessions live in the store (so they survive a failover) behind an HttpOnly
// cookie. Only the token's sha256 is stored. They expire after a period of
// idleness and at an absolute limit.
import crypto from 'node:crypto';
import type { Store } from '../store/db';
import { isRole, type Role } from './roles';

export const SESSION_COOKIE = 'jobscope_session';
export const IDLE_TIMEOUT_MS = 12 * 3600_000;
export const ABSOLUTE_TIMEOUT_MS = 7 * 24 * 3600_000;
// Touching lastSeenAt on every request would write on every read; a minute is fine-grained enough.
const TOUCH_EVERY_MS = 60_000;

export interface SessionUser {
  sessionId: string;
  userId: number;
  name: string;
  role: Role;
  csrfToken: string;
}

const digest = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

export async function createSession(store: Store, userId: number, now = new Date()): Promise<{ token: string; csrfToken: string }> {
  const token = crypto.randomBytes(32).toString('base64url');
  const csrfToken = crypto.randomBytes(24).toString('base64url');
  await store.session.create({
    data: { id: digest(token), userId, csrfToken, createdAt: now, lastSeenAt: now, expiresAt: new Date(now.getTime() + ABSOLUTE_TIMEOUT_MS) },
  });
  return { token, csrfToken };
}

export async function findSession(store: Store, token: string | undefined, now = new Date()): Promise<SessionUser | null> {
  if (!token || token.length > 128) return null;
  const id = digest(token);
  const session = await store.session.findUnique({ where: { id }, include: { user: true } });
  if (!session) return null;
  const idleFor = now.getTime() - session.lastSeenAt.getTime();
  if (session.expiresAt <= now || idleFor > IDLE_TIMEOUT_MS || session.user.disabled || !isRole(session.user.role)) {
    await store.session.deleteMany({ where: { id } });
    return null;
  }
  if (idleFor > TOUCH_EVERY_MS) await store.session.update({ where: { id }, data: { lastSeenAt: now } });
  return { sessionId: id, userId: session.userId, name: session.user.name, role: session.user.role, csrfToken: session.csrfToken };
}

export async function endSession(store: Store, sessionId: string): Promise<void> {
  await store.session.deleteMany({ where: { id: sessionId } });
}

export function sessionCookie(token: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${ABSOLUTE_TIMEOUT_MS / 1000}${secure ? '; Secure' : ''}`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
