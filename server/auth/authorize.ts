// The one authorisation function: every HTTP route and every socket event goes
// through it, so a role is checked on the server whatever the browser shows.
import type { Store } from '../store/db';
import { allows, type Permission } from './roles';
import { findSession, type SessionUser } from './sessions';

export class AccessError extends Error {
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(message);
  }
}

export async function authorize(store: Store, sessionToken: string | undefined, permission: Permission): Promise<SessionUser> {
  const user = await findSession(store, sessionToken);
  if (!user) throw new AccessError(401, 'Not logged in, or the session has expired');
  if (!allows(user.role, permission)) throw new AccessError(403, `The role ${user.role} may not do this (${permission})`);
  return user;
}
