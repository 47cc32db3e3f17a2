// The Displays page: an admin enrols a waiting screen by the code it shows (typed
// in any case, with a hyphen), watches it go from awaiting its screen to active
// and connected without a reload, renames it, moves it and changes its settings
// in one dialog (which sends only what changed, and the screen reads them), and
// revokes it after a confirmation, after which the screen is refused. Nobody
// but an admin gets the page or its data. Most screens here are API clients of
// their own (server/testing/display-screen.ts); one is the real /display page.
import type { Page } from '@playwright/test';
import type { Socket } from 'socket.io-client';
import { WRONG_CODE } from '../server/displays/displays';
import { Screen } from '../server/testing/display-screen';
import { apiAs, expect, signIn, test, uniqueLoopback, uniqueName, type ApiClient, type ConsoleHost } from './fixtures';
import { pairingCodeOf } from './wall';

/** A business scope of its own, optionally under another. */
async function newScope(admin: ApiClient, prefix: string, parentId?: number): Promise<{ id: number; name: string }> {
  const created = await admin.post('/scopes', { name: uniqueName(prefix), parentId });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.scope;
}

/**
 * A screen waiting with a fresh pairing code. Each from an address of its own: pairings are
 * limited per address, and the other specs' screens on this console come from 127.0.0.1.
 */
async function waitingScreen(consoleHost: ConsoleHost): Promise<{ screen: Screen; code: string }> {
  const screen = new Screen(consoleHost.url, { localAddress: uniqueLoopback() });
  const pairing = await screen.pair();
  expect(pairing.status, JSON.stringify(pairing.body)).toBe(201);
  return { screen, code: pairing.body.code };
}

/** A screen enrolled through the API and holding its credential. */
async function enrolledScreen(consoleHost: ConsoleHost, admin: ApiClient, display: { name: string; scopeId: number; settings?: unknown }): Promise<{ screen: Screen; id: number }> {
  const { screen, code } = await waitingScreen(consoleHost);
  const enrolled = await admin.post('/displays', { code, ...display });
  expect(enrolled.status, JSON.stringify(enrolled.body)).toBe(201);
  expect((await screen.poll()).body.state).toBe('enrolled');
  return { screen, id: enrolled.body.display.id };
}

