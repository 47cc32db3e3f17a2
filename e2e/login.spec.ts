import { expect, startConsole, test, USERS } from './fixtures';
import { TestHost } from '../server/testing/test-host';

test.describe('login', () => {
  test('a wrong password shows one error for any user name and stays on /login', async ({ page }) => {
    await page.goto('/login');
    await page.getByTestId('login-user').fill(USERS.operator.name);
    await page.getByTestId('login-password').fill('not-the-password');
    await page.getByTestId('login-submit').click();
    const error = page.getByTestId('login-error');
    await expect(error).toHaveText('Wrong user name or password');
    await expect(page).toHaveURL(/\/login$/);
    // The password is cleared for the next try; the user name stays.
    await expect(page.getByTestId('login-password')).toHaveValue('');
    await expect(page.getByTestId('login-user')).toHaveValue(USERS.operator.name);

    // A user name that does not exist gets the very same message.
    await page.getByTestId('login-user').fill('nobody-here');
    await page.getByTestId('login-password').fill('whatever-password');
    await page.getByTestId('login-submit').click();
    await expect(error).toHaveText('Wrong user name or password');
    await expect(page).toHaveURL(/\/login$/);
  });

  test('a correct login lands on /monitor; logging out ends the session', async ({ page, consoleHost }) => {
    // Without a session the console sends /monitor to the login page.
    await page.goto('/monitor');
    await expect(page).toHaveURL(/\/login$/);
    // The connection host defaults to the host the page came from.
    await expect(page.getByTestId('login-host')).toHaveValue('127.0.0.1');
    await page.getByTestId('login-user').fill(USERS.operator.name);
    await page.getByTestId('login-password').fill(USERS.operator.password);
    await page.getByTestId('login-submit').click();
    await expect(page).toHaveURL(/\/monitor$/);
    await expect(page.getByTestId('current-user')).toHaveAttribute('data-role', 'operator');
    await expect(page.getByTestId('console-host')).toHaveText(consoleHost.name);
    await expect(page.getByTestId('connection-state')).toHaveText('Live');

    await page.getByTestId('logout').click();
    await expect(page).toHaveURL(/\/login$/);
    await page.goto('/monitor');
    await expect(page).toHaveURL(/\/login$/);
  });

  test('the connection host: errors for unknown and unreachable hosts, the last one used is remembered', async ({ page, consoleHost }) => {
    await page.goto('/login#user=operator');
    await expect(page.getByTestId('login-user')).toHaveValue('operator');
    await page.getByTestId('login-password').fill(USERS.operator.password);
    const host = page.getByTestId('login-host');
    const error = page.getByTestId('login-error');

    await host.fill('no-such-console.invalid');
    await page.getByTestId('login-submit').click();
    await expect(error).toContainText('no-such-console.invalid');
    await expect(page).toHaveURL(/\/login/);

    // Not a console this one knows: refused without the console calling there.
    await host.fill(`127.0.0.2:${consoleHost.managerPort}`);
    await page.getByTestId('login-submit').click();
    await expect(error).toContainText('not a console host this console knows');
    await expect(page).toHaveURL(/\/login/);

    // "localhost" resolves to this console's address: it signs in here, and is remembered.
    await host.fill('localhost');
    await page.getByTestId('login-submit').click();
    await expect(page).toHaveURL(/\/monitor$/);
    await page.getByTestId('logout').click();
    await expect(page).toHaveURL(/\/login$/);
    await expect(page.getByTestId('login-host')).toHaveValue('localhost');
  });

  test('naming a known console hands the browser over with the user name, never the password', async ({ page }) => {
    test.setTimeout(180_000);
    const other = await startConsole(`e2e-other${test.info().workerIndex}`);
    // This console knows the other one as its peer; the worker's own console does not.
    const first = await TestHost.create(`e2e-first${test.info().workerIndex}`, '127.0.0.1', undefined, ['--console-peers', `127.0.0.1:${other.managerPort}`]);
    try {
      await first.startAgent();
      await first.startManager();
      await page.goto(`${first.url}/login`);
      await page.getByTestId('login-user').fill(USERS.guest.name);
      await page.getByTestId('login-password').fill(USERS.guest.password);
      await page.getByTestId('login-host').fill(`127.0.0.1:${other.managerPort}`);
      await page.getByTestId('login-submit').click();
      await expect(page).toHaveURL(`${other.url}/login#user=${USERS.guest.name}`);
      await expect(page.getByTestId('login-user')).toHaveValue(USERS.guest.name);
      await expect(page.getByTestId('login-password')).toHaveValue('');
      expect(page.url()).not.toContain(USERS.guest.password);

      await page.getByTestId('login-password').fill(USERS.guest.password);
      await page.getByTestId('login-submit').click();
      await expect(page).toHaveURL(`${other.url}/monitor`);
      await expect(page.getByTestId('console-host')).toHaveText(other.name);
      expect(other.name).not.toBe(first.name);
    } finally {
      await first.stop();
      await other.stop();
    }
  });
});
