// Wall displays, for admins: enrol a waiting screen by its pairing code, list,
// rename, move to another scope, change settings, revoke; and what a display
// reads of itself. Every change is audited in its own transaction, with codes
// and values, never sentences; no answer carries a secret or its hash.
import { z } from 'zod';
import type { Store } from '../store/db';
import { InputError, parseInput, says, words, type Words } from '../input';
import { nameSchema, scopesWithin } from '../definitions/scopes';
import { recordAudit, type AuditInput } from '../audit/audit';
import { displaySettingsChangesSchema, displaySettingsSchema, readDisplaySettings, type DisplaySettings } from '../domain/display-settings';
import type { DisplayPicture, DisplayView } from '../domain/live';
import { digest } from '../auth/display-credentials';
import { isPairingCode, normalPairingCode, PAIRING_LIFETIME_MS } from './pairing';

const scopeIdSchema = z.number(says('choose a business scope', '業務スコープを選んでください')).int(says('scopeId is a scope id', 'scopeId はスコープの ID です')).positive(says('scopeId is a scope id', 'scopeId はスコープの ID です'));
const codeSchema = z
  .string(says('code is required: the 8 letters the screen shows', 'コードは必須です。画面に表示された 8 文字を入力してください'))
  .max(64, says('code is the 8 letters the screen shows', 'コードは画面に表示された 8 文字です'))
  .transform(normalPairingCode)
  .refine(isPairingCode, says('code is the 8 letters the screen shows', 'コードは画面に表示された 8 文字です'));

export const newDisplaySchema = z.strictObject({
  code: codeSchema,
  name: nameSchema,
  scopeId: scopeIdSchema,
  settings: displaySettingsSchema.prefault({}),
});
// Changes: each field optional, settings each on its own, so what is not named stays as it is.
export const displayChangesSchema = z.strictObject({ name: nameSchema, scopeId: scopeIdSchema, settings: displaySettingsChangesSchema }).partial();

/** Why a code was refused: the audit log says, the answer never does. */
export type WrongCodeReason = 'unknown-code' | 'expired-code' | 'used-code';

/** A code no screen is waiting with. */
export class WrongPairingCode extends Error {
  constructor(readonly reason: WrongCodeReason) {
    super(reason);
  }
}

/** The one answer to any wrong code, whatever the reason: nothing to learn from it. */
export const WRONG_CODE: Words = words(
  `No screen is waiting with this code: check it, or have the screen show a new one (a code lasts ${PAIRING_LIFETIME_MS / 60_000} minutes)`,
  `このコードで待っている画面はありません。コードを確かめるか、画面に新しいコードを表示させてください (コードの有効期間は ${PAIRING_LIFETIME_MS / 60_000} 分です)`,
);
export const wrongCodeError = () => new InputError(WRONG_CODE, { code: WRONG_CODE });

const noDisplay = (id: number) => new InputError(words(`no wall display ${id}`, `ウォールディスプレイ ${id} はありません`), {}, 404);
const revoked = (id: number) => new InputError(words(`wall display ${id} is revoked`, `ウォールディスプレイ ${id} は登録が取り消されています`), {}, 409);
const noScope = (id: number) => {
  const field = words(`no business scope ${id}`, `業務スコープ ${id} はありません`);
  return new InputError(field, { scopeId: field });
};

/** The settings as audit detail fields: values, never sentences. */
const settingsDetail = (s: Partial<DisplaySettings>): AuditInput['detail'] => ({ ...s, classes: s.classes ? [...s.classes] : undefined });

