// Business scopes (nested) and the monitoring objects they hold.
import { z } from 'zod';
import type { Store, Tx } from '../store/db';
import { HOST_NAME, unitNameSchema } from '../domain/events';
import { DEFAULT_OBJECT_ICON, DEFAULT_SCOPE_ICON, ICONS } from '../domain/icons';
import { canonicalUnit } from '../domain/unit-path';
import { InputError, parseInput, says, words, type Words } from '../input';
import { plainLine, plainText } from '../domain/text';
import { recordAudit } from '../audit/audit';
import { DEFAULT_TARGETS, webhookTargetProblem, type WebhookTargets } from '../notifications/targets';
import { NOTIFY_CLASSES } from '../notifications/outbox';

/** The store, or a transaction on it. */
export type Db = Store | Tx;

// Hidden characters are refused as given, before trimming (which would drop some at the ends silently).
export const nameSchema = plainLine(z.string(says('name is required', '名前は必須です')))
  .trim()
  .min(1, says('name is required', '名前は必須です'))
  .max(80, says('name is longer than 80 characters', '名前が 80 文字を超えています'));
const commentText = plainText(z.string(says('comment must be text', 'コメントは文字列です')).max(500, says('comment is longer than 500 characters', 'コメントが 500 文字を超えています')));
export const commentSchema = commentText.default('');
const idSchema = z.number().int().positive();
const scopeIdSchema = z.number(says('choose a business scope', '業務スコープを選んでください')).int().positive();
export const iconSchema = z.enum(ICONS, says(`icon must be one of ${ICONS.join(', ')}`, `アイコンは ${ICONS.join('、')} のいずれかです`));

/** A map is a grid of MAP_CELLS × MAP_CELLS cells. */
export const MAP_CELLS = 200;
export const cellSchema = z
  .number(says('x and y are grid cells (whole numbers), or null', 'x と y はグリッドのマス (整数) か null です'))
  .int(says('x and y are whole grid cells', 'x と y は整数のマスです'))
  .min(0, says('x and y are at least 0', 'x と y は 0 以上です'))
  .max(MAP_CELLS - 1, says(`x and y are at most ${MAP_CELLS - 1}`, `x と y は ${MAP_CELLS - 1} 以下です`))
  .nullable();

export const webhookUrlSchema = z.url({ protocol: /^https?$/, ...says('webhook URL must be an http or https URL', 'Webhook の URL は http か https の URL です') }).max(2000);
const FILTER_HINT = NOTIFY_CLASSES.join(', ');
/** What notifies, through a scope's webhook and its mail alike: classes of NOTIFY_CLASSES, comma-separated; kept in their list's order, each once. */
export const webhookFilterSchema = z
  .string(says(`filter must name one or more of ${FILTER_HINT}, comma-separated`, `条件は ${FILTER_HINT} から一つ以上をコンマ区切りで指定します`))
  .max(100, says(`filter must name one or more of ${FILTER_HINT}, comma-separated`, `条件は ${FILTER_HINT} から一つ以上をコンマ区切りで指定します`))
  .refine(
    (v) => v.split(',').every((c) => (NOTIFY_CLASSES as readonly string[]).includes(c)),
    says(`filter must name one or more of ${FILTER_HINT}, comma-separated`, `条件は ${FILTER_HINT} から一つ以上をコンマ区切りで指定します`),
  )
  .transform((v) => NOTIFY_CLASSES.filter((c) => v.split(',').includes(c)).join(','));

/** A scope's mail recipients: at most this many, so that one scope cannot make the console a mass mailer. */
export const MAX_MAIL_RECIPIENTS = 20;
// zod's address rule takes no spaces, quotes, angle brackets, commas or line breaks: nothing that could
// add a header or a recipient, and nothing that breaks the comma-separated list the store keeps.
const mailAddressSchema = z
  .string(says('each recipient is a mail address', '宛先はそれぞれメールアドレスです'))
  .trim()
  .max(254, says('a mail address is at most 254 characters', 'メールアドレスは 254 文字までです'))
  .pipe(z.email(says('not a mail address (name@example.com)', 'メールアドレスではありません (name@example.com)')))
  .refine((a) => a.split('@')[0].length <= 64, says('the part before @ is at most 64 characters', '@ の前は 64 文字までです'));
