// The audit log: who changed definitions, acknowledged runs, changed users or
// sessions, and who logged in, for admins. Written in the same transaction as
// the change where there is one, so an entry exists exactly when the change does.
import { z } from 'zod';
import type { Store, Tx } from '../store/db';
import { parseInput } from '../input';

export const AUDIT_ACTIONS = [
  'login',
  'login.refused',
  'logout',
  'user.create',
  'user.update',
  'user.password',
  'session.end',
  'scope.create',
  'scope.update',
  'scope.delete',
  'object.create',
  'object.update',
  'object.delete',
  'host.create',
  'host.delete',
  'definitions.import',
  'definitions.export',
  'ack',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_PAGE_MAX = 200;
const MAX_USER = 64;
const MAX_TARGET = 200;
const MAX_DETAIL = 1000;

export interface AuditInput {
  /** Who acted; for a refused login, the name given. */
  user: string;
  action: AuditAction;
  /** What was acted on: a user name, a scope's name, host/unit… */
  target?: string;
  /** A sentence, or fields (secret ones are hidden, see below). */
  detail?: string | Record<string, unknown>;
}

export interface AuditEntryView {
  id: number;
  at: string;
  user: string;
  action: string;
  target: string;
  detail: string;
}

// Fields whose value must never reach the log: the entry says only that they changed.
const SECRET_KEY = /password|passwd|token|secret|cookie|url$/i;
// A URL in free text may carry a secret in its path or query (webhooks do).
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/\S+/gi;

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const hideUrls = (text: string) => text.replace(URL_IN_TEXT, '(URL hidden)');

function detailText(detail: AuditInput['detail']): string {
  if (detail === undefined) return '';
  if (typeof detail === 'string') return hideUrls(detail);
  const parts = Object.entries(detail)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => {
      if (SECRET_KEY.test(key)) return `${key} changed`;
      return `${key}: ${hideUrls(typeof value === 'string' ? value : JSON.stringify(value))}`;
    });
  return parts.join('; ');
}

/** Records one entry; pass the transaction of the change it records, if any. */
export async function recordAudit(db: Store | Tx, entry: AuditInput): Promise<void> {
  if (!(AUDIT_ACTIONS as readonly string[]).includes(entry.action)) throw new Error(`unknown audit action ${entry.action}`);
  await db.auditEntry.create({
    data: {
      user: clip(entry.user, MAX_USER),
      action: entry.action,
      target: clip(hideUrls(entry.target ?? ''), MAX_TARGET),
      detail: clip(detailText(entry.detail), MAX_DETAIL),
    },
  });
}

// Query strings: an empty parameter (?before=&action=) means "not given".
const blankIsAbsent = (value: unknown) => (value === '' ? undefined : value);
const auditQuerySchema = z
  .object({
    before: z.preprocess(blankIsAbsent, z.coerce.number({ error: 'before must be an entry id' }).int('before must be an entry id').positive('before must be an entry id').optional()),
    limit: z.preprocess(
      blankIsAbsent,
      z.coerce
        .number({ error: `limit must be a number from 1 to ${AUDIT_PAGE_MAX}` })
        .int(`limit must be a number from 1 to ${AUDIT_PAGE_MAX}`)
        .min(1, `limit must be a number from 1 to ${AUDIT_PAGE_MAX}`)
        .max(AUDIT_PAGE_MAX, `limit must be a number from 1 to ${AUDIT_PAGE_MAX}`)
        .default(50),
    ),
    action: z.preprocess(blankIsAbsent, z.enum(AUDIT_ACTIONS, { error: `action must be one of ${AUDIT_ACTIONS.join(', ')}` }).optional()),
  })
  .strict();

/**
 * A page of entries, newest first: those older than `before` (an entry id).
 * nextBefore is the id to ask for the next page with, or null on the last page.
 */
export async function listAudit(store: Store, query: unknown): Promise<{ entries: AuditEntryView[]; nextBefore: number | null }> {
  const q = parseInput(auditQuerySchema, query ?? {});
  // Ids only grow, so paging by id is stable while new entries arrive (offsets are not).
  const rows = await store.auditEntry.findMany({
    where: { ...(q.before !== undefined ? { id: { lt: q.before } } : {}), ...(q.action ? { action: q.action } : {}) },
    orderBy: { id: 'desc' },
    take: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  return {
    entries: page.map((r) => ({ id: r.id, at: r.at.toISOString(), user: r.user, action: r.action, target: r.target, detail: r.detail })),
    nextBefore: rows.length > q.limit ? page[page.length - 1].id : null,
  };
}
