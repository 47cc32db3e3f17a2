// The one authorisation function: every HTTP route and every socket event goes
// through it, so a role is checked on the server whatever the browser shows.
// A request may carry a person's session and a display credential; the
// permission decides which of them counts: a display's permissions are held by
// no person, and a person's by no display (server/auth/roles.ts).
import type { IncomingMessage } from 'node:http';
import type { Store } from '../store/db';
import { allows, grantedToPeople, type Permission } from './roles';
import { findSession, readCookie, SESSION_COOKIE, type SessionUser } from './sessions';
import { DISPLAY_COOKIE, findDisplay, type DisplayPrincipal } from './display-credentials';
import { words, type Words } from '../input';

export class AccessError extends Error {
  constructor(
    readonly status: 401 | 403,
    readonly text: Words,
  ) {
    super(text.en);
  }
}

/** The cookies a request or a socket's handshake presented. */
export interface Credentials {
  session?: string;
  display?: string;
}

/** The credentials a request or a socket's handshake carries in its cookies. */
export function credentialsOf(req: IncomingMessage): Credentials {
  return { session: readCookie(req.headers.cookie, SESSION_COOKIE), display: readCookie(req.headers.cookie, DISPLAY_COOKIE) };
}

export type Principal = { kind: 'user'; user: SessionUser } | { kind: 'display'; display: DisplayPrincipal };

const NOT_SIGNED_IN = words('Not logged in, or the session has expired', 'ログインしていないか、セッションの有効期限が切れています');

export async function authorize(store: Store, credentials: Credentials, permission: Permission): Promise<Principal> {
  const forDisplays = allows('display', permission);
  if (forDisplays) {
    const display = await findDisplay(store, credentials.display);
    if (display) return { kind: 'display', display };
  }
  const user = await findSession(store, credentials.session);
  if (user) {
    if (!allows(user.role, permission)) throw new AccessError(403, words(`The role ${user.role} may not do this (${permission})`, `ロール ${user.role} にはこの操作は許可されていません (${permission})`));
    return { kind: 'user', user };
  }
  // A display asking for a person's permission is known, and refused as what it is.
  if (!forDisplays && credentials.display !== undefined && (await findDisplay(store, credentials.display))) {
    throw new AccessError(403, words(`A wall display may only show its own scope (${permission})`, `ウォールディスプレイは自分のスコープを表示することしかできません (${permission})`));
  }
  if (forDisplays && !grantedToPeople(permission)) {
    throw new AccessError(401, words('Not an enrolled wall display, or it was revoked', '登録されたウォールディスプレイではないか、登録が取り消されています'));
  }
  throw new AccessError(401, NOT_SIGNED_IN);
}