/** Recipients of a scope's mail ([] for none). Repeats are kept once. */
export const mailRecipientsSchema = z
  .array(mailAddressSchema, says('mailTo must be a list of mail addresses, or null', 'mailTo はメールアドレスの一覧か null です'))
  .max(MAX_MAIL_RECIPIENTS, says(`at most ${MAX_MAIL_RECIPIENTS} mail recipients`, `メールの宛先は ${MAX_MAIL_RECIPIENTS} 件までです`))
  .transform((list) => [...new Set(list)]);
/** As the API takes them: null or [] for none. */
export const mailToSchema = mailRecipientsSchema.nullable();
/** The recipients as the store keeps them: comma-separated, null for none. */
export const storedMailTo = (list: string[] | null) => (list && list.length > 0 ? list.join(',') : null);
export const mailToList = (stored: string | null) => (stored ? stored.split(',') : []);

/**
 * A scope's notification channels. On PUT …/webhook each field is optional, and one
 * left out stays as it is: the View changes recipients and filter without knowing the URL.
 */
export const webhookSchema = z
  .object({ webhookUrl: webhookUrlSchema.nullable(), webhookFilter: webhookFilterSchema, mailTo: mailToSchema })
  .partial()
  .strict();
export const newScopeSchema = z
  .object({
    name: nameSchema,
    comment: commentSchema,
    icon: iconSchema.default(DEFAULT_SCOPE_ICON),
    parentId: idSchema.nullable().default(null),
    ...webhookSchema.shape,
  })
  .strict();
/** A monitoring object's target: a registered host's logical name, or an address that names one registered host. */
export const targetHostSchema = z
  .string(says('target host is required', '対象ホストは必須です'))
  .trim()
  .min(1, says('target host is required', '対象ホストは必須です'))
  .max(253, says('target host is longer than 253 characters', '対象ホストが 253 文字を超えています'))
  .refine(
    (v) => HOST_NAME.test(v) || z.ipv4().safeParse(v).success || z.ipv6().safeParse(v).success,
    says('target host must be a logical host name or an address', '対象ホストは論理ホスト名かアドレスです'),
  );
export const newObjectSchema = z
  .object({ name: nameSchema, comment: commentSchema, icon: iconSchema.default(DEFAULT_OBJECT_ICON), scopeId: scopeIdSchema, host: targetHostSchema, unit: unitNameSchema })
  .strict();
// Changes: each field optional, none defaulted, so a missing field stays as it is.
export const scopeChangesSchema = z
  .object({ name: nameSchema, comment: commentText, icon: iconSchema, parentId: idSchema.nullable() })
  .partial()
  .strict();
export const objectChangesSchema = z
  .object({ name: nameSchema, comment: commentText, icon: iconSchema, scopeId: scopeIdSchema, host: targetHostSchema, unit: unitNameSchema })
  .partial()
  .strict();

const placementSchema = z
  .object({ id: idSchema, x: cellSchema, y: cellSchema })
  .strict()
  .refine((p) => (p.x === null) === (p.y === null), { ...says('x and y are both set, or both null to unplace', 'x と y は両方を指定するか、配置を外すなら両方 null です'), path: ['x'] });
export const positionsSchema = z
  .object({ scopes: z.array(placementSchema).max(10_000).default([]), objects: z.array(placementSchema).max(10_000).default([]) })
  .strict();

// The classic console nests scopes at most three deep; a little more room costs nothing.
export const MAX_SCOPE_DEPTH = 8;

const scopeFields = { id: true, name: true, comment: true, icon: true, parentId: true, mapX: true, mapY: true } as const;
const objectFields = { id: true, name: true, comment: true, icon: true, scopeId: true, host: true, unit: true, mapX: true, mapY: true } as const;

const NO_SUCH_SCOPE = words('no such scope', 'そのスコープはありません');
const noScope = (id: number, fields: Record<string, Words> = {}, status: 400 | 404 = 404) =>
  new InputError(words(`no business scope ${id}`, `業務スコープ ${id} はありません`), fields, status);
const noObject = (id: number, fields: Record<string, Words> = {}) =>
  new InputError(words(`no monitoring object ${id}`, `監視オブジェクト ${id} はありません`), fields, 404);

