// An enrolled wall display at /display, as a screen on a wall runs it: no sign-in, a pairing code
// until an admin enrols it, then its scope live; an admin's changes (settings, scope, revocation)
// reach it over its socket with no touch at the screen; a newer build reloads it by itself.
import { apiAs, expect, FEED_TOKEN, test, uniqueName } from './fixtures';
import { enrolScreen, pairingCodeOf, report, scopeOf, tileNames } from './wall';

test.describe('wall display screen', () => {
  test('is enrolled by its code with no typing at the screen, then follows its admin’s changes and revocation', async ({ page, consoleHost }) => {
    test.setTimeout(120_000);
    // One import: another would replace these definitions.
    const first = await scopeOf(consoleHost, 12, [{ name: 'East', count: 3 }, { name: 'West', count: 4 }]);
    report(consoleHost, first.unit(5), 'WARNING');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.goto('/display');

    // A screen nobody enrolled shows a code, large, and where to enter it: never a login form.
    const code = await pairingCodeOf(page);
    await expect(page.getByTestId('pairing-code')).toHaveText(`${code.slice(0, 4)}-${code.slice(4)}`);
    await expect(page.getByTestId('pairing-url')).toHaveText(`${consoleHost.url}/displays`);
    await expect(page.getByTestId('pairing')).toContainText(consoleHost.name);
    await expect(page.getByTestId('display-revoked')).toHaveCount(0);
    await page.screenshot({ path: 'screenshots/wall-pairing-en-1080p.png', animations: 'disabled' });

    // The admin types it as people do: lower case, with the hyphen.
    const admin = await apiAs(consoleHost, 'admin');
    const typed = `${code.slice(0, 4).toLowerCase()}-${code.slice(4).toLowerCase()}`;
    const enrolled = await admin.post('/displays', { code: typed, name: 'Ops room left', scopeId: first.scopeId });
    expect(enrolled.status, JSON.stringify(enrolled.body)).toBe(201);
    const id: number = enrolled.body.display.id;
    await expect(page.getByTestId('wall')).toHaveAttribute('data-phase', 'live', { timeout: 10_000 });
    await expect(page).toHaveURL(/\/display$/);
    await expect(page.getByTestId('wall-title')).toHaveText(first.prefix);
    // Its twelve objects and its two child scopes, summed up.
    await expect.poll(() => tileNames(page)).toHaveLength(14);
    await expect.poll(async () => (await tileNames(page))[0]).toBe(first.names[5]);
    // Live, like any page: a change reaches its tile.
    report(consoleHost, first.unit(8), 'ABNORMAL');
    await expect.poll(async () => (await tileNames(page))[0]).toBe(first.names[8]);
    // The admin sees the screen connected.
    await expect.poll(async () => (await admin.get(`/displays`)).body.displays.find((d: { id: number }) => d.id === id)?.connected).toBe(true);

    // Settings reach the screen at once: Japanese, Tokyo's clock, abnormal ends only.
    const patch = (body: unknown) => admin.request.patch(`/api/v1/displays/${id}`, { data: body, headers: { 'x-csrf-token': admin.csrfToken } });
    expect((await patch({ settings: { language: 'ja', timeZone: 'Asia/Tokyo', classes: ['abnormal'] } })).status()).toBe(200);
    await expect(page.getByTestId('wall-connection')).toHaveText('ライブ');
    await expect.poll(() => tileNames(page)).toEqual([first.names[8]]);
    await expect(page.getByTestId('wall-counts').locator('li')).toHaveCount(1);
    const tokyoHour = () => new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', hour: '2-digit', hourCycle: 'h23' }).format(new Date());
    const before = tokyoHour();
    const clock = (await page.getByTestId('wall-clock').textContent())!;
    expect([before, tokyoHour()]).toContain(clock.slice(0, 2));
    await page.screenshot({ path: 'screenshots/wall-display-ja-abnormal-only-1080p.png', animations: 'disabled' });

    // Moved to another scope: it shows that one, and only that one.
    const east = `${first.prefix} East`;
    expect((await patch({ scopeId: first.children.East, settings: { language: 'en', classes: ['abnormal', 'warning', 'running', 'held', 'waiting', 'normal', 'uncounted'] } })).status()).toBe(200);
    await expect(page.getByTestId('wall-title')).toHaveText(east);
    await expect.poll(() => tileNames(page)).toHaveLength(3);
    await expect(page.getByTestId('wall-connection')).toHaveText('Live');

    // Back, rotating through the scope and each of its child scopes.
    expect((await patch({ scopeId: first.scopeId, settings: { rotate: true, rotateSeconds: 5 } })).status()).toBe(200);
    await expect(page.getByTestId('wall-title')).not.toHaveText(east);
    const titles = new Set<string>();
    await expect
      .poll(async () => (titles.add((await page.getByTestId('wall-title').textContent())!), titles.size), { timeout: 30_000 })
      .toBeGreaterThanOrEqual(3);
    expect([...titles].sort()).toEqual([first.prefix, `${first.prefix} › ${east}`, `${first.prefix} › ${first.prefix} West`].sort());

    // Revoked: its socket drops at once, and it shows so, with a new code, never a login form.
    expect((await admin.request.delete(`/api/v1/displays/${id}`, { headers: { 'x-csrf-token': admin.csrfToken } })).status()).toBe(204);
    await expect(page.getByTestId('display-revoked')).toBeVisible({ timeout: 10_000 });
    const again = await pairingCodeOf(page);
    expect(again).not.toBe(code);
    await expect(page).toHaveURL(/\/display$/);
    await page.screenshot({ path: 'screenshots/wall-revoked-en-1080p.png', animations: 'disabled' });

    // And enrolled again with its new code, it is back live.
    const reenrolled = await admin.post('/displays', { code: again, name: 'Ops room left', scopeId: first.scopeId });
    expect(reenrolled.status).toBe(201);
    await expect(page.getByTestId('wall')).toHaveAttribute('data-phase', 'live', { timeout: 10_000 });
    await expect(page.getByTestId('display-revoked')).toHaveCount(0);
    await admin.dispose();
  });

  test('fits one object large and 2,000 on readable pages, and marks a stale host, at 1080p and 4K', async ({ page, consoleHost }) => {
    test.setTimeout(180_000);
    const big = await scopeOf(consoleHost, 2000, [{ name: 'One', count: 1 }]);
    for (const i of [1999, 1000, 7]) report(consoleHost, big.unit(i), 'ABNORMAL');
    report(consoleHost, big.unit(2000), 'RUNNING');
    // A host registered at an address no agent serves: its objects are stale from the start.
    const admin = await apiAs(consoleHost, 'admin');
    const farHost = `far${Date.now().toString(36)}`;
    expect((await admin.post('/hosts', { name: farHost, address: '127.0.0.1', feedPort: 9, token: FEED_TOKEN })).status).toBe(201);
    const mixed = (await admin.post('/scopes', { name: uniqueName('Mixed') })).body.scope as { id: number; name: string };
    for (let i = 0; i < 12; i++) {
      const host = i < 3 ? farHost : consoleHost.name;
      expect((await admin.post('/objects', { name: `${mixed.name} ${i}`, scopeId: mixed.id, host, unit: i < 3 ? `/Far${i}` : big.unit(i) })).status).toBe(201);
    }
    const patch = (id: number, body: unknown) => admin.request.patch(`/api/v1/displays/${id}`, { data: body, headers: { 'x-csrf-token': admin.csrfToken } });

    await page.setViewportSize({ width: 1920, height: 1080 });
    const id = await enrolScreen(page, consoleHost, { name: 'Sizes', scopeId: big.children.One });
    await expect.poll(() => tileNames(page)).toEqual([`${big.prefix} One 2000`]);
    await page.screenshot({ path: 'screenshots/wall-1-en-1080p.png', animations: 'disabled' });

    // 2,000 objects at 4K, compact: pages of readable tiles, the abnormal ends first on the first.
    await page.setViewportSize({ width: 3840, height: 2160 });
    expect((await patch(id, { scopeId: big.scopeId, settings: { density: 'compact', pageSeconds: 600 } })).status()).toBe(200);
    await expect(page.getByTestId('wall-title')).toHaveText(big.prefix);
    await expect(page.getByTestId('wall-page')).toHaveAttribute('data-pages', /^\d+$/);
    const pages = Number(await page.getByTestId('wall-page').getAttribute('data-pages'));
    expect(pages).toBeGreaterThan(10);
    await expect.poll(async () => (await tileNames(page)).slice(0, 3)).toEqual([big.names[7], big.names[1000], big.names[1999]]);
    const sizes = await page.locator('[data-testid^="wall-tile-"]').evaluateAll((tiles) => tiles.map((t) => parseFloat(getComputedStyle(t).fontSize)));
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(40);
    expect(sizes.length * pages).toBeGreaterThanOrEqual(2001);
    await page.screenshot({ path: 'screenshots/wall-2000-en-4k.png', animations: 'disabled' });

    // A stale host's objects are marked so, in words and an outline, whatever their last status.
    await page.setViewportSize({ width: 1920, height: 1080 });
    expect((await patch(id, { scopeId: mixed.id, settings: { density: 'comfortable', language: 'ja' } })).status()).toBe(200);
    await expect(page.getByTestId('wall-title')).toHaveText(mixed.name);
    for (let i = 0; i < 3; i++) {
      await expect(page.getByTestId(`wall-tile-${mixed.name} ${i}`)).toHaveAttribute('data-stale', 'true', { timeout: 30_000 });
      await expect(page.getByTestId(`wall-tile-${mixed.name} ${i}`)).toContainText('情報が古い');
    }
    await expect(page.getByTestId(`wall-tile-${mixed.name} 7`)).toHaveAttribute('data-stale', 'false');
    await expect(page.getByTestId(`wall-tile-${mixed.name} 7`)).toHaveAttribute('data-status', 'ABNORMAL');
    await page.screenshot({ path: 'screenshots/wall-stale-ja-1080p.png', animations: 'disabled' });
    await admin.dispose();
  });

  test('reloads itself at a quiet moment when the console serves a newer build, keeping its enrolment', async ({ page, consoleHost }) => {
    const { scopeId, prefix } = await scopeOf(consoleHost, 3);
    const id = await enrolScreen(page, consoleHost, { name: 'Build watcher', scopeId });
    await page.evaluate(() => ((window as unknown as { loadedBefore: boolean }).loadedBefore = true));
    // From now on the console says it serves another build (as after an upgrade).
    await page.route('**/api/v1/display', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, json: { ...(await response.json()), build: 'a-newer-build' } });
    });
    const admin = await apiAs(consoleHost, 'admin');
    // Any change makes the screen read itself again.
    const renamed = await admin.request.patch(`/api/v1/displays/${id}`, { data: { name: 'Build watcher 2' }, headers: { 'x-csrf-token': admin.csrfToken } });
    expect(renamed.status()).toBe(200);
    await admin.dispose();
    await expect.poll(() => page.evaluate(() => (window as unknown as { loadedBefore?: boolean }).loadedBefore ?? false), { timeout: 30_000 }).toBe(false);
    await expect(page.getByTestId('wall')).toHaveAttribute('data-phase', 'live');
    await expect(page.getByTestId('wall-title')).toHaveText(prefix);
  });

  test('with a credential the console does not know, it asks for a code rather than a sign-in', async ({ page, consoleHost, context }) => {
    await context.addCookies([{ name: 'jobscope_display', value: 'd'.repeat(43), url: consoleHost.url }]);
    await page.goto('/display');
    await pairingCodeOf(page);
    await expect(page).toHaveURL(/\/display$/);
    // Never enrolled in this browser: nothing was revoked.
    await expect(page.getByTestId('display-revoked')).toHaveCount(0);
  });
});

test.describe('wall display screen in Japanese', () => {
  test.use({ locale: 'ja-JP' });

  test('shows its pairing code with Japanese words', async ({ page }) => {
    await page.setViewportSize({ width: 3840, height: 2160 });
    await page.goto('/display');
    await pairingCodeOf(page);
    await expect(page.getByTestId('pairing')).toContainText('ディスプレイ');
    await page.screenshot({ path: 'screenshots/wall-pairing-ja-4k.png', animations: 'disabled' });
  });
});
