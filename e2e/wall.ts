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
  await page.goto('/display');
  const code = await pairingCodeOf(page);
  const admin = await apiAs(consoleHost, 'admin');
  const enrolled = await admin.post('/displays', { code, ...display });
  await admin.dispose();
  expect(enrolled.status, JSON.stringify(enrolled.body)).toBe(201);
  await expect(page.getByTestId('wall')).toHaveAttribute('data-phase', 'live', { timeout: 15_000 });
  return enrolled.body.display.id;
}