/** `recipients`: whether the list names each scope's mail recipients (people's addresses: for those who change them). */
export async function listDefinitions(store: Store, { recipients = true }: { recipients?: boolean } = {}) {
  const [scopes, objects, hosts] = await Promise.all([
    // A webhook URL may carry a secret: the list says only whether there is one.
    store.scope
      .findMany({ orderBy: { id: 'asc' }, select: { ...scopeFields, webhookUrl: true, webhookFilter: true, mailTo: true, background: { select: { scopeId: true } } } })
      .then((scopes) =>
        scopes.map(({ webhookUrl, mailTo, background, ...s }) => ({
          ...s,
          hasWebhook: webhookUrl !== null,
          hasMail: mailTo !== null && mailTo !== '',
          mailTo: recipients ? mailToList(mailTo) : [],
          hasBackground: background !== null,
        })),
      ),
    // Whether an object has an expectation, not the expectation: up to a few KiB each, read when a dialog opens.
    store.monitoringObject
      .findMany({ orderBy: { id: 'asc' }, select: { ...objectFields, expectation: true } })
      .then((objects) => objects.map(({ expectation, ...o }) => ({ ...o, hasExpectation: expectation !== null }))),
    store.monitoredHost.findMany({ orderBy: { name: 'asc' }, select: { name: true, address: true, feedPort: true } }),
  ]);
  return { scopes, objects, hosts };
}

/**
 * Refuses a webhook URL whose host this console may not post to (`targets`: the
 * host's configuration); resolved before any transaction starts. Sends check again.
 */
async function checkWebhookTarget(targets: WebhookTargets, url: string | null | undefined): Promise<void> {
  const problem = url ? await webhookTargetProblem(targets, url) : null;
  if (problem) throw new InputError(words(`webhookUrl: ${problem.en}`, `webhookUrl: ${problem.ja}`), { webhookUrl: problem });
}

// Every change below records who made it (`user`) in the audit log, in its own transaction.

export async function createScope(store: Store, input: unknown, user: string, targets: WebhookTargets = DEFAULT_TARGETS) {
  const { mailTo, ...scope } = parseInput(newScopeSchema, input);
  await checkWebhookTarget(targets, scope.webhookUrl);
  return store.$transaction(async (tx) => {
    if (scope.parentId !== null) await checkParent(tx, scope.parentId, null);
    const created = await tx.scope.create({ data: { ...scope, mailTo: mailTo === undefined ? undefined : storedMailTo(mailTo) }, select: scopeFields });
    await recordAudit(tx, { user, action: 'scope.create', target: created.name, detail: { id: created.id, parentId: created.parentId, mailTo: mailTo?.length ? mailTo : undefined } });
    return created;
  });
}

/** Changes a scope's name, comment, icon or parent; a scope never moves under itself or its own scopes. */
export async function updateScope(store: Store, id: number, input: unknown, user: string) {
  const changes = parseInput(scopeChangesSchema, input);
  return store.$transaction(async (tx) => {
    const scope = await tx.scope.findUnique({ where: { id }, select: { parentId: true } });
    if (!scope) throw noScope(id);
    const moved = changes.parentId !== undefined && changes.parentId !== scope.parentId;
    if (moved && changes.parentId != null) await checkParent(tx, changes.parentId, id);
    // Its cell belonged to the old parent's map: on the new one it is placed afresh.
    const data = moved ? { ...changes, mapX: null, mapY: null } : changes;
    const updated = await tx.scope.update({ where: { id }, data, select: scopeFields });
    await recordAudit(tx, { user, action: 'scope.update', target: updated.name, detail: { id, ...changes } });
    return updated;
  });
}

/**
 * Refuses a parent that does not exist, that is the scope being moved or below it,
 * or under which the scope (with everything below it) would nest too deep.
 */
async function checkParent(db: Db, parentId: number, moving: number | null): Promise<void> {
  const rows = await db.scope.findMany({ select: { id: true, parentId: true } });
  const parentOf = new Map(rows.map((r) => [r.id, r.parentId]));
  if (!parentOf.has(parentId)) throw noScope(parentId, { parentId: NO_SUCH_SCOPE }, 400);
  let level = 1; // the parent's: 1 at the top
  for (let id: number | null | undefined = parentId; ; level++) {
    if (id === moving) {
      throw new InputError(words(`scope ${moving} cannot move under itself or a scope inside it`, `スコープ ${moving} は自分自身やその中のスコープの下には移せません`), {
        parentId: words('cannot be the scope itself or a scope inside it', 'そのスコープ自身やその中のスコープは選べません'),
      });
    }
    id = parentOf.get(id!);
    if (id == null || level > rows.length) break;
  }
  const below = moving === null ? 0 : subtreeHeight(rows, moving);
  if (level + 1 + below > MAX_SCOPE_DEPTH) {
    throw new InputError(words(`scopes nest at most ${MAX_SCOPE_DEPTH} deep`, `スコープの入れ子は ${MAX_SCOPE_DEPTH} 階層までです`), { parentId: words('too deep', '階層が深すぎます') });
  }
}

