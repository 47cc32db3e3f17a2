import { colourOf } from '../server/domain/status';
import { apiAs, expect, signIn, test, uniqueName } from './fixtures';
import type { Page } from '@playwright/test';

/** Counts navigations of the page's main frame from now on: live changes must need none. */
function watchNavigations(page: Page): () => number {
  let count = 0;
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) count++;
  });
  return () => count;
}

test.describe('live status', () => {
  test('a tile follows a job through start and end without a reload', async ({ page, consoleHost }) => {
    const operator = await apiAs(consoleHost, 'operator');
    const scopeName = uniqueName('Live');
    const objectName = uniqueName('Nightly');
    const scope = await operator.post('/scopes', { name: scopeName });
    expect(scope.status).toBe(201);
    const created = await operator.post('/objects', { name: objectName, scopeId: scope.body.scope.id, host: consoleHost.name, unit: '/Demo/Net' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);

    await signIn(page, 'operator');
    const tile = page.getByTestId(`tile-${objectName}`);
    await expect(tile).toHaveAttribute('data-status', 'NONE');
    await expect(tile).toContainText('No status');
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
    const navigations = watchNavigations(page);

    const first = consoleHost.exec('/Demo/Net/job', 'sleep 2; exit 0');
    await expect(tile).toHaveAttribute('data-status', 'RUNNING');
    await expect(tile).toContainText('Now running');
    await expect(tile).toHaveAttribute('data-colour', colourOf('RUNNING'));
    expect((await first).code).toBe(0);
    await expect(tile).toHaveAttribute('data-status', 'NORMAL');
    await expect(tile).toContainText('Ended normally');
    await expect(tile).toHaveAttribute('data-colour', colourOf('NORMAL'));

    const second = consoleHost.exec('/Demo/Net/job', 'sleep 2; exit 12');
    await expect(tile).toHaveAttribute('data-status', 'RUNNING');
    expect((await second).code).toBe(12);
    await expect(tile).toHaveAttribute('data-status', 'ABNORMAL');
    await expect(tile).toContainText('Ended abnormally');
    await expect(tile).toHaveAttribute('data-colour', colourOf('ABNORMAL'));
    // The scope above takes the worst status below it and counts it.
    const scopeSection = page.getByTestId(`scope-${scopeName}`);
    await expect(scopeSection).toHaveAttribute('data-status', 'ABNORMAL');
    await expect(page.getByTestId(`counts-${scopeName}`).locator('[data-class="abnormal"]')).toHaveAttribute('data-count', '1');

    expect(navigations()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    await operator.dispose();
  });

  test('the view reconnects by itself after the manager restarts and catches up', async ({ page, consoleHost }) => {
    const operator = await apiAs(consoleHost, 'operator');
    const scope = await operator.post('/scopes', { name: uniqueName('Restart') });
    const objectName = uniqueName('Catch-up');
    expect((await operator.post('/objects', { name: objectName, scopeId: scope.body.scope.id, host: consoleHost.name, unit: '/Demo/Restart' })).status).toBe(201);
    await operator.dispose();

    await signIn(page, 'operator');
    const tile = page.getByTestId(`tile-${objectName}`);
    await expect(tile).toHaveAttribute('data-status', 'NONE');
    const navigations = watchNavigations(page);
    const connection = page.getByTestId('connection-state');

    await consoleHost.kill(consoleHost.manager, 'SIGTERM');
    await expect(connection).toHaveAttribute('data-phase', 'reconnecting');
    await expect(connection).toHaveText(new RegExp(`^Reconnecting to ${consoleHost.name} since \\d{2}:\\d{2}:\\d{2}$`));
    // The last known status stays on screen while the console is away.
    await expect(tile).toHaveAttribute('data-status', 'NONE');

    // A job ends while no manager runs: the agent keeps it until the manager is back.
    expect((await consoleHost.exec('/Demo/Restart/job', 'exit 0')).code).toBe(0);
    await consoleHost.startManager();
    await expect(connection).toHaveAttribute('data-phase', 'live', { timeout: 30_000 });
    await expect(tile).toHaveAttribute('data-status', 'NORMAL');
    await expect(page).toHaveURL(/\/monitor$/);
    expect(navigations()).toBe(0);
  });
});
