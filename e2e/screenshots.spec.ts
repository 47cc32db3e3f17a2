// Every view in both languages, on a console with something to show: saved to
// screenshots/<view>-<lang>.png for people to look at, and checked for what a
// screenshot would reveal: no sideways overflow, the page in its language.
import crypto from 'node:crypto';
import type { Page } from '@playwright/test';
import { apiAs, expect, FEED_TOKEN, signIn, startConsole, test, uniqueName } from './fixtures';
import { LANG_STORAGE_KEY } from '../components/i18n/lang-choice';
import { appendEvent } from '../server/spool/spool';
import { Screen } from '../server/testing/display-screen';

const LANGS = ['en', 'ja'] as const;

/**
 * Every start and end time of the list reads whole, the longest ones (with a date) among them, the
 * list itself does not scroll sideways, and any other text it cuts is whole in its tooltip.
 */
async function expectWholeTimes(page: Page): Promise<void> {
  const times = page.locator('[data-testid="list"] [role="gridcell"]:has(> time)');
  await expect(times.filter({ hasText: /\d{4}/ }).first()).toBeVisible();
  const cut = await times.evaluateAll((cells) => cells.filter((c) => c.scrollWidth > c.clientWidth).map((c) => c.textContent));
  expect(cut, 'times cut short').toEqual([]);
  const scroller = page.getByTestId('list-scroller');
  expect(await scroller.evaluate((el) => el.scrollWidth - el.clientWidth), 'the list scrolls sideways').toBeLessThanOrEqual(0);
  // A name, host or unit too long for its column shows an ellipsis, the whole of it in the tooltip.
  const text = page.locator('[data-testid="list"] [role="gridcell"]:not(:first-child):not(:has(time, button))');
  const untold = await text.evaluateAll((cells) => cells.filter((c) => c.scrollWidth > c.clientWidth && c.getAttribute('title') !== c.textContent).map((c) => c.textContent));
  expect(untold, 'cut without a tooltip').toEqual([]);
}

/**
 * The filter box shows its whole placeholder. An input does not overflow for its placeholder, and a
 * search box keeps room for its clear button beside the text: a copy of the box holding the
 * placeholder as its value, laid out in the same place, overflows just when the placeholder is cut.
 */
async function expectWholePlaceholder(page: Page): Promise<void> {
  const { text, over } = await page.getByTestId('list-q').evaluate((input: HTMLInputElement) => {
    const copy = input.cloneNode() as HTMLInputElement;
    copy.removeAttribute('data-testid');
    copy.value = input.placeholder;
    input.after(copy);
    const over = copy.scrollWidth - copy.clientWidth;
    copy.remove();
    return { text: input.placeholder, over };
  });
  expect(text).not.toBe('');
  expect(over, `the placeholder "${text}" is cut`).toBeLessThanOrEqual(0);
}