/** How many levels of scopes lie below a scope (0: none). */
function subtreeHeight(rows: { id: number; parentId: number | null }[], root: number): number {
  const children = new Map<number, number[]>();
  for (const r of rows) if (r.parentId !== null) children.set(r.parentId, [...(children.get(r.parentId) ?? []), r.id]);
  let height = 0;
  for (let level = children.get(root) ?? []; level.length > 0 && height <= rows.length; height++) {
    level = level.flatMap((id) => children.get(id) ?? []);
  }
  return height;
}

/**
 * Sets a scope's notification channels: where its abnormal ends (and what else its
 * filter names) are posted (webhookUrl; null removes it) and mailed (mailTo; null or []
 * removes it), and the filter both follow. A field left out stays as it is.
 */
export async function setScopeWebhook(store: Store, id: number, input: unknown, user: string, targets: WebhookTargets = DEFAULT_TARGETS): Promise<void> {
  const { mailTo, ...webhook } = parseInput(webhookSchema, input);
  await checkWebhookTarget(targets, webhook.webhookUrl);
  await store.$transaction(async (tx) => {
    const { name } = await findScope(tx, id);
    await tx.scope.update({ where: { id }, data: { ...webhook, ...(mailTo === undefined ? {} : { mailTo: storedMailTo(mailTo) }) } });
    // The audit log hides the URL itself (it may carry a secret); the recipients are listed.
    await recordAudit(tx, { user, action: 'scope.update', target: name, detail: { id, ...webhook, mailTo: mailTo === undefined ? undefined : (mailTo ?? []) } });
  });
}

export async function deleteScope(store: Store, id: number, user: string): Promise<void> {
  await store.$transaction(async (tx) => {
    const { name } = await findScope(tx, id);
    await tx.scope.delete({ where: { id } });
    await recordAudit(tx, { user, action: 'scope.delete', target: name, detail: { id } });
  });
}

async function findScope(db: Db, id: number): Promise<{ name: string }> {
  const scope = await db.scope.findUnique({ where: { id }, select: { name: true } });
  if (!scope) throw noScope(id);
  return scope;
}

export async function createObject(store: Store, input: unknown, user: string) {
  const object = parseInput(newObjectSchema, input);
  return store.$transaction(async (tx) => {
    const host = await checkObjectTarget(tx, object);
    const created = await tx.monitoringObject.create({ data: { ...object, host: host!, unit: canonicalUnit(object.unit) }, select: objectFields });
    await recordAudit(tx, { user, action: 'object.create', target: created.name, detail: { id: created.id, scopeId: created.scopeId, host: created.host, unit: created.unit } });
    return created;
  });
}

/** Changes a monitoring object's name, comment, icon, scope, host or unit, with the checks of createObject. */
export async function updateObject(store: Store, id: number, input: unknown, user: string) {
  const changes = parseInput(objectChangesSchema, input);
  return store.$transaction(async (tx) => {
    const object = await tx.monitoringObject.findUnique({ where: { id }, select: { scopeId: true } });
    if (!object) throw noObject(id);
    const host = await checkObjectTarget(tx, changes);
    const moved = changes.scopeId !== undefined && changes.scopeId !== object.scopeId;
    const data = {
      ...changes,
      ...(host === undefined ? {} : { host }),
      ...(changes.unit === undefined ? {} : { unit: canonicalUnit(changes.unit) }),
      ...(moved ? { mapX: null, mapY: null } : {}),
    };
    const updated = await tx.monitoringObject.update({ where: { id }, data, select: objectFields });
    await recordAudit(tx, { user, action: 'object.update', target: updated.name, detail: { id, ...changes, ...(host === undefined ? {} : { host }) } });
    return updated;
  });
}

