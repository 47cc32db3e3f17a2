// Sessions live in the store (so they survive a failover) behind an HttpOnly
// cookie. Only the token's sha256 is stored. They expire after a period of
// idleness and at an absolute limit.
import crypto from 'node:crypto';
import type { Store } from '../store/db';
import { isRole, type Role } from './roles';
import { InputError, words } from '../input';
import { recordAudit } from '../audit/audit';

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
  /** When the session ends if nothing touches it again: the earlier of its idle end and its absolute limit. */
  endsAt: Date;
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
  const lastSeenAt = idleFor > TOUCH_EVERY_MS ? now : session.lastSeenAt;
  if (lastSeenAt === now) await store.session.update({ where: { id }, data: { lastSeenAt: now } });
  const endsAt = new Date(Math.min(session.expiresAt.getTime(), lastSeenAt.getTime() + IDLE_TIMEOUT_MS));
  return { sessionId: id, userId: session.userId, name: session.user.name, role: session.user.role, csrfToken: session.csrfToken, endsAt };
}

export async function endSession(store: Store, sessionId: string): Promise<void> {
  await store.session.deleteMany({ where: { id: sessionId } });
}

/** Logging out: the session ends, and the audit log says so. */
export async function logout(store: Store, user: SessionUser, clientAddress: string): Promise<void> {
  await store.$transaction(async (tx) => {
    await tx.session.deleteMany({ where: { id: user.sessionId } });
    await recordAudit(tx, { user: user.name, action: 'logout', detail: { from: clientAddress } });
  });
}

/** Who acted, for the audit log: a logged-in user, or the command line (no id). */
export interface Actor {
  name: string;
  userId?: number;
}

// Sessions that findSession would still accept: expired ones stay stored until next used or swept (endExpiredSessions).
export function isLive(session: { expiresAt: Date; lastSeenAt: Date }, now = new Date()): boolean {
  return session.expiresAt > now && now.getTime() - session.lastSeenAt.getTime() <= IDLE_TIMEOUT_MS;
}
const liveSessionWhere = (now: Date) => ({ expiresAt: { gt: now }, lastSeenAt: { gte: new Date(now.getTime() - IDLE_TIMEOUT_MS) }, user: { disabled: false } });

/** Deletes every session past its idle period or absolute limit (as isLive judges); returns their ids. */
export async function endExpiredSessions(store: Store, now = new Date()): Promise<string[]> {
  const idleSince = new Date(now.getTime() - IDLE_TIMEOUT_MS);
  const where = { OR: [{ expiresAt: { lte: now } }, { lastSeenAt: { lt: idleSince } }] };
  return store.$transaction(async (tx) => {
    const expired = await tx.session.findMany({ where, select: { id: true } });
    if (expired.length === 0) return [];
    const ids = expired.map((s) => s.id);
    await tx.session.deleteMany({ where: { id: { in: ids } } });
    return ids;
  });
}

export interface SessionView {
  /** The stored id (the token's hash): names the session, cannot be used as a cookie. */
  id: string;
  user: string;
  role: string;
  createdAt: string;
  lastSeenAt: string;
  /** The earlier of the absolute limit and the end of the idle period. */
  expiresAt: string;
  /** The session the list was asked for with. */
  current: boolean;
}

export async function listSessions(store: Store, currentSessionId?: string, now = new Date()): Promise<SessionView[]> {
  const sessions = await store.session.findMany({
    where: liveSessionWhere(now),
    orderBy: { lastSeenAt: 'desc' },
    select: { id: true, createdAt: true, lastSeenAt: true, expiresAt: true, user: { select: { name: true, role: true } } },
  });
  return sessions.map((s) => ({
    id: s.id,
    user: s.user.name,
    role: s.user.role,
    createdAt: s.createdAt.toISOString(),
    lastSeenAt: s.lastSeenAt.toISOString(),
    expiresAt: new Date(Math.min(s.expiresAt.getTime(), s.lastSeenAt.getTime() + IDLE_TIMEOUT_MS)).toISOString(),
    current: s.id === currentSessionId,
  }));
}

/** Ends one session by its listed id; the caller drops its live sockets. */
export async function endSessionById(store: Store, sessionId: string, by: Actor): Promise<{ user: string }> {
  const missing = new InputError(words(`no session ${sessionId.slice(0, 12)}`, `セッション ${sessionId.slice(0, 12)} はありません`), {}, 404);
  if (!/^[0-9a-f]{64}$/.test(sessionId)) throw missing;
  return store.$transaction(async (tx) => {
    const session = await tx.session.findUnique({ where: { id: sessionId }, select: { user: { select: { name: true } } } });
    if (!session) throw missing;
    await tx.session.delete({ where: { id: sessionId } });
    // A prefix is enough to tell sessions apart in the log.
    await recordAudit(tx, { user: by.name, action: 'session.end', target: session.user.name, detail: { session: sessionId.slice(0, 8) } });
    return { user: session.user.name };
  });
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
