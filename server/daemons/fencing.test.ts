// Exclusivity with real processes: a second manager for a held host fails fast
// naming the holder; a manager whose fencing epoch is superseded exits.
import Database from 'better-sqlite3';
import os from 'node:os';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { run, TestHost, waitUntil } from '../testing/test-host';

let host: TestHost;

beforeAll(async () => {
  host = await TestHost.create('fencehost');
  await host.startManager();
});

afterAll(async () => {
  await host?.stop();
});

it('refuses a second manager for a held host, naming the holder and its node', async () => {
  const started = Date.now();
  const second = await run(['manager', '-h', host.name], host.env);
  expect(second.code).not.toBe(0);
  expect(second.stderr).toMatch(new RegExp(`held by manager pid ${host.manager!.pid} on node ${os.hostname()}`));
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(host.manager!.exitCode).toBeNull(); // the holder is untouched
});

it('exits at once when its fencing epoch is superseded', async () => {
  const exited = new Promise<number | null>((resolve) => host.manager!.once('exit', (code) => resolve(code)));
  const db = new Database(host.storeFile);
  db.prepare('UPDATE "StoreMeta" SET epoch = epoch + 1 WHERE id = 1').run();
  db.close();
  expect(await exited).not.toBe(0);
  expect(host.logs).toMatch(/superseded/);
  // The next manager takes a higher epoch than the one recorded and runs.
  await host.startManager();
  await waitUntil('the new manager', async () => (await fetch(`${host.url}/api/v1/health`)).ok || undefined);
  const meta = new Database(host.storeFile, { readonly: true }).prepare('SELECT epoch FROM "StoreMeta"').get() as { epoch: number };
  expect(meta.epoch).toBe(3); // 1: first manager, 2: the superseder, 3: the new manager
  expect(host.logs).toMatch(/"epoch":3/);
});
