// Console users.
import { z } from 'zod';
import type { Store } from '../store/db';
import { hashPassword, MIN_PASSWORD_LENGTH } from './passwords';
import { ROLES, type Role } from './roles';

export const userNameSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\p{L}\p{N}_.@-]+$/u, 'user name may contain letters, digits and _ . @ - only');
export const passwordSchema = z.string().min(MIN_PASSWORD_LENGTH, `password must have at least ${MIN_PASSWORD_LENGTH} characters`).max(1024);
export const roleSchema = z.enum(ROLES);

export async function addUser(store: Store, input: { name: string; password: string; role: Role }) {
  const name = userNameSchema.parse(input.name);
  const password = passwordSchema.parse(input.password);
  const role = roleSchema.parse(input.role);
  if (await store.user.findUnique({ where: { name } })) throw new Error(`user "${name}" already exists`);
  return store.user.create({ data: { name, role, passwordHash: await hashPassword(password) }, select: { id: true, name: true, role: true } });
}

export async function setPassword(store: Store, name: string, password: string) {
  const passwordHash = await hashPassword(passwordSchema.parse(password));
  await store.$transaction([
    store.user.update({ where: { name }, data: { passwordHash } }),
    store.session.deleteMany({ where: { user: { name } } }),
  ]);
}
