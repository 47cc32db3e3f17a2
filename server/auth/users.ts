// Console users: the command line adds them; admins list, add, change and
// reset them in the console. Every change is in the audit log, written in the
// same transaction. The callers drop the live sockets of a user who changed.
import { z } from 'zod';
import type { Store, Tx } from '../store/db';
import { hashPassword, MIN_PASSWORD_LENGTH } from './passwords';
import { ROLES, type Role } from './roles';
import { isLive, type Actor } from './sessions';
import { revokeDevices } from './device-cookies';
import type { AttackView } from './throttle';
import { InputError, parseInput, says, words } from '../input';
import { COMMAND_LINE_USER, recordAudit } from '../audit/audit';

export const userNameSchema = z
  .string(says('user name is required', 'ユーザー名は必須です'))
  .trim()
  .min(1, says('user name is required', 'ユーザー名は必須です'))
  .max(64, says('user name is longer than 64 characters', 'ユーザー名が 64 文字を超えています'))
  .regex(/^[\p{L}\p{N}_.@-]+$/u, says('user name may contain letters, digits and _ . @ - only', 'ユーザー名に使えるのは文字、数字と _ . @ - だけです'));
export const passwordSchema = z
  .string(says('password is required', 'パスワードは必須です'))
  .min(MIN_PASSWORD_LENGTH, says(`password must have at least ${MIN_PASSWORD_LENGTH} characters`, `パスワードは ${MIN_PASSWORD_LENGTH} 文字以上にしてください`))
  .max(1024, says('password is longer than 1024 characters', 'パスワードが 1024 文字を超えています'));
export const roleSchema = z.enum(ROLES, says(`role must be one of ${ROLES.join(', ')}`, `ロールは ${ROLES.join('、')} のいずれかです`));

const newUserSchema = z.object({ name: userNameSchema, password: passwordSchema, role: roleSchema }).strict();
const userPatchSchema = z
  .object({ role: roleSchema.optional(), disabled: z.boolean(says('disabled must be true or false', 'disabled は true か false です')).optional() })
  .strict()
  .refine((p) => p.role !== undefined || p.disabled !== undefined, says('nothing to change: give role or disabled', '変更がありません。role か disabled を指定してください'));
const passwordBodySchema = z.object({ password: passwordSchema }).strict();

/** Changes made from the command line, which acts on the store directly. */
export const COMMAND_LINE: Actor = { name: COMMAND_LINE_USER };

export interface UserView {
  id: number;
  name: string;
  role: string;
  disabled: boolean;
  createdAt: string;
  /** Sessions that are still valid. */
  sessions: number;
  /** Latest activity in any session still stored; null once they all ended. */
  lastSeenAt: string | null;
  /** Failed sign-ins of an attack on the account going on now (server/auth/throttle.ts), else null. */
  attack: { failures: number; addresses: number; since: string } | null;
}

async function userViews(store: Store, where: { id?: number } = {}, attacks: AttackView[] = [], now = new Date()): Promise<UserView[]> {
  const attacked = new Map(attacks.filter((a) => a.account !== undefined).map((a) => [a.account!, a]));
  const users = await store.user.findMany({
    where,
    orderBy: { name: 'asc' },
    select: { id: true, name: true, role: true, disabled: true, createdAt: true, sessions: { select: { lastSeenAt: true, expiresAt: true } } },
  });
  return users.map(({ sessions, ...u }) => {
    const lastSeen = Math.max(...sessions.map((s) => s.lastSeenAt.getTime()));
    const attack = attacked.get(u.name);
    return {
      ...u,
      createdAt: u.createdAt.toISOString(),
      sessions: u.disabled ? 0 : sessions.filter((s) => isLive(s, now)).length,
      lastSeenAt: sessions.length ? new Date(lastSeen).toISOString() : null,
      attack: attack ? { failures: attack.failures, addresses: attack.addresses, since: new Date(attack.since).toISOString() } : null,
    };
  });
}

const noSuchUser = (id: number) => new InputError(words(`no user ${id}`, `ユーザー ${id} はありません`), {}, 404);

/** Every user; those under attack (the login throttle's attacks()) say so. */
export function listUsers(store: Store, attacks: AttackView[] = []): Promise<UserView[]> {
  return userViews(store, {}, attacks);
}

async function userView(store: Store, id: number): Promise<UserView> {
  const [view] = await userViews(store, { id });
  if (!view) throw noSuchUser(id);
  return view;
}

