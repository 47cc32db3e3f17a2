// Logging in: one message for a wrong user name or password (never revealing
// which user names exist), throttled per client address, per (user, address)
// and, for an account under attack, slowed for every client but the browsers
// holding one of its device cookies (server/auth/throttle.ts). Logins,
// credential refusals and attacks go to the audit log, with the client address.
// A name that is no account may be a password typed into the wrong field: it is
// stored nowhere as typed (see unknownName).
import crypto from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Store } from '../store/db';
import { recordAudit, type AuditInput, type LoginRefusal } from '../audit/audit';
import { decoyHash, verifyPassword } from './passwords';
import { createSession } from './sessions';
import type { AttackChange, LoginThrottle } from './throttle';
import { endExpiredDevices, findTrustedDevice, issueDevice } from './device-cookies';
import { isRole, type Role } from './roles';
import { words, type Words } from '../input';

export const WRONG_CREDENTIALS = words('Wrong user name or password', 'ユーザー名またはパスワードが正しくありません');
const tooManyFailures = (seconds: number) =>
  words(`Too many failed logins; try again in ${seconds} s`, `ログインの失敗が続いています。${seconds} 秒待ってから再試行してください`);

// The key of the names' hashes: random per manager process and never stored, so that
// nobody holding the log or the store can test guesses against a hash. The same name
// gives the same marker while this manager runs (admins can tell one name tried
// many times from many names), and another one after a restart or failover.
const NAME_KEY = crypto.randomBytes(32);

/**
 * How the log and the audit log name a user name that is no account: `#` and the
 * first 8 hex digits of its HMAC-SHA256 (a `#` is in no user name; see UNKNOWN_NAME).
 */
export function unknownName(name: string): string {
  return `#${crypto.createHmac('sha256', NAME_KEY).update(name).digest('hex').slice(0, 8)}`;
}

export interface LoginAttempt {
  user: string;
  password: string;
  clientAddress: string;
  /** The device cookie's value, as the browser sent it. */
  deviceCookie?: string;
}

export type LoginResult =
  | {
      ok: true;
      token: string;
      csrfToken: string;
      /** The device cookie's new value, for this browser. */
      device: string;
      user: { name: string; role: Role };
      /** Attacks on accounts that this attempt started or ended (with an audit entry each). */
      attacks: AttackChange[];
    }
  | {
      ok: false;
      status: 401 | 429;
      error: Words;
      /** Seconds to wait, with 429. */
      retryAfter?: number;
      /** The name as logs may show it: the account's, or unknownName's marker. */
      as: string;
      attacks: AttackChange[];
    };

const attackEntry = (change: AttackChange): AuditInput => ({
  user: change.account!,
  action: change.kind === 'started' ? 'login.attack' : 'login.attack.end',
  detail: { failures: change.failures, addresses: change.addresses, since: new Date(change.since).toISOString() },
});

/** The name as it may be logged: an existing account's, else its marker. */
async function loggedName(store: Store, name: string): Promise<string> {
  const user = await store.user.findUnique({ where: { name }, select: { name: true } });
  return user?.name ?? unknownName(name);
}

export async function login(store: Store, throttle: LoginThrottle, attempt: LoginAttempt): Promise<LoginResult> {
  const device = await findTrustedDevice(store, attempt.user, attempt.deviceCookie);
  const entry = throttle.enter({ user: attempt.user, address: attempt.clientAddress, device: device?.id });
  // Not in the audit log: a refused attempt checks nothing, and a spray of them must not fill it.
  if (!entry.ok) {
    const seconds = Math.max(1, Math.ceil(entry.retryAfterMs / 1000));
    return { ok: false, status: 429, error: tooManyFailures(seconds), retryAfter: seconds, as: await loggedName(store, attempt.user), attacks: [] };
  }
  const { ticket } = entry;
  try {
    // The tarpit: the attempt waits here, unchecked, the same for any name.
    if (ticket.holdMs > 0) await sleep(ticket.holdMs);
    const user = await store.user.findUnique({ where: { name: attempt.user } });
    const valid = await verifyPassword(user?.passwordHash ?? (await decoyHash()), attempt.password);
    if (!user || !valid || user.disabled || !isRole(user.role)) {
      const attacks = throttle.failed(ticket, { account: user?.name }).filter((c) => c.account !== undefined);
      const as = user?.name ?? unknownName(attempt.user);
      // Only admins read the log, so it may say why; the answer never does.
      const reason: LoginRefusal = !user ? 'unknown-user' : !valid ? 'wrong-password' : user.disabled ? 'disabled' : 'unknown-role';
      await store.$transaction(async (tx) => {
        await recordAudit(tx, { user: as, action: 'login.refused', detail: { from: attempt.clientAddress, reason } });
        for (const change of attacks) await recordAudit(tx, attackEntry(change));
      });
      return { ok: false, status: 401, error: WRONG_CREDENTIALS, as, attacks };
    }
    throttle.succeeded(ticket);
    const { token, csrfToken } = await createSession(store, user.id);
    const deviceValue = await issueDevice(store, user.id, attempt.deviceCookie, device);
    await recordAudit(store, { user: user.name, action: 'login', detail: { from: attempt.clientAddress } });
    return { ok: true, token, csrfToken, device: deviceValue, user: { name: user.name, role: user.role }, attacks: [] };
  } finally {
    throttle.release(ticket);
  }
}

/**
 * Ends the attacks that went quiet (an audit entry each) and deletes the expired
 * device cookies; run it every minute or so. Returns the attacks on accounts that ended.
 */
export async function sweepLogins(store: Store, throttle: LoginThrottle): Promise<AttackChange[]> {
  const ended = throttle.sweep().filter((c) => c.account !== undefined);
  for (const change of ended) await recordAudit(store, attackEntry(change));
  await endExpiredDevices(store);
  return ended;
}
