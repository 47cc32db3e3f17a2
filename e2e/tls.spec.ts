// The console over https in Chromium: a console host of its own with a certificate
// from a CA the test makes (openssl). The browser context ignores certificate errors
// (ignoreHTTPSErrors): Chromium has no option to trust one extra CA, and what is
// checked here is the console's side (Secure cookie, the live socket over wss, the
// register dialog's TLS settings, a wall display's cookies), not the browser's trust store.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test as base } from '@playwright/test';
import { PASSWORDS, TestHost } from '../server/testing/test-host';
import { selfSigned, TestCa } from '../server/testing/tls';
import { FEED_TOKEN, pageUnderPolicy } from './fixtures';
import { pairingCodeOf } from './wall';

let dir: string;
let host: TestHost;

// Every page runs under the console's Content-Security-Policy (here with upgrade-insecure-requests,
// the page being https), and a violation fails the test.
const test = base.extend({ page: pageUnderPolicy });

test.describe.configure({ mode: 'serial' });
test.use({ ignoreHTTPSErrors: true });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobscope-e2e-tls-'));
  host = await TestHost.create(`e2e-tls${process.pid}`, '127.0.0.1', undefined, { tls: TestCa.create(dir) });
  await host.startAgent();
  await host.startManager();
});

test.afterAll(async () => {
  await host?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('signs in over https: a Secure session cookie, and the live connection over wss', async ({ page, context }) => {
  await page.goto(`${host.url}/monitor`);
  await expect(page).toHaveURL(/\/login$/);
  expect(page.url()).toMatch(/^https:/);
  await page.getByTestId('login-user').fill('admin');
  await page.getByTestId('login-password').fill(PASSWORDS.admin);
  await page.getByTestId('login-submit').click();
  await expect(page).toHaveURL(/\/monitor$/);
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-phase', 'live');
  const cookie = (await context.cookies(host.url)).find((c) => c.name === 'jobscope_session');
  expect(cookie).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Lax' });
});

test('registers a host whose feed is pinned, refusing a fingerprint that is none', async ({ page }) => {
  await page.goto(`${host.url}/login`);
  await page.getByTestId('login-user').fill('admin');
  await page.getByTestId('login-password').fill(PASSWORDS.admin);
  await page.getByTestId('login-submit').click();
  await expect(page).toHaveURL(/\/monitor$/);
  await page.goto(`${host.url}/hosts`);
  // The console's own host was registered with its CA.
  await expect(page.getByTestId(`host-tls-${host.name}`)).toHaveAttribute('data-tls', 'ca');
  await expect(page.getByTestId(`host-tls-${host.name}`)).toContainText('Jobscope test CA');

  const pinned = selfSigned(dir, 'e2e-pinned', ['e2e-pinned']);
  const name = `pinned-${Date.now().toString(36)}`;
  await page.getByTestId('register-host').click();
  await page.getByTestId('host-name').fill(name);
  await page.getByTestId('host-address').fill('127.0.0.9');
  await page.getByTestId('host-token').fill(FEED_TOKEN);
  await page.getByTestId('host-tls').selectOption('pin');
  await page.getByTestId('host-tls-fingerprint').fill('AB:CD');
  await page.getByTestId('host-submit').click();
  await expect(page.getByTestId('host-tls-fingerprint-error')).toContainText('SHA-256');
  await page.getByTestId('host-tls-fingerprint').fill(`sha256 Fingerprint=${pinned.fingerprint}`);
  await page.getByTestId('host-submit').click();
  await expect(page.getByTestId('host-dialog')).toHaveCount(0);
  const shown = page.getByTestId(`host-tls-${name}`);
  await expect(shown).toHaveAttribute('data-tls', 'pin');
  await expect(shown).toHaveAttribute('title', new RegExp(pinned.fingerprint));
});

test('enrols a wall display over https: Secure cookies, and its wall live over wss', async ({ page, context }) => {
  const sockets: string[] = [];
  page.on('websocket', (ws) => sockets.push(ws.url()));
  const admin = await host.login('admin');
  const scope = await admin.call('POST', '/scopes', { name: `Secure wall ${Date.now().toString(36)}` });
  expect(scope.status).toBe(201);
  const scopeId: number = scope.body.scope.id;
  expect((await admin.call('POST', '/objects', { name: 'Over TLS', scopeId, host: host.name, unit: '/SecureWall' })).status).toBe(201);

  await page.goto(`${host.url}/display`);
  const code = await pairingCodeOf(page);
  // Every cookie of the context: the pairing cookie's path is its route's.
  const pairing = (await context.cookies()).find((c) => c.name === 'jobscope_pairing');
  expect(pairing).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Strict' });
  expect((await admin.call('POST', '/displays', { code, name: 'Secure wall', scopeId })).status).toBe(201);
  await expect(page.getByTestId('wall')).toHaveAttribute('data-phase', 'live', { timeout: 15_000 });
  const cookies = await context.cookies();
  expect(cookies.find((c) => c.name === 'jobscope_display')).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Strict' });
  // The pairing secret was spent: its cookie is gone.
  expect(cookies.find((c) => c.name === 'jobscope_pairing')).toBeUndefined();

  expect((await host.exec('/SecureWall', 'exit 1')).code).toBe(1);
  await expect(page.getByTestId('wall-tile-Over TLS')).toHaveAttribute('data-status', 'ABNORMAL');
  expect(sockets.length).toBeGreaterThan(0);
  for (const url of sockets) expect(url).toMatch(/^wss:\/\//);
});
