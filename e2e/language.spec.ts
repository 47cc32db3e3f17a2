import { apiAs, expect, signIn, test, uniqueName } from './fixtures';

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
});
