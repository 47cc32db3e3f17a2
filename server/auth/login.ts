// Logging in: one message for a wrong user name or password (never revealing
// which user names exist), throttled per user name and per client address.
// Logins and credential refusals go to the audit log, with the client address.
import type { Store } from '../store/db';
import { recordAudit, type LoginRefusal } from '../audit/audit';
import { decoyHash, verifyPassword } from './passwords';
import { createSession } from './sessions';
import type { LoginThrottle } from './throttle';
import { isRole, type Role } from './roles';
import { words, type Words } from '../input';

export const WRONG_CREDENTIALS = words('Wrong user name or password', 'ユーザー名またはパスワードが正しくありません');

export type LoginResult =
  | { ok: true; token: string; csrfToken: string; user: { name: string; role: Role } }
  | { ok: false; status: 401 | 429; error: Words };

export async function login(
  store: Store,
  throttle: LoginThrottle,
  attempt: { user: string; password: string; clientAddress: string },
): Promise<LoginResult> {
  const keys = [`user:${attempt.user.toLowerCase()}`, `addr:${attempt.clientAddress}`];
  const wait = throttle.waitFor(keys);
  // Not logged: a throttled attempt checks nothing, and a spray of them must not fill the audit log.
  if (wait > 0) {
    const seconds = Math.ceil(wait / 1000);
    return { ok: false, status: 429, error: words(`Too many failed logins; try again in ${seconds} s`, `ログインの失敗が続いています。${seconds} 秒待ってから再試行してください`) };
  }
  const user = await store.user.findUnique({ where: { name: attempt.user } });
  const valid = await verifyPassword(user?.passwordHash ?? (await decoyHash()), attempt.password);
  if (!user || !valid || user.disabled || !isRole(user.role)) {
    throttle.failed(keys);
    // Only admins read the log, so it may say why; the answer never does.
    const reason: LoginRefusal = !user ? 'unknown-user' : !valid ? 'wrong-password' : user.disabled ? 'disabled' : 'unknown-role';
    await recordAudit(store, { user: attempt.user, action: 'login.refused', detail: { from: attempt.clientAddress, reason } });
    return { ok: false, status: 401, error: WRONG_CREDENTIALS };
  }
  throttle.succeeded(keys);
  const { token, csrfToken } = await createSession(store, user.id);
  await recordAudit(store, { user: user.name, action: 'login', detail: { from: attempt.clientAddress } });
  return { ok: true, token, csrfToken, user: { name: user.name, role: user.role } };
}
