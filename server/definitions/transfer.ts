// Export and import of a console's definitions: one versioned JSON document with
// the monitored hosts (feed tokens included) and the scope tree with its objects,
// positions, notification channels (webhooks, mail) and background images. An import is checked whole first,
// then replaces every scope and object in one transaction.
import { z } from 'zod';
import type { Store } from '../store/db';
import { recordAudit } from '../audit/audit';
import { hostNameSchema, unitNameSchema } from '../domain/events';
import { DEFAULT_OBJECT_ICON, DEFAULT_SCOPE_ICON, type IconName } from '../domain/icons';
import { canonicalUnit } from '../domain/unit-path';
import { check, inRenderingLang, InputError, says, words, type Words } from '../input';
import { registeredHostSchema } from './hosts';
import { backgroundProblem, MAX_BACKGROUND_BYTES } from './backgrounds';
import { DEFAULT_TARGETS, webhookTargetProblem, type WebhookTargets } from '../notifications/targets';
import { cellSchema, commentSchema, iconSchema, mailRecipientsSchema, mailToList, MAX_SCOPE_DEPTH, nameSchema, storedMailTo, webhookFilterSchema, webhookUrlSchema } from './scopes';
import { plainLine } from '../domain/text';
import { expectationSchema, type Expectation } from '../domain/expectations';
import { readExpectation } from './expectations';

export const FORMAT = 'jobscope-definitions';
export const VERSION = 1;
/** An import's request body: room for a few full-size backgrounds (base64 adds a third). */
export const MAX_IMPORT_BYTES = 32 * 1024 * 1024;
/** The most a document may hold: a large site's console, and what is checked and written without stalling the manager. */
export const MAX_IMPORT_SCOPES = 2_000;
export const MAX_IMPORT_OBJECTS = 10_000;

// x and y are set together or not at all: checked in checkDocument with the other cross-field rules.
const position = { x: cellSchema.default(null), y: cellSchema.default(null) };
const unpaired = (p: { x: number | null; y: number | null }) => (p.x === null) !== (p.y === null);
const UNPAIRED = words('x and y are both set, or both null', 'x と y は両方を指定するか、両方 null です');

const webhookDocSchema = z.object({ url: webhookUrlSchema, filter: webhookFilterSchema.default('abnormal') }).strict();
// The filter is the scope's, for both channels: each channel's entry carries it, so that either stands alone.
const mailDocSchema = z.object({ to: mailRecipientsSchema.refine((to) => to.length > 0, says('mail needs one recipient or more (leave mail out for none)', 'メールには宛先が一つ以上必要です (なければ mail を省きます)')), filter: webhookFilterSchema.default('abnormal') }).strict();

const backgroundDocSchema = z
  .object({
    mime: z.string().max(100),
    base64: z
      .base64(says('background is not valid base64', '背景が正しい base64 ではありません'))
      .max(Math.ceil(MAX_BACKGROUND_BYTES / 3) * 4 + 4, says('the image is larger than 2 MiB', '画像が 2 MiB を超えています')),
  })
  .strict()
  .superRefine((background, ctx) => {
    const problem = backgroundProblem(background.mime, Buffer.from(background.base64, 'base64'));
    if (problem) ctx.addIssue({ code: 'custom', message: inRenderingLang(problem) });
  });

export interface HostDoc {
  name: string;
  address: string;
  feedPort: number;
  token: string;
  /** The feed's TLS (server/feed/feed-trust.ts); written only when set, so that a plain host's entry reads as before. */
  tlsCa?: string | null;
  tlsFingerprint?: string | null;
}
export interface ObjectDoc {
  name: string;
  comment: string;
  icon: IconName;
  host: string;
  unit: string;
  x: number | null;
  y: number | null;
  /** Written only when set, so that a document of a console without expectations reads as before: absent is none. */
  expectation?: Expectation;
}
export interface ScopeDoc {
  name: string;
  comment: string;
  icon: IconName;
  x: number | null;
  y: number | null;
  webhook: { url: string; filter: string } | null;
  /** Written only when set, so that a document of a console without mail reads as before: absent is none. */
  mail?: { to: string[]; filter: string };
  background: { mime: string; base64: string } | null;
  scopes: ScopeDoc[];
  objects: ObjectDoc[];
}
export interface DefinitionsDocument {
  format: typeof FORMAT;
  version: typeof VERSION;
  exportedAt?: string;
  exportedFrom?: string;
  hosts: HostDoc[];
  scopes: ScopeDoc[];
}

