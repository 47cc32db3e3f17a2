// Pairing a wall display, in the manner of OAuth's device authorisation
// (RFC 8628; docs/architecture.md, "Displays"): the screen asks for a pairing
// and shows its short code; an admin enters the code with a name, a scope and
// settings (server/displays/displays.ts); the screen, polling with its pairing
// secret, then exchanges the pairing, once, for its display credential.
import crypto from 'node:crypto';
import type { Store } from '../store/db';
import { digest, newDisplaySecret, isDisplaySecret, type DisplayPrincipal } from '../auth/display-credentials';
import { readDisplaySettings } from '../domain/display-settings';
import { recordAudit } from '../audit/audit';

/** Consonants only, none that reads as another (no vowels, so no words; no Y): 20 letters. */
export const PAIRING_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
export const PAIRING_CODE_LENGTH = 8;
const PAIRING_CODE = new RegExp(`^[${PAIRING_CODE_ALPHABET}]{${PAIRING_CODE_LENGTH}}$`);
/** How long a code can be entered. */
export const PAIRING_LIFETIME_MS = 10 * 60_000;
/**
 * How long after its code expired a pairing an admin enrolled in time can still be exchanged:
 * the screen polls every few seconds, but may have been busy or offline at that moment.
 */
export const PAIRING_EXCHANGE_GRACE_MS = 5 * 60_000;
/** Screens waiting at once, across all addresses: past this a new pairing is refused until some expire. */
export const MAX_WAITING_PAIRINGS = 1000;
/** Who the audit log names when a screen takes its credential. */
export const DISPLAY_ACTOR = '(display)';

/** 8 letters of the alphabet, each drawn uniformly (randomInt rejects the bias a modulo would bring). */
export function newPairingCode(): string {
  let code = '';
  for (let i = 0; i < PAIRING_CODE_LENGTH; i++) code += PAIRING_CODE_ALPHABET[crypto.randomInt(PAIRING_CODE_ALPHABET.length)];
  return code;
}

/** A code as people type it: any case, with spaces or hyphens between groups. */
export function normalPairingCode(typed: string): string {
  return typed.replace(/[\s-]/g, '').toUpperCase();
}

export const isPairingCode = (code: string) => PAIRING_CODE.test(code);

export class TooManyPairings extends Error {}

/** A new pairing: its code to show, and its secret for the screen's cookie (neither is stored as it is). */
export async function createPairing(store: Store, from: string, now = new Date()): Promise<{ code: string; secret: string; expiresAt: Date }> {
  const expiresAt = new Date(now.getTime() + PAIRING_LIFETIME_MS);
  // Pairings past any use go first: they would otherwise hold their codes and fill the table.
  await store.displayPairing.deleteMany({ where: { expiresAt: { lt: new Date(now.getTime() - PAIRING_EXCHANGE_GRACE_MS) } } });
  const waiting = await store.displayPairing.count({ where: { expiresAt: { gt: now }, displayId: null } });
  if (waiting >= MAX_WAITING_PAIRINGS) throw new TooManyPairings();
  for (let attempt = 0; ; attempt++) {
    const code = newPairingCode();
    const secret = newDisplaySecret();
    try {
      await store.displayPairing.create({ data: { codeHash: digest(code), secretHash: digest(secret), createdAt: now, expiresAt, createdFrom: from.slice(0, 64) } });
      return { code, secret, expiresAt };
    } catch (err) {
      // A code another waiting screen shows already (one in about 25 billion per pair): draw again.
      if ((err as { code?: string }).code !== 'P2002' || attempt >= 4) throw err;
    }
  }
}

export type PairingState = { state: 'waiting' } | { state: 'expired' } | { state: 'enrolled'; credential: string; display: DisplayPrincipal };

/**
 * What became of the pairing a secret names. Once enrolled, the first call exchanges it for
 * the display credential and deletes it, so that it can never be exchanged again.
 */
export async function pollPairing(store: Store, secret: string | undefined, screen: { from: string; userAgent: string }, now = new Date()): Promise<PairingState> {
  if (!isDisplaySecret(secret)) return { state: 'expired' };
  const secretHash = digest(secret);
  const pairing = await store.displayPairing.findUnique({ where: { secretHash }, select: { id: true, displayId: true, expiresAt: true } });
  if (!pairing) return { state: 'expired' };
  if (pairing.displayId === null) return pairing.expiresAt > now ? { state: 'waiting' } : { state: 'expired' };
  if (now.getTime() > pairing.expiresAt.getTime() + PAIRING_EXCHANGE_GRACE_MS) return { state: 'expired' };
  const displayId = pairing.displayId;
  return store.$transaction(async (tx): Promise<PairingState> => {
    // Whoever deletes the pairing exchanges it: two polls at once get one credential.
    if ((await tx.displayPairing.deleteMany({ where: { id: pairing.id, secretHash } })).count !== 1) return { state: 'expired' };
    const credential = newDisplaySecret();
    const taken = await tx.display.updateMany({
      where: { id: displayId, revokedAt: null, credentialHash: null },
      data: { credentialHash: digest(credential), lastSeenAt: now, userAgent: screen.userAgent },
    });
    // Revoked before the screen came for it.
    if (taken.count !== 1) return { state: 'expired' };
    const display = await tx.display.findUniqueOrThrow({ where: { id: displayId }, select: { id: true, name: true, scopeId: true, settings: true } });
    await recordAudit(tx, { user: DISPLAY_ACTOR, action: 'display.credential', target: display.name, detail: { id: display.id, from: screen.from, userAgent: screen.userAgent } });
    return { state: 'enrolled', credential, display: { displayId: display.id, name: display.name, scopeId: display.scopeId, settings: readDisplaySettings(display.settings) } };
  });
}
