import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiAs, expect, FEED_TOKEN, signIn, test, uniqueName } from './fixtures';

test.describe('detail and acknowledgement', () => {
  test('an operator opens an object, reads its jobs and output, and acknowledges an abnormal end that every browser then shows', async ({ page, browser, consoleHost }) => {
    const operator = await apiAs(consoleHost, 'operator');
    const scope = await operator.post('/scopes', { name: uniqueName('Detail') });
    const objectName = uniqueName('Settlement');
    const unit = `/Det${Date.now().toString(36)}/Net`;
    const created = await operator.post('/objects', { name: objectName, scopeId: scope.body.scope.id, host: consoleHost.name, unit });
    expect(created.status).toBe(201);
    await operator.dispose();
    expect((await consoleHost.exec(`${unit}/extract`, 'echo extracted 42 rows; exit 0')).code).toBe(0);
    expect((await consoleHost.exec(`${unit}/load`, 'echo "table locked" >&2; exit 9')).code).toBe(9);

    await signIn(page, 'operator');
    const tile = page.getByTestId(`tile-${objectName}`);
    await expect(tile).toHaveAttribute('data-status', 'ABNORMAL');
    await expect(tile).toHaveAttribute('data-acknowledged', 'false');
    await page.getByTestId(`open-${objectName}`).click();
    await expect(page).toHaveURL(new RegExp(`object=${created.body.object.id}`));
    const detail = page.getByTestId('detail');
    await expect(detail.getByTestId(`job-${unit}/extract`)).toHaveAttribute('data-status', 'NORMAL');
    const load = detail.getByTestId(`job-${unit}/load`);
    await expect(load).toHaveAttribute('data-status', 'ABNORMAL');
    await expect(load).toContainText('Exit 9');
    await load.getByRole('button', { name: 'load' }).click();
    await expect(load.getByTestId('output-tail')).toContainText('table locked');
    await expect(detail.getByTestId('history-row')).toHaveCount(2);

    // A guest watching the same object sees it, and is offered no acknowledgement.
    const guestContext = await browser.newContext();
    const guestPage = await guestContext.newPage();
    await signIn(guestPage, 'guest');
    const guestTile = guestPage.getByTestId(`tile-${objectName}`);
    await guestPage.getByTestId(`open-${objectName}`).click();
    await expect(guestPage.getByTestId(`job-${unit}/load`)).toHaveAttribute('data-status', 'ABNORMAL');
    await expect(guestPage.getByTestId(`ack-open-${unit}/load`)).toHaveCount(0);

    await load.getByTestId(`ack-open-${unit}/load`).click();
    await load.getByTestId('ack-comment').fill('lock released, rerun scheduled');
    await load.getByTestId('ack-submit').click();
    await expect(load.getByTestId('ack-line')).toContainText('Acknowledged by operator');
    await expect(load.getByTestId('ack-line')).toContainText('lock released, rerun scheduled');
    // Acknowledged is shown differently, never hidden: the status stays, in both browsers, with no reload.
    for (const t of [tile, guestTile]) {
      await expect(t).toHaveAttribute('data-acknowledged', 'true');
      await expect(t).toHaveAttribute('data-status', 'ABNORMAL');
    }
    await expect(guestPage.getByTestId(`job-${unit}/load`).getByTestId('ack-line')).toContainText('operator');
    await expect(load.getByTestId(`ack-open-${unit}/load`)).toHaveCount(0);

    // The link reproduces the view.
    await page.reload();
    await expect(page.getByTestId('detail').getByTestId(`job-${unit}/load`).getByTestId('ack-line')).toContainText('lock released');

    // A new abnormal run starts unacknowledged.
    expect((await consoleHost.exec(`${unit}/load`, 'exit 9')).code).toBe(9);
    await expect(tile).toHaveAttribute('data-acknowledged', 'false');
    await expect(detail.getByTestId('history-row')).toHaveCount(3);
    await guestContext.close();
  });

  test('the detail says why a host is stale and speaks Japanese when chosen', async ({ page, consoleHost }) => {
    const operator = await apiAs(consoleHost, 'operator');
    const scope = await operator.post('/scopes', { name: uniqueName('Far') });
    const hostName = `far${Date.now().toString(36)}`;
    // A registered host whose feed nobody serves: its objects are stale from the start.
    expect((await operator.post('/hosts', { name: hostName, address: '127.0.0.1', feedPort: 9, token: FEED_TOKEN })).status).toBe(403);
    const admin = await apiAs(consoleHost, 'admin');
    expect((await admin.post('/hosts', { name: hostName, address: '127.0.0.1', feedPort: 9, token: FEED_TOKEN })).status).toBe(201);
    const objectName = uniqueName('Remote');
    expect((await operator.post('/objects', { name: objectName, scopeId: scope.body.scope.id, host: hostName, unit: '/Far' })).status).toBe(201);
    await operator.dispose();
    await admin.dispose();

    await signIn(page, 'operator');
    await page.getByTestId(`open-${objectName}`).click();
    await expect(page.getByTestId('detail-stale')).toContainText('never heard from this host');
    await page.getByTestId('language').selectOption('ja');
    await expect(page.getByTestId('detail-stale')).toContainText('一度も応答がありません');
    await expect(page.getByTestId('detail')).toContainText('最新の実行');
    await expect(page.getByTestId('nav-monitor')).toHaveText('監視');
    // The choice is the user's and outlives a reload.
    await page.reload();
    await expect(page.getByTestId('nav-monitor')).toHaveText('監視');
    await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
    await page.getByTestId('language').selectOption('en');
    await expect(page.getByTestId('nav-monitor')).toHaveText('Monitor');
  });
});

