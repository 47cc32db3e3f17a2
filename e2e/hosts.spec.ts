import { apiAs, expect, FEED_TOKEN, signIn, test, uniqueLoopback, uniqueName } from './fixtures';

/** HH:MM:SS of an instant in a time zone, as the page writes a time of today. */
function clockIn(timeZone: string, iso: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}

test.describe('monitored hosts', () => {
  // Not the machine's zone: the page must write times in the operator's own.
  test.use({ timezoneId: 'Pacific/Chatham' });

  test('show each host reachable or stale, with its last contact in the operator’s time zone, live', async ({ page, consoleHost }) => {
    const admin = await apiAs(consoleHost, 'admin');
    const silent = `silent-${Date.now().toString(36)}`;
    // Nothing listens there: the console cannot reach it.
    expect((await admin.post('/hosts', { name: silent, address: uniqueLoopback(), feedPort: 9, token: FEED_TOKEN })).status).toBe(201);
    const scope = await admin.post('/scopes', { name: uniqueName('Hosts') });
    for (const host of [consoleHost.name, silent]) {
      expect((await admin.post('/objects', { name: uniqueName(host), scopeId: scope.body.scope.id, host, unit: '/Hosts/unit' })).status).toBe(201);
    }

    await signIn(page, 'operator');
    await page.getByTestId('nav-hosts').click();
    await expect(page).toHaveURL(/\/hosts$/);
    const own = page.getByTestId(`host-${consoleHost.name}`);
    await expect(own).toHaveAttribute('data-state', 'reachable');
    await expect(page.getByTestId(`host-state-${consoleHost.name}`)).toHaveText('reachable');
    await expect(own).toContainText(consoleHost.address);
    await expect(own).toContainText(String(consoleHost.agentPort));
    await expect(page.getByTestId(`host-lag-${consoleHost.name}`)).toContainText('up to date');
    await expect(page.getByTestId(`host-lag-${consoleHost.name}`)).toContainText(/\d+ s since contact/);

    const contact = page.getByTestId(`host-contact-${consoleHost.name}`).locator('time');
    const first = (await contact.getAttribute('datetime'))!;
    await expect(contact).toHaveText(new RegExp(`${clockIn('Pacific/Chatham', first)}$`));
    // The last contact moves on as the host's heartbeats arrive, with no reload.
    await expect(contact).not.toHaveAttribute('datetime', first, { timeout: 30_000 });
    const later = (await contact.getAttribute('datetime'))!;
    expect(Date.parse(later)).toBeGreaterThan(Date.parse(first));
    await expect(contact).toHaveText(new RegExp(`${clockIn('Pacific/Chatham', later)}$`));

    const far = page.getByTestId(`host-${silent}`);
    await expect(far).toHaveAttribute('data-state', 'stale');
    await expect(page.getByTestId(`host-state-${silent}`)).toHaveText('stale');
    await expect(page.getByTestId(`host-contact-${silent}`)).toHaveText('never');
    await expect(far).toContainText('cannot reach');

    // A host that no object names is registered, not watched.
    await admin.request.delete(`/api/v1/scopes/${scope.body.scope.id}`, { headers: { 'x-csrf-token': admin.csrfToken } });
    await expect(far).toHaveAttribute('data-state', 'unwatched');
    await expect(page.getByTestId(`host-state-${silent}`)).toHaveText('not watched');
    expect((await admin.request.delete(`/api/v1/hosts/${silent}`, { headers: { 'x-csrf-token': admin.csrfToken } })).status()).toBe(204);
    await expect(far).toHaveCount(0);
    await admin.dispose();
  });

  test('an admin sees the feed tokens masked, registers a host with field errors, and removes it; a host that objects name stays', async ({ page, consoleHost }) => {
    const operator = await apiAs(consoleHost, 'operator');
    const scope = await operator.post('/scopes', { name: uniqueName('Named') });
    expect((await operator.post('/objects', { name: uniqueName('Named'), scopeId: scope.body.scope.id, host: consoleHost.name, unit: '/Named' })).status).toBe(201);
    await operator.dispose();

    await signIn(page, 'admin');
    await page.goto('/hosts');
    const token = page.getByTestId(`host-token-${consoleHost.name}`);
    await expect(token).toHaveAttribute('data-shown', 'false');
    await expect(token).not.toContainText(consoleHost.token);
    await page.getByTestId(`host-token-toggle-${consoleHost.name}`).click();
    await expect(token).toHaveText(consoleHost.token);
    await expect(page.getByTestId(`host-token-toggle-${consoleHost.name}`)).toHaveAttribute('aria-pressed', 'true');
    await page.getByTestId(`host-token-toggle-${consoleHost.name}`).click();
    await expect(token).not.toContainText(consoleHost.token);

    const name = `jobhost-${Date.now().toString(36)}`;
    await page.getByTestId('register-host').click();
    const dialog = page.getByTestId('host-dialog');
    await expect(dialog).toBeVisible();
    await expect(page.getByTestId('host-name')).toBeFocused();
    await page.getByTestId('host-name').fill(name);
    await page.getByTestId('host-address').fill('not an address!');
    await page.getByTestId('host-token').fill('short');
    await expect(page.getByTestId('host-token-check')).toContainText('at least 32 characters (it has 5)');
    await page.getByTestId('host-token').fill('Password1!Password1!Password1!Pa');
    await expect(page.getByTestId('host-token-check')).toContainText('looks guessable (about 50 bits');
    await page.getByTestId('host-submit').click();
    await expect(page.getByTestId('host-address-error')).toContainText('IP address or a host name');
    await expect(page.getByTestId('host-token-error')).toContainText('looks guessable');
    await expect(page.getByTestId('host-name-error')).toHaveCount(0);
    await expect(page.getByTestId(`host-${name}`)).toHaveCount(0);

    await page.getByTestId('host-address').fill(uniqueLoopback());
    await page.getByTestId('host-port').fill('7422');
    await page.getByTestId('host-token').fill(FEED_TOKEN);
    await expect(page.getByTestId('host-token-check')).toContainText('long and random enough');
    await page.getByTestId('host-submit').click();
    await expect(dialog).toHaveCount(0);
    const row = page.getByTestId(`host-${name}`);
    await expect(row).toHaveAttribute('data-state', 'unwatched');
    await expect(row).toContainText('7422');
    await expect(page.getByTestId(`host-objects-${name}`)).toHaveText('0');

    // The console's own host is named by an object: removing it is refused, with the reason.
    await page.getByTestId(`remove-host-${consoleHost.name}`).click();
    await expect(page.getByTestId('remove-host-dialog')).toContainText('monitoring object');
    await page.getByTestId('remove-host-dialog-confirm').click();
    await expect(page.getByTestId('remove-host-dialog-error')).toContainText('delete those objects or give them another host first');
    await page.getByTestId('remove-host-dialog-cancel').click();
    await expect(page.getByTestId(`host-${consoleHost.name}`)).toBeVisible();

    await page.getByTestId(`remove-host-${name}`).click();
    await page.getByTestId('remove-host-dialog-confirm').click();
    await expect(page.getByTestId('remove-host-dialog')).toHaveCount(0);
    await expect(row).toHaveCount(0);
  });

  test('a guest sees the hosts with no token and no way to change them; the server refuses a guest’s POST', async ({ page, consoleHost }) => {
    await signIn(page, 'guest');
    await page.goto('/hosts');
    await expect(page.getByTestId(`host-${consoleHost.name}`)).toBeVisible();
    await expect(page.getByTestId(`host-token-${consoleHost.name}`)).toHaveCount(0);
    await expect(page.getByTestId('register-host')).toHaveCount(0);
    await expect(page.locator('[data-testid^="remove-host-"]')).toHaveCount(0);
    await expect(page.getByTestId('transfer')).toHaveCount(0);
    expect(await page.content()).not.toContain(consoleHost.token);

    // From the guest's own page, with the guest's session and CSRF token, as a hand-made request would.
    const answer = await page.evaluate(async (token) => {
      const session = await (await fetch('/api/v1/session')).json();
      const list = await (await fetch('/api/v1/hosts')).text();
      const post = await fetch('/api/v1/hosts', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
        body: JSON.stringify({ name: 'guest-host', address: '127.0.0.1', feedPort: 7421, token }),
      });
      return { list, post: post.status };
    }, FEED_TOKEN);
    expect(answer.list).not.toContain(consoleHost.token);
    expect(answer.list).not.toContain('"token"');
    expect(answer.post).toBe(403);
  });
});
