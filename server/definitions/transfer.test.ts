import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/db';
import { IMAGES } from '../testing/images';
import { addHost } from './hosts';
import { createObject, createScope, MAX_SCOPE_DEPTH, setPositions, setScopeWebhook } from './scopes';
import { setBackground } from './backgrounds';
import { exportDefinitions, importDefinitions, type DefinitionsDocument } from './transfer';
import { refusal } from '../testing/refusal';
import { WebhookTargets } from '../notifications/targets';

const USER = 'admin';
const TOKEN = 'kGd5dHka1ekz6thuu-lfkfJvzrgu951k';
const dirs: string[] = [];
const stores: Store[] = [];

async function freshStore(): Promise<Store> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobscope-transfer-'));
  dirs.push(dir);
  const store = await openStore(path.join(dir, 'console.db'));
  stores.push(store);
  return store;
}

afterAll(async () => {
  for (const store of stores) await store.$disconnect();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** What must survive a round trip: everything but when and where it was made. */
const content = ({ exportedAt, exportedFrom, ...rest }: DefinitionsDocument) => rest;
/** As it travels: through JSON. */
const overTheWire = (doc: DefinitionsDocument): unknown => JSON.parse(JSON.stringify(doc));


let source: Store;
let original: DefinitionsDocument;

beforeAll(async () => {
  // A console with some of everything: nested scopes, objects on two hosts, icons,
  // positions, a webhook, a background, and a unit with a scheduler service.
  source = await freshStore();
  await addHost(source, { name: 'jh1', address: '127.0.0.1', feedPort: 7421, token: TOKEN });
  await addHost(source, { name: 'jh2', address: 'jobhost-2.example', feedPort: 7422, token: `${TOKEN}-2` });
  const billing = await createScope(source, { name: 'Billing', comment: 'month end', icon: 'database' }, USER);
  const daily = await createScope(source, { name: 'Daily', parentId: billing.id }, USER);
  const deep = await createScope(source, { name: 'Deep', parentId: daily.id, icon: 'cloud' }, USER);
  const ops = await createScope(source, { name: 'Operations' }, USER);
  const extract = await createObject(source, { name: 'Extract', scopeId: daily.id, host: 'jh1', unit: '/Billing/Daily/extract', icon: 'job' }, USER);
  await createObject(source, { name: 'Load', scopeId: daily.id, host: 'jh2', unit: 'AJSROOT1:/Billing/Daily/load' }, USER);
  await createObject(source, { name: 'Backup', scopeId: deep.id, host: 'jh1', unit: '/Ops/backup', comment: 'nightly' }, USER);
  await setPositions(source, { scopes: [{ id: daily.id, x: 2, y: 3 }, { id: ops.id, x: 10, y: 0 }], objects: [{ id: extract.id, x: 0, y: 0 }] }, USER);
  await setScopeWebhook(source, billing.id, { webhookUrl: 'https://hooks.example/secret-path', webhookFilter: 'abnormal,warning', mailTo: ['billing@example.com', 'oncall@example.jp'] }, USER);
  // Mail only, and a filter that takes expectation flags.
  await setScopeWebhook(source, ops.id, { mailTo: ['ops@example.com'], webhookFilter: 'flags,abnormal' }, USER);
  await setBackground(source, billing.id, 'image/png', IMAGES.png, USER);
  original = await exportDefinitions(source, 'clh1');
});

describe('export', () => {
  it('is a versioned document with the hosts, their tokens, and the nested scopes', () => {
    expect(original).toMatchObject({ format: 'jobscope-definitions', version: 1, exportedFrom: 'clh1' });
    expect(Date.parse(original.exportedAt!)).not.toBeNaN();
    expect(original.hosts).toEqual([
      { name: 'jh1', address: '127.0.0.1', feedPort: 7421, token: TOKEN },
      { name: 'jh2', address: 'jobhost-2.example', feedPort: 7422, token: `${TOKEN}-2` },
    ]);
    const [billing, ops] = original.scopes;
    expect(billing).toMatchObject({
      name: 'Billing',
      comment: 'month end',
      icon: 'database',
      x: null,
      y: null,
      webhook: { url: 'https://hooks.example/secret-path', filter: 'abnormal,warning' },
      mail: { to: ['billing@example.com', 'oncall@example.jp'], filter: 'abnormal,warning' },
      background: { mime: 'image/png', base64: IMAGES.png.toString('base64') },
      objects: [],
    });
    expect(billing.scopes[0]).toMatchObject({ name: 'Daily', x: 2, y: 3, webhook: null, background: null });
    // No mail: no entry at all, as a document of a console before mail.
    expect(billing.scopes[0]).not.toHaveProperty('mail');
    expect(billing.scopes[0].objects).toEqual([
      { name: 'Extract', comment: '', icon: 'job', host: 'jh1', unit: '/Billing/Daily/extract', x: 0, y: 0 },
      { name: 'Load', comment: '', icon: 'jobnet', host: 'jh2', unit: 'AJSROOT1:/Billing/Daily/load', x: null, y: null },
    ]);
    expect(billing.scopes[0].scopes[0]).toMatchObject({ name: 'Deep', icon: 'cloud', objects: [{ name: 'Backup', comment: 'nightly' }] });
    expect(ops).toMatchObject({ name: 'Operations', x: 10, y: 0, webhook: null, mail: { to: ['ops@example.com'], filter: 'abnormal,flags' }, scopes: [], objects: [] });
  });
});

describe('import', () => {
  it('into an empty console gives back the same document', async () => {
    const target = await freshStore();
    const counts = await importDefinitions(target, overTheWire(original), USER);
    expect(counts).toEqual({ scopes: 4, objects: 3, backgrounds: 1, hosts: { added: 2, updated: 0 } });
    const again = await exportDefinitions(target, 'clh2');
    expect(content(again)).toEqual(content(original));
    expect(again.exportedFrom).toBe('clh2');
    // The new hosts can be pulled: each has its feed state.
    expect(await target.feedState.count()).toBe(2);
    const audit = await target.auditEntry.findFirstOrThrow({ where: { action: 'definitions.import' } });
    expect(audit).toMatchObject({ user: USER, target: 'clh1' });
    expect(JSON.parse(audit.detail)).toMatchObject({ scopes: 4 });
  });

  it('replaces every scope and object, and adds or updates hosts while keeping the others', async () => {
    const target = await freshStore();
    // Registered before feed tokens had to be long and random: still a registration like any other.
    await target.monitoredHost.create({ data: { name: 'jh1', address: '10.9.9.9', feedPort: 1, token: 'an-old-token-of-16+', feed: { create: {} } } });
    await addHost(target, { name: 'kept', address: '127.0.0.1', feedPort: 7500, token: TOKEN });
    const old = await createScope(target, { name: 'Old scope' }, USER);
    await createObject(target, { name: 'Old object', scopeId: old.id, host: 'kept', unit: '/old' }, USER);

    const counts = await importDefinitions(target, overTheWire(original), USER);
    expect(counts.hosts).toEqual({ added: 1, updated: 1 });
    expect((await target.scope.findMany()).map((s) => s.name).sort()).toEqual(['Billing', 'Daily', 'Deep', 'Operations']);
    expect(await target.monitoringObject.count({ where: { name: 'Old object' } })).toBe(0);
    expect(await target.monitoredHost.findUniqueOrThrow({ where: { name: 'jh1' } })).toMatchObject({ address: '127.0.0.1', feedPort: 7421, token: TOKEN });
    expect(await target.monitoredHost.findUnique({ where: { name: 'kept' } })).not.toBeNull();
  });

  it('carries registrations made under the old token rule (16 characters) from one console to another', async () => {
    const target = await freshStore();
    const doc = { format: 'jobscope-definitions', version: 1, hosts: [{ name: 'legacy', address: '127.0.0.1', feedPort: 7421, token: 'an-old-token-of-16+' }], scopes: [] };
    expect((await importDefinitions(target, doc, USER)).hosts).toEqual({ added: 1, updated: 0 });
    expect(await target.monitoredHost.findUniqueOrThrow({ where: { name: 'legacy' } })).toMatchObject({ token: 'an-old-token-of-16+' });
  });

  it('takes objects on hosts already registered, even when the document does not list them', async () => {
    const target = await freshStore();
    await addHost(target, { name: 'jh9', address: '127.0.0.1', feedPort: 7429, token: TOKEN });
    const doc = {
      format: 'jobscope-definitions',
      version: 1,
      hosts: [],
      scopes: [{ name: 'Hand written', objects: [{ name: 'One', host: 'jh9', unit: 'SVC:/a/b' }] }],
    };
    expect(await importDefinitions(target, doc, USER)).toMatchObject({ scopes: 1, objects: 1 });
    expect(await target.monitoringObject.findFirstOrThrow()).toMatchObject({ icon: 'jobnet', mapX: null, unit: 'SVC:/a/b' });
  });

  it('refuses an invalid document whole, naming the JSON path of every problem, and changes nothing', async () => {
    const target = await freshStore();
    await importDefinitions(target, overTheWire(original), USER);
    const before = content(await exportDefinitions(target, 'clh2'));
    const auditBefore = await target.auditEntry.count();

    const bad = overTheWire(original) as any;
    bad.hosts.push({ name: 'jh3', address: 'not an address!', feedPort: 70000, token: 'short' });
    bad.scopes[0].icon = 'skull';
    bad.scopes[0].background = { mime: 'image/png', base64: IMAGES.svg.toString('base64') };
    bad.scopes[0].scopes[0].objects[0].host = 'unknown-host';
    bad.scopes[0].scopes[0].objects[1].unit = 'AJSROOT1:Billing';
    bad.scopes[1].name = '';
    bad.scopes[1].x = 200;
    bad.scopes.push({ name: 'New', webhook: { url: 'javascript:alert(1)' }, objects: [{ name: 'x', host: 'jh1', unit: '/x', extra: true }] });
    bad.scopes[1].webhook = { url: 'http://[::1]:8080/hook' };

    const err = await refusal(importDefinitions(target, bad, USER));
    expect(err.status).toBe(400);
    expect(Object.keys(err.fields).sort()).toEqual(
      [
        '$.hosts[2].address',
        '$.hosts[2].feedPort',
        '$.hosts[2].token',
        '$.scopes[0].icon',
        '$.scopes[0].background',
        '$.scopes[0].scopes[0].objects[0].host',
        '$.scopes[0].scopes[0].objects[1].unit',
        '$.scopes[1].name',
        '$.scopes[1].x',
        '$.scopes[1].webhook.url',
        '$.scopes[2].webhook.url',
        '$.scopes[2].objects[0]',
      ].sort(),
    );
    expect(err.fields['$.scopes[0].background']).toMatch(/not a PNG image/);
    expect(err.fields['$.scopes[0].scopes[0].objects[0].host']).toMatch(/neither in the document's hosts nor a registered monitored host/);
    expect(err.fields['$.scopes[0].icon']).toMatch(/icon must be one of/);
    expect(err.fields['$.scopes[1].webhook.url']).toBe('webhooks may not post to ::1: it is a loopback address');
    expect(err.message).toMatch(/has 12 problems/);

    expect(content(await exportDefinitions(target, 'clh2'))).toEqual(before);
    expect(await target.auditEntry.count()).toBe(auditBefore);
  });

  it('takes mail recipients, absent meaning none, and refuses bad addresses and two filters for one scope', async () => {
    const target = await freshStore();
    const doc = overTheWire(original) as any;
    delete doc.scopes[0].mail;
    await importDefinitions(target, doc, USER);
    expect(await target.scope.findFirstOrThrow({ where: { name: 'Billing' } })).toMatchObject({ mailTo: null, webhookFilter: 'abnormal,warning' });
    expect(await target.scope.findFirstOrThrow({ where: { name: 'Operations' } })).toMatchObject({ mailTo: 'ops@example.com', webhookUrl: null, webhookFilter: 'abnormal,flags' });

    const bad = overTheWire(original) as any;
    bad.scopes[0].mail.filter = 'abnormal';
    bad.scopes[1].mail.to = ['ops@example.com\r\nBcc: all@evil.example', 'not an address'];
    bad.scopes.push({ name: 'Empty mail', mail: { to: [] } });
    const err = await refusal(importDefinitions(target, bad, USER));
    expect(Object.keys(err.fields).sort()).toEqual(['$.scopes[1].mail.to[0]', '$.scopes[1].mail.to[1]', '$.scopes[2].mail.to'].sort());
    expect(err.fields['$.scopes[1].mail.to[0]']).toMatch(/not a mail address/);
    const twoFilters = overTheWire(original) as any;
    twoFilters.scopes[0].mail.filter = 'abnormal';
    expect((await refusal(importDefinitions(target, twoFilters, USER))).fields).toEqual({ '$.scopes[0].mail.filter': 'a scope has one filter for its webhook and its mail: give both the same' });
  });

  it('checks the rules across fields: hosts listed twice, x without y, nesting too deep', async () => {
    const target = await freshStore();
    const doc = overTheWire(original) as any;
    doc.hosts.push({ ...doc.hosts[0] });
    doc.scopes[1].y = null;
    const err = await refusal(importDefinitions(target, doc, USER));
    expect(err.fields).toEqual({ '$.hosts[2].name': 'host jh1 is listed twice', '$.scopes[1].x': 'x and y are both set, or both null' });

    let nest: any = { name: 'bottom' };
    for (let i = 0; i < 10_000; i++) nest = { name: `level ${i}`, scopes: [nest] };
    const deep = await refusal(importDefinitions(target, { format: 'jobscope-definitions', version: 1, hosts: [], scopes: [nest] }, USER));
    expect(Object.keys(deep.fields)).toEqual([`$.scopes[0]${'.scopes[0]'.repeat(MAX_SCOPE_DEPTH)}`]);
    expect(await target.scope.count()).toBe(0);
    expect(await target.monitoredHost.count()).toBe(0);
  });

  it('checks where every webhook posts as the console’s configuration says, resolving each name once', async () => {
    const target = await freshStore();
    const asked: string[] = [];
    const resolve = async (name: string) => (asked.push(name), name === 'inside.example' ? ['10.1.2.3'] : ['10.1.2.4', '169.254.169.254']);
    const hooks = (...urls: string[]) => ({
      format: 'jobscope-definitions',
      version: 1,
      scopes: urls.map((url, i) => ({ name: `S${i}`, webhook: { url }, scopes: [{ name: `T${i}`, webhook: { url } }] })),
    });
    const byDefault = new WebhookTargets({ address: '10.1.2.3' }, { resolve, nodeAddresses: () => [] });
    const err = await refusal(importDefinitions(target, hooks('http://inside.example/a', 'http://mixed.example/b', 'http://10.1.2.5/c'), USER, byDefault));
    expect(err.fields).toEqual({
      '$.scopes[0].webhook.url': "webhooks may not post to inside.example: it resolves to 10.1.2.3, this console's own address",
      '$.scopes[0].scopes[0].webhook.url': "webhooks may not post to inside.example: it resolves to 10.1.2.3, this console's own address",
      '$.scopes[1].webhook.url': 'webhooks may not post to mixed.example: it resolves to 169.254.169.254, a link-local address',
      '$.scopes[1].scopes[0].webhook.url': 'webhooks may not post to mixed.example: it resolves to 169.254.169.254, a link-local address',
    });
    expect(asked.sort()).toEqual(['inside.example', 'mixed.example']);
    expect(await target.scope.count()).toBe(0);

    const listed = new WebhookTargets({ address: '10.1.2.3', webhookNetworks: ['10.0.0.0/8', '169.254.0.0/16'] }, { resolve });
    expect(await importDefinitions(target, hooks('http://inside.example/a', 'http://mixed.example/b'), USER, listed)).toMatchObject({ scopes: 4 });
    const outside = await refusal(importDefinitions(target, hooks('http://192.0.2.50/a'), USER, listed));
    expect(Object.keys(outside.fields)).toEqual(['$.scopes[0].webhook.url', '$.scopes[0].scopes[0].webhook.url']);
    expect(outside.fields['$.scopes[0].webhook.url']).toMatch(/outside the networks this console lets webhooks post to/);
  });

  it('refuses other documents and other versions with one clear answer', async () => {
    const target = await freshStore();
    expect((await refusal(importDefinitions(target, { hello: 'world' }, USER))).fields).toEqual({
      '$.format': 'not a Jobscope definitions document: format must be "jobscope-definitions"',
    });
    expect((await refusal(importDefinitions(target, [1, 2], USER))).fields['$.format']).toBeDefined();
    expect((await refusal(importDefinitions(target, undefined, USER))).fields['$.format']).toBeDefined();
    const v2 = await refusal(importDefinitions(target, { ...original, version: 2 }, USER));
    expect(v2.fields).toEqual({ '$.version': 'version 2 is not supported: this console reads version 1' });
  });
});
