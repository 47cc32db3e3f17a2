import { crc32, deflateSync } from 'node:zlib';
import type { Locator, Page } from '@playwright/test';
import { colourOf } from '../server/domain/status';
import { apiAs, expect, signIn, test, uniqueName, type ApiClient, type ConsoleHost } from './fixtures';

/** A real PNG picture of one colour, as an operator would upload a floor plan. */
function png(width: number, height: number, rgb: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, truecolour, no interlace
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(pixels)), chunk('IEND', Buffer.alloc(0))]);
}

/** A scope with monitoring objects on the console's own host (units under a path of their own). */
async function scopeWith(consoleHost: ConsoleHost, operator: ApiClient, prefix: string, objects: string[], parentId?: number) {
  const name = uniqueName(prefix);
  const created = await operator.post('/scopes', { name, ...(parentId ? { parentId } : {}) });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id: number = created.body.scope.id;
  const base = `/Map${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  const units: Record<string, string> = {};
  const ids: Record<string, number> = {};
  for (const o of objects) {
    units[o] = `${base}/${o}`;
    const made = await operator.post('/objects', { name: o, scopeId: id, host: consoleHost.name, unit: units[o] });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    ids[o] = made.body.object.id;
  }
  return { name, id, units, ids };
}

async function openMap(page: Page, scopeId?: number) {
  await page.goto(`/monitor?view=map${scopeId ? `&scope=${scopeId}` : ''}`);
  await expect(page.getByTestId('map')).toBeVisible();
  await expect(page.getByTestId('view-map')).toHaveAttribute('aria-selected', 'true');
}

async function defineMode(page: Page) {
  await page.getByTestId('define-toggle').click();
  await expect(page.getByTestId('define-toggle')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('map-edit-hint')).toBeVisible();
}

const cellOf = async (icon: Locator) => [Number(await icon.getAttribute('data-x')), Number(await icon.getAttribute('data-y'))];

/** Drags an icon by its middle to the middle of a cell, with the mouse, in small steps. */
async function dragToCell(page: Page, icon: Locator, x: number, y: number, movable = true) {
  const grid = page.getByTestId('map-grid');
  const box = (await grid.boundingBox())!;
  const zoom = Number(await grid.getAttribute('data-zoom'));
  const size = Number(await grid.getAttribute('data-cell')) * zoom;
  const from = (await icon.boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + (x + 0.5) * size, box.y + (y + 0.5) * size, { steps: 8 });
  await expect(page.getByTestId('map-target')).toHaveCount(movable ? 1 : 0);
  await page.mouse.up();
}

async function storedCell(client: ApiClient, kind: 'scopes' | 'objects', id: number) {
  const defs = await client.get('/definitions');
  const item = defs.body[kind].find((i: { id: number }) => i.id === id);
  return [item.mapX, item.mapY];
}

test.describe('map', () => {
  test('icons show the live status of objects and scopes without a reload', async ({ page, consoleHost }) => {
    const operator = await apiAs(consoleHost, 'operator');
    const scope = await scopeWith(consoleHost, operator, 'Map live', ['Nightly']);
    await operator.dispose();

    await signIn(page, 'guest');
    await openMap(page, scope.id);
    const icon = page.getByTestId('map-object-Nightly');
    await expect(icon).toHaveAttribute('data-status', 'NONE');
    await expect(icon).toContainText('No status');
    await expect(icon.locator('svg[data-icon="jobnet"]')).toBeVisible();
    let navigations = 0;
    page.on('framenavigated', (frame) => frame === page.mainFrame() && navigations++);

    const run = consoleHost.exec(`${scope.units.Nightly}/job`, 'sleep 2; exit 0');
    await expect(icon).toHaveAttribute('data-status', 'RUNNING');
    await expect(icon).toHaveAttribute('data-colour', colourOf('RUNNING'));
    await expect(page.getByTestId('map-status-Nightly')).toHaveText('Now running');
    expect((await run).code).toBe(0);
    await expect(icon).toHaveAttribute('data-status', 'NORMAL');
    await expect(page.getByTestId('map-status-Nightly')).toHaveText('Ended normally');

    expect((await consoleHost.exec(`${scope.units.Nightly}/job`, 'exit 12')).code).toBe(12);
    await expect(icon).toHaveAttribute('data-status', 'ABNORMAL');
    await expect(icon).toHaveAttribute('data-colour', colourOf('ABNORMAL'));
    await expect(icon).toHaveAttribute('data-acknowledged', 'false');
    await expect(page.getByTestId('map-status-Nightly')).toHaveText('Ended abnormally');

    expect(navigations).toBe(0);

    // The top-level map shows the scope with the worst status below it.
    await page.getByTestId('map-up').click();
    await expect(page).toHaveURL(/\/monitor\?view=map$/);
    const scopeIcon = page.getByTestId(`map-scope-${scope.name}`);
    await expect(scopeIcon).toHaveAttribute('data-status', 'ABNORMAL');
    await expect(scopeIcon.locator('svg[data-icon="scope"]')).toBeVisible();
    expect((await consoleHost.exec(`${scope.units.Nightly}/job`, 'exit 0')).code).toBe(0);
    await expect(scopeIcon).toHaveAttribute('data-status', 'NORMAL');
    await expect(page.getByTestId(`map-status-${scope.name}`)).toHaveText('Ended normally');
  });

  test('a scope icon opens its map, an object icon its detail, and the up control goes back', async ({ page, consoleHost }) => {
    const operator = await apiAs(consoleHost, 'operator');
    const outer = await scopeWith(consoleHost, operator, 'Map outer', ['Outer job']);
    const inner = await scopeWith(consoleHost, operator, 'Map inner', ['Inner job'], outer.id);
    await operator.dispose();

    await signIn(page, 'operator');
    await page.getByTestId('view-map').click();
    await expect(page).toHaveURL(/view=map/);
    await page.getByTestId(`map-scope-${outer.name}`).click();
    await expect(page).toHaveURL(new RegExp(`scope=${outer.id}&view=map`));
    await expect(page.getByTestId('map-object-Outer job')).toBeVisible();

    await page.getByTestId(`map-scope-${inner.name}`).click();
    await expect(page).toHaveURL(new RegExp(`scope=${inner.id}&view=map`));
    await expect(page.getByTestId('map')).toHaveAttribute('data-scope', String(inner.id));
    await expect(page.getByTestId('map-object-Outer job')).toHaveCount(0);
    await page.getByTestId('map-object-Inner job').click();
    await expect(page).toHaveURL(new RegExp(`object=${inner.ids['Inner job']}`));
    await expect(page.getByTestId('detail')).toBeVisible();
    await expect(page.getByTestId('map-object-Inner job')).toHaveAttribute('aria-current', 'true');

    await expect(page.getByTestId('map-up')).toHaveText(`↑ Up to ${outer.name}`);
    await page.getByTestId('map-up').click();
    await expect(page).toHaveURL(new RegExp(`scope=${outer.id}&view=map$`));
    await expect(page.getByTestId(`map-scope-${inner.name}`)).toBeVisible();
    await expect(page.getByTestId('map-up')).toHaveText('↑ Up to all scopes');
    await page.getByTestId('map-up').click();
    await expect(page.getByTestId(`map-scope-${outer.name}`)).toBeVisible();
    await expect(page.getByTestId('map-up')).toHaveCount(0);

    // Zoom: buttons, Ctrl + wheel, kept in the link.
    await page.getByTestId('map-zoom-in').click();
    await expect(page).toHaveURL(/zoom=1\.25/);
    await expect(page.getByTestId('map-zoom')).toHaveText('125%');
    const before = (await page.getByTestId(`map-scope-${outer.name}`).boundingBox())!.width;
    await page.getByTestId('map-grid').hover();
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -100);
    await page.keyboard.up('Control');
    await expect(page.getByTestId('map-zoom')).toHaveText('150%');
    expect((await page.getByTestId(`map-scope-${outer.name}`).boundingBox())!.width).toBeCloseTo((before * 1.5) / 1.25, 0);
    await page.reload();
    await expect(page.getByTestId('map-zoom')).toHaveText('150%');
    await page.getByTestId('map-zoom-reset').click();
    await expect(page.getByTestId('map-zoom')).toHaveText('100%');
    await expect(page).not.toHaveURL(/zoom=/);
  });

  test('an operator drags icons to other cells in definition mode, and they stay there', async ({ page, consoleHost }) => {
    const operator = await apiAs(consoleHost, 'operator');
    const scope = await scopeWith(consoleHost, operator, 'Map drag', ['Alpha', 'Bravo', 'Charlie']);

    await signIn(page, 'operator');
    await openMap(page, scope.id);
    const [alpha, bravo, charlie] = ['Alpha', 'Bravo', 'Charlie'].map((n) => page.getByTestId(`map-object-${n}`));
    // Unplaced: the first free cells, in name order, not stored.
    expect(await cellOf(alpha)).toEqual([0, 0]);
    expect(await cellOf(bravo)).toEqual([1, 0]);
    expect(await cellOf(charlie)).toEqual([2, 0]);
    await expect(alpha).toHaveAttribute('data-stored', 'false');

    // Monitoring mode: a drag moves nothing.
    await dragToCell(page, alpha, 3, 2, false);
    expect(await cellOf(alpha)).toEqual([0, 0]);

    await defineMode(page);
    await dragToCell(page, alpha, 3, 2);
    await expect(alpha).toHaveAttribute('data-x', '3');
    await expect(alpha).toHaveAttribute('data-y', '2');
    // The others are kept where they were shown.
    await expect(bravo).toHaveAttribute('data-stored', 'true');
    expect(await cellOf(bravo)).toEqual([1, 0]);
    await expect.poll(() => storedCell(operator, 'objects', scope.ids.Alpha)).toEqual([3, 2]);
    expect(await storedCell(operator, 'objects', scope.ids.Charlie)).toEqual([2, 0]);

    // A taken cell swaps.
    await dragToCell(page, charlie, 3, 2);
    await expect(charlie).toHaveAttribute('data-x', '3');
    await expect(alpha).toHaveAttribute('data-x', '2');
    await expect(alpha).toHaveAttribute('data-y', '0');
    await expect.poll(() => storedCell(operator, 'objects', scope.ids.Alpha)).toEqual([2, 0]);

    await page.reload();
    await expect(charlie).toHaveAttribute('data-stored', 'true');
    expect(await cellOf(charlie)).toEqual([3, 2]);
    expect(await cellOf(alpha)).toEqual([2, 0]);
    expect(await cellOf(bravo)).toEqual([1, 0]);
    await expect(page.getByTestId('map-error')).toHaveCount(0);
    await operator.dispose();
  });

  test('a drag near the edge scrolls a map larger than its viewport, and the icon lands where it is dropped', async ({ page, consoleHost }) => {
    const operator = await apiAs(consoleHost, 'operator');
    const scope = await scopeWith(consoleHost, operator, 'Map edge', ['Mover', 'Far']);
    // An icon far out makes the map much larger than its viewport.
    const placed = await operator.request.put('/api/v1/positions', { data: { objects: [{ id: scope.ids.Far, x: 40, y: 30 }] }, headers: { 'x-csrf-token': operator.csrfToken } });
    expect(placed.status(), await placed.text()).toBe(200);

    await signIn(page, 'operator');
    await openMap(page, scope.id);
    await defineMode(page);
    const mover = page.getByTestId('map-object-Mover');
    expect(await cellOf(mover)).toEqual([0, 0]);
    const viewport = page.getByTestId('map-viewport');
    const scroll = () => viewport.evaluate((el) => ({ left: el.scrollLeft, top: el.scrollTop }));
    expect(await scroll()).toEqual({ left: 0, top: 0 });
    const seen = await viewport.evaluate((el) => {
      const box = el.getBoundingClientRect();
      return { left: box.left + el.clientLeft, top: box.top + el.clientTop, width: el.clientWidth, height: el.clientHeight };
    });
    const right = seen.left + seen.width - 6;
    const bottom = seen.top + seen.height - 6;

    const from = (await mover.boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    // Held at the right edge: the map scrolls right, then also down at the corner.
    await page.mouse.move(right, from.y + from.height / 2, { steps: 10 });
    await expect(page.getByTestId('map-target')).toHaveCount(1);
    await expect.poll(async () => (await scroll()).left).toBeGreaterThan(300);
    await page.mouse.move(right, bottom, { steps: 4 });
    await expect.poll(async () => (await scroll()).top).toBeGreaterThan(200);

    // Back in the middle the scrolling stops: a few frames later the map has not moved.
    const middle = { x: seen.left + seen.width / 2, y: seen.top + seen.height / 2 };
    await page.mouse.move(middle.x, middle.y, { steps: 6 });
    const stopped = await scroll();
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(done)))));
    expect(await scroll()).toEqual(stopped);

    // The icon went along with the scrolling: it lands under the pointer, in the part of the map scrolled into sight.
    await page.mouse.up();
    await expect.poll(() => storedCell(operator, 'objects', scope.ids.Mover)).not.toEqual([null, null]);
    const [x, y] = await storedCell(operator, 'objects', scope.ids.Mover);
    await expect(mover).toHaveAttribute('data-x', String(x));
    await expect(mover).toHaveAttribute('data-y', String(y));
    const box = (await mover.boundingBox())!;
    expect(Math.abs(box.x + box.width / 2 - middle.x)).toBeLessThanOrEqual(box.width / 2 + 1);
    expect(Math.abs(box.y + box.height / 2 - middle.y)).toBeLessThanOrEqual(box.height / 2 + 1);
    expect(await scroll()).toEqual(stopped);
    await expect(page.getByTestId('map-error')).toHaveCount(0);
    await operator.dispose();
  });

  test('the keyboard moves an icon: arrows, Enter places, Escape puts back; a refused move is put back with the reason', async ({ page, consoleHost }) => {
    const operator = await apiAs(consoleHost, 'operator');
    const scope = await scopeWith(consoleHost, operator, 'Map keys', ['Keyed', 'Other']);

    await signIn(page, 'operator');
    await openMap(page, scope.id);
    await defineMode(page);
    const keyed = page.getByTestId('map-object-Keyed');
    const other = page.getByTestId('map-object-Other');
    await keyed.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('map-target')).toBeVisible();
    expect(await cellOf(keyed)).toEqual([2, 1]);
    await expect(page.getByTestId('map-announcement')).toHaveText(/Moving Keyed to column 3, row 2/);
    await page.keyboard.press('Escape');
    expect(await cellOf(keyed)).toEqual([0, 0]);
    await expect(page.getByTestId('map-target')).toHaveCount(0);
    await expect(keyed).toBeFocused();

    // Right once: onto Other's cell, which swaps.
    await page.keyboard.press('ArrowRight');
    expect(await cellOf(other)).toEqual([0, 0]);
    await page.keyboard.press('Enter');
    await expect(page).not.toHaveURL(/object=/);
    await expect(page.getByTestId('map-announcement')).toHaveText(/Keyed placed at column 2, row 1/);
    await expect.poll(() => storedCell(operator, 'objects', scope.ids.Keyed)).toEqual([1, 0]);
    expect(await storedCell(operator, 'objects', scope.ids.Other)).toEqual([0, 0]);
    await page.reload();
    await expect(keyed).toHaveAttribute('data-stored', 'true');
    expect(await cellOf(keyed)).toEqual([1, 0]);
    expect(await cellOf(other)).toEqual([0, 0]);

    // A move the server refuses goes back, with the server's reason: here the other object
    // was deleted meanwhile, and this page could not fetch the definitions again.
    await defineMode(page);
    await page.route('**/api/v1/definitions', (route) => route.abort());
    expect((await operator.request.delete(`/api/v1/objects/${scope.ids.Other}`, { headers: { 'x-csrf-token': operator.csrfToken } })).status()).toBe(204);
    await keyed.focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('map-error')).toContainText(`no monitoring object ${scope.ids.Other}`);
    await expect(keyed).toHaveAttribute('data-x', '1');
    await page.unroute('**/api/v1/definitions');
    await operator.dispose();
  });

  test('the scope dialog sets and removes the background too, in Japanese when chosen', async ({ page, consoleHost }) => {
    const operator = await apiAs(consoleHost, 'operator');
    const scope = await scopeWith(consoleHost, operator, 'Dialog background', ['Valve']);
    await page.addInitScript(() => window.localStorage.setItem('jobscope.lang', 'ja'));
    await signIn(page, 'operator');
    await openMap(page, scope.id);
    await defineMode(page);

    await page.getByTestId('new-scope').click();
    await expect(page.getByTestId('scope-background')).toContainText('スコープを作成してから');
    await expect(page.getByTestId('scope-background-input')).toHaveCount(0);
    await page.keyboard.press('Escape');

    await page.getByTestId(`nav-edit-scope-${scope.name}`).click();
    const message = page.getByTestId('scope-background-message');
    await page.getByTestId('scope-background-input').setInputFiles({ name: 'plan.svg', mimeType: 'image/svg+xml', buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>') });
    await expect(message).toContainText('SVG 画像はスクリプトを含められるため受け付けません');
    await page.getByTestId('scope-background-input').setInputFiles({ name: 'floor.png', mimeType: 'image/png', buffer: png(300, 200, [90, 40, 60]) });
    await expect(message).toHaveText('背景を保存しました。');
    // Behind the dialog, the map already shows it.
    await expect(page.getByTestId('map-background')).toBeAttached();
    await page.getByTestId('scope-background-remove').click();
    await page.getByTestId('scope-background-remove-confirm').click();
    await expect(page.getByTestId('map-background')).toHaveCount(0);
    await expect(page.getByTestId('scope-background-remove')).toHaveCount(0);
    expect((await operator.get(`/scopes/${scope.id}/background`)).status).toBe(404);
    await operator.dispose();
  });

  test('an uploaded PNG is the background and survives a reload; disguised and oversized files are refused', async ({ page, browser, consoleHost }) => {
    const operator = await apiAs(consoleHost, 'operator');
    const scope = await scopeWith(consoleHost, operator, 'Map background', ['Pump']);

    await signIn(page, 'operator');
    await openMap(page, scope.id);
    await expect(page.getByTestId('map-background-input')).toHaveCount(0);
    await defineMode(page);
    const input = page.getByTestId('map-background-input');
    const message = page.getByTestId('map-background-message');

    // The server judges the content, whatever the name or type says.
    await input.setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('just some text, not a picture\n') });
    await expect(message).toContainText('the file is not a PNG image');
    await input.setInputFiles({ name: 'plan.svg', mimeType: 'image/svg+xml', buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>') });
    await expect(message).toContainText('SVG images are refused');
    await expect(message).toHaveAttribute('role', 'alert');
    await input.setInputFiles({ name: 'plan.png', mimeType: 'image/png', buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"></svg>') });
    await expect(message).toContainText('the file is not a PNG image');
    await expect(page.getByTestId('map-background')).toHaveCount(0);

    // Too large: said at once, nothing sent.
    const uploads: string[] = [];
    page.on('request', (r) => r.method() === 'PUT' && r.url().includes('/background') && uploads.push(r.url()));
    await input.setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: Buffer.concat([png(2, 2, [0, 0, 0]), Buffer.alloc(2 * 1024 * 1024)]) });
    await expect(message).toContainText('a background may be at most 2 MiB');
    expect(uploads).toEqual([]);

    await input.setInputFiles({ name: 'floor.png', mimeType: 'image/png', buffer: png(700, 300, [40, 90, 60]) });
    await expect(message).toHaveText('The background was saved.');
    const background = page.getByTestId('map-background');
    await expect(background).toBeVisible();
    await expect.poll(() => background.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(700);
    // The grid covers the picture: 700 px is more than 7 cells of 96.
    await expect.poll(async () => Number(await page.getByTestId('map-grid').getAttribute('data-cols'))).toBeGreaterThanOrEqual(8);

    await page.reload();
    await expect(background).toBeVisible();
    await expect.poll(() => background.evaluate((img: HTMLImageElement) => img.naturalHeight)).toBe(300);
    // A guest sees it too, without any control to change it.
    const guest = await browser.newContext();
    const guestPage = await guest.newPage();
    await signIn(guestPage, 'guest');
    await openMap(guestPage, scope.id);
    await expect(guestPage.getByTestId('map-background')).toBeVisible();
    await expect(guestPage.getByTestId('map-background-controls')).toHaveCount(0);
    await guest.close();

    const cols = async () => Number(await page.getByTestId('map-grid').getAttribute('data-cols'));
    await expect.poll(cols).toBeGreaterThanOrEqual(8);
    await defineMode(page);
    expect(await cols()).toBeGreaterThanOrEqual(8);
    await page.getByTestId('map-background-remove').click();
    await page.getByTestId('map-background-remove-confirm').click();
    await expect(background).toHaveCount(0);
    await expect(page.getByTestId('map-background-remove')).toHaveCount(0);
    expect((await operator.get(`/scopes/${scope.id}/background`)).status).toBe(404);
    await operator.dispose();
  });

  test('a guest has no drag, keyboard or upload controls, and the server refuses positions from a guest', async ({ page, consoleHost }) => {
    const operator = await apiAs(consoleHost, 'operator');
    const scope = await scopeWith(consoleHost, operator, 'Map guest', ['Watched']);
    await operator.dispose();

    await signIn(page, 'guest');
    await openMap(page, scope.id);
    await expect(page.getByTestId('define-toggle')).toHaveCount(0);
    await expect(page.getByTestId('map-edit-hint')).toHaveCount(0);
    await expect(page.getByTestId('map-background-input')).toHaveCount(0);
    const icon = page.getByTestId('map-object-Watched');
    await icon.focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('map-target')).toHaveCount(0);
    expect(await cellOf(icon)).toEqual([0, 0]);
    const from = (await icon.boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(from.x + 300, from.y + 200, { steps: 8 });
    await expect(page.getByTestId('map-target')).toHaveCount(0);
    await page.mouse.up();
    expect(await cellOf(icon)).toEqual([0, 0]);

    const guest = await apiAs(consoleHost, 'guest');
    const headers = { 'x-csrf-token': guest.csrfToken };
    const put = await guest.request.put('/api/v1/positions', { data: { objects: [{ id: scope.ids.Watched, x: 5, y: 5 }] }, headers });
    expect(put.status()).toBe(403);
    const upload = await guest.request.put(`/api/v1/scopes/${scope.id}/background`, { data: png(4, 4, [0, 0, 0]), headers: { ...headers, 'content-type': 'image/png' } });
    expect(upload.status()).toBe(403);
    expect(await storedCell(guest, 'objects', scope.ids.Watched)).toEqual([null, null]);
    await guest.dispose();
  });

  test('the map speaks Japanese when chosen', async ({ page, consoleHost }) => {
    const operator = await apiAs(consoleHost, 'operator');
    const scope = await scopeWith(consoleHost, operator, 'Map ja', ['Daily']);
    await operator.dispose();

    await signIn(page, 'operator');
    await openMap(page, scope.id);
    await page.getByTestId('language').selectOption('ja');
    await expect(page.getByTestId('view-map')).toHaveText('マップ');
    await expect(page.getByTestId('map-up')).toHaveText('↑ すべてのスコープへ戻る');
    await expect(page.getByTestId('map-zoom-in')).toHaveAttribute('aria-label', '拡大');
    await expect(page.getByTestId('map-zoom-out')).toHaveAttribute('aria-label', '縮小');
    await expect(page.getByTestId('map-status-Daily')).toHaveText('ステータスなし');
    await expect(page.getByTestId('map')).toHaveAttribute('aria-label', `${scope.name} のマップ`);
    await page.getByTestId('define-toggle').click();
    await expect(page.getByTestId('map-edit-hint')).toContainText('矢印キー');
    await expect(page.getByTestId('map-background-input').locator('xpath=..')).toContainText('背景をアップロード');
    await page.getByTestId('map-background-input').setInputFiles({ name: 'big.gif', mimeType: 'image/gif', buffer: Buffer.alloc(3 * 1024 * 1024) });
    await expect(page.getByTestId('map-background-message')).toContainText('背景は 2 MiB までです');
    await page.getByTestId('map-object-Daily').focus();
    await page.keyboard.press('ArrowDown');
    await expect(page.getByTestId('map-announcement')).toContainText('1 列 2 行へ移動中');
    await page.keyboard.press('Escape');
    await page.getByTestId('language').selectOption('en');
    await expect(page.getByTestId('view-map')).toHaveText('Map');
  });
});