/** Enrols the screen waiting with this code; throws WrongPairingCode when none is. */
export async function enrolDisplay(store: Store, input: unknown, by: string, now = new Date()): Promise<{ id: number }> {
  const { code, name, scopeId, settings } = parseInput(newDisplaySchema, input);
  return store.$transaction(async (tx) => {
    if (!(await tx.scope.findUnique({ where: { id: scopeId }, select: { id: true } }))) throw noScope(scopeId);
    const pairing = await tx.displayPairing.findUnique({ where: { codeHash: digest(code) }, select: { id: true, displayId: true, expiresAt: true } });
    if (!pairing) throw new WrongPairingCode('unknown-code');
    if (pairing.displayId !== null) throw new WrongPairingCode('used-code');
    if (pairing.expiresAt <= now) throw new WrongPairingCode('expired-code');
    const display = await tx.display.create({ data: { name, scopeId, settings: JSON.stringify(settings), enrolledBy: by, enrolledAt: now }, select: { id: true } });
    // Two admins entering one code at once: the first to claim the pairing enrols it.
    if ((await tx.displayPairing.updateMany({ where: { id: pairing.id, displayId: null }, data: { displayId: display.id } })).count !== 1) throw new WrongPairingCode('used-code');
    await recordAudit(tx, { user: by, action: 'display.enrol', target: name, detail: { id: display.id, scopeId, ...settingsDetail(settings) } });
    return display;
  });
}

/** A refused code, in the audit log: who, from where, and why (never the code). */
export function recordRefusedEnrolment(store: Store, by: string, from: string, reason: WrongCodeReason): Promise<void> {
  return recordAudit(store, { user: by, action: 'display.enrol.refused', detail: { from, reason } });
}

export interface DisplayEntry {
  id: number;
  name: string;
  scope: { id: number; name: string } | null;
  settings: DisplaySettings;
  enrolledBy: string;
  enrolledAt: string;
  lastSeenAt: string | null;
  /** The screen's browser. */
  userAgent: string;
  revokedAt: string | null;
  /** awaiting-screen: enrolled, but its screen has not yet taken its credential. */
  state: 'awaiting-screen' | 'active' | 'revoked';
  /** Whether its screen has a live connection to this console now, and since when. */
  connected: boolean;
  connectedSince: string | null;
}

/** The hub's view of a display's live connections: since when the oldest is open, if any is. */
export type ConnectedSince = (displayId: number) => Date | undefined;

const entryFields = {
  id: true, name: true, settings: true, enrolledBy: true, enrolledAt: true, lastSeenAt: true, userAgent: true, revokedAt: true, credentialHash: true,
  scope: { select: { id: true, name: true } },
} as const;
type EntryRow = { id: number; name: string; settings: string; enrolledBy: string; enrolledAt: Date; lastSeenAt: Date | null; userAgent: string; revokedAt: Date | null; credentialHash: string | null; scope: { id: number; name: string } | null };

function entryOf(row: EntryRow, connectedSince: ConnectedSince): DisplayEntry {
  const since = row.revokedAt ? undefined : connectedSince(row.id);
  return {
    id: row.id,
    name: row.name,
    scope: row.scope,
    settings: readDisplaySettings(row.settings),
    enrolledBy: row.enrolledBy,
    enrolledAt: row.enrolledAt.toISOString(),
    lastSeenAt: row.lastSeenAt?.toISOString() ?? null,
    userAgent: row.userAgent,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    state: row.revokedAt ? 'revoked' : row.credentialHash ? 'active' : 'awaiting-screen',
    connected: since !== undefined,
    connectedSince: since?.toISOString() ?? null,
  };
}

/** Every display, revoked ones too (who had a screen, and when it ended), oldest first. */
export async function listDisplays(store: Store, connectedSince: ConnectedSince): Promise<DisplayEntry[]> {
  const rows = await store.display.findMany({ orderBy: { id: 'asc' }, select: entryFields });
  return rows.map((row) => entryOf(row, connectedSince));
}

export async function getDisplayEntry(store: Store, id: number, connectedSince: ConnectedSince): Promise<DisplayEntry> {
  const row = await store.display.findUnique({ where: { id }, select: entryFields });
  if (!row) throw noDisplay(id);
  return entryOf(row, connectedSince);
}

