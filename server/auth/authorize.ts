// The one authorisation function: every HTTP route and every socket event goes
// through it, so a role is checked on the server whatever the browser shows.
import type { Store } from '../store/db';
import { allows, type Permission } from './roles';
import { findSession, type SessionUser } from './sessions';
import { words, type Words } from '../input';

export class AccessError extends Error {
  constructor(
    readonly status: 401 | 403,
    readonly text: Words,
  ) {
    super(text.en);
  }
}

export async function authorize(store: Store, sessionToken: string | undefined, permission: Permission): Promise<SessionUser> {
  const user = await findSession(store, sessionToken);
  if (!user) throw new AccessError(401, words('Not logged in, or the session has expired', 'ログインしていないか、セッションの有効期限が切れています'));
  if (!allows(user.role, permission)) throw new AccessError(403, words(`The role ${user.role} may not do this (${permission})`, `ロール ${user.role} にはこの操作は許可されていません (${permission})`));
  return user;
}
