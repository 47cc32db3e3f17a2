// The cookies of wall displays (docs/architecture.md, "Displays"). A screen
// waiting to be enrolled holds a pairing secret; once an admin enrolled it, it
// exchanges that secret, once, for its display credential: 32 random bytes in a
// long-lived HttpOnly cookie, of which the store keeps only the SHA-256, so that
// it survives failovers and restarts and is revoked by one write. Neither
// secret ever travels in a URL, an answer's body, a log line or the audit log.
import crypto from 'node:crypto';
import type { Store } from '../store/db';
import { readDisplaySettings, type DisplaySettings } from '../domain/display-settings';

export const DISPLAY_COOKIE = 'jobscope_display';
export const PAIRING_COOKIE = 'jobscope_pairing';
/** The pairing cookie goes to the pairing route only. */
export const PAIRING_COOKIE_PATH = '/api/v1/display/pairing';
/**
 * The credential does not expire under the screen; its cookie lasts as long as browsers
 * keep one (Chromium caps Max-Age at 400 days) and is set again whenever the screen asks
 * who it is (GET /api/v1/display).
 */
export const DISPLAY_COOKIE_MAX_AGE_S = 400 * 24 * 3600;
/** Touching lastSeenAt on every request and socket would write on every read: once a minute is enough. */
export const DISPLAY_TOUCH_EVERY_MS = 60_000;
const SECRET = /^[A-Za-z0-9_-]{43}$/;

export const digest = (secret: string) => crypto.createHash('sha256').update(secret).digest('hex');
/** 32 random bytes, base64url: a pairing secret or a display credential. */
export const newDisplaySecret = () => crypto.randomBytes(32).toString('base64url');
export const isDisplaySecret = (value: string | undefined): value is string => value !== undefined && SECRET.test(value);

/** An enrolled, unrevoked display, as the one authorisation function finds it. */
export interface DisplayPrincipal {
  displayId: number;
  name: string;
  /** Its business scope; null once that scope was deleted. */
  scopeId: number | null;
  settings: DisplaySettings;
}

/** The display a credential names, if it is enrolled and not revoked; touches its lastSeenAt at most once a minute. */
export async function findDisplay(store: Store, credential: string | undefined, now = new Date()): Promise<DisplayPrincipal | null> {
  if (!isDisplaySecret(credential)) return null;
  const display = await store.display.findUnique({
    where: { credentialHash: digest(credential) },
    select: { id: true, name: true, scopeId: true, settings: true, revokedAt: true, lastSeenAt: true },
  });
  if (!display || display.revokedAt !== null) return null;
  if (!display.lastSeenAt || now.getTime() - display.lastSeenAt.getTime() >= DISPLAY_TOUCH_EVERY_MS) {
    await store.display.updateMany({ where: { id: display.id, revokedAt: null }, data: { lastSeenAt: now } });
  }
  return { displayId: display.id, name: display.name, scopeId: display.scopeId, settings: readDisplaySettings(display.settings) };
}

const secureFlag = (secure: boolean) => (secure ? '; Secure' : '');

/** The display credential: HttpOnly, SameSite=Strict, for the whole console (its page, its API route, socket.io); Secure on a secure request. */
export function displayCookie(credential: string, secure: boolean): string {
  return `${DISPLAY_COOKIE}=${credential}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${DISPLAY_COOKIE_MAX_AGE_S}${secureFlag(secure)}`;
}

export function clearedDisplayCookie(): string {
  return `${DISPLAY_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
}

/** The pairing secret: HttpOnly, SameSite=Strict, sent to the pairing route only, for as long as it can still be exchanged. */
export function pairingCookie(secret: string, maxAgeMs: number, secure: boolean): string {
  return `${PAIRING_COOKIE}=${secret}; Path=${PAIRING_COOKIE_PATH}; HttpOnly; SameSite=Strict; Max-Age=${Math.ceil(maxAgeMs / 1000)}${secureFlag(secure)}`;
}

export function clearedPairingCookie(): string {
  return `${PAIRING_COOKIE}=; Path=${PAIRING_COOKIE_PATH}; HttpOnly; SameSite=Strict; Max-Age=0`;
}