/** Renames, moves or changes the settings of a display; says whether its scope moved. */
export async function updateDisplay(store: Store, id: number, input: unknown, by: string): Promise<{ scopeMoved: boolean }> {
  const changes = parseInput(displayChangesSchema, input);
  return store.$transaction(async (tx) => {
    const display = await tx.display.findUnique({ where: { id }, select: { name: true, scopeId: true, settings: true, revokedAt: true } });
    if (!display) throw noDisplay(id);
    if (display.revokedAt) throw revoked(id);
    if (changes.scopeId !== undefined && !(await tx.scope.findUnique({ where: { id: changes.scopeId }, select: { id: true } }))) throw noScope(changes.scopeId);
    const settings = changes.settings ? displaySettingsSchema.parse({ ...readDisplaySettings(display.settings), ...changes.settings }) : undefined;
    const updated = await tx.display.update({
      where: { id },
      data: { name: changes.name, scopeId: changes.scopeId, settings: settings ? JSON.stringify(settings) : undefined },
      select: { name: true },
    });
    await recordAudit(tx, { user: by, action: 'display.update', target: updated.name, detail: { id, name: changes.name, scopeId: changes.scopeId, ...settingsDetail(changes.settings ?? {}) } });
    return { scopeMoved: changes.scopeId !== undefined && changes.scopeId !== display.scopeId };
  });
}

/** Revokes a display: its credential is refused from now on, and a pairing not yet exchanged never will be. */
export async function revokeDisplay(store: Store, id: number, by: string, now = new Date()): Promise<void> {
  await store.$transaction(async (tx) => {
    const display = await tx.display.findUnique({ where: { id }, select: { name: true, revokedAt: true } });
    if (!display) throw noDisplay(id);
    if (display.revokedAt) throw revoked(id);
    // The hash goes too: nothing in the store matches the old cookie any more.
    await tx.display.update({ where: { id }, data: { revokedAt: now, credentialHash: null } });
    await tx.displayPairing.deleteMany({ where: { displayId: id } });
    await recordAudit(tx, { user: by, action: 'display.revoke', target: display.name, detail: { id } });
  });
}

/** A display as its screen knows itself. */
export async function displayView(store: Store, id: number, consoleHost: string): Promise<DisplayView> {
  const row = await store.display.findUniqueOrThrow({ where: { id }, select: { id: true, name: true, settings: true, scope: { select: { id: true, name: true } } } });
  return { id: row.id, name: row.name, consoleHost, scope: row.scope, settings: readDisplaySettings(row.settings) };
}

/** What a display's screen shows: itself, and the definitions of its scope and the scopes below it (nothing else). */
export async function displayPicture(store: Store, id: number, consoleHost: string): Promise<Omit<DisplayPicture, 'build'>> {
  const display = await displayView(store, id, consoleHost);
  if (!display.scope) return { display, scopes: [], objects: [] };
  const all = await store.scope.findMany({ orderBy: { id: 'asc' }, select: { id: true, name: true, parentId: true, icon: true } });
  const below = scopesWithin(all, display.scope.id);
  const objects = await store.monitoringObject.findMany({
    where: { scopeId: { in: [...below] } },
    orderBy: { id: 'asc' },
    select: { id: true, name: true, scopeId: true, host: true, unit: true, icon: true },
  });
  return { display, scopes: all.filter((s) => below.has(s.id)), objects };
}

/** The screen's browser as it says, kept printable and short: admins read it on the Displays page. */
export function userAgentOf(header: string | undefined): string {
  return (header ?? '').replace(/[^\x20-\x7e]/g, '').slice(0, 300);
}

/** Keeps the screen's browser as it now says (after an upgrade); writes only when it changed. */
export async function noteUserAgent(store: Store, id: number, userAgent: string): Promise<void> {
  await store.display.updateMany({ where: { id, revokedAt: null, NOT: { userAgent } }, data: { userAgent } });
}