/**
 * The document's schema, for a console that knows these hosts (registered, or in
 * the document): an object's host is checked with every other field, so that one
 * pass reports them all.
 */
function documentSchema(knownHosts: ReadonlySet<string>): z.ZodType<DefinitionsDocument> {
  const objectDocSchema = z.strictObject({
    name: nameSchema,
    comment: commentSchema,
    icon: iconSchema.default(DEFAULT_OBJECT_ICON),
    host: hostNameSchema.superRefine((host, ctx) => {
      if (!knownHosts.has(host)) {
        const problem = words(`host ${host} is neither in the document's hosts nor a registered monitored host`, `ホスト ${host} は文書のホストにも登録済みの監視対象ホストにもありません`);
        ctx.addIssue({ code: 'custom', message: inRenderingLang(problem) });
      }
    }),
    unit: unitNameSchema,
    ...position,
    // The same schema as the API's: a bad one refuses the import with its path.
    expectation: expectationSchema.optional(),
  });
  // A tree: its type is spelled out above, as TypeScript cannot infer a schema that refers to itself.
  const scopeDocSchema: z.ZodType<ScopeDoc> = z.strictObject({
    name: nameSchema,
    comment: commentSchema,
    icon: iconSchema.default(DEFAULT_SCOPE_ICON),
    ...position,
    webhook: webhookDocSchema.nullable().default(null),
    mail: mailDocSchema.optional(),
    background: backgroundDocSchema.nullable().default(null),
    scopes: z.array(z.lazy(() => scopeDocSchema)).default([]),
    objects: z.array(objectDocSchema).default([]),
  });
  return z.strictObject({
    format: z.literal(FORMAT),
    version: z.literal(VERSION),
    // Informational: where and when the document was made.
    exportedAt: plainLine(z.string().max(100)).optional(),
    exportedFrom: plainLine(z.string().max(253)).optional(),
    hosts: z.array(registeredHostSchema).max(10_000).default([]),
    scopes: z.array(scopeDocSchema).default([]),
  });
}

/** The console's definitions as a document; siblings in the order they were made. */
export async function exportDefinitions(store: Store, consoleHost: string): Promise<DefinitionsDocument> {
  const [hosts, scopes, objects, backgrounds] = await store.$transaction([
    store.monitoredHost.findMany({ orderBy: { name: 'asc' }, select: { name: true, address: true, feedPort: true, token: true, tlsCa: true, tlsFingerprint: true } }),
    store.scope.findMany({ orderBy: { id: 'asc' } }),
    store.monitoringObject.findMany({ orderBy: { id: 'asc' } }),
    store.scopeBackground.findMany({ select: { scopeId: true, mime: true, data: true } }),
  ]);
  const imageOf = new Map(backgrounds.map((b) => [b.scopeId, { mime: b.mime, base64: Buffer.from(b.data).toString('base64') }]));
  const objectsOf = new Map<number, ObjectDoc[]>();
  for (const o of objects) {
    // One stored before the schema changed and that no longer reads is left out: the import would refuse it.
    const { expectation } = readExpectation(o.expectation);
    const doc: ObjectDoc = { name: o.name, comment: o.comment, icon: o.icon as ObjectDoc['icon'], host: o.host, unit: o.unit, x: o.mapX, y: o.mapY, ...(expectation ? { expectation } : {}) };
    objectsOf.set(o.scopeId, [...(objectsOf.get(o.scopeId) ?? []), doc]);
  }
  const childrenOf = (parentId: number | null): ScopeDoc[] =>
    scopes
      .filter((s) => s.parentId === parentId)
      .map((s) => ({
        name: s.name,
        comment: s.comment,
        icon: s.icon as ScopeDoc['icon'],
        x: s.mapX,
        y: s.mapY,
        webhook: s.webhookUrl === null ? null : { url: s.webhookUrl, filter: s.webhookFilter },
        ...(s.mailTo ? { mail: { to: mailToList(s.mailTo), filter: s.webhookFilter } } : {}),
        background: imageOf.get(s.id) ?? null,
        scopes: childrenOf(s.id),
        objects: objectsOf.get(s.id) ?? [],
      }));
  const hostDocs: HostDoc[] = hosts.map(({ tlsCa, tlsFingerprint, ...h }) => ({ ...h, ...(tlsCa ? { tlsCa } : {}), ...(tlsFingerprint ? { tlsFingerprint } : {}) }));
  return { format: FORMAT, version: VERSION, exportedAt: new Date().toISOString(), exportedFrom: consoleHost, hosts: hostDocs, scopes: childrenOf(null) };
}

