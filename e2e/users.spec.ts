// User administration and the audit log in the browser: an admin creates,
// changes, resets and disables users and ends sessions, and the browsers of
// those users follow at once, as do other admins' Users pages and audit logs;
// the audit log shows who did it; nobody else gets either page's data.
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { apiAs, expect, loginFrom, signIn, test, uniqueLoopback, uniqueName, type ApiClient, type ConsoleHost } from './fixtures';

/** User names allow letters, digits and _ . @ - only. */
const userName = (prefix: string) => uniqueName(prefix).replace(/\s+/g, '.');

async function signInAs(page: Page, name: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByTestId('login-user').fill(name);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

/** A second browser of its own (cookies and all), signed in as `name`, watching the monitor live. */
async function watcher(browser: Browser, consoleHost: ConsoleHost, name: string, password: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: consoleHost.url });
  const page = await context.newPage();
  await signInAs(page, name, password);
  await expect(page).toHaveURL(/\/monitor$/);
  await expect(page.getByTestId('current-user')).toContainText(name);
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-phase', 'live');
  return { context, page };
}

async function openUsers(page: Page): Promise<void> {
  await page.getByTestId('nav-users').click();
  await expect(page).toHaveURL(/\/users$/);
  await expect(page.getByTestId('users-table')).toBeVisible();
}

async function patchUser(admin: ApiClient, id: number, body: unknown): Promise<number> {
  const res = await admin.request.patch(`/api/v1/users/${id}`, { data: body, headers: { 'x-csrf-token': admin.csrfToken } });
  return res.status();
}

