import { apiAs, expect, loginFrom, signIn, test, uniqueLoopback, uniqueName } from './fixtures';

test.describe('status names in the browser language', () => {
  test.use({ locale: 'ja-JP' });

  test('a Japanese browser shows the Japanese status names', async ({ page, consoleHost }) => {
    const operator = await apiAs(consoleHost, 'operator');
    const scope = await operator.post('/scopes', { name: uniqueName('Lang') });
    const objectName = uniqueName('Nichiji');
    expect((await operator.post('/objects', { name: objectName, scopeId: scope.body.scope.id, host: consoleHost.name, unit: '/Demo/Lang' })).status).toBe(201);
    await operator.dispose();

    await signIn(page, 'operator');
    const tile = page.getByTestId(`tile-${objectName}`);
    await expect(tile.getByTestId(`tile-status-${objectName}`)).toHaveText('ステータスなし');
    expect((await consoleHost.exec('/Demo/Lang/job', 'exit 0')).code).toBe(0);
    await expect(tile.getByTestId(`tile-status-${objectName}`)).toHaveText('正常終了');
  });

  test('sign-in speaks Japanese too, and English is one choice away', async ({ page }) => {
    await page.goto('/login');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('コンソールにログイン');
    await page.getByTestId('login-user').fill('operator');
    await page.getByTestId('login-password').fill('not-the-password');
    await page.getByTestId('login-submit').click();
    await expect(page.getByTestId('login-error')).toHaveText('ユーザー名またはパスワードが正しくありません');
    await page.getByTestId('language').selectOption('en');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in to a console');
    await signIn(page, 'operator');
    await expect(page.getByTestId('nav-monitor')).toHaveText('Monitor');
  });

  test('the console answers in Japanese too: field messages and the audit log', async ({ page, consoleHost }) => {
    const stranger = uniqueName('nobody').replace(/ /g, '-');
    const from = uniqueLoopback();
    expect(await loginFrom(consoleHost, from, stranger, 'not-a-password')).toBe(401);

    await signIn(page, 'admin');
    await page.getByTestId('define-toggle').click();
    await page.getByTestId('new-scope').click();
    await page.getByTestId('scope-submit').click();
    await expect(page.getByTestId('scope-name-error')).toHaveText('名前は必須です');
    await page.keyboard.press('Escape');

    await page.getByTestId('nav-audit').click();
    await page.getByTestId('audit-action').selectOption('login.refused');
    // A name that is no account (a password typed in the wrong field?) is shown by its marker only.
    const row = page.locator('[data-testid="audit-row"]').filter({ hasText: `接続元: ${from}` });
    await expect(row).toContainText('ログイン拒否');
    await expect(row).toContainText('理由: 不明なユーザー');
    await expect(row).toContainText(/不明な名前 #[0-9a-f]{8}/);
    await expect(row).not.toContainText(stranger);
  });
});
