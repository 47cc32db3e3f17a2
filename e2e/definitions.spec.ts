import { expect, signIn, test, uniqueName } from './fixtures';

test.describe('definitions', () => {
  test('an operator creates a scope, a nested scope and a monitoring object through the UI', async ({ page, consoleHost }) => {
    const parentName = uniqueName('Billing');
    const childName = uniqueName('Daily');
    const objectName = uniqueName('Invoices');

    await signIn(page, 'operator');
    await page.getByTestId('define-toggle').click();
    await expect(page.getByTestId('definitions-panel')).toBeVisible();
    // Host registration is for admins only.
    await expect(page.getByTestId('new-host-form')).toHaveCount(0);

    await page.getByTestId('new-scope-name').fill(parentName);
    await page.getByTestId('new-scope-submit').click();
    const parent = page.getByTestId(`scope-${parentName}`);
    await expect(parent).toBeVisible();
    await expect(parent).toHaveAttribute('data-status', 'NONE');

    await page.getByTestId('new-scope-name').fill(childName);
    await page.getByTestId('new-scope-parent').selectOption({ label: parentName });
    await page.getByTestId('new-scope-submit').click();
    await expect(parent.getByTestId(`scope-${childName}`)).toBeVisible();

    await page.getByTestId('new-object-name').fill(objectName);
    await page.getByTestId('new-object-scope').selectOption({ label: `\u00a0\u00a0${childName}` });
    await page.getByTestId('new-object-host').selectOption(consoleHost.name);
    // A unit path the server refuses: its reason shows beside the field.
    await page.getByTestId('new-object-unit').fill('Billing/Invoices');
    await page.getByTestId('new-object-submit').click();
    await expect(page.getByTestId('new-object-unit-error')).toContainText('must start with /');
    await expect(page.getByTestId(`tile-${objectName}`)).toHaveCount(0);

    await page.getByTestId('new-object-unit').fill('/Billing/Invoices');
    await page.getByTestId('new-object-submit').click();
    const tile = parent.getByTestId(`scope-${childName}`).getByTestId(`tile-${objectName}`);
    await expect(tile).toBeVisible();
    await expect(tile).toHaveAttribute('data-status', 'NONE');
    await expect(tile).toContainText(consoleHost.name);
    await expect(tile).toContainText('/Billing/Invoices');
    await expect(page.getByTestId('new-object-unit-error')).toHaveCount(0);

    // Stored, not only shown: still there after a reload.
    await page.reload();
    await expect(page.getByTestId(`tile-${objectName}`)).toBeVisible();

    await page.getByTestId('define-toggle').click();
    await page.getByTestId(`delete-object-${objectName}`).click();
    await page.getByTestId(`delete-object-${objectName}-confirm`).click();
    await expect(page.getByTestId(`tile-${objectName}`)).toHaveCount(0);
    await expect(page.getByTestId(`scope-${childName}`)).toBeVisible();
  });

  test('an admin registers a monitored host; the server checks the token', async ({ page }) => {
    const hostName = `jobhost-${Date.now().toString(36)}`;
    await signIn(page, 'admin');
    await page.getByTestId('define-toggle').click();
    await page.getByTestId('new-host-name').fill(hostName);
    await page.getByTestId('new-host-address').fill('127.0.0.1');
    await page.getByTestId('new-host-port').fill('7421');
    await page.getByTestId('new-host-token').fill('short');
    await page.getByTestId('new-host-submit').click();
    await expect(page.getByTestId('new-host-token-error')).toContainText('16');
    await expect(page.getByTestId(`host-${hostName}`)).toHaveCount(0);

    await page.getByTestId('new-host-token').fill('a-long-enough-feed-token');
    await page.getByTestId('new-host-submit').click();
    await expect(page.getByTestId(`host-${hostName}`)).toBeVisible();
    // The new host is now a target for monitoring objects.
    await expect(page.getByTestId('new-object-host').locator(`option[value="${hostName}"]`)).toHaveCount(1);
  });
});