/** A JSON path for people: $.scopes[0].objects[2].host */
function jsonPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : `${text}.${String(key)}`), '$');
}

function refuse(problems: Record<string, Words>): never {
  const entries = Object.entries(problems);
  const [path, first] = entries[0];
  const n = entries.length;
  throw new InputError(
    words(`the definitions document has ${n} problem${n === 1 ? '' : 's'}; first, ${path}: ${first.en}`, `定義の文書に ${n} 件の問題があります。最初は ${path}: ${first.ja}`),
    problems,
  );
}

/**
 * Checks a whole document; returns it, or throws an InputError whose fields map
 * the JSON path of every problem found to what is wrong there.
 */
export async function checkDocument(store: Store, input: unknown, targets: WebhookTargets = DEFAULT_TARGETS): Promise<DefinitionsDocument> {
  // Something else entirely gets one clear answer, not a list of everything it lacks.
  const head = (typeof input === 'object' && input !== null ? input : {}) as { format?: unknown; version?: unknown };
  if (head.format !== FORMAT) {
    refuse({ '$.format': words(`not a Jobscope definitions document: format must be "${FORMAT}"`, `Jobscope の定義の文書ではありません。format は "${FORMAT}" です`) });
  }
  if (head.version !== VERSION) {
    const given = JSON.stringify(head.version);
    refuse({ '$.version': words(`version ${given} is not supported: this console reads version ${VERSION}`, `バージョン ${given} には対応していません。このコンソールが読めるのはバージョン ${VERSION} です`) });
  }

  // Depth and size first, on the raw tree: the schema below then never recurses further than a
  // console may nest, nor checks more than a console holds (a check of the whole keeps the
  // manager busy: a document beyond a console's size must not stall it).
  const problems: Record<string, Words> = {};
  findTooDeep((input as { scopes?: unknown }).scopes, '$.scopes', 1, problems);
  if (Object.keys(problems).length > 0) refuse(problems);
  const size = countTree((input as { scopes?: unknown }).scopes);
  if (size.scopes > MAX_IMPORT_SCOPES) problems['$.scopes'] = words(`a console holds at most ${MAX_IMPORT_SCOPES} business scopes; the document has ${size.scopes}`, `コンソールの業務スコープは ${MAX_IMPORT_SCOPES} 個までです。文書には ${size.scopes} 個あります`);
  if (size.objects > MAX_IMPORT_OBJECTS) problems['$.scopes'] ??= words(`a console holds at most ${MAX_IMPORT_OBJECTS} monitoring objects; the document has ${size.objects}`, `コンソールの監視オブジェクトは ${MAX_IMPORT_OBJECTS} 個までです。文書には ${size.objects} 個あります`);
  if (Object.keys(problems).length > 0) refuse(problems);

  const listed = Array.isArray((input as { hosts?: unknown }).hosts) ? ((input as { hosts: unknown[] }).hosts as { name?: unknown }[]) : [];
  const registered = (await store.monitoredHost.findMany({ select: { name: true } })).map((h) => h.name);
  const knownHosts = new Set([...registered, ...listed.map((h) => h?.name).filter((name): name is string => typeof name === 'string')]);

  // Where the webhooks post, resolved before the schema runs (it cannot wait), reported with its findings.
  const targetProblems = await webhookTargetProblems(targets, (input as { scopes?: unknown }).scopes, '$.scopes');
  const parsed = check(documentSchema(knownHosts), input);
  if (!parsed.ok) {
    for (const issue of parsed.issues) problems[jsonPath(issue.path)] ??= issue.text;
    for (const [path, problem] of Object.entries(targetProblems)) problems[path] ??= problem;
    refuse(problems);
  }
  const doc = parsed.data;

  // The rules across fields, once every field is right.
  const seen = new Set<string>();
  doc.hosts.forEach((h, i) => {
    if (seen.has(h.name)) problems[`$.hosts[${i}].name`] = words(`host ${h.name} is listed twice`, `ホスト ${h.name} が二度あります`);
    seen.add(h.name);
  });
  const walk = (scopes: ScopeDoc[], path: string) =>
    scopes.forEach((scope, i) => {
      const here = `${path}[${i}]`;
      if (unpaired(scope)) problems[`${here}.x`] = UNPAIRED;
      if (scope.webhook && scope.mail && scope.webhook.filter !== scope.mail.filter) {
        problems[`${here}.mail.filter`] = words('a scope has one filter for its webhook and its mail: give both the same', 'スコープの条件は Webhook とメールで一つです。両方に同じ条件を指定してください');
      }
      scope.objects.forEach((o, j) => {
        if (unpaired(o)) problems[`${here}.objects[${j}].x`] = UNPAIRED;
      });
      walk(scope.scopes, `${here}.scopes`);
    });
  walk(doc.scopes, '$.scopes');
  Object.assign(problems, targetProblems);
  if (Object.keys(problems).length > 0) refuse(problems);
  return doc;
}