/** Checks an object's scope and target host; returns the target's logical host name (undefined when not given). */
async function checkObjectTarget(db: Db, object: { scopeId?: number; host?: string }): Promise<string | undefined> {
  if (object.scopeId !== undefined && !(await db.scope.findUnique({ where: { id: object.scopeId }, select: { id: true } }))) {
    throw noScope(object.scopeId, { scopeId: NO_SUCH_SCOPE }, 400);
  }
  return object.host === undefined ? undefined : resolveTargetHost(db, object.host);
}

/**
 * The registered host a monitoring object targets: the host of that logical name,
 * else the one host registered at that address. An address shared by several
 * registered hosts is refused, as is one no host has: the object must name its host.
 */
export async function resolveTargetHost(db: Db, target: string): Promise<string> {
  if (await db.monitoredHost.findUnique({ where: { name: target }, select: { name: true } })) return target;
  const wanted = normalAddress(target);
  const hosts = await db.monitoredHost.findMany({ select: { name: true, address: true }, orderBy: { name: 'asc' } });
  const matches = hosts.filter((h) => normalAddress(h.address) === wanted).map((h) => h.name);
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) {
    const names = matches.join(', ');
    throw new InputError(
      words(`address ${target} is the address of ${matches.length} registered hosts (${names}); name one of them`, `アドレス ${target} は登録済みの ${matches.length} 台のホスト (${names}) のアドレスです。どれかを名前で指定してください`),
      { host: words(`several registered hosts have this address (${names}): choose one by its logical host name`, `このアドレスのホストが複数あります (${names})。論理ホスト名で選んでください`) },
    );
  }
  throw new InputError(
    words(`host ${target} is not a registered monitored host name or address; register it first`, `ホスト ${target} は登録済みの監視対象ホストの名前でもアドレスでもありません。先に登録してください`),
    { host: words('not a registered monitored host name or address: register the host first', '登録済みの監視対象ホストの名前でもアドレスでもありません。先にホストを登録してください') },
  );
}

/** Addresses compare as the host would take them: DNS names without case, IPv6 in its shortest form. */
function normalAddress(address: string): string {
  const bare = address.trim().replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (!bare.includes(':')) return bare;
  try {
    return new URL(`http://[${bare}]/`).hostname.slice(1, -1);
  } catch {
    return bare;
  }
}

/**
 * Places scopes and objects on their parent scope's map (null: placed automatically),
 * all or nothing: an unknown id refuses the whole request.
 */
export async function setPositions(store: Store, input: unknown, user: string): Promise<{ scopes: number; objects: number }> {
  const { scopes, objects } = parseInput(positionsSchema, input);
  await store.$transaction(async (tx) => {
    for (const [i, p] of scopes.entries()) {
      const { count } = await tx.scope.updateMany({ where: { id: p.id }, data: { mapX: p.x, mapY: p.y } });
      if (count === 0) throw noScope(p.id, { [`scopes.${i}.id`]: NO_SUCH_SCOPE });
    }
    for (const [i, p] of objects.entries()) {
      const { count } = await tx.monitoringObject.updateMany({ where: { id: p.id }, data: { mapX: p.x, mapY: p.y } });
      if (count === 0) throw noObject(p.id, { [`objects.${i}.id`]: words('no such object', 'そのオブジェクトはありません') });
    }
    // One entry per kind and request: a drag on the map is one change, not one per icon.
    if (scopes.length > 0) await recordAudit(tx, { user, action: 'scope.update', detail: { positions: scopes.map((p) => p.id) } });
    if (objects.length > 0) await recordAudit(tx, { user, action: 'object.update', detail: { positions: objects.map((p) => p.id) } });
  });
  return { scopes: scopes.length, objects: objects.length };
}

export async function deleteObject(store: Store, id: number, user: string): Promise<void> {
  await store.$transaction(async (tx) => {
    const object = await tx.monitoringObject.findUnique({ where: { id }, select: { name: true, host: true, unit: true } });
    if (!object) throw noObject(id);
    await tx.monitoringObject.delete({ where: { id } });
    await recordAudit(tx, { user, action: 'object.delete', target: object.name, detail: { id, host: object.host, unit: object.unit } });
  });
}

/** A scope and every scope below it, from the whole list (parents come before children in no guaranteed order). */
export function scopesWithin(all: readonly { id: number; parentId: number | null }[], root: number): Set<number> {
  const within = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of all) {
      if (s.parentId === null || !within.has(s.parentId) || within.has(s.id)) continue;
      within.add(s.id);
      grew = true;
    }
  }
  return within;
}
