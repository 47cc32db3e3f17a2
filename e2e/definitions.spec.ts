import type { Page } from '@playwright/test';
import { apiAs, expect, FEED_TOKEN, signIn, test, uniqueLoopback, uniqueName } from './fixtures';

async function startDefining(page: Page) {
  await page.getByTestId('define-toggle').click();
  await expect(page.getByTestId('define-toggle')).toHaveAttribute('aria-pressed', 'true');
}

test.describe('definitions', () => {
  test('an operator creates, edits and deletes scopes and objects through the dialogs', async ({ page, consoleHost }) => {
    const parentName = uniqueName('Billing');
    const childName = uniqueName('Daily');
    const objectName = uniqueName('Invoices');

    await signIn(page, 'operator');
    // The console opens in monitoring mode: nothing to change until definition mode.
    await expect(page.getByTestId('define-toggle')).toHaveAttribute('aria-pressed', 'false');
    await expect(page.getByTestId('new-scope')).toHaveCount(0);
    await startDefining(page);

    // A business scope: the server's reasons show beside the fields, and the dialog stays.
    await page.getByTestId('new-scope').click();
    const scopeDialog = page.getByTestId('scope-dialog');
    await expect(scopeDialog).toBeVisible();
    await expect(page.getByTestId('scope-name')).toBeFocused();
    await page.getByTestId('scope-submit').click();
    await expect(page.getByTestId('scope-name-error')).toHaveText('name is required');
    await expect(scopeDialog).toBeVisible();
    await page.getByTestId('scope-name').fill(parentName);
    await page.getByTestId('scope-comment').fill('month end');
    await page.getByTestId('scope-icon-database').check();
    await expect(page.getByTestId('scope-icon-preview')).toHaveAttribute('data-icon', 'database');
    await page.getByTestId('scope-submit').click();
    await expect(scopeDialog).toHaveCount(0);
    const parent = page.getByTestId(`scope-${parentName}`);
    await expect(parent).toBeVisible();
    await expect(parent).toHaveAttribute('data-status', 'NONE');
    await expect(parent).toContainText('month end');

    // A scope inside it, from the scope's own header: the parent is chosen already.
    await parent.getByTestId(`new-scope-in-${parentName}`).click();
    await expect(page.getByTestId('scope-parent')).toHaveValue(/\d+/);
    await expect(page.getByTestId('scope-parent').locator('option:checked')).toHaveText(parentName);
    await page.getByTestId('scope-name').fill(childName);
    await page.getByTestId('scope-submit').click();
    const child = parent.getByTestId(`scope-${childName}`);
    await expect(child).toBeVisible();

    // A monitoring object, from the scope tree.
    await page.getByTestId(`nav-new-object-in-${childName}`).click();
    const objectDialog = page.getByTestId('object-dialog');
    await expect(objectDialog).toBeVisible();
    await expect(page.getByTestId('object-scope').locator('option:checked')).toHaveText(`\u00a0\u00a0${childName}`);
    await page.getByTestId('object-name').fill(objectName);
    await page.getByTestId('object-host').selectOption(consoleHost.name);
    await page.getByTestId('object-unit').fill('Billing/Invoices');
    await page.getByTestId('object-submit').click();
    await expect(page.getByTestId('object-unit-error')).toContainText('must start with /');
    await page.getByTestId('object-unit').fill('/Billing/Invoices');
    await page.getByTestId('object-service').fill('1BAD');
    await page.getByTestId('object-submit').click();
    await expect(page.getByTestId('object-service-error')).toContainText('scheduler service "1BAD"');
    await expect(page.getByTestId('object-unit-error')).toHaveCount(0);
    await expect(page.getByTestId(`tile-${objectName}`)).toHaveCount(0);
    // The service is joined to the path as SERVICE:/path.
    await page.getByTestId('object-service').fill('AJSROOT1');
    await expect(page.getByTestId('object-unit-preview')).toHaveText(/AJSROOT1:\/Billing\/Invoices$/);
    await page.getByTestId('object-icon-calendar').check();
    await page.getByTestId('object-submit').click();
    await expect(objectDialog).toHaveCount(0);
    const tile = child.getByTestId(`tile-${objectName}`);
    await expect(tile).toBeVisible();
    await expect(tile).toHaveAttribute('data-status', 'NONE');
    await expect(tile).toContainText(consoleHost.name);
    await expect(tile).toContainText('AJSROOT1:/Billing/Invoices');
    await expect(tile.locator('svg[data-icon="calendar"]')).toHaveCount(1);

    // Stored, not only shown: still there after a reload.
    await page.reload();
    await expect(page.getByTestId(`tile-${objectName}`)).toBeVisible();
    await expect(page.getByTestId('define-toggle')).toHaveAttribute('aria-pressed', 'false');
    await startDefining(page);

    // Edit the object: its fields come back as they were, the host may be given by address.
    const renamed = uniqueName('Receipts');
    await page.getByTestId(`edit-object-${objectName}`).click();
    await expect(page.getByTestId('object-name')).toHaveValue(objectName);
    await expect(page.getByTestId('object-service')).toHaveValue('AJSROOT1');
    await expect(page.getByTestId('object-unit')).toHaveValue('/Billing/Invoices');
    await expect(page.getByTestId('object-host')).toHaveValue(consoleHost.name);
    await expect(page.getByTestId('object-icon-calendar')).toBeChecked();
    await page.getByTestId('object-name').fill(renamed);
    await page.getByTestId('object-host').selectOption('*');
    await page.getByTestId('object-host-other').fill(consoleHost.address);
    await page.getByTestId('object-service').fill('');
    await page.getByTestId('object-submit').click();
    await expect(objectDialog).toHaveCount(0);
    await expect(child.getByTestId(`tile-${renamed}`)).toContainText(consoleHost.name);
    const renamedTile = page.getByTestId(`tile-${renamed}`);
    await expect(renamedTile.locator('.tile-unit')).toHaveText('/Billing/Invoices');
    await expect(page.getByTestId(`tile-${objectName}`)).toHaveCount(0);

    // Edit the scope: name and icon.
    const childRenamed = uniqueName('Nightly');
    await page.getByTestId(`nav-edit-scope-${childName}`).click();
    await expect(page.getByTestId('scope-name')).toHaveValue(childName);
    await expect(page.getByTestId('scope-icon-scope')).toBeChecked();
    await page.getByTestId('scope-name').fill(childRenamed);
    await page.getByTestId('scope-icon-cloud').check();
    await page.getByTestId('scope-submit').click();
    await expect(parent.getByTestId(`scope-${childRenamed}`)).toBeVisible();
    await expect(parent.getByTestId(`scope-${childRenamed}`).locator('svg[data-icon="cloud"]').first()).toBeVisible();

    // Delete, with confirmation: Cancel keeps the object.
    await page.getByTestId(`delete-object-${renamed}`).click();
    const confirm = page.getByTestId('delete-dialog');
    await expect(confirm).toContainText(renamed);
    await page.getByTestId('delete-dialog-cancel').click();
    await expect(confirm).toHaveCount(0);
    await expect(renamedTile).toBeVisible();
    await page.getByTestId(`delete-object-${renamed}`).click();
    await page.getByTestId('delete-dialog-confirm').click();
    await expect(renamedTile).toHaveCount(0);
    await expect(page.getByTestId(`scope-${childRenamed}`)).toBeVisible();

    // A scope goes with what is inside it, as the dialog says.
    await page.getByTestId(`nav-delete-scope-${parentName}`).click();
    await expect(confirm).toContainText('1 scope and 0 monitoring objects');
    await page.getByTestId('delete-dialog-confirm').click();
    await expect(parent).toHaveCount(0);
    await expect(page.getByTestId(`nav-scope-${parentName}`)).toHaveCount(0);
  });

  test('a target host given by address: one registered host there is taken, several or none are refused beside the field', async ({ page, consoleHost }) => {
    const admin = await apiAs(consoleHost, 'admin');
    const shared = uniqueLoopback();
    const twins = [`twin-a-${Date.now().toString(36)}`, `twin-b-${Date.now().toString(36)}`];
    for (const name of twins) expect((await admin.post('/hosts', { name, address: shared, feedPort: 9, token: FEED_TOKEN })).status).toBe(201);
    const scopeName = uniqueName('Targets');
    const scope = await admin.post('/scopes', { name: scopeName });
    expect(scope.status).toBe(201);

    await signIn(page, 'operator');
    await startDefining(page);
    await page.getByTestId(`new-object-in-${scopeName}`).click();
    await page.getByTestId('object-name').fill(uniqueName('Twin'));
    await page.getByTestId('object-unit').fill('/Twin');
    await page.getByTestId('object-host').selectOption('*');
    await page.getByTestId('object-host-other').fill(shared);
    await page.getByTestId('object-submit').click();
    await expect(page.getByTestId('object-host-error')).toContainText(`several registered hosts have this address (${twins.join(', ')})`);
    await page.getByTestId('object-host-other').fill(uniqueLoopback());
    await page.getByTestId('object-submit').click();
    await expect(page.getByTestId('object-host-error')).toContainText('not a registered monitored host name or address');
    await page.getByTestId('object-host-other').fill('no such/host');
    await page.getByTestId('object-submit').click();
    await expect(page.getByTestId('object-host-error')).toHaveText('target host must be a logical host name or an address');
    // Named, one of the twins is fine.
    await page.getByTestId('object-host').selectOption(twins[1]);
    await page.getByTestId('object-submit').click();
    await expect(page.getByTestId('object-dialog')).toHaveCount(0);
    await expect(page.getByTestId(`scope-${scopeName}`).locator('.tile-host')).toHaveText(twins[1]);

    expect((await admin.request.delete(`/api/v1/scopes/${scope.body.scope.id}`, { headers: { 'x-csrf-token': admin.csrfToken } })).status()).toBe(204);
    for (const name of twins) expect((await admin.request.delete(`/api/v1/hosts/${name}`, { headers: { 'x-csrf-token': admin.csrfToken } })).status()).toBe(204);
    await admin.dispose();
  });

  test('a scope’s mail recipients and what notifies are set in its dialog, a refused address named beside the field', async ({ page, consoleHost }) => {
    const admin = await apiAs(consoleHost, 'admin');
    const scopeName = uniqueName('Mailed');
    const scope = await admin.post('/scopes', { name: scopeName });
    expect(scope.status).toBe(201);

    await signIn(page, 'operator');
    await startDefining(page);
    await page.getByTestId(`nav-edit-scope-${scopeName}`).click();
    await expect(page.getByTestId('scope-webhook')).toContainText('Webhook: none');
    await expect(page.getByTestId('scope-notify-abnormal')).toBeChecked();
    await expect(page.getByTestId('scope-notify-flags')).not.toBeChecked();
    await page.getByTestId('scope-mail-to').fill('ops@example.com\nnot an address, oncall@example.jp');
    await page.getByTestId('scope-notify-flags').check();
    await page.getByTestId('scope-submit').click();
    await expect(page.getByTestId('scope-mail-to-error')).toHaveText('not an address: not a mail address (name@example.com)');
    await expect(page.getByTestId('scope-dialog')).toBeVisible();
    await page.getByTestId('scope-mail-to').fill('ops@example.com\noncall@example.jp');
    await page.getByTestId('scope-submit').click();
    await expect(page.getByTestId('scope-dialog')).toHaveCount(0);

    const listed = (await admin.get('/definitions')).body.scopes.find((s: { id: number }) => s.id === scope.body.scope.id);
    expect(listed).toMatchObject({ mailTo: ['ops@example.com', 'oncall@example.jp'], webhookFilter: 'abnormal,flags', hasWebhook: false });
    await page.getByTestId(`nav-edit-scope-${scopeName}`).click();
    await expect(page.getByTestId('scope-mail-to')).toHaveValue('ops@example.com\noncall@example.jp');
    await expect(page.getByTestId('scope-notify-flags')).toBeChecked();
    await expect(page.getByTestId('scope-notify-warning')).not.toBeChecked();

    expect((await admin.request.delete(`/api/v1/scopes/${scope.body.scope.id}`, { headers: { 'x-csrf-token': admin.csrfToken } })).status()).toBe(204);
    await admin.dispose();
  });

  test('keyboard only: a dialog opens, takes the typing, submits with Enter and closes with Escape', async ({ page }) => {
    const name = uniqueName('Keyboard');
    await signIn(page, 'operator');
    await page.getByTestId('define-toggle').focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('define-toggle')).toHaveAttribute('aria-pressed', 'true');

    await page.getByTestId('new-scope').focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByTestId('scope-dialog');
    await expect(dialog).toBeVisible();
    await expect(page.getByTestId('scope-name')).toBeFocused();
    // The dialog is modal: tabbing goes round its own controls, never to the page behind.
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement === document.body || document.activeElement?.closest('dialog[open]') !== null)).toBe(true);
    }
    await page.getByTestId('scope-name').focus();
    await page.keyboard.type(name);
    await page.keyboard.press('Tab');
    await expect(page.getByTestId('scope-comment')).toBeFocused();
    await page.keyboard.type('typed');
    await page.keyboard.press('Enter');
    await expect(dialog).toHaveCount(0);
    const section = page.getByTestId(`scope-${name}`);
    await expect(section).toBeVisible();
    await expect(section).toContainText('typed');

    // Escape closes without saving, and focus goes back to the button that opened it.
    await page.getByTestId(`edit-scope-${name}`).focus();
    await page.keyboard.press('Enter');
    await expect(dialog).toBeVisible();
    await expect(page.getByTestId('scope-name')).toBeFocused();
    await page.keyboard.type(' changed');
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    await expect(page.getByTestId(`edit-scope-${name}`)).toBeFocused();
    await expect(page.getByTestId(`scope-${name} changed`)).toHaveCount(0);
    await expect(section).toBeVisible();

    // Delete it again, keyboard only.
    await page.getByTestId(`delete-scope-${name}`).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('delete-dialog-cancel')).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(page.getByTestId('delete-dialog-confirm')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(section).toHaveCount(0);
  });

  test('the dialogs speak Japanese when the top bar says so', async ({ page, consoleHost }) => {
    const operator = await apiAs(consoleHost, 'operator');
    const scopeName = uniqueName('Nihongo');
    expect((await operator.post('/scopes', { name: scopeName })).status).toBe(201);
    await operator.dispose();

    await signIn(page, 'operator');
    await page.getByTestId('language').selectOption('ja');
    await expect(page.getByTestId('define-toggle')).toHaveText('定義モード');
    await startDefining(page);
    await expect(page.getByTestId('define-toggle')).toHaveText('監視モード');

    await page.getByTestId(`new-scope-in-${scopeName}`).click();
    const scopeDialog = page.getByTestId('scope-dialog');
    await expect(scopeDialog.getByRole('heading')).toHaveText('業務スコープの作成');
    await expect(scopeDialog.getByLabel('名前', { exact: true })).toBeFocused();
    await expect(scopeDialog.getByLabel('コメント')).toBeVisible();
    await expect(scopeDialog.getByRole('group', { name: 'アイコン' })).toBeVisible();
    await expect(scopeDialog.getByRole('radio', { name: 'データベース' })).toBeVisible();
    await expect(scopeDialog.getByLabel('親スコープ')).toBeVisible();
    await expect(page.getByTestId('scope-submit')).toHaveText('作成');
    await page.getByTestId('scope-submit').click();
    await expect(page.getByTestId('scope-name-error')).toBeVisible();
    await page.getByTestId('scope-cancel').click();
    await expect(scopeDialog).toHaveCount(0);

    await page.getByTestId(`new-object-in-${scopeName}`).click();
    const objectDialog = page.getByTestId('object-dialog');
    await expect(objectDialog.getByRole('heading')).toHaveText('監視オブジェクトの作成');
    await expect(objectDialog.getByLabel('対象ホスト')).toBeVisible();
    await expect(objectDialog.getByLabel('スケジューラーサービス')).toBeVisible();
    await expect(objectDialog.getByLabel('ユニットのパス')).toBeVisible();
    await expect(objectDialog.getByLabel('業務スコープ')).toBeVisible();
    await expect(objectDialog).toContainText('AJSROOT1:/グループ/ジョブネット');
    await expect(page.getByTestId('object-cancel')).toHaveText('キャンセル');
    await page.keyboard.press('Escape');
    await expect(objectDialog).toHaveCount(0);
  });
});
