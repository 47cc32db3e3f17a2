// Flags in the View, against a real console: expectations set for the coming minute raise a start
// delay and a missed run; one wait for the clock, then tiles, scope counts, the tree, the list, the
// map, the detail (with its acknowledgement and the unit's usual duration), an enrolled wall
// display and its preview show them, in English and Japanese. Screenshots in screenshots/flags-*.
import { apiAs, expect, signIn, test, uniqueName, type ApiClient } from './fixtures';
import { enrolScreen, report, tileNames } from './wall';

/** The first whole minute (UTC, "HH:MM") at least 25 seconds away: the expectation is set before its occurrence. */
function comingMinute(now = new Date()): string {
  const at = new Date(Math.ceil((now.getTime() + 25_000) / 60_000) * 60_000);
  return at.toISOString().slice(11, 16);
}

async function putExpectation(api: ApiClient, objectId: number, expectation: unknown): Promise<void> {
  const res = await api.request.put(`/api/v1/objects/${objectId}/expectation`, { data: expectation, headers: { 'x-csrf-token': api.csrfToken } });
  expect(res.status(), await res.text()).toBe(200);
}

test.describe('flags', () => {
  test('a start delay and a missed run show on every view and on the wall, and an operator acknowledges one', async ({ page, browser, consoleHost }) => {
    test.setTimeout(300_000);
    const operator = await apiAs(consoleHost, 'operator');
    const prefix = uniqueName('Flags');
    const tag = prefix.replace(/\W/g, '');
    const scope = (await operator.post('/scopes', { name: prefix })).body.scope;
    const child = (await operator.post('/scopes', { name: `${prefix} Night`, parentId: scope.id })).body.scope;
    const elsewhere = (await operator.post('/scopes', { name: `${prefix} Elsewhere` })).body.scope;
    const object = async (name: string, scopeId: number, unit: string) => {
      const created = await operator.post('/objects', { name, scopeId, host: consoleHost.name, unit });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      return created.body.object as { id: number; name: string };
    };
    const late = await object(`${prefix} Late`, scope.id, `/${tag}/Late`);
    const skipped = await object(`${prefix} Skipped`, child.id, `/${tag}/Skipped`);
    const steady = await object(`${prefix} Steady`, scope.id, `/${tag}/Steady`);
    const broken = await object(`${prefix} Broken`, scope.id, `/${tag}/Broken`);
    const outside = await object(`${prefix} Outside`, elsewhere.id, `/${tag}/Outside`);

    // Steady: five short runs and a long one, all normal; its usual duration is the median of the last five.
    for (let i = 0; i < 5; i++) expect((await consoleHost.exec(`/${tag}/Steady`, 'sleep 0.3')).code).toBe(0);
    expect((await consoleHost.exec(`/${tag}/Steady`, 'sleep 2')).code).toBe(0);
    await putExpectation(operator, steady.id, { schedule: { times: ['00:00'] }, timeZone: 'UTC', learned: { percentile: 50, lastN: 5 } });
    report(consoleHost, `/${tag}/Broken/job`, 'ABNORMAL');

    // Late must start within a minute of the coming minute; Skipped and Outside count as missed a minute after it.
    const minute = comingMinute();
    await putExpectation(operator, late.id, { schedule: { times: [minute] }, timeZone: 'UTC', startBy: { afterMinutes: 1 }, missedAfterMinutes: 30 });
    for (const o of [skipped, outside]) await putExpectation(operator, o.id, { schedule: { times: [minute] }, timeZone: 'UTC', missedAfterMinutes: 1 });
    await operator.dispose();

    // Before the wait: the operator's page on the scope, a guest's, and a screen enrolled on the scope.
    await signIn(page, 'operator');
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`/monitor?scope=${scope.id}`);
    const guestContext = await browser.newContext({ baseURL: consoleHost.url });
    const guest = await guestContext.newPage();
    await signIn(guest, 'guest');
    const screenContext = await browser.newContext({ baseURL: consoleHost.url, viewport: { width: 1920, height: 1080 } });
    const screen = await screenContext.newPage();
    await enrolScreen(screen, consoleHost, { name: uniqueName('Flag wall'), scopeId: scope.id });

    // The one wait: the deadlines come about two minutes after the expectations were set.
    const lateTile = page.getByTestId(`tile-${late.name}`);
    await expect(lateTile).toHaveAttribute('data-flags', 'open', { timeout: 200_000 });
    const skippedTile = page.getByTestId(`tile-${skipped.name}`);
    await expect(skippedTile).toHaveAttribute('data-flags', 'open', { timeout: 30_000 });

    // Tiles: the mark and the name on top of the status, which keeps its colour.
    await expect(lateTile).toHaveAttribute('data-status', 'NONE');
    await expect(page.getByTestId(`flags-${late.name}`).locator('[data-flag="start-delay"]')).toHaveText(/⇢\s*Start delay/);
    await expect(page.getByTestId(`flags-${skipped.name}`).locator('[data-flag="missed"]')).toHaveText(/⊘\s*Missed/);
    await expect(page.getByTestId(`tile-${steady.name}`)).toHaveAttribute('data-flags', 'none');
    // Counts: per kind, in the scope's header, the overview and the tree; the other scope's object is not counted here.
    const counts = page.getByTestId(`flag-counts-${prefix}`);
    await expect(counts.locator('[data-flag="start-delay"]')).toHaveAttribute('data-raised', '1');
    await expect(counts.locator('[data-flag="missed"]')).toHaveAttribute('data-raised', '1');
    await expect(page.getByTestId('flag-counts-selected').locator('[data-flag="missed"]')).toHaveAttribute('data-open', '1');
    await expect(page.getByTestId(`nav-flag-counts-${prefix} Night`).locator('[data-flag="missed"]')).toHaveAttribute('data-raised', '1');
    await expect(page.getByTestId(`nav-flag-counts-${prefix} Elsewhere`).locator('[data-flag="missed"]')).toHaveAttribute('data-raised', '1');
    await page.screenshot({ path: 'screenshots/flags-tiles-en.png' });

    // The wall: the flagged tiles right after the abnormal end; the header counts the scope's flags only.
    await expect(screen.getByTestId('wall-flag-counts').locator('[data-flag="start-delay"]')).toHaveAttribute('data-open', '1');
    await expect(screen.getByTestId('wall-flag-counts').locator('[data-flag="missed"]')).toHaveAttribute('data-raised', '1');
    await expect.poll(() => tileNames(screen)).toEqual([broken.name, late.name, `${prefix} Night`, steady.name]);
    await expect(screen.getByTestId(`wall-flags-${late.name}`)).toContainText('Start delay');
    // Its mark shows beside a status name that is not cut: four tiles on a 1080p screen leave no room for the flag's name too.
    await expect(screen.getByTestId(`wall-flags-${late.name}`).locator('[data-flag="start-delay"]:visible')).toContainText('⇢');
    const statusCut = await screen.getByTestId(`wall-tile-${late.name}`).evaluate((tile) => {
      const name = [...tile.querySelectorAll('p > span')].find((s) => s.textContent === 'No status')!;
      return name.scrollWidth > name.clientWidth;
    });
    expect(statusCut).toBe(false);
    await expect(screen.getByTestId(`wall-flags-${prefix} Night`).locator('[data-flag="missed"]')).toContainText('1');
    await screen.screenshot({ path: 'screenshots/flags-wall-en-1080p.png' });

    // The list and the map.
    await page.getByTestId('view-list').click();
    await expect(page.getByTestId(`list-row-${late.name}`).getByTestId('row-flags').locator('[data-flag="start-delay"]')).toHaveAttribute('data-acknowledged', 'false');
    await page.screenshot({ path: 'screenshots/flags-list-en.png' });
    await page.getByTestId('view-map').click();
    await expect(page.getByTestId(`map-flags-${late.name}`).locator('[data-flag="start-delay"]')).toBeVisible();
    await expect(page.getByTestId(`map-flag-counts-${prefix} Night`).locator('[data-flag="missed"]')).toHaveAttribute('data-raised', '1');
    await page.screenshot({ path: 'screenshots/flags-map-en.png' });
    await page.getByTestId('view-overview').click();

    // The detail: the flag with its times; a guest is offered no acknowledgement, an operator is.
    await guest.goto(`/monitor?scope=${scope.id}&object=${late.id}`);
    await expect(guest.getByTestId('detail-flag-start-delay')).toBeVisible();
    await expect(guest.getByTestId('flag-ack-open-start-delay')).toHaveCount(0);
    await page.getByTestId(`open-${late.name}`).click();
    const flag = page.getByTestId('detail').getByTestId('detail-flag-start-delay');
    await expect(flag).toContainText(`expected start ${minute}`);
    await flag.getByRole('button', { name: 'Acknowledge Start delay' }).click();
    await flag.getByTestId('flag-ack-comment').fill('batch window moved tonight');
    await flag.getByTestId('flag-ack-submit').click();
    await expect(flag.getByTestId('flag-ack-line-start-delay')).toContainText('Acknowledged by operator');
    await expect(flag.getByTestId('flag-ack-line-start-delay')).toContainText('batch window moved tonight');
    await expect(flag).toHaveAttribute('data-acknowledged', 'true');
    await page.screenshot({ path: 'screenshots/flags-detail-en.png' });

    // Settled everywhere at once: the tile keeps its status, the counts and the wall follow.
    await expect(lateTile).toHaveAttribute('data-flags', 'acknowledged');
    await expect(lateTile.locator('[data-flag="start-delay"]')).toHaveAttribute('data-acknowledged', 'true');
    await expect(guest.getByTestId('detail-flag-start-delay')).toHaveAttribute('data-acknowledged', 'true');
    await expect(counts.locator('[data-flag="start-delay"]')).toHaveAttribute('data-open', '0');
    await expect(screen.getByTestId('wall-flag-counts').locator('[data-flag="start-delay"]')).toHaveAttribute('data-open', '0');
    await expect.poll(() => tileNames(screen)).toEqual([broken.name, `${prefix} Night`, steady.name, late.name]);

    // The usual duration beside each run, and the long run marked.
    await page.getByTestId(`open-${steady.name}`).click();
    const detail = page.getByTestId('detail');
    await expect(detail.getByTestId('learned')).toHaveText(/^Usual: 0\.\d s, p50 of the last 5 normal ends$/);
    // The newest run is the long one (a short one a few ms over the median is marked too: it is longer).
    const newest = detail.getByTestId('history-row').first();
    await expect(newest).toHaveAttribute('data-longer', 'true');
    await expect(newest.getByTestId('history-duration')).toHaveText(/^2(\.\d)? s ▲ \(longer than usual\)$/);

    // Japanese: the same, in its words.
    await page.getByTestId('language').selectOption('ja');
    await expect(detail.getByTestId('learned')).toContainText('通常の所要時間');
    await page.getByTestId(`open-${late.name}`).click();
    await expect(page.getByTestId(`flags-${skipped.name}`)).toContainText('未実行');
    await expect(page.getByTestId('detail').getByTestId('detail-flag-start-delay')).toContainText('開始遅延');
    await page.screenshot({ path: 'screenshots/flags-detail-ja.png' });
    await page.getByTestId('detail-close').click();
    await page.screenshot({ path: 'screenshots/flags-tiles-ja.png' });
    await guest.goto(`/display/preview?scope=${scope.id}&lang=ja`);
    await guest.setViewportSize({ width: 1920, height: 1080 });
    await expect(guest.getByTestId('wall-flag-counts')).toContainText('未実行');
    await guest.screenshot({ path: 'screenshots/flags-wall-ja-1080p.png' });

    await guestContext.close();
    await screenContext.close();
  });
});