async function connected(screen: Screen): Promise<Socket> {
  const socket = screen.socket();
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

async function openDisplays(page: Page): Promise<void> {
  await page.getByTestId('nav-displays').click();
  await expect(page).toHaveURL(/\/displays$/);
  await expect(page.getByTestId('displays-page')).toBeVisible();
}

/** The address of a display's Preview link, as its parameters. */
async function previewOf(page: Page, name: string): Promise<Record<string, string>> {
  const href = await page.getByTestId(`display-${name}-preview`).getAttribute('href');
  expect(href).toMatch(/^\/display\/preview\?/);
  return Object.fromEntries(new URL(href!, 'https://console.example').searchParams);
}

const pageOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

/** A code of the right shape that this screen does not show (that another one shows it is as unlikely as any guess). */
const wrongCodeFor = (code: string) => (code === 'ZZZZZZZZ' ? 'XXXX-XXXX' : 'zzzz-zzzz');

test.describe('displays admin', () => {
  test('an admin enrols a waiting screen by its code and the list follows it to active and connected', async ({ page, consoleHost }) => {
    const admin = await apiAs(consoleHost, 'admin');
    const scope = await newScope(admin, 'Wall room');
    const { screen, code } = await waitingScreen(consoleHost);
    const name = uniqueName('Lobby screen');

    await signIn(page, 'admin');
    await openDisplays(page);
    const form = page.getByTestId('enrol-form');

    // A wrong code: the server's one message, beside the code, and nothing else said.
    await form.getByTestId('enrol-code').fill(wrongCodeFor(code));
    await form.getByTestId('enrol-name').fill(name);
    await form.getByTestId('enrol-scope').selectOption(String(scope.id));
    await form.getByTestId('enrol-submit').click();
    await expect(form.getByTestId('enrol-code-error')).toHaveText(WRONG_CODE.en);
    await expect(form.getByTestId('enrol-error')).toHaveCount(0);

    // The right code, lower case with a hyphen, but settings the server refuses: each beside its field.
    await form.getByTestId('enrol-code').fill(`${code.slice(0, 4).toLowerCase()}-${code.slice(4).toLowerCase()}`);
    await form.getByTestId('enrol-page-seconds').fill('2');
    await form.getByTestId('enrol-time-zone').fill('Mars/Olympus');
    for (const c of ['abnormal', 'warning', 'running', 'held', 'waiting', 'normal', 'uncounted']) await form.getByTestId(`enrol-class-${c}`).uncheck();
    await form.getByTestId('enrol-submit').click();
    await expect(form.getByTestId('enrol-page-seconds-error')).toContainText('at least 5 seconds');
    await expect(form.getByTestId('enrol-time-zone-error')).toContainText('not a time zone');
    await expect(form.getByTestId('enrol-classes-error')).toContainText('at least one summary class');
    await expect(form.getByTestId('enrol-code-error')).toHaveCount(0);
    await expect(page.getByTestId(`display-${name}`)).toHaveCount(0);

    await form.getByTestId('enrol-rotate').check();
    await form.getByTestId('enrol-rotate-seconds').fill('20');
    await form.getByTestId('enrol-page-seconds').fill('30');
    await form.getByTestId('enrol-density').selectOption('compact');
    for (const c of ['abnormal', 'warning', 'running']) await form.getByTestId(`enrol-class-${c}`).check();
    await form.getByTestId('enrol-time-zone').fill('Asia/Tokyo');
    await form.getByTestId('enrol-language').selectOption('ja');
    await form.getByTestId('enrol-submit').click();
    await expect(form.getByTestId('enrol-done')).toContainText(name);
    await expect(form.getByTestId('enrol-page-seconds-error')).toHaveCount(0);
    await expect(form.getByTestId('enrol-code')).toHaveValue('');

    const row = page.getByTestId(`display-${name}`);
    await expect(row).toHaveAttribute('data-state', 'awaiting-screen');
    await expect(row.getByTestId(`display-${name}-state`)).toContainText('Awaiting screen');
    await expect(row.getByTestId(`display-${name}-scope`)).toHaveText(scope.name);
    await expect(row.getByTestId(`display-${name}-enrolled`)).toContainText('by admin');
    await expect(row.getByTestId(`display-${name}-connection`)).toContainText('Never connected');
    await expect(row.getByTestId(`display-${name}-settings`)).toHaveText(/Compact.*pages every 30\ss.*rotates child scopes every 20\ss.*shows Abnormal, Warning, Running.*Asia\/Tokyo.*日本語/);

    // The screen's next poll takes its credential: the list says so without a reload.
    expect((await screen.poll()).body.state).toBe('enrolled');
    await expect(row).toHaveAttribute('data-state', 'active');
    await expect(row.getByTestId(`display-${name}-state`)).toContainText('Active');
    await expect(row.getByTestId(`display-${name}-browser`)).toHaveText('WallScreen 1.0 · Linux');
    await expect(row.getByTestId(`display-${name}-browser`)).toHaveAttribute('title', screen.userAgent);
    await expect(row.getByTestId(`display-${name}-connection`)).toContainText('Not connected since ');

    // Its live socket: connected now, and since when; then gone again.
    const socket = await connected(screen);
    await expect(row).toHaveAttribute('data-connected', 'true');
    await expect(row.getByTestId(`display-${name}-connection`)).toContainText('Connected since ');
    socket.disconnect();
    await expect(row).toHaveAttribute('data-connected', 'false');
    await expect(row.getByTestId(`display-${name}-connection`)).toContainText('Not connected since ');

    // What the screen reads of itself: the settings as the admin chose them.
    const own = await screen.call('GET', '/display');
    expect(own.status).toBe(200);
    expect(own.body.display).toMatchObject({
      name,
      scope: { id: scope.id },
      settings: { rotate: true, rotateSeconds: 20, pageSeconds: 30, density: 'compact', classes: ['abnormal', 'warning', 'running'], timeZone: 'Asia/Tokyo', language: 'ja' },
    });

    // Its preview: the board of its scope, with its settings (in Japanese, as the screen shows it).
    await row.getByTestId(`display-${name}-preview`).click();
    await expect(page).toHaveURL(/\/display\/preview\?/);
    await expect(page.getByTestId('wall-title')).toHaveText(scope.name);
    await expect(page.getByTestId('wall-connection')).toHaveText('ライブ');
    await admin.dispose();
  });

  test('one dialog renames, moves and changes settings, sending only what changed; revoking asks first and then the screen is refused', async ({ page, consoleHost }) => {
    const admin = await apiAs(consoleHost, 'admin');
    const first = await newScope(admin, 'Floor');
    const second = await newScope(admin, 'Annex', first.id);
    const name = uniqueName('Hall screen');
    const { screen, id } = await enrolledScreen(consoleHost, admin, { name, scopeId: first.id, settings: { timeZone: 'Europe/Paris', density: 'compact' } });
    const socket = await connected(screen);

    await signIn(page, 'admin');
    await openDisplays(page);
    const row = page.getByTestId(`display-${name}`);
    await expect(row).toHaveAttribute('data-connected', 'true');
    expect(await previewOf(page, name)).toEqual({ scope: String(first.id), density: 'compact', page: '15', tz: 'Europe/Paris', lang: 'en' });

    // A refused setting stays in the dialog, beside its field.
    await row.getByTestId(`display-${name}-edit`).click();
    let dialog = page.getByTestId('display-dialog');
    await expect(dialog.getByTestId('display-name')).toBeFocused();
    await dialog.getByTestId('display-page-seconds').fill('4000');
    await dialog.getByTestId('display-submit').click();
    await expect(dialog.getByTestId('display-page-seconds-error')).toContainText('at most 3600 seconds');
    await dialog.getByTestId('display-cancel').click();
    await expect(dialog).toHaveCount(0);

    const renamed = uniqueName('Annex screen');
    await row.getByTestId(`display-${name}-edit`).click();
    dialog = page.getByTestId('display-dialog');
    await expect(dialog.getByTestId('display-time-zone')).toHaveValue('Europe/Paris');
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.screenshot({ path: 'screenshots/displays-admin-edit.png' });
    await dialog.getByTestId('display-name').fill(renamed);
    await dialog.getByTestId('display-scope').selectOption(String(second.id));
    await dialog.getByTestId('display-density').selectOption('comfortable');
    await dialog.getByTestId('display-page-seconds').fill('45');
    const patch = page.waitForRequest((r) => r.method() === 'PATCH' && r.url().endsWith(`/api/v1/displays/${id}`));
    await dialog.getByTestId('display-submit').click();
    expect((await patch).postDataJSON()).toEqual({ name: renamed, scopeId: second.id, settings: { density: 'comfortable', pageSeconds: 45 } });
    await expect(dialog).toHaveCount(0);

    const moved = page.getByTestId(`display-${renamed}`);
    await expect(page.getByTestId(`display-${renamed}-done`)).toContainText(`Saved ${renamed}`);
    await expect(moved.getByTestId(`display-${renamed}-scope`)).toHaveText(second.name);
    expect(await previewOf(page, renamed)).toEqual({ scope: String(second.id), density: 'comfortable', page: '45', tz: 'Europe/Paris', lang: 'en' });
    await expect(page.getByTestId(`display-${name}`)).toHaveCount(0);
    // The screen reads the change; what was not changed stays as it was.
    const own = await screen.call('GET', '/display');
    expect(own.body.display).toMatchObject({ name: renamed, scope: { id: second.id, name: second.name }, settings: { density: 'comfortable', pageSeconds: 45, timeZone: 'Europe/Paris' } });

    // Revoke: Cancel changes nothing; the confirmation revokes, and the row stays, greyed, without actions.
    await moved.getByTestId(`display-${renamed}-revoke`).click();
    const confirm = page.getByTestId('revoke-dialog');
    await expect(confirm).toContainText('disconnected at once');
    await confirm.getByTestId('revoke-dialog-cancel').click();
    await expect(confirm).toHaveCount(0);
    await expect(moved).toHaveAttribute('data-state', 'active');
    expect((await screen.call('GET', '/display')).status).toBe(200);

    const closed = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));
    await moved.getByTestId(`display-${renamed}-revoke`).click();
    await page.getByTestId('revoke-dialog-confirm').click();
    await expect(page.getByTestId('revoke-dialog')).toHaveCount(0);
    await expect(moved).toHaveAttribute('data-state', 'revoked');
    await expect(moved).toHaveAttribute('data-connected', 'false');
    await expect(moved.getByTestId(`display-${renamed}-state`)).toContainText('Revoked');
    await expect(moved.getByTestId(`display-${renamed}-edit`)).toHaveCount(0);
    await expect(page.getByTestId(`display-${renamed}-done`)).toContainText(`Revoked ${renamed}`);
    expect(await moved.evaluate((el) => Number(getComputedStyle(el.querySelector('td')!).opacity))).toBeLessThan(1);
    await closed;
    expect((await screen.call('GET', '/display')).status).toBe(401);
    // The list still has it, as revoked.
    const listed = (await admin.get('/displays')).body.displays.find((d: { id: number }) => d.id === id);
    expect(listed).toMatchObject({ name: renamed, state: 'revoked' });
    await admin.dispose();
  });

  test('a real screen at /display: the admin types the code it shows, it shows its scope, follows the dialog and is revoked', async ({ page, browser, consoleHost }) => {
    const admin = await apiAs(consoleHost, 'admin');
    const first = await newScope(admin, 'Front desk');
    const second = await newScope(admin, 'Back office');
    await admin.dispose();
    // The screen: a browser of its own, nobody signed in.
    const wall = await browser.newContext({ baseURL: consoleHost.url, viewport: { width: 1280, height: 720 } });
    const screen = await wall.newPage();
    await screen.goto('/display');
    await pairingCodeOf(screen);
    // Typed as the screen shows it, hyphen and all.
    const shown = await screen.getByTestId('pairing-code').textContent();

    await signIn(page, 'admin');
    await openDisplays(page);
    const name = uniqueName('Front screen');
    const form = page.getByTestId('enrol-form');
    await form.getByTestId('enrol-code').fill(shown!);
    await form.getByTestId('enrol-name').fill(name);
    await form.getByTestId('enrol-scope').selectOption(String(first.id));
    await form.getByTestId('enrol-submit').click();
    await expect(form.getByTestId('enrol-done')).toContainText(name);

    await expect(screen.getByTestId('wall-title')).toHaveText(first.name, { timeout: 10_000 });
    const row = page.getByTestId(`display-${name}`);
    await expect(row).toHaveAttribute('data-state', 'active');
    await expect(row).toHaveAttribute('data-connected', 'true');
    await expect(row.getByTestId(`display-${name}-browser`)).toHaveText(/^(Chrome|Chromium|Headless Chrome) \d+ · Linux$/);

    await row.getByTestId(`display-${name}-edit`).click();
    const dialog = page.getByTestId('display-dialog');
    await dialog.getByTestId('display-scope').selectOption(String(second.id));
    await dialog.getByTestId('display-language').selectOption('ja');
    await dialog.getByTestId('display-submit').click();
    await expect(dialog).toHaveCount(0);
    await expect(screen.getByTestId('wall-title')).toHaveText(second.name);
    await expect(screen.getByTestId('wall-connection')).toHaveText('ライブ');

    await row.getByTestId(`display-${name}-revoke`).click();
    await page.getByTestId('revoke-dialog-confirm').click();
    await expect(row).toHaveAttribute('data-state', 'revoked');
    await expect(screen.getByTestId('display-revoked')).toBeVisible({ timeout: 10_000 });
    await wall.close();
  });

  for (const role of ['operator', 'guest'] as const) {
    test(`${role === 'operator' ? 'an operator' : 'a guest'} gets the admins-only page, no link to it, and 403 from the API`, async ({ page, consoleHost }) => {
      await signIn(page, role);
      await expect(page.getByTestId('nav-monitor')).toBeVisible();
      await expect(page.getByTestId('nav-displays')).toHaveCount(0);
      await page.goto('/displays');
      await expect(page.getByTestId('admins-only')).toContainText('Admins only');
      await expect(page.getByTestId('displays-page')).toHaveCount(0);
      await expect(page.getByTestId('enrol-form')).toHaveCount(0);

      const client = await apiAs(consoleHost, role);
      expect((await client.get('/displays')).status).toBe(403);
      expect((await client.post('/displays', { code: 'BCDF-GHJK', name: 'Sneaky', scopeId: 1 })).status).toBe(403);
      await client.dispose();
    });
  }

  test('without a session the page sends the browser to sign in', async ({ page }) => {
    const answer = await page.request.get('/displays', { maxRedirects: 0 });
    expect(answer.status()).toBe(302);
    expect(answer.headers().location).toBe('/login');
    await page.goto('/displays');
    await expect(page).toHaveURL(/\/login$/);
  });

  test('a few displays in every state, at 1440×900', async ({ page, consoleHost }) => {
    const admin = await apiAs(consoleHost, 'admin');
    const scope = await newScope(admin, 'Payments');
    const batch = await newScope(admin, 'Night batch', scope.id);
    const wall = await enrolledScreen(consoleHost, admin, { name: uniqueName('Operations wall'), scopeId: scope.id, settings: { rotate: true, timeZone: 'Asia/Tokyo', language: 'ja' } });
    const socket = await connected(wall.screen);
    await enrolledScreen(consoleHost, admin, { name: uniqueName('Night desk'), scopeId: batch.id, settings: { density: 'compact', classes: ['abnormal', 'warning'] } });
    const gone = await enrolledScreen(consoleHost, admin, { name: uniqueName('Old lobby TV'), scopeId: scope.id });
    const revoked = await admin.request.delete(`/api/v1/displays/${gone.id}`, { headers: { 'x-csrf-token': admin.csrfToken } });
    expect(revoked.status()).toBe(204);
    const { code } = await waitingScreen(consoleHost);
    const awaiting = uniqueName('Server room');
    expect((await admin.post('/displays', { code, name: awaiting, scopeId: batch.id })).status).toBe(201);

    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page, 'admin');
    await openDisplays(page);
    await expect(page.getByTestId(`display-${awaiting}`)).toHaveAttribute('data-state', 'awaiting-screen');
    await expect(page.locator('[data-testid^="display-"][data-connected="true"]').first()).toBeVisible();
    expect(await pageOverflow(page), 'the page overflows sideways').toBeLessThanOrEqual(0);
    await page.screenshot({ path: 'screenshots/displays-admin.png' });
    socket.disconnect();
    await admin.dispose();
  });
});