test.describe('a host whose feed cannot be taken', () => {
  test('its objects show stale with the reason, live, and flow again when it is fixed', async ({ page, consoleHost }) => {
    // A job host whose agent serves events of another host: refused at the edge, never stored.
    let poisoned = true;
    const feed = http.createServer((req, res) => {
      const now = new Date().toISOString();
      const event = { seq: 1, host: poisoned ? 'intruder' : 'poisonfeed', unit: '/P/job', execId: 'p1', runId: null, kind: 'status', status: 'ABNORMAL', at: now, node: null, pid: null, exitCode: 7, signal: null, outputTail: null, reason: null };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ protocol: 1, host: 'poisonfeed', spoolId: 'p-spool', now, lastSeq: 1, resync: false, events: [event] }));
    });
    await new Promise<void>((r) => feed.listen(0, '127.0.0.1', r));
    try {
      const admin = await apiAs(consoleHost, 'admin');
      const port = (feed.address() as AddressInfo).port;
      expect((await admin.post('/hosts', { name: 'poisonfeed', address: '127.0.0.1', feedPort: port, token: crypto.randomBytes(24).toString('base64url') })).status).toBe(201);
      const scope = await admin.post('/scopes', { name: uniqueName('Poisoned') });
      const objectName = uniqueName('Intruded');
      expect((await admin.post('/objects', { name: objectName, scopeId: scope.body.scope.id, host: 'poisonfeed', unit: '/P' })).status).toBe(201);
      await admin.dispose();

      await signIn(page, 'operator');
      await expect(page.getByTestId(`stale-${objectName}`)).toBeVisible();
      await expect(page.getByTestId(`stale-${objectName}`)).toHaveAttribute('title', /events 0 is of host intruder, not poisonfeed/);
      await page.getByTestId(`open-${objectName}`).click();
      await expect(page.getByTestId('detail-feed-error')).toContainText('Why: malformed feed message: events.0.host: events 0 is of host intruder');

      poisoned = false; // the agent is fixed: the host flows, the mark goes, live
      await expect(page.getByTestId(`tile-${objectName}`)).toHaveAttribute('data-status', 'ABNORMAL', { timeout: 30_000 });
      await expect(page.getByTestId(`stale-${objectName}`)).toHaveCount(0);
      await expect(page.getByTestId('detail-feed-error')).toHaveCount(0);
    } finally {
      // Its kept-alive connections too: the console would otherwise go on asking it.
      feed.close();
      feed.closeAllConnections();
    }
  });
});