export async function createUser(store: Store, input: unknown, by: Actor): Promise<UserView> {
  const user = parseInput(newUserSchema, input);
  const passwordHash = await hashPassword(user.password);
  // Names differing only in case would be told apart by nobody reading a log.
  const taken = () => new InputError(
      words(`user ${user.name} already exists`, `ユーザー ${user.name} はすでにあります`),
      { name: words('a user of this name already exists', 'この名前のユーザーはすでにあります') },
      409,
    );
  const lower = user.name.toLowerCase();
  let id: number;
  try {
    id = await store.$transaction(async (tx) => {
      const names = await tx.user.findMany({ select: { name: true } });
      if (names.some((n) => n.name.toLowerCase() === lower)) throw taken();
      const created = await tx.user.create({ data: { name: user.name, role: user.role, passwordHash }, select: { id: true } });
      await recordAudit(tx, { user: by.name, action: 'user.create', target: user.name, detail: { role: user.role } });
      return created.id;
    });
  } catch (err) {
    if ((err as { code?: string }).code === 'P2002') throw taken(); // added at the same moment by someone else
    throw err;
  }
  return userView(store, id);
}

/** For the command line (`jobscope user add`) and the demo. */
export async function addUser(store: Store, input: { name: string; password: string; role: Role }) {
  const user = await createUser(store, input, COMMAND_LINE);
  return { id: user.id, name: user.name, role: user.role as Role };
}

// Checking "another enabled admin remains" and then writing must not interleave
// with another such change: one manager writes the store at a time (fencing),
// so running these one after another in this process is enough.
let adminChanges: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(change: () => Promise<T>): Promise<T> {
  const result = adminChanges.then(change, change);
  adminChanges = result.catch(() => {});
  return result;
}

export interface UserUpdate {
  user: UserView;
  /** Whether the role or the disabled flag changed: the user's live sockets must be dropped. */
  changed: boolean;
}

/** Changes a user's role or disables/enables them. Disabling ends all their sessions and device cookies. */
export async function updateUser(store: Store, id: number, input: unknown, by: Actor): Promise<UserUpdate> {
  const patch = parseInput(userPatchSchema, input);
  const changed = await oneAtATime(() =>
    store.$transaction(async (tx) => {
      const user = await tx.user.findUnique({ where: { id } });
      if (!user) throw noSuchUser(id);
      const role = patch.role ?? user.role;
      const disabled = patch.disabled ?? user.disabled;
      const field = disabled !== user.disabled ? 'disabled' : 'role';
      if (id === by.userId) {
        if (disabled && !user.disabled) {
          throw new InputError(words('You cannot disable your own account', '自分のアカウントは無効にできません'), { disabled: words('not your own account', '自分のアカウントです') }, 409);
        }
        if (user.role === 'admin' && role !== 'admin') {
          throw new InputError(words('You cannot drop your own admin role', '自分の管理者ロールは外せません'), { role: words('not your own admin role', '自分の管理者ロールです') }, 409);
        }
      }
      const wasAdmin = user.role === 'admin' && !user.disabled;
      if (wasAdmin && (role !== 'admin' || disabled)) {
        const others = await tx.user.count({ where: { role: 'admin', disabled: false, id: { not: id } } });
        if (others === 0) {
          throw new InputError(
            words(`${user.name} is the last enabled admin: make another user admin first`, `${user.name} は最後の有効な管理者です。先に別のユーザーを管理者にしてください`),
            { [field]: words('the last enabled admin', '最後の有効な管理者です') },
            409,
          );
        }
      }
      if (role === user.role && disabled === user.disabled) return false;
      await tx.user.update({ where: { id }, data: { role, disabled } });
      const ended = disabled && !user.disabled ? (await tx.session.deleteMany({ where: { userId: id } })).count : 0;
      if (disabled && !user.disabled) await revokeDevices(tx, id);
      const detail = {
        role: role !== user.role ? `${user.role} → ${role}` : undefined,
        disabled: disabled !== user.disabled ? disabled : undefined,
        sessionsEnded: ended > 0 ? ended : undefined,
      };
      await recordAudit(tx, { user: by.name, action: 'user.update', target: user.name, detail });
      return true;
    }),
  );
  return { user: await userView(store, id), changed };
}

async function replacePassword(tx: Tx, user: { id: number; name: string }, passwordHash: string, by: Actor): Promise<number> {
  await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
  const { count } = await tx.session.deleteMany({ where: { userId: user.id } });
  // A browser trusted with the old password is trusted no more.
  await revokeDevices(tx, user.id);
  await recordAudit(tx, { user: by.name, action: 'user.password', target: user.name, detail: { sessionsEnded: count } });
  return count;
}

/** Sets a new password ({ password }) and ends all the user's sessions and device cookies. */
export async function resetPassword(store: Store, id: number, input: unknown, by: Actor): Promise<{ endedSessions: number }> {
  const { password } = parseInput(passwordBodySchema, input);
  const passwordHash = await hashPassword(password);
  const endedSessions = await store.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id }, select: { id: true, name: true } });
    if (!user) throw noSuchUser(id);
    return replacePassword(tx, user, passwordHash, by);
  });
  return { endedSessions };
}

/** For the command line: the same, by name. */
export async function setPassword(store: Store, name: string, password: string): Promise<void> {
  const user = await store.user.findUnique({ where: { name }, select: { id: true } });
  if (!user) throw new Error(`no user ${name}`);
  await resetPassword(store, user.id, { password }, COMMAND_LINE);
}