/**
 * The webhooks of a raw scope tree (already known not to nest too deep) this
 * console may not post to, checked as a webhook set by hand is: by JSON path,
 * each URL checked once, all at once. URLs the schema refuses are left to it.
 */
async function webhookTargetProblems(targets: WebhookTargets, scopes: unknown, path: string): Promise<Record<string, Words>> {
  const found: { path: string; url: string }[] = [];
  const walk = (list: unknown, at: string) => {
    if (!Array.isArray(list)) return;
    list.forEach((scope: unknown, i) => {
      if (typeof scope !== 'object' || scope === null) return;
      const { webhook, scopes: below } = scope as { webhook?: { url?: unknown }; scopes?: unknown };
      const url = webhookUrlSchema.safeParse(webhook?.url);
      if (url.success) found.push({ path: `${at}[${i}].webhook.url`, url: url.data });
      walk(below, `${at}[${i}].scopes`);
    });
  };
  walk(scopes, path);
  const verdicts = new Map<string, Promise<Words | null>>();
  for (const { url } of found) if (!verdicts.has(url)) verdicts.set(url, webhookTargetProblem(targets, url));
  const problems: Record<string, Words> = {};
  for (const { path: at, url } of found) {
    const problem = await verdicts.get(url)!;
    if (problem) problems[at] = problem;
  }
  return problems;
}

/** Notes every scope nested deeper than a console allows; looks no further down than that. */
/** Scopes and objects of a raw document tree, counted before anything else reads it. */
function countTree(scopes: unknown, count = { scopes: 0, objects: 0 }): { scopes: number; objects: number } {
  if (!Array.isArray(scopes)) return count;
  for (const scope of scopes) {
    count.scopes++;
    if (typeof scope !== 'object' || scope === null) continue;
    const { objects, scopes: children } = scope as { objects?: unknown; scopes?: unknown };
    if (Array.isArray(objects)) count.objects += objects.length;
    countTree(children, count);
  }
  return count;
}

function findTooDeep(scopes: unknown, path: string, level: number, problems: Record<string, Words>): void {
  if (!Array.isArray(scopes)) return;
  scopes.forEach((scope: unknown, i) => {
    const here = `${path}[${i}]`;
    if (level > MAX_SCOPE_DEPTH) problems[here] = words(`scopes nest at most ${MAX_SCOPE_DEPTH} deep`, `スコープの入れ子は ${MAX_SCOPE_DEPTH} 階層までです`);
    else if (typeof scope === 'object' && scope !== null) findTooDeep((scope as { scopes?: unknown }).scopes, `${here}.scopes`, level + 1, problems);
  });
}

/**
 * Objects written per statement. Prisma plans each query in a WebAssembly module whose memory
 * grows to the largest query it was given (about 8 KiB a row) and never shrinks: one statement
 * of a scope's 2,000 objects would keep 16 MiB in the manager for the rest of its life.
 */
const CREATE_MANY_ROWS = 200;

export interface ImportCounts {
  scopes: number;
  objects: number;
  backgrounds: number;
  hosts: { added: number; updated: number };
}

/**
 * Checks a document whole, then in one transaction replaces every scope and object
 * with its own and adds or updates its hosts (hosts it does not list are kept),
 * recording `user` in the audit log. Nothing changes when anything is wrong.
 */
