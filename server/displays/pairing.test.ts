// The parts of pairing and of the display credential that need no daemon: codes
// drawn evenly from the alphabet, codes as people type them, the settings'
// schema, and a credential's lastSeenAt written at most once a minute.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPairingCode, newPairingCode, normalPairingCode, PAIRING_CODE_ALPHABET, PAIRING_LIFETIME_MS, PAIRING_EXCHANGE_GRACE_MS, pollPairing, createPairing } from './pairing';
import { enrolDisplay, revokeDisplay } from './displays';
import { findDisplay } from '../auth/display-credentials';
import { DEFAULT_DISPLAY_SETTINGS, displaySettingsSchema, readDisplaySettings } from '../domain/display-settings';
import { check } from '../input';
import { openTestStore } from '../testing/stores';
import type { Store } from '../store/db';

describe('pairing codes', () => {
  it('are 8 letters of the alphabet, each letter about as often as any other', () => {
    const counts = new Map<string, number>();
    const codes = 20_000;
    for (let i = 0; i < codes; i++) {
      const code = newPairingCode();
      expect(code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{8}$/);
      for (const letter of code) counts.set(letter, (counts.get(letter) ?? 0) + 1);
    }
    expect([...counts.keys()].sort().join('')).toBe(PAIRING_CODE_ALPHABET);
    // 8,000 draws per letter expected; a modulo bias or a missing letter would be far outside ±5 %.
    for (const n of counts.values()) expect(Math.abs(n - (codes * 8) / 20) / ((codes * 8) / 20)).toBeLessThan(0.05);
  });

  it('are read as people type them, and nothing else is one', () => {
    expect(normalPairingCode(' bcdf-ghjk ')).toBe('BCDFGHJK');
    expect(normalPairingCode('bcdf ghjk')).toBe('BCDFGHJK');
    expect(isPairingCode('BCDFGHJK')).toBe(true);
    for (const other of ['BCDFGHJ', 'BCDFGHJKL', 'ABCDFGHJ', 'BCDFGHJ1', 'bcdfghjk', 'BCDFGHJY']) expect(isPairingCode(other)).toBe(false);
  });
});

describe('display settings', () => {
  it('take defaults for what is not given, and keep summary classes once, in the table order', () => {
    expect(displaySettingsSchema.parse({})).toEqual(DEFAULT_DISPLAY_SETTINGS);
    expect(displaySettingsSchema.parse({ classes: ['normal', 'abnormal', 'normal'] }).classes).toEqual(['abnormal', 'normal']);
    expect(displaySettingsSchema.parse({ timeZone: 'Asia/Tokyo' }).timeZone).toBe('Asia/Tokyo');
  });

  it('refuse what the screen could not show, in both languages', () => {
    const result = check(displaySettingsSchema, { timeZone: 'Asia/Atlantis', rotateSeconds: 4, language: 'de', density: 2 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const fields = Object.fromEntries(result.issues.map((i) => [i.path.join('.'), i.text]));
    expect(Object.keys(fields).sort()).toEqual(['density', 'language', 'rotateSeconds', 'timeZone']);
    expect(fields.timeZone).toEqual({
      en: 'timeZone is not a time zone this console knows (an IANA name such as Asia/Tokyo)',
      ja: 'timeZone はこのコンソールが知らないタイムゾーンです (Asia/Tokyo のような IANA の名前)',
    });
  });

  it('read back as the defaults when stored text is damaged', () => {
    expect(readDisplaySettings('not json')).toEqual(DEFAULT_DISPLAY_SETTINGS);
    expect(readDisplaySettings('{"pageSeconds":20}')).toEqual({ ...DEFAULT_DISPLAY_SETTINGS, pageSeconds: 20 });
  });
});

describe('pairing and the credential in the store', () => {
  let store: Store;
  let close: () => Promise<void>;
  let scopeId: number;
  const screen = { from: '192.0.2.7', userAgent: 'TestScreen/1' };

  beforeAll(async () => {
    ({ store, close } = await openTestStore('sqlite'));
    scopeId = (await store.scope.create({ data: { name: 'Wall' } })).id;
  });

  afterAll(async () => {
    await close?.();
  });

  async function enrolled(now: Date) {
    const pairing = await createPairing(store, screen.from, now);
    await enrolDisplay(store, { code: pairing.code, name: 'Wall', scopeId }, 'admin', now);
    return pairing;
  }

  it('touches lastSeenAt at most once a minute', async () => {
    const t0 = new Date('2026-12-01T00:00:00Z');
    const pairing = await enrolled(t0);
    const exchanged = await pollPairing(store, pairing.secret, screen, t0);
    if (exchanged.state !== 'enrolled') throw new Error(exchanged.state);
    const seen = async () => (await store.display.findUniqueOrThrow({ where: { id: exchanged.display.displayId } })).lastSeenAt?.toISOString();
    expect(await seen()).toBe(t0.toISOString());
    await findDisplay(store, exchanged.credential, new Date(t0.getTime() + 59_000));
    expect(await seen()).toBe(t0.toISOString());
    await findDisplay(store, exchanged.credential, new Date(t0.getTime() + 60_000));
    expect(await seen()).toBe(new Date(t0.getTime() + 60_000).toISOString());
    await revokeDisplay(store, exchanged.display.displayId, 'admin', new Date(t0.getTime() + 61_000));
    expect(await findDisplay(store, exchanged.credential, new Date(t0.getTime() + 62_000))).toBeNull();
  });

  it('lets a pairing enrolled in time be exchanged for a while after its code expired, and not after', async () => {
    const t0 = new Date('2026-12-02T00:00:00Z');
    const inTime = await enrolled(t0);
    const late = await enrolled(t0);
    const end = t0.getTime() + PAIRING_LIFETIME_MS + PAIRING_EXCHANGE_GRACE_MS;
    expect((await pollPairing(store, inTime.secret, screen, new Date(end))).state).toBe('enrolled');
    expect((await pollPairing(store, late.secret, screen, new Date(end + 1))).state).toBe('expired');
    // A code no admin entered is over at its ten minutes.
    const waiting = await createPairing(store, screen.from, t0);
    expect((await pollPairing(store, waiting.secret, screen, new Date(t0.getTime() + PAIRING_LIFETIME_MS - 1))).state).toBe('waiting');
    expect((await pollPairing(store, waiting.secret, screen, new Date(t0.getTime() + PAIRING_LIFETIME_MS))).state).toBe('expired');
  });

  it('never exchanges the pairing of a display revoked before its screen came', async () => {
    const t0 = new Date('2026-12-03T00:00:00Z');
    const pairing = await createPairing(store, screen.from, t0);
    const { id } = await enrolDisplay(store, { code: pairing.code, name: 'Gone', scopeId }, 'admin', t0);
    await revokeDisplay(store, id, 'admin', t0);
    expect((await pollPairing(store, pairing.secret, screen, t0)).state).toBe('expired');
  });
});
