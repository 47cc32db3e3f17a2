// Business scopes (nested) and the monitoring objects they hold.
import { z } from 'zod';
import type { Store } from '../store/db';
import { hostNameSchema, unitNameSchema } from '../domain/events';
import { canonicalUnit } from '../domain/unit-path';
import { InputError, parseInput } from '../input';

const nameSchema = z.string().trim().min(1, 'name is required').max(80, 'name is longer than 80 characters');
const commentSchema = z.string().max(500, 'comment is longer than 500 characters').default('');
const idSchema = z.number().int().positive();

export const webhookSchema = z
  .object({
    webhookUrl: z
      .url({ protocol: /^https?$/, error: 'webhook URL must be an http or https URL' })
      .max(2000)
      .nullable(),
    webhookFilter: z
      .string()
      .regex(/^(abnormal|warning)(,(abnormal|warning))?$/, 'webhook filter must be abnormal, warning or abnormal,warning')
      .default('abnormal'),
  })
  .strict();
export const newScopeSchema = z
  .object({ name: nameSchema, comment: commentSchema, parentId: idSchema.nullable().default(null), ...webhookSchema.partial().shape })
  .strict();
export const newObjectSchema = z
  .object({ name: nameSchema, comment: commentSchema, scopeId: idSchema, host: hostNameSchema, unit: unitNameSchema })
  .strict();

// The classic console nests scopes at most three deep; a little more room costs nothing.
const MAX_SCOPE_DEPTH = 8;

export async function listDefinitions(store: Store) {
  const [scopes, objects, hosts] = await Promise.all([
    // A webhook URL may carry a secret: the list says only whether there is one.
    store.scope
      .findMany({ orderBy: { id: 'asc' }, select: { id: true, name: true, comment: true, parentId: true, webhookUrl: true, webhookFilter: true } })
      .then((scopes) => scopes.map(({ webhookUrl, ...s }) => ({ ...s, hasWebhook: webhookUrl !== null }))),
    store.monitoringObject.findMany({ orderBy: { id: 'asc' }, select: { id: true, name: true, comment: true, scopeId: true, host: true, unit: true } }),
    store.monitoredHost.findMany({ orderBy: { name: 'asc' }, select: { name: true, address: true, feedPort: true } }),
  ]);
  return { scopes, objects, hosts };
}

export async function createScope(store: Store, input: unknown) {
  const scope = parseInput(newScopeSchema, input);
  if (scope.parentId !== null) {
    let depth = 1;
    for (let id: number | null = scope.parentId; id !== null; depth++) {
      const parent: { parentId: number | null } | null = await store.scope.findUnique({ where: { id }, select: { parentId: true } });
      if (!parent) throw new InputError(`no business scope ${id}`, { parentId: 'no such scope' });
      id = parent.parentId;
    }
    if (depth > MAX_SCOPE_DEPTH) throw new InputError(`scopes nest at most ${MAX_SCOPE_DEPTH} deep`, { parentId: 'too deep' });
  }
  return store.scope.create({ data: scope, select: { id: true, name: true, comment: true, parentId: true } });
}

/** Sets (or with webhookUrl null, removes) where a scope's abnormal ends are posted. */
export async function setScopeWebhook(store: Store, id: number, input: unknown): Promise<void> {
  const webhook = parseInput(webhookSchema, input);
  const { count } = await store.scope.updateMany({ where: { id }, data: webhook });
  if (count === 0) throw new InputError(`no business scope ${id}`, {}, 404);
}

export async function deleteScope(store: Store, id: number): Promise<void> {
  const { count } = await store.scope.deleteMany({ where: { id } });
  if (count === 0) throw new InputError(`no business scope ${id}`, {}, 404);
}

export async function createObject(store: Store, input: unknown) {
  const object = parseInput(newObjectSchema, input);
  if (!(await store.scope.findUnique({ where: { id: object.scopeId } }))) {
    throw new InputError(`no business scope ${object.scopeId}`, { scopeId: 'no such scope' });
  }
  if (!(await store.monitoredHost.findUnique({ where: { name: object.host } }))) {
    throw new InputError(`host ${object.host} is not registered; register it first`, { host: 'not a registered host' });
  }
  return store.monitoringObject.create({
    data: { ...object, unit: canonicalUnit(object.unit) },
    select: { id: true, name: true, comment: true, scopeId: true, host: true, unit: true },
  });
}

export async function deleteObject(store: Store, id: number): Promise<void> {
  const { count } = await store.monitoringObject.deleteMany({ where: { id } });
  if (count === 0) throw new InputError(`no monitoring object ${id}`, {}, 404);
}