test.describe('displays admin in Japanese', () => {
  test.use({ locale: 'ja-JP' });

  test('the page and the server’s message for a wrong code are in Japanese', async ({ page, consoleHost }) => {
    const admin = await apiAs(consoleHost, 'admin');
    const scope = await newScope(admin, 'Tokyo');
    await admin.dispose();
    const { code } = await waitingScreen(consoleHost);

    await signIn(page, 'admin');
    await expect(page.getByTestId('nav-displays')).toHaveText('ウォールディスプレイ');
    await openDisplays(page);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('ウォールディスプレイ');
    const form = page.getByTestId('enrol-form');
    await expect(form.getByRole('heading')).toHaveText('画面の登録');
    await expect(form.getByText('ペアリングコード')).toBeVisible();
    await expect(form.getByTestId('enrol-class-abnormal').locator('..')).toHaveText('異常');

    await form.getByTestId('enrol-code').fill(wrongCodeFor(code));
    await form.getByTestId('enrol-name').fill(uniqueName('Tokyo screen'));
    await form.getByTestId('enrol-scope').selectOption(String(scope.id));
    await form.getByTestId('enrol-submit').click();
    await expect(form.getByTestId('enrol-code-error')).toHaveText(WRONG_CODE.ja);
    await page.setViewportSize({ width: 1440, height: 900 });
    expect(await pageOverflow(page), 'the page overflows sideways').toBeLessThanOrEqual(0);
    await page.screenshot({ path: 'screenshots/displays-admin-ja.png' });
  });
});
