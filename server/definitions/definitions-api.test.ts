// The definition routes of a real console manager, called as a browser would.
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, TestHost, type Client } from '../testing/test-host';
import { IMAGES } from '../testing/images';

let host: TestHost;
let admin: Client;
let operator: Client;
let guest: Client;

beforeAll(async () => {
  host = await TestHost.create('defapi');
  await host.startManager();
  [admin, operator, guest] = await Promise.all([host.login('admin'), host.login('operator'), host.login('guest')]);
});

afterAll(async () => {
  await host?.stop();
});

/** A same-origin request with a raw body, as the View uploads a file. */
function upload(client: Client, method: string, apiPath: string, body: Uint8Array<ArrayBuffer>, contentType: string): Promise<Response> {
  return fetch(`${client.url}/api/v1${apiPath}`, {
    method,
    headers: { cookie: client.cookie, origin: client.url, 'x-csrf-token': client.csrfToken, 'content-type': contentType },
    body,
  });
}

function get(client: Client, apiPath: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${client.url}/api/v1${apiPath}`, { headers: { cookie: client.cookie, ...headers } });
}

const content = ({ exportedAt, exportedFrom, ...rest }: Record<string, unknown>) => rest;

describe('definition routes', () => {
  let scopeId: number;
  let childId: number;
  let objectId: number;

  it('let an operator change scopes and objects and place them; a guest cannot', async () => {
    scopeId = (await operator.call('POST', '/scopes', { name: 'Billing', icon: 'database' })).body.scope.id;
    childId = (await operator.call('POST', '/scopes', { name: 'Daily', parentId: scopeId })).body.scope.id;
    const created = await operator.call('POST', '/objects', { name: 'Extract', scopeId: childId, host: 'defapi', unit: 'AJSROOT1:/Billing/extract' });
    expect(created.status).toBe(201);
    objectId = created.body.object.id;

    const patched = await operator.call('PATCH', `/scopes/${scopeId}`, { name: 'Invoicing', icon: 'cloud' });
    expect(patched).toMatchObject({ status: 200, body: { scope: { id: scopeId, name: 'Invoicing', icon: 'cloud' } } });
    const cycle = await operator.call('PATCH', `/scopes/${scopeId}`, { parentId: childId });
    expect(cycle.status).toBe(400);
    expect(cycle.body.fields.parentId).toMatch(/itself or a scope inside it/);
    const object = await operator.call('PATCH', `/objects/${objectId}`, { icon: 'calendar', comment: 'month end' });
    expect(object).toMatchObject({ status: 200, body: { object: { icon: 'calendar', comment: 'month end', unit: 'AJSROOT1:/Billing/extract' } } });
    const unregistered = await operator.call('PATCH', `/objects/${objectId}`, { host: 'elsewhere' });
    expect(unregistered.status).toBe(400);
    expect(unregistered.body.fields.host).toMatch(/not a registered monitored host/);

    const placed = await operator.call('PUT', '/positions', { scopes: [{ id: childId, x: 4, y: 5 }], objects: [{ id: objectId, x: 0, y: 1 }] });
    expect(placed).toEqual({ status: 200, body: { scopes: 1, objects: 1 } });
    const unknown = await operator.call('PUT', '/positions', { scopes: [{ id: childId, x: 9, y: 9 }, { id: 999999, x: 1, y: 1 }] });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toContain('999999');

    const { body: defs } = await guest.call('GET', '/definitions');
    expect(defs.scopes.find((s: { id: number }) => s.id === childId)).toMatchObject({ mapX: 4, mapY: 5, icon: 'scope', hasBackground: false });
    expect(defs.objects.find((o: { id: number }) => o.id === objectId)).toMatchObject({ mapX: 0, mapY: 1, icon: 'calendar' });

    expect((await guest.call('PATCH', `/scopes/${scopeId}`, { name: 'x' })).status).toBe(403);
    expect((await guest.call('PATCH', `/objects/${objectId}`, { name: 'x' })).status).toBe(403);
    expect((await guest.call('PUT', '/positions', { scopes: [] })).status).toBe(403);
  });

  it('answer refusals in the language the request asks for, English otherwise', async () => {
    const ja = { 'accept-language': 'ja-JP,ja;q=0.9,en;q=0.8' };
    const japanese = await operator.call('POST', '/scopes', { name: '  ', icon: 'nope' }, ja);
    expect(japanese.status).toBe(400);
    expect(japanese.body.fields).toEqual({ name: '名前は必須です', icon: expect.stringMatching(/^アイコンは scope、/) });
    expect(japanese.body.error).toBe('name: 名前は必須です');
    const english = await operator.call('POST', '/scopes', { name: '  ', icon: 'nope' }, { 'accept-language': 'fr-FR, de;q=0.5' });
    expect(english.body.fields.name).toBe('name is required');
    // zod's own messages, for what a schema does not word itself.
    expect((await operator.call('POST', '/scopes', { name: 'x', parentId: 'one' }, ja)).body.fields.parentId).toMatch(/^無効な入力/);

    expect((await operator.call('DELETE', '/scopes/99999', undefined, ja)).body.error).toBe('業務スコープ 99999 はありません');
    expect((await guest.call('POST', '/scopes', { name: 'x' }, ja)).body.error).toMatch(/^ロール guest にはこの操作は許可されていません/);
    const anonymous = await fetch(`${host.url}/api/v1/definitions`, { headers: { 'accept-language': 'ja' } });
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: string }).error).toBe('ログインしていないか、セッションの有効期限が切れています');
    const svg = await fetch(`${host.url}/api/v1/scopes/1/background`, {
      method: 'PUT',
      headers: { cookie: operator.cookie, origin: operator.url, 'x-csrf-token': operator.csrfToken, 'content-type': 'image/svg+xml', 'accept-language': 'ja' },
      body: '<svg/>',
    });
    expect(((await svg.json()) as { error: string }).error).toMatch(/^SVG 画像は/);
  });

  it('keep the 64 KiB limit for JSON bodies', async () => {
    const big = await operator.call('PATCH', `/scopes/${scopeId}`, { comment: 'x'.repeat(70 * 1024) });
    expect(big.status).toBe(413);
  });

  it('take a background image, serve it with its type and cache validators, and refuse anything else', async () => {
    const put = await upload(operator, 'PUT', `/scopes/${scopeId}/background`, IMAGES.png, 'image/png');
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ background: { mime: 'image/png', size: IMAGES.png.length } });

    const res = await get(guest, `/scopes/${scopeId}/background`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'");
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    expect(Buffer.from(await res.arrayBuffer()).equals(IMAGES.png)).toBe(true);
    expect((await get(guest, `/scopes/${scopeId}/background`, { 'if-none-match': etag })).status).toBe(304);
    expect((await get(guest, `/scopes/${scopeId}/background`, { 'if-modified-since': res.headers.get('last-modified')! })).status).toBe(304);
    expect((await guest.call('GET', '/definitions')).body.scopes.find((s: { id: number }) => s.id === scopeId).hasBackground).toBe(true);

    const disguised = await upload(operator, 'PUT', `/scopes/${scopeId}/background`, IMAGES.svg, 'image/png');
    expect(disguised.status).toBe(400);
    expect((await disguised.json()).error).toMatch(/not a PNG image/);
    const svg = await upload(operator, 'PUT', `/scopes/${scopeId}/background`, IMAGES.svg, 'image/svg+xml');
    expect(svg.status).toBe(400);
    expect((await svg.json()).error).toMatch(/SVG images are refused/);
    const empty = await upload(operator, 'PUT', `/scopes/${scopeId}/background`, new Uint8Array(), 'image/png');
    expect(empty.status).toBe(400);
    expect((await empty.json()).error).toMatch(/empty/);
    const huge = await upload(operator, 'PUT', `/scopes/${scopeId}/background`, Buffer.concat([IMAGES.png, Buffer.alloc(2 * 1024 * 1024)]), 'image/png');
    expect(huge.status).toBe(413);
    expect((await huge.json()).error).toMatch(/larger than/);
    expect((await upload(guest, 'PUT', `/scopes/${scopeId}/background`, IMAGES.png, 'image/png')).status).toBe(403);

    // Still the first image, so a browser's copy is still good.
    expect((await get(guest, `/scopes/${scopeId}/background`, { 'if-none-match': etag })).status).toBe(304);
    const replaced = await upload(operator, 'PUT', `/scopes/${scopeId}/background`, IMAGES.jpeg, 'image/jpeg');
    expect(replaced.status).toBe(200);
    const fresh = await get(guest, `/scopes/${scopeId}/background`, { 'if-none-match': etag });
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('content-type')).toBe('image/jpeg');

    expect((await operator.call('DELETE', `/scopes/${childId}/background`)).status).toBe(204);
    expect((await get(guest, `/scopes/${childId}/background`)).status).toBe(404);
  });

  it('list the monitored hosts to everyone, with the feed tokens for admins only', async () => {
    const { status, body: hosts } = await guest.call('GET', '/hosts');
    expect(status).toBe(200);
    const self = hosts.find((h: { name: string }) => h.name === 'defapi');
    expect(self).toMatchObject({ address: '127.0.0.1', feedPort: host.agentPort, objects: 1, watched: true });
    expect(self).toHaveProperty('pending');
    expect(JSON.stringify(hosts)).not.toContain(host.token);
    for (const h of hosts) expect(h).not.toHaveProperty('token');
    expect(JSON.stringify((await operator.call('GET', '/hosts')).body)).not.toContain(host.token);
    expect((await admin.call('GET', '/hosts')).body.find((h: { name: string }) => h.name === 'defapi').token).toBe(host.token);

    const spare = { name: 'spare-host', address: '192.0.2.9', feedPort: 7421, token: 'QNw4xuoKMn45FNw6gRVIYbL2PWHS2QRZ' };
    expect((await guest.call('POST', '/hosts', spare)).status).toBe(403);
    expect((await operator.call('POST', '/hosts', spare)).status).toBe(403);
    const short = await admin.call('POST', '/hosts', { ...spare, token: 'a-token-of-16-chars-or-more' });
    expect(short.status).toBe(400);
    expect(short.body.fields.token).toBe('the token must have at least 32 characters (it has 27); use a random one, e.g. openssl rand -base64 32');
    const guessable = await admin.call('POST', '/hosts', { ...spare, token: 'Password1!Password1!Password1!Pa' }, { 'accept-language': 'ja' });
    expect(guessable.status).toBe(400);
    expect(guessable.body.fields.token).toMatch(/^トークンが推測されやすい形です \(推定 約 50 ビット/);
    const byHand = await run(['host', 'add', 'spare-host', '--address', '192.0.2.9', '-h', host.name], { ...host.env, JOBSCOPE_HOST_TOKEN: 'abcdefghijklmnopqrstuvwxyz0123456789' });
    expect(byHand.code).not.toBe(0);
    expect(byHand.stderr).toContain('jobscope: token: the token looks guessable (about 20 bits');
    expect((await admin.call('POST', '/hosts', spare)).status).toBe(201);
    expect((await guest.call('DELETE', '/hosts/spare-host')).status).toBe(403);
    expect((await admin.call('DELETE', '/hosts/spare-host')).status).toBe(204);

    const named = await admin.call('DELETE', '/hosts/defapi');
    expect(named.status).toBe(409);
    expect(named.body.error).toMatch(/target host of 1 monitoring object: delete those objects or give them another host first/);
  });

  it('refuse webhooks to loopback, link-local and the console’s own addresses by default, saying why in the asked language', async () => {
    const loopback = await operator.call('POST', '/scopes', { name: 'Hooked', webhookUrl: 'http://127.0.0.1:9/hook?secret=s' });
    expect(loopback.status).toBe(400);
    expect(loopback.body.fields).toEqual({ webhookUrl: 'webhooks may not post to 127.0.0.1: it is a loopback address' });
    const ja = await operator.call('POST', '/scopes', { name: 'Hooked', webhookUrl: 'http://127.0.0.1:9/hook' }, { 'accept-language': 'ja' });
    expect(ja.body.fields.webhookUrl).toBe('Webhook は 127.0.0.1 に送信できません。127.0.0.1 はループバックアドレスです');

    const scope = await operator.call('POST', '/scopes', { name: 'Hooked' });
    const set = (webhookUrl: string) => operator.call('PUT', `/scopes/${scope.body.scope.id}/webhook`, { webhookUrl });
    expect((await set('http://localhost:9/hook')).body.fields.webhookUrl).toMatch(/^webhooks may not post to localhost: it resolves to (127\.0\.0\.1|::1), a loopback address$/);
    expect((await set('http://[::ffff:169.254.169.254]/latest')).body.fields.webhookUrl).toMatch(/link-local/);
    expect((await set('http://[::]:9/')).body.fields.webhookUrl).toMatch(/unspecified/);
    // This node's own address (eth0 of the test machine, or whichever it has) is the console's too.
    const own = Object.values(os.networkInterfaces()).flat().find((i) => i && !i.internal && i.family === 'IPv4');
    if (own) expect((await set(`http://${own.address}:9/`)).body.fields.webhookUrl).toBe(`webhooks may not post to ${own.address}: it is this console's own address`);
    expect((await set('http://198.51.100.50:9/hook')).status).toBe(204);
    expect((await operator.call('PUT', `/scopes/${scope.body.scope.id}/webhook`, { webhookUrl: null })).status).toBe(204);
    expect((await operator.call('DELETE', `/scopes/${scope.body.scope.id}`)).status).toBe(204);
  });

  it('set mail recipients and the filter beside the webhook, refusing bad addresses and header injection with clear reasons', async () => {
    const scope = await operator.call('POST', '/scopes', { name: 'Mailed', webhookUrl: 'http://198.51.100.50:9/hook?secret=s3cret' });
    const id = scope.body.scope.id;
    const put = (body: unknown, headers?: Record<string, string>) => operator.call('PUT', `/scopes/${id}/webhook`, body, headers);

    const bad = await put({ mailTo: ['ops@example.com', 'not an address', 'a@b.example\r\nBcc: all@evil.example', '<x@example.com>'] });
    expect(bad.status).toBe(400);
    expect(bad.body.fields).toEqual({
      'mailTo.1': 'not a mail address (name@example.com)',
      'mailTo.2': 'not a mail address (name@example.com)',
      'mailTo.3': 'not a mail address (name@example.com)',
    });
    expect((await put({ mailTo: ['x'] }, { 'accept-language': 'ja' })).body.fields['mailTo.0']).toBe('メールアドレスではありません (name@example.com)');
    const many = await put({ mailTo: Array.from({ length: 21 }, (_, i) => `o${i}@example.com`) });
    expect(many.body.fields).toEqual({ mailTo: 'at most 20 mail recipients' });
    expect((await put({ mailTo: 'ops@example.com' })).status).toBe(400);
    expect((await put({ mailTo: [`${'l'.repeat(65)}@example.com`] })).body.fields['mailTo.0']).toBe('the part before @ is at most 64 characters');
    expect((await put({ webhookFilter: 'abnormal,flagz' })).body.fields.webhookFilter).toBe('filter must name one or more of abnormal, warning, flags, comma-separated');
    expect((await put({ webhookFilter: 'flags' }, { 'accept-language': 'ja' })).status).toBe(204);

    // Fields left out stay: the webhook is kept while the recipients and filter change.
    expect((await put({ mailTo: [' ops@example.com', 'oncall@example.jp', 'ops@example.com'], webhookFilter: 'flags,abnormal' })).status).toBe(204);
    const listed = (await operator.call('GET', '/definitions')).body.scopes.find((s: { id: number }) => s.id === id);
    expect(listed).toMatchObject({ hasWebhook: true, hasMail: true, mailTo: ['ops@example.com', 'oncall@example.jp'], webhookFilter: 'abnormal,flags' });
    expect(JSON.stringify(listed)).not.toContain('s3cret');
    // People's addresses are for those who change them: a guest learns only that there are some.
    const seenByGuest = (await guest.call('GET', '/definitions')).body.scopes.find((s: { id: number }) => s.id === id);
    expect(seenByGuest).toMatchObject({ hasMail: true, mailTo: [] });

    const audit = (await admin.call('GET', '/audit?action=scope.update&limit=1')).body.entries[0];
    expect(audit).toMatchObject({ target: 'Mailed', detail: { id, webhookFilter: 'abnormal,flags', mailTo: ['ops@example.com', 'oncall@example.jp'] } });
    expect((await put({ webhookUrl: null, mailTo: null })).status).toBe(204);
    const cleared = (await operator.call('GET', '/definitions')).body.scopes.find((s: { id: number }) => s.id === id);
    expect(cleared).toMatchObject({ hasWebhook: false, mailTo: [] });
    expect((await admin.call('GET', '/audit?action=scope.update&limit=1')).body.entries[0].detail).toEqual({ id, mailTo: [], changed: ['webhookUrl'] });
    expect((await guest.call('PUT', `/scopes/${id}/webhook`, { mailTo: ['ops@example.com'] })).status).toBe(403);
    expect((await operator.call('DELETE', `/scopes/${id}`)).status).toBe(204);
  });

  it('refuse export and import to operators and guests', async () => {
    for (const client of [operator, guest]) {
      expect((await client.call('GET', '/definitions/export')).status).toBe(403);
      expect((await client.call('POST', '/definitions/import', { format: 'jobscope-definitions', version: 1, hosts: [], scopes: [] })).status).toBe(403);
    }
  });

  it('export and import over HTTP: the document comes back the same, a bad one changes nothing', async () => {
    const exported = await get(admin, '/definitions/export');
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-disposition')).toMatch(/^attachment; filename="jobscope-definitions-defapi-/);
    const doc = await exported.json();
    expect(doc).toMatchObject({ format: 'jobscope-definitions', version: 1, exportedFrom: 'defapi', hosts: [{ name: 'defapi', feedPort: host.agentPort, token: host.token }] });
    expect(doc.scopes[0]).toMatchObject({ name: 'Invoicing', background: { mime: 'image/jpeg' }, scopes: [{ name: 'Daily', x: 4, y: 5 }] });

    const bad = structuredClone(doc);
    bad.scopes[0].scopes[0].objects[0].host = 'nowhere';
    bad.scopes[0].icon = 'rocket';
    bad.scopes[0].scopes[0].webhook = { url: 'http://169.254.169.254/latest/meta-data', filter: 'abnormal' };
    const refused = await admin.call('POST', '/definitions/import', bad);
    expect(refused.status).toBe(400);
    expect(Object.keys(refused.body.fields).sort()).toEqual(['$.scopes[0].icon', '$.scopes[0].scopes[0].objects[0].host', '$.scopes[0].scopes[0].webhook.url']);
    expect(refused.body.fields['$.scopes[0].scopes[0].webhook.url']).toBe('webhooks may not post to 169.254.169.254: it is a link-local address');
    expect(content(await (await get(admin, '/definitions/export')).json())).toEqual(content(doc));

    // Larger than a JSON body may be elsewhere: the import route has its own limit.
    const large = structuredClone(doc);
    large.scopes.push({ name: 'Many', objects: Array.from({ length: 2000 }, (_, i) => ({ name: `Object ${i}`, host: 'defapi', unit: `/Many/unit-${i}` })) });
    expect(JSON.stringify(large).length).toBeGreaterThan(64 * 1024);
    const imported = await admin.call('POST', '/definitions/import', large);
    expect(imported).toEqual({ status: 200, body: { scopes: 3, objects: 2001, backgrounds: 1, hosts: { added: 0, updated: 1 } } });

    const back = await admin.call('POST', '/definitions/import', doc);
    expect(back).toEqual({ status: 200, body: { scopes: 2, objects: 1, backgrounds: 1, hosts: { added: 0, updated: 1 } } });
    expect(content(await (await get(admin, '/definitions/export')).json())).toEqual(content(doc));
  });
});
