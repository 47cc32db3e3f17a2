// The wall display board, as a signed-in operator previews it (/display/preview?scope=…):
// worst first, counts, pages when the tiles do not fit at a readable size, live changes
// without a reload; screenshots at 1920×1080 and 3840×2160 in screenshots/.
import { expect, signIn, startConsole, test, apiAs } from './fixtures';
import { report, scopeOf, tileNames } from './wall';

test.describe('wall display preview', () => {
  test('shows a scope worst first, counts it, and follows changes live', async ({ page, consoleHost }) => {
    const { scopeId, names, prefix, unit } = await scopeOf(consoleHost, 12);
    report(consoleHost, unit(3), 'RUNNING');
    report(consoleHost, unit(7), 'ABNORMAL');
    report(consoleHost, unit(9), 'WARNING');
    await signIn(page, 'guest');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.goto(`/display/preview?scope=${scopeId}`);
    await expect(page.getByTestId('wall-title')).toHaveText(prefix);
    await expect(page.getByTestId('wall-connection')).toHaveText('Live');
    await expect.poll(() => tileNames(page)).toHaveLength(12);
    await expect.poll(async () => (await tileNames(page)).slice(0, 3)).toEqual([names[7], names[9], names[3]]);
    await expect(page.getByTestId('wall-counts').locator('[data-class="abnormal"]')).toHaveAttribute('data-count', '1');
    // Twelve fit one page, in large text.
    await expect(page.getByTestId('wall-page')).toHaveCount(0);
    const fontPx = await page.getByTestId(`wall-tile-${names[0]}`).evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(fontPx).toBeGreaterThanOrEqual(40);

    // A change arrives without a reload and moves only its tile to the front.
    report(consoleHost, unit(11), 'ABNORMAL');
    await expect.poll(async () => (await tileNames(page)).slice(0, 2).sort()).toEqual([names[11], names[7]].sort());
    await page.screenshot({ path: 'screenshots/wall-12-en-1080p.png' });
  });

  test('pages the tiles that do not fit at a readable size, worst on the first page, at 1080p and 4K', async ({ page, consoleHost }) => {
    const { scopeId, names, unit } = await scopeOf(consoleHost, 200);
    report(consoleHost, unit(150), 'ABNORMAL');
    await signIn(page, 'guest');
    for (const [width, height, minText] of [[1920, 1080, 24], [3840, 2160, 48]] as const) {
      await page.setViewportSize({ width, height });
      await page.goto(`/display/preview?scope=${scopeId}&page=5`);
      await expect(page.getByTestId('wall-page')).toHaveAttribute('data-pages', /^[2-9]$/);
      await expect.poll(async () => (await tileNames(page))[0]).toBe(names[150]);
      const shown = await tileNames(page);
      expect(shown.length).toBeLessThan(200);
      const sizes = await page.locator('[data-testid^="wall-tile-"]').evaluateAll((tiles) => tiles.map((t) => parseFloat(getComputedStyle(t).fontSize)));
      expect(Math.min(...sizes)).toBeGreaterThanOrEqual(minText);
      // Nothing scrolls: every tile of the page is inside the screen.
      const bottom = await page.locator('[data-testid^="wall-tile-"]').evaluateAll((tiles) => Math.max(...tiles.map((t) => t.getBoundingClientRect().bottom)));
      expect(bottom).toBeLessThanOrEqual(height);
      await page.screenshot({ path: `screenshots/wall-200-en-${height}p.png` });
      // The next page comes by itself.
      await expect(page.getByTestId('wall-page')).toHaveAttribute('data-page', '2', { timeout: 12_000 });
    }
  });

  test('says plainly when its console is gone, greys its tiles, and comes back live by itself', async ({ browser }) => {
    test.setTimeout(120_000);
    // A console of its own: this test stops its manager.
    const own = await startConsole('walllost');
    const context = await browser.newContext({ baseURL: own.url, viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    try {
      const { scopeId, names, unit } = await scopeOf(own, 3);
      report(own, unit(1), 'NORMAL');
      await signIn(page, 'guest');
      await page.goto(`/display/preview?scope=${scopeId}`);
      await expect(page.getByTestId(`wall-tile-${names[1]}`)).toHaveAttribute('data-status', 'NORMAL');
      await expect(page.getByTestId('wall')).toHaveAttribute('data-greyed', 'false');

      await own.kill(own.manager, 'SIGKILL');
      await expect(page.getByTestId('wall-connection')).toContainText(`Connection lost: reconnecting to ${own.name}`);
      // Last known, never looking live: greyed once it has been gone a few seconds.
      await expect(page.getByTestId('wall')).toHaveAttribute('data-greyed', 'true', { timeout: 15_000 });
      await page.screenshot({ path: 'screenshots/wall-3-en-1080p-reconnecting.png', animations: 'disabled' });

      await own.startManager();
      await expect(page.getByTestId('wall-connection')).toHaveText('Live', { timeout: 30_000 });
      await expect(page.getByTestId('wall')).toHaveAttribute('data-greyed', 'false');
      report(own, unit(2), 'ABNORMAL');
      await expect(page.getByTestId(`wall-tile-${names[2]}`)).toHaveAttribute('data-status', 'ABNORMAL');
    } finally {
      await context.close();
      await own.stop();
    }
  });
});

test.describe('wall display preview in Japanese', () => {
  test.use({ locale: 'ja-JP' });

  test('speaks Japanese and marks an acknowledged end apart from one nobody has seen', async ({ page, consoleHost }) => {
    const { scopeId, names, unit } = await scopeOf(consoleHost, 12);
    report(consoleHost, unit(2), 'RUNNING');
    report(consoleHost, unit(4), 'ABNORMAL');
    const seen = report(consoleHost, unit(6), 'ABNORMAL');
    const operator = await apiAs(consoleHost, 'operator');
    await expect.poll(async () => (await operator.post(`/runs/${consoleHost.name}/${seen}/ack`, { comment: 'on it' })).status, { timeout: 30_000 }).toBe(200);
    await operator.dispose();
    await signIn(page, 'guest');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.goto(`/display/preview?scope=${scopeId}`);
    await expect(page.getByTestId('wall-connection')).toHaveText('ライブ');
    await expect(page.getByTestId(`wall-tile-${names[6]}`)).toHaveAttribute('data-acknowledged', 'true');
    await expect(page.getByTestId(`wall-tile-${names[6]}`).getByTitle('確認済み')).toBeVisible();
    await expect(page.getByTestId(`wall-tile-${names[4]}`)).toContainText('異常検出終了');
    // Abnormal ends first, the one nobody acknowledged before the one acknowledged.
    await expect.poll(async () => (await tileNames(page)).slice(0, 3)).toEqual([names[4], names[6], names[2]]);
    await page.screenshot({ path: 'screenshots/wall-12-ja-1080p.png', animations: 'disabled' });
  });
});
