// What the wall display specs share: a scope of many objects, a status written into the host's
// spool, the tiles in the order the wall shows them, and a screen enrolled as an admin would.
import crypto from 'node:crypto';
import type { Page } from '@playwright/test';
import { appendEvent } from '../server/spool/spool';
import { apiAs, expect, uniqueName, type ConsoleHost } from './fixtures';

export interface WallScope {
  scopeId: number;
  names: string[];
  prefix: string;
  /** The job unit of object `i` (the one its status comes from). */
  unit(i: number): string;
  /** Child scopes' ids, by name, when asked for. */
  children: Record<string, number>;
}

/** A scope of `count` objects on the console's own host, with child scopes of `childCount` objects each when asked for. */
export async function scopeOf(consoleHost: ConsoleHost, count: number, childScopes: { name: string; count: number }[] = []): Promise<WallScope> {
  const admin = await apiAs(consoleHost, 'admin');
  const prefix = uniqueName('Wall');
  const netOf = (i: number) => `/${prefix.replace(/\W/g, '')}/Net${i}`;
  const objects = Array.from({ length: count }, (_, i) => ({ name: `${prefix} ${String(i).padStart(4, '0')}`, host: consoleHost.name, unit: netOf(i) }));
  let next = count;
  const scopes = childScopes.map((child) => ({
    name: `${prefix} ${child.name}`,
    objects: Array.from({ length: child.count }, () => {
      const i = next++;
      return { name: `${prefix} ${child.name} ${i}`, host: consoleHost.name, unit: netOf(i) };
    }),
  }));
  const imported = await admin.post('/definitions/import', { format: 'jobscope-definitions', version: 1, hosts: [], scopes: [{ name: prefix, objects, scopes }] });
  expect(imported.status, JSON.stringify(imported.body)).toBe(200);
  const all = (await admin.get('/definitions')).body.scopes as { id: number; name: string }[];
  await admin.dispose();
  const children = Object.fromEntries(childScopes.map((c) => [c.name, all.find((s) => s.name === `${prefix} ${c.name}`)!.id]));
  return { scopeId: all.find((s) => s.name === prefix)!.id, names: objects.map((o) => o.name), prefix, unit: (i) => `${netOf(i)}/job`, children };
}

/** A status of a unit, as the host's agent would record it; returns its run's id. */
export function report(consoleHost: ConsoleHost, unit: string, status: 'ABNORMAL' | 'RUNNING' | 'NORMAL' | 'WARNING'): string {
  const execId = crypto.randomUUID();
  appendEvent(consoleHost.spoolFile, {
    host: consoleHost.name, unit, execId, runId: null, kind: 'status', status, at: new Date().toISOString(),
    node: 'e2e', pid: null, exitCode: status === 'ABNORMAL' ? 1 : 0, signal: null, outputTail: null, reason: null,
  });
  return execId;
}

export const tileNames = (page: Page) => page.locator('[data-testid^="wall-tile-"]').evaluateAll((tiles) => tiles.map((t) => t.getAttribute('data-testid')!.slice('wall-tile-'.length)));

/** The code a screen at /display shows, once it shows one. */
export async function pairingCodeOf(page: Page): Promise<string> {
  const code = page.getByTestId('pairing-code');
  await expect(code).toHaveAttribute('data-code', /^[BCDFGHJKLMNPQRSTVWXZ]{8}$/, { timeout: 30_000 });
  return (await code.getAttribute('data-code'))!;
}

/** Opens /display on `page` and enrols it as an admin would, with the code it shows; returns the display's id. */
export async function enrolScreen(page: Page, consoleHost: ConsoleHost, display: { name: string; scopeId: number; settings?: unknown }): Promise<number> {
  const admin = await apiAs(consoleHost, 'admin');
  try {
    return await enrolScreenWith(page, (code) => admin.post('/displays', { code, ...display }));
  } finally {
    await admin.dispose();
  }
}

/** Opens /display on `page` and enrols it with the code it shows through `enrol` (an admin's POST /displays); returns the display's id. */
export async function enrolScreenWith(page: Page, enrol: (code: string) => Promise<{ status: number; body: any }>): Promise<number> {
  await page.goto('/display');
  const enrolled = await enrol(await pairingCodeOf(page));
  expect(enrolled.status, JSON.stringify(enrolled.body)).toBe(201);
  await expect(page.getByTestId('wall')).toHaveAttribute('data-phase', 'live', { timeout: 15_000 });
  return enrolled.body.display.id;
}

/** A change of an enrolled wall's connection, timed in the page. */
export interface WallPhase {
  at: number;
  phase: string;
  greyed: boolean;
  /** What the wall said of its connection then. */
  text: string;
}

export interface WallWatch {
  /** Main-frame navigations since the watch began: a reload counts. */
  navigations(): number;
  /** When the page began each connection attempt of its live socket (a WebSocket, or a long-polling handshake). */
  attempts: number[];
  /** Every change of the wall's phase or greying since observe(), as it happened. */
  phases(): Promise<WallPhase[]>;
  /** Starts logging the wall's changes in the page: a gap may end before a test looks. */
  observe(): Promise<void>;
}

/** Call before the page opens its socket: only sockets opened later are seen. */
export function watchWall(page: Page): WallWatch {
  let navigations = 0;
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) navigations++;
  });
  const attempts: number[] = [];
  page.on('websocket', (ws) => {
    if (ws.url().includes('/socket.io/')) attempts.push(Date.now());
  });
  page.on('request', (request) => {
    const url = request.url();
    if (url.includes('/socket.io/') && url.includes('transport=polling') && !url.includes('sid=')) attempts.push(Date.now());
  });
  return {
    navigations: () => navigations,
    attempts,
    phases: () => page.evaluate(() => (window as unknown as { wallLog: WallPhase[] }).wallLog),
    observe: () =>
      page.evaluate(() => {
        const log: WallPhase[] = [];
        (window as unknown as { wallLog: typeof log }).wallLog = log;
        const note = () => {
          // Looked up each time: a wall that went away (a pairing screen instead) shows as no phase.
          const wall = document.querySelector('[data-testid="wall"]');
          const phase = wall?.getAttribute('data-phase') ?? 'none';
          const greyed = wall?.getAttribute('data-greyed') === 'true';
          const last = log.at(-1);
          if (last?.phase === phase && last.greyed === greyed) return;
          log.push({ at: Date.now(), phase, greyed, text: document.querySelector('[data-testid="wall-connection"]')?.textContent ?? '' });
        };
        note();
        new MutationObserver(note).observe(document.body, { attributes: true, childList: true, subtree: true, characterData: true });
      }),
  };
}
