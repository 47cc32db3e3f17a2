import { apiAs, expect, signIn, test, uniqueName } from './fixtures';

test.describe('roles', () => {
  test('a guest cannot create a monitoring object: the server refuses it', async ({ page, consoleHost }) => {
    const operator = await apiAs(consoleHost, 'operator');
    const scope = await operator.post('/scopes', { name: uniqueName('Guarded') });
    expect(scope.status).toBe(201);
    const object = { name: uniqueName('Sneaky'), scopeId: scope.body.scope.id, host: consoleHost.name, unit: '/Demo/Guest' };

    await signIn(page, 'guest');
    await expect(page.getByTestId('current-user')).toHaveAttribute('data-role', 'guest');
    // The guest sees the scope but no way to define anything.
    await expect(page.getByTestId(`scope-${scope.body.scope.name}`)).toBeVisible();
    await expect(page.getByTestId('define-toggle')).toHaveCount(0);

    // From the guest's own page, with the guest's session and CSRF token, as a hand-made request would.
    const answer = await page.evaluate(async (body) => {
      const session = await (await fetch('/api/v1/session')).json();
      const post = (path: string, data: unknown) =>
        fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken }, body: JSON.stringify(data) });
      const objects = await post('/api/v1/objects', body);
      const scopes = await post('/api/v1/scopes', { name: `${body.name} scope` });
      return { csrfToken: session.csrfToken as string, objects: { status: objects.status, body: await objects.json() }, scopes: scopes.status };
    }, object);
    expect(answer.csrfToken).toBeTruthy();
    expect(answer.objects.status).toBe(403);
    expect(typeof answer.objects.body.error).toBe('string');
    expect(answer.scopes).toBe(403);

    const definitions = await operator.get('/definitions');
    expect(definitions.body.objects.map((o: { name: string }) => o.name)).not.toContain(object.name);
    // The very same request is fine from an operator: the refusal was the guest's role.
    expect((await operator.post('/objects', object)).status).toBe(201);
    await operator.dispose();
  });
});
