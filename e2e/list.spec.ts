import crypto from 'node:crypto';
import type { Page } from '@playwright/test';
import { appendEvent } from '../server/spool/spool';
import { freePort } from '../server/testing/test-host';
import { apiAs, expect, FEED_TOKEN, signIn, test, uniqueName, type ConsoleHost } from './fixtures';

/** A business scope with monitoring objects (on the console's own host unless told), made through the API. */
async function scopeWith(consoleHost: ConsoleHost, prefix: string, objects: { name: string; unit: string; host?: string }[]): Promise<{ scopeId: number; ids: Record<string, number> }> {
  const operator = await apiAs(consoleHost, 'operator');
  const scope = await operator.post('/scopes', { name: uniqueName(prefix) });
  expect(scope.status, JSON.stringify(scope.body)).toBe(201);
  const ids: Record<string, number> = {};
  for (const o of objects) {
    const created = await operator.post('/objects', { name: o.name, scopeId: scope.body.scope.id, host: o.host ?? consoleHost.name, unit: o.unit });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    ids[o.name] = created.body.object.id;
  }
  await operator.dispose();
  return { scopeId: scope.body.scope.id, ids };
}

/** The names of the rows in the DOM, top to bottom. */
const rowNames = (page: Page) =>
  page.locator('[data-testid="list"] [data-row]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid')!.slice('list-row-'.length)));

async function openList(page: Page, scopeId: number, extra = ''): Promise<void> {
  await page.goto(`/monitor?scope=${scopeId}&view=list${extra}`);
  await expect(page.getByTestId('list')).toBeVisible();
}

function report(consoleHost: ConsoleHost, unit: string, status: string) {
  return consoleHost.must(['report', '-h', consoleHost.name, '--unit', unit, '--status', status]);
}