test.describe('users', () => {
  test('an admin creates a user, sets the role and a new password; disabling the user ends their browser at once', async ({ page, browser, consoleHost }) => {
    const name = userName('watcher');
    await signIn(page, 'admin');
    await openUsers(page);

    // The server's rules, beside the fields they concern.
    await page.getByTestId('new-user-name').fill(name);
    await page.getByTestId('new-user-password').fill('short');
    await page.getByTestId('new-user-role').selectOption('guest');
    await page.getByTestId('new-user-submit').click();
    await expect(page.getByTestId('new-user-password-error')).toContainText('at least 8 characters');
    await expect(page.getByTestId(`user-${name}`)).toHaveCount(0);

    await page.getByTestId('new-user-password').fill('first-password-1');
    await page.getByTestId('new-user-submit').click();
    await expect(page.getByTestId('new-user-done')).toContainText(name);
    await expect(page.getByTestId('new-user-password-error')).toHaveCount(0);
    const row = page.getByTestId(`user-${name}`);
    await expect(row).toHaveAttribute('data-role', 'guest');
    await expect(row.getByTestId(`user-${name}-state`)).toHaveText(/Enabled/);

    // The same name again: refused beside the name.
    await page.getByTestId('new-user-name').fill(name.toUpperCase());
    await page.getByTestId('new-user-password').fill('another-password-1');
    await page.getByTestId('new-user-submit').click();
    await expect(page.getByTestId('new-user-name-error')).toContainText('already exists');

    // Role: guest → operator.
    await row.getByTestId(`user-${name}-role`).selectOption('operator');
    await row.getByTestId(`user-${name}-set-role`).click();
    await expect(row).toHaveAttribute('data-role', 'operator');
    await expect(page.getByTestId(`user-${name}-done`)).toContainText(`${name} is now operator`);

    // A new password, in the dialog: too short first, then a good one.
    await row.getByTestId(`user-${name}-reset`).click();
    const dialog = page.getByTestId('password-dialog');
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId('password-new')).toBeFocused();
    await dialog.getByTestId('password-new').fill('tiny');
    await dialog.getByTestId('password-submit').click();
    await expect(dialog.getByTestId('password-new-error')).toContainText('at least 8 characters');
    await dialog.getByTestId('password-new').fill('second-password-2');
    await dialog.getByTestId('password-submit').click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId(`user-${name}-done`)).toContainText(`New password set for ${name}`);

    // The user signs in with the new password elsewhere and watches the monitor live.
    const other = await watcher(browser, consoleHost, name, 'second-password-2');
    await expect(other.page.getByTestId('current-user')).toHaveAttribute('data-role', 'operator');
    await page.getByTestId('users-refresh').click();
    await expect(row.getByTestId(`user-${name}-sessions`)).toHaveText('1');

    // Disabled: that browser is sent to sign in within seconds, with no one touching it.
    await row.getByTestId(`user-${name}-disable`).click();
    await row.getByTestId(`user-${name}-disable-confirm`).click();
    const disabledAt = Date.now();
    await expect(row).toHaveAttribute('data-disabled', 'true');
    await expect(row.getByTestId(`user-${name}-state`)).toHaveText(/Disabled/);
    await expect(row.getByTestId(`user-${name}-sessions`)).toHaveText('0');
    await expect(other.page).toHaveURL(/\/login$/, { timeout: 10_000 });
    expect(Date.now() - disabledAt).toBeLessThan(10_000);

    // …and cannot come back.
    await other.page.getByTestId('login-user').fill(name);
    await other.page.getByTestId('login-password').fill('second-password-2');
    await other.page.getByTestId('login-submit').click();
    await expect(other.page.getByTestId('login-error')).toBeVisible();
    await expect(other.page).toHaveURL(/\/login$/);

    // Enabled again, from the same row.
    await row.getByTestId(`user-${name}-enable`).click();
    await expect(row).toHaveAttribute('data-disabled', 'false');
    await other.context.close();
  });

  test('the console refuses to disable the admin’s own account, and says so', async ({ page }) => {
    await signIn(page, 'admin');
    await openUsers(page);
    const me = page.getByTestId('user-admin');
    await me.getByTestId('user-admin-disable').click();
    await me.getByTestId('user-admin-disable-confirm').click();
    await expect(page.getByTestId('user-admin-error')).toContainText('You cannot disable your own account');
    await expect(page.getByTestId('user-admin-error')).toContainText('Refused');
    await expect(me).toHaveAttribute('data-disabled', 'false');

    await me.getByTestId('user-admin-role').selectOption('guest');
    await me.getByTestId('user-admin-set-role').click();
    await expect(page.getByTestId('user-admin-error')).toContainText('You cannot drop your own admin role');
    await expect(me).toHaveAttribute('data-role', 'admin');
  });

  test('an admin ends a session from the sessions table and that browser goes to sign in', async ({ page, browser, consoleHost }) => {
    const admin = await apiAs(consoleHost, 'admin');
    const name = userName('ended');
    expect((await admin.post('/users', { name, password: 'session-password-1', role: 'guest' })).status).toBe(201);
    await admin.dispose();
    const other = await watcher(browser, consoleHost, name, 'session-password-1');

    await signIn(page, 'admin');
    await openUsers(page);
    const sessions = page.getByTestId('sessions-table');
    // The admin's own session is marked and cannot be ended from here.
    const mine = sessions.locator('[data-testid="session-row"][data-current="true"]');
    await expect(mine).toHaveCount(1);
    await expect(mine).toHaveAttribute('data-user', 'admin');
    await expect(mine.getByTestId('session-current')).toHaveText(/This session/);
    await expect(mine.getByTestId('session-end')).toHaveCount(0);

    const theirs = sessions.locator(`[data-testid="session-row"][data-user="${name}"]`);
    await expect(theirs).toHaveCount(1);
    await theirs.getByTestId('session-end').click();
    await theirs.getByTestId('session-end-confirm').click();
    await expect(page.getByTestId('sessions-done')).toContainText(name);
    await expect(theirs).toHaveCount(0);
    await expect(other.page).toHaveURL(/\/login$/, { timeout: 10_000 });
    await other.context.close();
  });

  test('a user created in one browser appears at once on another admin’s Users page and audit log, with no reload', async ({ page, browser, consoleHost }) => {
    const name = userName('seen');
    // The watching admin: a browser of its own with the Users page and the audit log open side by side.
    const watching = await browser.newContext({ baseURL: consoleHost.url });
    const users = await watching.newPage();
    await signIn(users, 'admin');
    await openUsers(users);
    await expect(users.getByTestId('sessions-table')).toBeVisible();
    const audit = await watching.newPage();
    await audit.goto('/audit');
    await expect(audit.getByTestId('audit-table')).toBeVisible();
    await expect(audit.getByTestId('connection-state')).toHaveAttribute('data-phase', 'live');
    const adminSessions = users.locator('[data-testid="session-row"][data-user="admin"]');
    const sessionsBefore = await adminSessions.count();
    // A page that reloads loses this.
    for (const p of [users, audit]) await p.evaluate(() => document.documentElement.setAttribute('data-kept', 'yes'));

    // The acting admin signs in elsewhere and creates the user.
    await signIn(page, 'admin');
    await openUsers(page);
    await page.getByTestId('new-user-name').fill(name);
    await page.getByTestId('new-user-password').fill('seen-password-1');
    await page.getByTestId('new-user-role').selectOption('operator');
    await page.getByTestId('new-user-submit').click();
    await expect(page.getByTestId('new-user-done')).toContainText(name);

    await expect(users.getByTestId(`user-${name}`)).toHaveAttribute('data-role', 'operator');
    await expect(adminSessions).toHaveCount(sessionsBefore + 1);
    const creation = audit.locator(`[data-testid="audit-row"][data-action="user.create"][data-target="${name}"]`);
    await expect(creation).toHaveCount(1);
    await expect(creation).toContainText('Role: operator');
    for (const p of [users, audit]) await expect(p.locator('html')).toHaveAttribute('data-kept', 'yes');
    await watching.close();
  });

  test('the audit log lists sign-ins and user changes, newest first, by action and a page at a time, both kept in the URL', async ({ page, consoleHost }) => {
    const admin = await apiAs(consoleHost, 'admin');
    const name = userName('audited');
    const created = await admin.post('/users', { name, password: 'audited-password-1', role: 'guest' });
    expect(created.status).toBe(201);
    // More changes than one page holds.
    for (let i = 0; i < 52; i++) expect(await patchUser(admin, created.body.user.id, { role: i % 2 ? 'guest' : 'operator' })).toBe(200);
    await admin.dispose();

    await signIn(page, 'admin');
    await page.getByTestId('nav-audit').click();
    await expect(page).toHaveURL(/\/audit$/);
    const rows = page.getByTestId('audit-row');
    // Newest first: the sign-in of this page is the latest entry.
    await expect(rows.first()).toHaveAttribute('data-action', 'login');
    await expect(rows.first()).toHaveAttribute('data-user', 'admin');
    await expect(rows.first()).toContainText('Signed in');
    await expect(rows.first().locator('time')).toHaveText(/^\d{2}:\d{2}:\d{2}$/);
    await expect(page.locator(`[data-testid="audit-row"][data-action="user.update"][data-target="${name}"]`).first()).toContainText('User changed');

    // Only user.create: the creation is there and nothing else is.
    await page.getByTestId('audit-action').selectOption('user.create');
    await expect(page).toHaveURL(/\/audit\?action=user\.create$/);
    const creation = page.locator(`[data-testid="audit-row"][data-action="user.create"][data-target="${name}"]`);
    await expect(creation).toHaveCount(1);
    await expect(creation).toContainText('User created');
    await expect(creation).toContainText('Role: guest');
    await expect(page.locator('[data-testid="audit-row"]:not([data-action="user.create"])')).toHaveCount(0);

    // Only user.update: a full page, then the older ones.
    await page.getByTestId('audit-action').selectOption('user.update');
    const updates = page.locator(`[data-testid="audit-row"][data-action="user.update"][data-target="${name}"]`);
    await expect(rows).toHaveCount(50);
    await expect(page.locator('[data-testid="audit-row"]:not([data-action="user.update"])')).toHaveCount(0);
    await page.getByTestId('audit-older').click();
    await expect(page).toHaveURL(/\/audit\?action=user\.update&pages=2$/);
    await expect(updates).toHaveCount(52);
    await expect(rows).not.toHaveCount(50);
    await expect(updates.first()).toContainText('Role: operator → guest');
    await expect(updates.last()).toContainText('Role: guest → operator');
    await expect(page.locator('[data-testid="audit-row"]:not([data-action="user.update"])')).toHaveCount(0);

    // A reload keeps the filter and both pages.
    await page.reload();
    await expect(page.getByTestId('audit-action')).toHaveValue('user.update');
    await expect(updates).toHaveCount(52);
    await expect(page.locator('[data-testid="audit-row"]:not([data-action="user.update"])')).toHaveCount(0);

    // Back: one page again, then the earlier filter; Forward: the filter once more.
    await page.goBack();
    await expect(page).toHaveURL(/\/audit\?action=user\.update$/);
    await expect(rows).toHaveCount(50);
    await page.goBack();
    await expect(page).toHaveURL(/\/audit\?action=user\.create$/);
    await expect(page.getByTestId('audit-action')).toHaveValue('user.create');
    await expect(creation).toHaveCount(1);
    await page.goForward();
    await expect(page.getByTestId('audit-action')).toHaveValue('user.update');
    await expect(rows).toHaveCount(50);

    // Back to everything.
    await page.getByTestId('audit-action').selectOption('');
    await expect(page).toHaveURL(/\/audit$/);
    await expect(page.locator('[data-testid="audit-row"][data-action="login"]').first()).toBeVisible();

    // A link opens the same view; one with an unknown action or page count opens everything.
    await page.goto('/audit?action=user.create');
    await expect(page.getByTestId('audit-action')).toHaveValue('user.create');
    await expect(creation).toHaveCount(1);
    await page.goto('/audit?action=user.nonsense&pages=lots');
    await expect(page.getByTestId('audit-action')).toHaveValue('');
    await expect(page.locator('[data-testid="audit-row"][data-action="login"]').first()).toBeVisible();
  });

  for (const role of ['guest', 'operator'] as const) {
    test(`${role === 'operator' ? 'an' : 'a'} ${role} sees no Users or Audit log, and the server refuses both`, async ({ page, consoleHost }) => {
      await signIn(page, role);
      await expect(page.getByTestId('nav-monitor')).toBeVisible();
      await expect(page.getByTestId('nav-users')).toHaveCount(0);
      await expect(page.getByTestId('nav-audit')).toHaveCount(0);

      // Opened by address: a plain notice, and no data.
      await page.goto('/users');
      await expect(page.getByTestId('admins-only')).toContainText('Admins only');
      await expect(page.getByTestId('users-table')).toHaveCount(0);
      await page.goto('/audit');
      await expect(page.getByTestId('admins-only')).toBeVisible();
      await expect(page.getByTestId('audit-table')).toHaveCount(0);

      // From the page, with its own session, as a hand-made request would.
      const statuses = await page.evaluate(async () => {
        const get = async (path: string) => (await fetch(path)).status;
        return { users: await get('/api/v1/users'), audit: await get('/api/v1/audit'), sessions: await get('/api/v1/sessions') };
      });
      expect(statuses).toEqual({ users: 403, audit: 403, sessions: 403 });
      const client = await apiAs(consoleHost, role);
      expect((await client.get('/users')).status).toBe(403);
      expect((await client.get('/audit')).status).toBe(403);
      await client.dispose();
    });
  }

  test('an account under attack from many addresses is marked on the Users page at once, in English and Japanese', async ({ page, consoleHost }) => {
    const admin = await apiAs(consoleHost, 'admin');
    const name = userName('target');
    expect((await admin.post('/users', { name, password: 'target-password-1', role: 'guest' })).status).toBe(201);
    await admin.dispose();

    await signIn(page, 'admin');
    await openUsers(page);
    const row = page.getByTestId(`user-${name}`);
    await expect(row).toHaveAttribute('data-attacked', 'false');
    await page.evaluate(() => document.documentElement.setAttribute('data-kept', 'yes'));

    // Ten wrong passwords from ten addresses (none of them the browser's): an attack. The page follows, with no reload.
    for (let i = 0; i < 10; i++) expect(await loginFrom(consoleHost, uniqueLoopback(), name, `guess-${i}`)).toBe(401);
    await expect(row).toHaveAttribute('data-attacked', 'true');
    const mark = row.getByTestId(`user-${name}-attack`);
    await expect(mark).toContainText('Under attack');
    await expect(mark).toContainText(/10 failed sign-ins from 10 addresses since \d{2}:\d{2}/);
    await expect(mark).toHaveAttribute('data-failures', '10');
    await expect(page.locator('html')).toHaveAttribute('data-kept', 'yes');
    await expect(page.getByTestId('user-admin')).toHaveAttribute('data-attacked', 'false');

    await page.getByTestId('language').selectOption('ja');
    await expect(mark).toContainText('攻撃を受けています');
    await expect(mark).toContainText(/\d{2}:\d{2}.* から 10 か所の接続元で 10 回ログインに失敗/);

    // The audit log words it in the chosen language, once for the attack.
    await page.getByTestId('nav-audit').click();
    await page.getByTestId('audit-action').selectOption('login.attack');
    const entry = page.locator(`[data-testid="audit-row"][data-action="login.attack"][data-user="${name}"]`);
    await expect(entry).toHaveCount(1);
    await expect(entry).toContainText('アカウントへの攻撃を検知');
    await expect(entry).toContainText('ログイン失敗: 10');
    await expect(entry).toContainText('接続元の数: 10');
    await page.getByTestId('language').selectOption('en');
    await expect(entry).toContainText('Account under attack');
    await expect(entry).toContainText('Failed sign-ins: 10; Addresses: 10; Since: ');
  });

  test('the Users and Audit log pages in Japanese', async ({ page }) => {
    await signIn(page, 'admin');
    await openUsers(page);
    await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
    await page.getByTestId('language').selectOption('ja');
    await expect(page.getByRole('heading', { level: 1, name: 'ユーザー' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'コンソールユーザー' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'ユーザーの作成' })).toBeVisible();
    await expect(page.getByRole('heading', { name: '有効なセッション' })).toBeVisible();
    await expect(page.getByTestId('user-admin-state')).toHaveText(/有効/);
    await expect(page.getByTestId('new-user-submit')).toHaveText('ユーザーを作成');

    await page.getByTestId('nav-audit').click();
    await expect(page.getByRole('heading', { level: 1, name: '監査ログ' })).toBeVisible();
    await expect(page.getByRole('columnheader', { name: '操作' })).toBeVisible();
    await expect(page.locator('[data-testid="audit-row"][data-action="login"]').first()).toContainText('ログイン');
  });
});
