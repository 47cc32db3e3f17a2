// The audit log: who changed definitions, acknowledged runs, changed users,
// sessions or wall displays, and who logged in, for admins. Written in the same transaction as
// the change where there is one, so an entry exists exactly when the change does.
import { z } from 'zod';
import type { Store, Tx } from '../store/db';
import { parseInput, says } from '../input';

export const AUDIT_ACTIONS = [
  'login',
  'login.refused',
  /** An account came under attack (server/auth/throttle.ts): once per attack. */
  'login.attack',
  /** The attack ended: no failed sign-in for it in 15 minutes. */
  'login.attack.end',
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
  /** A wall display enrolled by its pairing code (server/displays/displays.ts). */
  'display.enrol',
  /** A pairing code no screen was waiting with: reason unknown-code, expired-code or used-code. */
  'display.enrol.refused',
  /** The enrolled screen took its credential. */
  'display.credential',
  'display.update',
  'display.revoke',
  /** An object's expectation set whole, or removed (server/definitions/expectations.ts). */
  'expectation.set',
  'expectation.remove',
  /** One day's override of an object's expectation added or replaced, or removed. */
  'expectation.override',
  'expectation.override.remove',
  /** A flag raised on an object (start delay, end delay, missed, overrun) acknowledged (server/expectations/acknowledge-flag.ts). */
  'flag.ack',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_PAGE_MAX = 200;
/** Who the log names for a change made with the command line on the console host. */
export const COMMAND_LINE_USER = '(command line)';
const MAX_USER = 64;
const MAX_TARGET = 200;
const MAX_TEXT = 500;
const MAX_LIST = 100;

/**
 * What an entry's detail may name: a closed list, so that the View has a label for
 * each in every language. Values are data (names, ids, addresses), never sentences.
 */
export const AUDIT_DETAIL_KEYS = [
  'from',
  'reason',
  'role',
  'disabled',
  'sessionsEnded',
  'session',
  'id',
  'parentId',
  'scopeId',
  'name',
  'comment',
  'icon',
  'host',
  'unit',
  'address',
  'feedPort',
  /** How a monitored host's feed is checked: http, ca or pin. */
  'feedTls',
  'positions',
  'background',
  'bytes',
  'webhookUrl',
  'webhookFilter',
  /** A scope's mail recipients: addresses, listed (unlike a webhook URL, they carry no secret). */
  'mailTo',
  'scopes',
  'objects',
  'backgrounds',
  'hostsAdded',
  'hostsUpdated',
  /** Of an attack on an account: failed sign-ins, distinct addresses, and since when (ISO time). */
  'failures',
  'addresses',
  'since',
  /** A wall display's settings (server/domain/display-settings.ts), and its browser. */
  'rotate',
  'rotateSeconds',
  'pageSeconds',
  'density',
  'classes',
  'timeZone',
  'language',
  'userAgent',
  /**
   * An expectation (server/domain/expectations): its schedule (cron, or a list of times),
   * deadlines (a clock time "HH:MM", a number of minutes after the expected start, or null:
   * none that day), whether it learns durations, the dates of its overrides; an override's date and skip.
   */
  'cron',
  'times',
  'whenever',
  'startBy',
  'endBy',
  'endWithinMinutes',
  'missedAfterMinutes',
  'learned',
  'overrides',
  'date',
  'skip',
  /** A flag: its kind and its occurrence's expected start (ISO time). */
  'flag',
  'occurrence',
  /** Fields whose values are secret: only their names are kept. */
  'changed',
  /** Free text, as entries written before details had fields. */
  'note',
] as const;
export type AuditDetailKey = (typeof AUDIT_DETAIL_KEYS)[number];
export type AuditValue = string | number | boolean | null | (string | number)[];
export type AuditDetail = Partial<Record<AuditDetailKey, AuditValue>>;

/** Why a sign-in was refused: the log may say, the answer to the browser never does. */
export const LOGIN_REFUSALS = ['unknown-user', 'wrong-password', 'disabled', 'unknown-role'] as const;
export type LoginRefusal = (typeof LOGIN_REFUSALS)[number];

/**
 * How a refused login names a user name that is no account (server/auth/login.ts
 * unknownName): it may be a password typed into the wrong field, so it is never
 * stored as typed, only as `#` and 8 hex digits of a keyed hash.
 */
export const UNKNOWN_NAME = /^#[0-9a-f]{8}$/;

export interface AuditInput {
  /** Who acted; for a refused login, the name given if it is an account's, else its marker (UNKNOWN_NAME). */
  user: string;
  action: AuditAction;
  /** What was acted on: a user name, a scope's name, host/unit… */
  target?: string;
  /** Fields of the change (secret ones are hidden, see below); undefined values are left out. */
  detail?: { [K in AuditDetailKey]?: AuditValue | undefined };
}

export interface AuditEntryView {
  id: number;
  at: string;
  user: string;
  action: string;
  target: string;
  detail: AuditDetail;
}

// Fields whose value must never reach the log: the entry says only that they changed.
const SECRET_KEY = /password|passwd|token|secret|cookie|url$/i;
// A URL in free text may carry a secret in its path or query (webhooks do).
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/\S+/gi;

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const hideUrls = (text: string) => text.replace(URL_IN_TEXT, '(URL hidden)');
const cleanText = (text: string) => clip(hideUrls(text), MAX_TEXT);

function storedDetail(detail: AuditInput['detail'] = {}): string {
  const kept: AuditDetail = {};
  const changed: string[] = [];
  for (const [key, value] of Object.entries(detail) as [AuditDetailKey, AuditValue | undefined][]) {
    if (value === undefined) continue;
    if (SECRET_KEY.test(key)) changed.push(key);
    else if (typeof value === 'string') kept[key] = cleanText(value);
    else if (Array.isArray(value)) kept[key] = value.slice(0, MAX_LIST).map((v) => (typeof v === 'string' ? cleanText(v) : v));
    else kept[key] = value;
  }
  if (changed.length > 0) kept.changed = changed;
  return Object.keys(kept).length > 0 ? JSON.stringify(kept) : '';
}

/** An entry's detail as stored: fields, or (written by an older console) a sentence. */
function readDetail(stored: string): AuditDetail {
  if (stored === '') return {};
  try {
    const parsed: unknown = JSON.parse(stored);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as AuditDetail;
  } catch {
    // a sentence
  }
  return { note: stored };
}

/** Records one entry; pass the transaction of the change it records, if any. */
export async function recordAudit(db: Store | Tx, entry: AuditInput): Promise<void> {
  if (!(AUDIT_ACTIONS as readonly string[]).includes(entry.action)) throw new Error(`unknown audit action ${entry.action}`);
  await db.auditEntry.create({
    data: {
      user: clip(entry.user, MAX_USER),
      action: entry.action,
      target: clip(hideUrls(entry.target ?? ''), MAX_TARGET),
      detail: storedDetail(entry.detail),
    },
  });
}

// Query strings: an empty parameter (?before=&action=) means "not given".
const blankIsAbsent = (value: unknown) => (value === '' ? undefined : value);
const NOT_AN_ENTRY = says('before must be an entry id', 'before は記録の ID です');
const BAD_LIMIT = says(`limit must be a number from 1 to ${AUDIT_PAGE_MAX}`, `limit は 1 から ${AUDIT_PAGE_MAX} の数です`);
const auditQuerySchema = z
  .object({
    before: z.preprocess(blankIsAbsent, z.coerce.number(NOT_AN_ENTRY).int(NOT_AN_ENTRY).positive(NOT_AN_ENTRY).optional()),
    limit: z.preprocess(blankIsAbsent, z.coerce.number(BAD_LIMIT).int(BAD_LIMIT).min(1, BAD_LIMIT).max(AUDIT_PAGE_MAX, BAD_LIMIT).default(50)),
    action: z.preprocess(
      blankIsAbsent,
      z.enum(AUDIT_ACTIONS, says(`action must be one of ${AUDIT_ACTIONS.join(', ')}`, `action は ${AUDIT_ACTIONS.join('、')} のいずれかです`)).optional(),
    ),
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
    entries: page.map((r) => ({ id: r.id, at: r.at.toISOString(), user: r.user, action: r.action, target: r.target, detail: readDetail(r.detail) })),
    nextBefore: rows.length > q.limit ? page[page.length - 1].id : null,
  };
}