test.describe('list view', () => {
  test('lists the scope’s objects and follows a job live without a reload', async ({ page, consoleHost }) => {
    const net = uniqueName('Nightly');
    const other = uniqueName('Weekly');
    const { scopeId } = await scopeWith(consoleHost, 'List live', [
      { name: net, unit: '/ListLive/Net' },
      { name: other, unit: '/ListLive/Other' },
    ]);
    await signIn(page, 'operator');
    await page.goto(`/monitor?scope=${scopeId}`);
    await page.getByTestId('view-list').click();
    await expect(page).toHaveURL(new RegExp(`\\?scope=${scopeId}&view=list$`));
    await expect(page.getByTestId('view-list')).toHaveAttribute('aria-selected', 'true');
    const row = page.getByTestId(`list-row-${net}`);
    await expect(row).toHaveAttribute('data-status', 'NONE');
    await expect(row).toContainText('No status');
    await expect(row).toContainText('/ListLive/Net');
    await expect(row).toContainText(consoleHost.name);
    await expect(page.getByTestId(`list-row-${other}`)).toBeVisible();
    await expect(page.getByTestId('list-count')).toHaveAttribute('data-shown', '2');

    let navigations = 0;
    page.on('framenavigated', (frame) => frame === page.mainFrame() && navigations++);
    const first = consoleHost.exec('/ListLive/Net/job', 'sleep 2; exit 0');
    await expect(row).toHaveAttribute('data-status', 'RUNNING');
    await expect(row).toContainText('Now running');
    expect((await first).code).toBe(0);
    await expect(row).toHaveAttribute('data-status', 'NORMAL');
    await expect(row).toContainText('Ended normally');
    // Start and end in the operator's time zone.
    await expect(row.locator('[role="gridcell"]').nth(4)).toHaveText(/^\d{2}:\d{2}:\d{2}$/);
    await expect(row.locator('[role="gridcell"]').nth(5)).toHaveText(/^\d{2}:\d{2}:\d{2}$/);

    expect((await consoleHost.exec('/ListLive/Net/job', 'exit 3')).code).toBe(3);
    await expect(row).toHaveAttribute('data-status', 'ABNORMAL');
    // Worst first: the abnormal end is now the first row.
    await expect.poll(() => rowNames(page)).toEqual([net, other]);
    expect(navigations).toBe(0);
  });

  test('sorting and filtering change the rows and the URL, and the URL reproduces the view', async ({ page, consoleHost }) => {
    const admin = await apiAs(consoleHost, 'admin');
    const otherHost = `listother-${Date.now().toString(36)}`;
    // Registered but never reachable: its object stays without status and turns stale.
    const registered = await admin.post('/hosts', { name: otherHost, address: '127.0.0.1', feedPort: await freePort(), token: FEED_TOKEN });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    await admin.dispose();

    const [alpha, bravo, charlie, delta] = ['Alpha', 'Bravo', 'Charlie', 'Delta'].map((n) => uniqueName(n));
    const { scopeId } = await scopeWith(consoleHost, 'List sort', [
      { name: alpha, unit: '/ListSort/a' },
      { name: bravo, unit: '/ListSort/b' },
      { name: charlie, unit: '/ListSort/c' },
      { name: delta, unit: '/ListSort/d', host: otherHost },
    ]);
    await report(consoleHost, '/ListSort/a', 'NORMAL');
    await report(consoleHost, '/ListSort/b', 'ABNORMAL');
    await report(consoleHost, '/ListSort/c', 'WARNING');

    await signIn(page, 'operator');
    await openList(page, scopeId);
    // By status, worst first.
    await expect.poll(() => rowNames(page)).toEqual([bravo, charlie, alpha, delta]);
    await expect(page.getByTestId(`list-row-${delta}`).getByTestId('row-stale')).toBeVisible();

    await page.getByTestId('list-sort-name').click();
    await expect(page).toHaveURL(/[?&]sort=name(&|$)/);
    await expect.poll(() => rowNames(page)).toEqual([alpha, bravo, charlie, delta]);
    await expect(page.getByRole('columnheader', { name: /Name/ })).toHaveAttribute('aria-sort', 'ascending');
    await page.getByTestId('list-sort-name').click();
    await expect(page).toHaveURL(/[?&]dir=desc(&|$)/);
    await expect.poll(() => rowNames(page)).toEqual([delta, charlie, bravo, alpha]);

    // Summary class chips, with their counts.
    await expect(page.getByTestId('list-class-abnormal')).toHaveAttribute('data-count', '1');
    await expect(page.getByTestId('list-class-normal')).toHaveAttribute('data-count', '1');
    await page.getByTestId('list-class-warning').click();
    await page.getByTestId('list-class-abnormal').click();
    await expect(page).toHaveURL(/[?&]class=abnormal%2Cwarning(&|$)/);
    await expect(page.getByTestId('list-class-abnormal')).toHaveAttribute('aria-pressed', 'true');
    await expect.poll(() => rowNames(page)).toEqual([charlie, bravo]);

    // Start time: what ran in the last hour stays; the object that never ran leaves.
    await page.getByTestId('list-class-warning').click();
    await page.getByTestId('list-class-abnormal').click();
    await page.getByTestId('list-since').selectOption('1h');
    await expect(page).toHaveURL(/[?&]since=1h(&|$)/);
    await expect.poll(() => rowNames(page)).toEqual([delta, charlie, bravo, alpha].filter((n) => n !== delta));
    await page.getByTestId('list-since').selectOption('');
    await expect.poll(() => rowNames(page)).toEqual([delta, charlie, bravo, alpha]);
    await page.getByTestId('list-class-warning').click();
    await page.getByTestId('list-class-abnormal').click();

    // Host.
    await page.getByTestId('list-host').selectOption(otherHost);
    await expect(page).toHaveURL(new RegExp(`[?&]host=${otherHost}(&|$)`));
    await expect(page.getByTestId('list-empty')).toBeVisible();
    await expect(page.getByTestId('list-class-uncounted')).toHaveAttribute('data-count', '1');
    await page.getByTestId('list-host').selectOption(consoleHost.name);
    await expect.poll(() => rowNames(page)).toEqual([charlie, bravo]);

    // Text on name or unit.
    await page.getByTestId('list-q').fill('charlie');
    await expect.poll(() => rowNames(page)).toEqual([charlie]);
    await expect(page).toHaveURL(/[?&]q=charlie(&|$)/);
    await page.getByTestId('list-q').fill('/ListSort/b');
    await expect.poll(() => rowNames(page)).toEqual([bravo]);
    await page.getByTestId('list-q').fill('r');
    await expect(page).toHaveURL(/[?&]q=r(&|$)/);
    await expect.poll(() => rowNames(page)).toEqual([charlie, bravo]);

    // A copied link opens the same view.
    const url = page.url();
    expect(new URL(url).search).toBe(`?scope=${scopeId}&view=list&class=abnormal%2Cwarning&host=${consoleHost.name}&q=r&sort=name&dir=desc`);
    const copy = await page.context().newPage();
    await copy.goto(url);
    await expect.poll(() => rowNames(copy)).toEqual([charlie, bravo]);
    await expect(copy.getByTestId('list-class-abnormal')).toHaveAttribute('aria-pressed', 'true');
    await expect(copy.getByTestId('list-class-warning')).toHaveAttribute('aria-pressed', 'true');
    await expect(copy.getByTestId('list-class-normal')).toHaveAttribute('aria-pressed', 'false');
    await expect(copy.getByTestId('list-host')).toHaveValue(consoleHost.name);
    await expect(copy.getByTestId('list-q')).toHaveValue('r');
    await expect(copy.getByRole('columnheader', { name: /Name/ })).toHaveAttribute('aria-sort', 'descending');
    await expect(copy.getByTestId('list-rows-objects')).toHaveAttribute('aria-pressed', 'true');
    await copy.close();
  });

  test('the units row kind lists the jobs reported below the objects', async ({ page, consoleHost }) => {
    const object = uniqueName('Unit net');
    const { scopeId } = await scopeWith(consoleHost, 'List units', [{ name: object, unit: '/ListUnits/Net' }]);
    expect((await consoleHost.exec('/ListUnits/Net/extract', 'exit 0')).code).toBe(0);
    expect((await consoleHost.exec('/ListUnits/Net/load', 'exit 5')).code).toBe(5);

    await signIn(page, 'operator');
    await openList(page, scopeId);
    await expect.poll(() => rowNames(page)).toEqual([object]);
    await page.getByTestId('list-rows-units').click();
    await expect(page).toHaveURL(/[?&]rows=units(&|$)/);
    await expect(page.getByTestId('list-rows-units')).toHaveAttribute('aria-pressed', 'true');
    await expect.poll(() => rowNames(page)).toEqual(['/ListUnits/Net/load', '/ListUnits/Net/extract']);
    const load = page.getByTestId('list-row-/ListUnits/Net/load');
    await expect(load).toHaveAttribute('data-status', 'ABNORMAL');
    await expect(load.locator('[role="gridcell"]').nth(3)).toHaveText(object);
    await expect(load.locator('[role="gridcell"]').nth(6)).toHaveText('5');
    const extract = page.getByTestId('list-row-/ListUnits/Net/extract');
    await expect(extract).toHaveAttribute('data-status', 'NORMAL');
    await expect(extract.locator('[role="gridcell"]').nth(6)).toHaveText('0');
    await expect(page.getByRole('columnheader', { name: 'Monitoring object' })).toBeVisible();

    // A new job shows up live.
    expect((await consoleHost.exec('/ListUnits/Net/check', 'exit 0')).code).toBe(0);
    await expect(page.getByTestId('list-row-/ListUnits/Net/check')).toHaveAttribute('data-status', 'NORMAL');

    await page.getByTestId('list-rows-objects').click();
    await expect(page).not.toHaveURL(/rows=/);
    await expect.poll(() => rowNames(page)).toEqual([object]);
  });

  test('clicking a row, or Enter on it, opens the detail of its object', async ({ page, consoleHost }) => {
    const first = uniqueName('Detail one');
    const second = uniqueName('Detail two');
    const { scopeId, ids } = await scopeWith(consoleHost, 'List detail', [
      { name: first, unit: '/ListDetail/One' },
      { name: second, unit: '/ListDetail/Two' },
    ]);
    await signIn(page, 'operator');
    await openList(page, scopeId);
    await page.getByTestId(`list-row-${first}`).click();
    const detail = page.getByTestId('detail');
    await expect(detail).toBeVisible();
    await expect(detail.locator('h2')).toHaveText(first);
    await expect(page).toHaveURL(new RegExp(`[?&]object=${ids[first]}(&|$)`));
    await expect(page.getByTestId(`list-row-${first}`)).toHaveAttribute('aria-selected', 'true');

    // Keyboard: the arrow moves to the next row, Enter opens it.
    await page.getByTestId(`list-row-${first}`).focus();
    await page.keyboard.press('ArrowDown');
    await expect(page.getByTestId(`list-row-${second}`)).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(detail.locator('h2')).toHaveText(second);
    await expect(page).toHaveURL(new RegExp(`[?&]object=${ids[second]}(&|$)`));

    await page.getByTestId('detail-close').click();
    await expect(detail).toHaveCount(0);
    await expect(page).not.toHaveURL(/object=/);
  });

  test('definition mode puts Edit, Expectation and Delete on object rows; a deleted object leaves the list live; monitoring mode shows no actions', async ({ page, consoleHost }) => {
    // Named so that the one deleted is the first row, the one the keyboard reaches.
    const drop = uniqueName('Drop');
    const stay = uniqueName('Stay');
    const { scopeId, ids } = await scopeWith(consoleHost, 'List define', [
      { name: drop, unit: '/ListDefine/Drop' },
      { name: stay, unit: '/ListDefine/Stay' },
    ]);
    await signIn(page, 'operator');
    await openList(page, scopeId);
    await expect.poll(() => rowNames(page)).toEqual([drop, stay]);
    const actions = page.locator('[data-testid^="list-edit-object-"], [data-testid^="list-delete-object-"]');
    await expect(actions).toHaveCount(0);
    await expect(page.getByRole('columnheader')).toHaveCount(7);

    await page.getByTestId('define-toggle').click();
    await expect(page.getByTestId('define-toggle')).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByRole('columnheader', { name: 'Actions' })).toHaveCount(1);
    await expect(page.getByTestId(`list-delete-object-${stay}`)).toHaveAttribute('aria-label', `Delete ${stay}`);
    let navigations = 0;
    page.on('framenavigated', (frame) => frame === page.mainFrame() && navigations++);

    // Edit: the object's own dialog; saving renames the row in place.
    await page.getByTestId(`list-edit-object-${stay}`).click();
    await expect(page.getByTestId('object-name')).toHaveValue(stay);
    const renamed = uniqueName('Stay');
    await page.getByTestId('object-name').fill(renamed);
    await page.getByTestId('object-submit').click();
    await expect(page.getByTestId('object-dialog')).toHaveCount(0);
    await expect.poll(() => rowNames(page)).toEqual([drop, renamed]);
    // An action is not a click on the row: no detail opened.
    await expect(page.getByTestId('detail')).toHaveCount(0);

    // Delete, keyboard only: from the row in the tab order to its actions, confirmed in the dialog.
    await page.getByTestId(`list-row-${drop}`).focus();
    await page.keyboard.press('Tab');
    await expect(page.getByTestId(`list-edit-object-${drop}`)).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(page.getByTestId(`list-expectation-object-${drop}`)).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(page.getByTestId(`list-delete-object-${drop}`)).toBeFocused();
    await page.keyboard.press('Enter');
    const confirm = page.getByTestId('delete-dialog');
    await expect(confirm).toContainText(drop);
    await page.keyboard.press('Escape');
    await expect(confirm).toHaveCount(0);
    await expect(page.getByTestId(`list-row-${drop}`)).toBeVisible();
    await expect(page.getByTestId(`list-delete-object-${drop}`)).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('delete-dialog-cancel')).toBeFocused();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect(confirm).toHaveCount(0);
    await expect(page.getByTestId(`list-row-${drop}`)).toHaveCount(0);
    await expect.poll(() => rowNames(page)).toEqual([renamed]);
    await expect(page.getByTestId('list-count')).toHaveAttribute('data-total', '1');
    await expect(page.getByTestId('detail')).toHaveCount(0);
    expect(navigations).toBe(0);
    const operator = await apiAs(consoleHost, 'operator');
    const defs = await operator.get('/definitions');
    expect(defs.body.objects.some((o: { id: number }) => o.id === ids[drop])).toBe(false);
    await operator.dispose();

    // Unit rows are runs, not definitions: no actions on them.
    await page.getByTestId('list-rows-units').click();
    await expect(page).toHaveURL(/[?&]rows=units(&|$)/);
    await expect(page.getByRole('columnheader', { name: 'Actions' })).toHaveCount(0);
    await expect(actions).toHaveCount(0);
    await page.getByTestId('list-rows-objects').click();
    await expect(page.getByTestId(`list-edit-object-${renamed}`)).toBeVisible();

    // Back in monitoring mode the actions are gone.
    await page.getByTestId('define-toggle').click();
    await expect(page.getByTestId('define-toggle')).toHaveAttribute('aria-pressed', 'false');
    await expect(page.getByTestId(`list-row-${renamed}`)).toBeVisible();
    await expect(actions).toHaveCount(0);
    await expect(page.getByRole('columnheader')).toHaveCount(7);
  });

  test('a large list keeps only a window of rows in the DOM', async ({ page, consoleHost }) => {
    test.setTimeout(180_000);
    const COUNT = 600;
    const object = uniqueName('Big net');
    const { scopeId } = await scopeWith(consoleHost, 'List big', [{ name: object, unit: '/ListBig/Net' }]);
    // The same append `jobscope report` makes, without starting a process per unit.
    for (let i = 0; i < COUNT; i++) {
      appendEvent(consoleHost.spoolFile, {
        host: consoleHost.name,
        unit: `/ListBig/Net/u${i}`,
        execId: crypto.randomUUID(),
        runId: null,
        kind: 'status',
        status: i % 50 === 7 ? 'ABNORMAL' : 'NORMAL',
        at: new Date().toISOString(),
        node: 'e2e',
        pid: null,
        exitCode: i % 50 === 7 ? 1 : 0,
        signal: null,
        outputTail: null,
        reason: null,
      });
    }
    await signIn(page, 'operator');
    await openList(page, scopeId, '&rows=units&sort=name');
    const count = page.getByTestId('list-count');
    await expect(count).toHaveAttribute('data-shown', String(COUNT), { timeout: 60_000 });
    const domRows = () => page.locator('[data-testid="list"] [data-row]').count();
    const windowSize = await domRows();
    expect(windowSize).toBeGreaterThan(5);
    expect(windowSize).toBeLessThan(80);
    await expect(page.getByTestId('list-row-/ListBig/Net/u0')).toBeVisible();
    await expect(page.getByTestId(`list-row-/ListBig/Net/u${COUNT - 1}`)).toHaveCount(0);

    // Scrolled to the end: the last rows replace the first ones.
    await page.getByTestId('list-scroller').evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await expect(page.getByTestId(`list-row-/ListBig/Net/u${COUNT - 1}`)).toBeVisible();
    await expect(page.getByTestId('list-row-/ListBig/Net/u0')).toHaveCount(0);
    expect(await domRows()).toBeLessThan(80);

    // Filtering the large list back to its abnormal ends.
    await page.getByTestId('list-class-abnormal').click();
    await expect(count).toHaveAttribute('data-shown', String(COUNT / 50));
    await expect(page.getByTestId('list-row-/ListBig/Net/u7')).toHaveAttribute('data-status', 'ABNORMAL');
  });

  test('the list speaks Japanese when the operator chooses it', async ({ page, consoleHost }) => {
    const object = uniqueName('Nihongo');
    const { scopeId } = await scopeWith(consoleHost, 'List lang', [{ name: object, unit: '/ListLang/Net' }]);
    await signIn(page, 'operator');
    await openList(page, scopeId);
    await expect(page.getByRole('columnheader')).toHaveText(['Status', 'Name', 'Host', 'Unit', 'Start', 'End', 'Exit code'].map((h) => new RegExp(`^${h}`)));
    await page.getByTestId('language').selectOption('ja');
    await expect(page.getByRole('columnheader')).toHaveText(['状態', '名前', 'ホスト', 'ユニット', '開始日時', '終了日時', '終了コード'].map((h) => new RegExp(`^${h}`)));
    await expect(page.getByTestId('list-rows-units')).toHaveText('ユニット');
    await expect(page.getByTestId('view-list')).toHaveText('リスト');
    await expect(page.getByTestId(`list-row-${object}`)).toContainText('ステータスなし');
    await page.getByTestId('list-rows-units').click();
    await expect(page.getByRole('columnheader', { name: '監視オブジェクト' })).toBeVisible();
    await expect(page.getByTestId('list-empty')).toHaveText('これらの監視オブジェクトの下で報告されたユニットはまだありません。');
  });
});