/** Each scope's path of names from the top, as one key; a scope in a cycle of parents has none. */
function scopePaths(scopes: readonly { id: number; name: string; parentId: number | null }[]): Map<number, string> {
  const byId = new Map(scopes.map((s) => [s.id, s]));
  const paths = new Map<number, string>();
  for (const scope of scopes) {
    const names: string[] = [];
    const seen = new Set<number>();
    let at: (typeof scopes)[number] | undefined = scope;
    while (at && !seen.has(at.id)) {
      seen.add(at.id);
      names.unshift(at.name);
      at = at.parentId === null ? undefined : byId.get(at.parentId);
    }
    if (!at) paths.set(scope.id, names.join('\u0000'));
  }
  return paths;
}

export async function importDefinitions(store: Store, input: unknown, user: string, targets: WebhookTargets = DEFAULT_TARGETS): Promise<ImportCounts> {
  const doc = await checkDocument(store, input, targets);
  return store.$transaction(
    async (tx) => {
      const counts: ImportCounts = { scopes: 0, objects: 0, backgrounds: 0, hosts: { added: 0, updated: 0 } };
      for (const { name, tlsCa, tlsFingerprint, ...rest } of doc.hosts) {
        // The document says how its hosts' feeds are checked: absent is plain http.
        const host = { ...rest, tlsCa: tlsCa ?? null, tlsFingerprint: tlsFingerprint ?? null };
        if (await tx.monitoredHost.findUnique({ where: { name }, select: { name: true } })) {
          await tx.monitoredHost.update({ where: { name }, data: host });
          counts.hosts.updated++;
        } else {
          await tx.monitoredHost.create({ data: { name, ...host, feed: { create: {} } } });
          counts.hosts.added++;
        }
      }
      // Wall displays keep showing their scope through an import that recreates every scope:
      // each follows the scope of the same path (names from the top), if the document has it.
      const pathOf = scopePaths(await tx.scope.findMany({ select: { id: true, name: true, parentId: true } }));
      const displays = await tx.display.findMany({ where: { scopeId: { not: null } }, select: { id: true, scopeId: true } });
      const newIdOf = new Map<string, number>();
      // Objects first: their hosts restrict deletes, and scopes cascade to theirs anyway.
      await tx.monitoringObject.deleteMany({});
      await tx.scope.deleteMany({});
      const create = async (scopes: ScopeDoc[], parentId: number | null, parentPath: string[] = []): Promise<void> => {
        for (const s of scopes) {
          const { id } = await tx.scope.create({
            data: {
              name: s.name,
              comment: s.comment,
              icon: s.icon,
              mapX: s.x,
              mapY: s.y,
              parentId,
              webhookUrl: s.webhook?.url ?? null,
              webhookFilter: s.webhook?.filter ?? s.mail?.filter ?? 'abnormal',
              mailTo: storedMailTo(s.mail?.to ?? null),
            },
            select: { id: true },
          });
          counts.scopes++;
          const path = [...parentPath, s.name];
          if (!newIdOf.has(path.join('\u0000'))) newIdOf.set(path.join('\u0000'), id);
          if (s.background) {
            await tx.scopeBackground.create({ data: { scopeId: id, mime: s.background.mime, data: new Uint8Array(Buffer.from(s.background.base64, 'base64')) } });
            counts.backgrounds++;
          }
          for (let i = 0; i < s.objects.length; i += CREATE_MANY_ROWS) {
            await tx.monitoringObject.createMany({
              data: s.objects
                .slice(i, i + CREATE_MANY_ROWS)
                .map((o) => ({
                  name: o.name,
                  comment: o.comment,
                  icon: o.icon,
                  scopeId: id,
                  host: o.host,
                  unit: canonicalUnit(o.unit),
                  mapX: o.x,
                  mapY: o.y,
                  expectation: o.expectation ? JSON.stringify(o.expectation) : null,
                  // Runs expected before the import raise no flags here.
                  expectationSince: o.expectation ? new Date() : null,
                })),
            });
          }
          counts.objects += s.objects.length;
          await create(s.scopes, id, path);
        }
      };
      await create(doc.scopes, null);
      for (const d of displays) {
        const moved = newIdOf.get(pathOf.get(d.scopeId!) ?? '');
        if (moved !== undefined) await tx.display.update({ where: { id: d.id }, data: { scopeId: moved } });
      }
      const { hosts, ...rest } = counts;
      await recordAudit(tx, { user, action: 'definitions.import', target: doc.exportedFrom ?? '', detail: { ...rest, hostsAdded: hosts.added, hostsUpdated: hosts.updated } });
      return counts;
    },
    // A large document on a busy store takes a while; the default (5 s) is for small changes.
    { maxWait: 10_000, timeout: 120_000 },
  );
}