async function shoot(page: Page, name: string, lang: string): Promise<void> {
  await expect(page.locator('html')).toHaveAttribute('lang', lang);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${name} (${lang}) overflows sideways`).toBeLessThanOrEqual(0);
  await page.screenshot({ path: `screenshots/${name}-${lang}.png`, fullPage: false });
}

test.describe('screenshots', () => {
  test.describe.configure({ timeout: 240_000 });

  test('every view in English and Japanese', async ({ browser }, testInfo) => {
    // A console of its own: what the views show (and whether they fit) is this test's content alone.
    const consoleHost = await startConsole(`e2e-shots${testInfo.workerIndex}`);
    try {
      const operator = await apiAs(consoleHost, 'operator');
      const admin = await apiAs(consoleHost, 'admin');
      const tag = Date.now().toString(36);
      const billing = await operator.post('/scopes', { name: uniqueName('Billing') });
      const daily = await operator.post('/scopes', { name: 'Daily', parentId: billing.body.scope.id });
      const ops = await operator.post('/scopes', { name: uniqueName('Operations') });
      const unit = (name: string) => `/Shot${tag}/${name}`;
      const objects = [
        { name: 'Invoices', scopeId: daily.body.scope.id, unit: unit('Invoices') },
        { name: 'Settlement', scopeId: daily.body.scope.id, unit: unit('Settlement') },
        { name: 'Reminders', scopeId: daily.body.scope.id, unit: unit('Reminders') },
        { name: 'Statements', scopeId: daily.body.scope.id, unit: unit('Statements') },
        { name: 'Backup', scopeId: ops.body.scope.id, unit: unit('Backup') },
        { name: 'Archive', scopeId: ops.body.scope.id, unit: unit('Archive') },
      ];
      for (const o of objects) expect((await operator.post('/objects', { ...o, host: consoleHost.name })).status).toBe(201);
      const far = `far${tag}`;
      expect((await admin.post('/hosts', { name: far, address: '127.0.0.1', feedPort: 9, token: FEED_TOKEN })).status).toBe(201);
      expect((await operator.post('/objects', { name: 'Remote ledger', scopeId: billing.body.scope.id, host: far, unit: '/Ledger' })).status).toBe(201);

      await consoleHost.exec(`${unit('Invoices')}/extract`, 'echo 1200 invoices; exit 0');
      await consoleHost.exec(`${unit('Invoices')}/print`, 'exit 0');
      await consoleHost.exec(`${unit('Settlement')}/load`, 'echo "table locked" >&2; exit 9');
      await consoleHost.exec(`${unit('Reminders')}/mail`, 'exit 2', ['--warning-above', '1', '--abend-above', '5']);
      await consoleHost.exec(`${unit('Archive')}/zip`, 'exit 3');
      const running = consoleHost.exec(`${unit('Backup')}/copy`, 'sleep 45; exit 0');
      // A run of more than a day ago: the list writes its times with their dates, its longest form.
      const statement = { host: consoleHost.name, unit: `${unit('Statements')}/print`, execId: crypto.randomUUID(), runId: null, node: 'e2e', pid: null, signal: null, outputTail: null, reason: null };
      const dayAgo = Date.now() - 26 * 3600_000;
      appendEvent(consoleHost.spoolFile, { ...statement, kind: 'start', status: 'RUNNING', at: new Date(dayAgo).toISOString(), exitCode: null });
      appendEvent(consoleHost.spoolFile, { ...statement, kind: 'end', status: 'NORMAL', at: new Date(dayAgo + 754_000).toISOString(), exitCode: 0 });
      // The run's end reaches the console's store through the feed a moment after it ended (its start may come first).
      let archived = '';
      await expect
        .poll(async () => {
          const { runs } = (await operator.get(`/runs?host=${consoleHost.name}&unit=${unit('Archive')}&below=1`)).body as { runs: { execId: string; status: string }[] };
          return (archived = runs.find((r) => r.status === 'ABNORMAL')?.execId ?? '');
        })
        .not.toBe('');
      expect((await operator.post(`/runs/${consoleHost.name}/${archived}/ack`, { comment: 'known, rerun tonight' })).status).toBe(200);

      // A wall display, enrolled by the code its screen got.
      const screen = new Screen(consoleHost.url);
      const { code } = (await screen.pair()).body;
      expect((await admin.post('/displays', { code, name: 'Operations room', scopeId: billing.body.scope.id, settings: { rotate: true, timeZone: 'Asia/Tokyo' } })).status).toBe(201);
      expect((await screen.poll()).body.state).toBe('enrolled');

      for (const lang of LANGS) {
        const context = await browser.newContext({ baseURL: consoleHost.url, viewport: { width: 1440, height: 900 } });
        await context.addInitScript(([key, value]) => window.localStorage.setItem(key, value), [LANG_STORAGE_KEY, lang] as const);
        const page = await context.newPage();
        await page.goto('/login');
        await shoot(page, 'login', lang);
        await signIn(page, 'admin');
        await expect(page.getByTestId('nav-scope-Daily')).toBeVisible();
        await shoot(page, 'monitor', lang);
        await page.getByTestId('open-Settlement').click();
        await expect(page.getByTestId('history-row').first()).toBeVisible();
        await shoot(page, 'detail', lang);
        await page.getByTestId('view-map').click();
        await expect(page.getByTestId('map')).toBeVisible();
        await shoot(page, 'map', lang);
        await page.getByTestId('nav-open-Daily').click();
        await page.getByTestId('view-list').click();
        await expect(page.getByTestId('list')).toBeVisible();
        await expectWholeTimes(page);
        await expectWholePlaceholder(page);
        await shoot(page, 'list', lang);
        // The window the console is made for at its smallest: the list fits beside the tree in either
        // mode, the wider tree of definition mode and the column of the actions included.
        await page.setViewportSize({ width: 1280, height: 800 });
        await expectWholeTimes(page);
        await expectWholePlaceholder(page);
        await shoot(page, 'list-1280', lang);
        await page.getByTestId('define-toggle').click();
        await expect(page.getByTestId('list-edit-object-Settlement')).toBeVisible();
        await expectWholeTimes(page);
        await expectWholePlaceholder(page);
        await shoot(page, 'list-define', lang);
        // Unit rows have no Edit and Delete, and columns of their own.
        await page.getByTestId('list-rows-units').click();
        await expect(page.getByTestId(`list-row-${unit('Settlement')}/load`)).toBeVisible();
        await expectWholeTimes(page);
        await shoot(page, 'list-define-units', lang);
        await page.getByTestId('list-rows-objects').click();
        await page.setViewportSize({ width: 1440, height: 900 });
        await page.getByTestId('view-overview').click();
        await page.getByTestId('edit-object-Settlement').click();
        await expect(page.locator('dialog[open]')).toBeVisible();
        await shoot(page, 'object-dialog', lang);
        await page.keyboard.press('Escape');
        await page.getByTestId('define-toggle').click();
        await page.getByTestId('nav-hosts').click();
        await expect(page.getByTestId('hosts-table')).toBeVisible();
        await shoot(page, 'hosts', lang);
        await page.getByTestId('nav-users').click();
        await expect(page.getByTestId('users-table')).toBeVisible();
        await shoot(page, 'users', lang);
        await page.getByTestId('nav-audit').click();
        await expect(page).toHaveURL(/\/audit$/);
        await page.waitForLoadState('networkidle');
        await shoot(page, 'audit', lang);
        await page.getByTestId('nav-displays').click();
        await expect(page.getByTestId('display-Operations room')).toBeVisible();
        await shoot(page, 'displays', lang);
        await context.close();
      }
      await operator.dispose();
      await admin.dispose();
      await running;
    } finally {
      await consoleHost.stop();
    }
  });
});
