import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/db';
import { ICONS } from '../domain/icons';
import { createObject, createScope, listDefinitions, resolveTargetHost, setPositions, updateObject, updateScope, MAX_SCOPE_DEPTH } from './scopes';
import { IMAGES } from '../testing/images';
import { backgroundEtag, deleteBackground, getBackground, MAX_BACKGROUND_BYTES, setBackground, sniffImage } from './backgrounds';
import { refusal } from '../testing/refusal';

let store: Store;
let dir: string;
const USER = 'ops';

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobscope-definitions-'));
  store = await openStore(path.join(dir, 'console.db'));
  await store.monitoredHost.create({ data: { name: 'jh1', address: '127.0.0.1', feedPort: 7421, token: 'a-token-of-16-chars-or-more' } });
  await store.monitoredHost.create({ data: { name: 'jh2', address: '127.0.0.1', feedPort: 7422, token: 'a-token-of-16-chars-or-more' } });
});

afterAll(async () => {
  await store.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  await store.scope.deleteMany({});
  await store.auditEntry.deleteMany({});
});


describe('scopes', () => {
  it('are created with a default icon and changed field by field', async () => {
    const billing = await createScope(store, { name: 'Billing' }, USER);
    expect(billing).toMatchObject({ name: 'Billing', icon: 'scope', parentId: null, mapX: null, mapY: null });
    const changed = await updateScope(store, billing.id, { name: ' Invoicing ', icon: 'database', comment: 'nightly' }, USER);
    expect(changed).toMatchObject({ id: billing.id, name: 'Invoicing', icon: 'database', comment: 'nightly' });
    // A missing field stays as it is.
    expect(await updateScope(store, billing.id, { icon: 'cloud' }, USER)).toMatchObject({ name: 'Invoicing', comment: 'nightly', icon: 'cloud' });
    const audit = await store.auditEntry.findMany({ where: { action: 'scope.update' } });
    expect(audit.map((a) => [a.user, a.target])).toEqual([
      [USER, 'Invoicing'],
      [USER, 'Invoicing'],
    ]);
  });

  it('move under another scope, and never under themselves or their own scopes', async () => {
    const a = await createScope(store, { name: 'A' }, USER);
    const b = await createScope(store, { name: 'B', parentId: a.id }, USER);
    const c = await createScope(store, { name: 'C', parentId: b.id }, USER);
    const other = await createScope(store, { name: 'Other' }, USER);
    await setPositions(store, { scopes: [{ id: b.id, x: 3, y: 4 }] }, USER);

    for (const target of [a.id, b.id, c.id]) {
      const err = await refusal(updateScope(store, a.id, { parentId: target }, USER));
      expect(err.fields.parentId).toMatch(/itself or a scope inside it/);
    }
    expect((await store.scope.findUniqueOrThrow({ where: { id: a.id } })).parentId).toBeNull();

    // A move places the scope afresh on its new parent's map.
    expect(await updateScope(store, b.id, { parentId: other.id }, USER)).toMatchObject({ parentId: other.id, mapX: null, mapY: null });
    expect(await updateScope(store, b.id, { parentId: null }, USER)).toMatchObject({ parentId: null });
    expect((await refusal(updateScope(store, b.id, { parentId: 99999 }, USER))).fields.parentId).toBe('no such scope');
    expect((await refusal(updateScope(store, 99999, { name: 'x' }, USER))).status).toBe(404);
    expect((await store.scope.findUniqueOrThrow({ where: { id: c.id } })).parentId).toBe(b.id);
  });

  it('refuse a move that would nest the moved scopes too deep', async () => {
    let parentId: number | null = null;
    const chain: number[] = [];
    for (let i = 0; i < MAX_SCOPE_DEPTH; i++) {
      const s: { id: number } = await createScope(store, { name: `L${i + 1}`, parentId }, USER);
      chain.push(s.id);
      parentId = s.id;
    }
    expect((await refusal(createScope(store, { name: 'too deep', parentId }, USER))).fields.parentId).toBe('too deep');
    // A scope with one level below it fits under level 6, not under level 7.
    const top = await createScope(store, { name: 'Top' }, USER);
    await createScope(store, { name: 'Below top', parentId: top.id }, USER);
    await updateScope(store, top.id, { parentId: chain[MAX_SCOPE_DEPTH - 3] }, USER);
    expect((await refusal(updateScope(store, top.id, { parentId: chain[MAX_SCOPE_DEPTH - 2] }, USER))).fields.parentId).toBe('too deep');
  });

  it('take only icons from the shared list', async () => {
    for (const icon of ICONS) expect((await createScope(store, { name: icon, icon }, USER)).icon).toBe(icon);
    const err = await refusal(createScope(store, { name: 'x', icon: 'skull' }, USER));
    expect(err.fields.icon).toMatch(/icon must be one of scope, jobnet/);
    const s = await createScope(store, { name: 'y' }, USER);
    expect((await refusal(updateScope(store, s.id, { icon: '../../etc/passwd' }, USER))).fields.icon).toBeDefined();
    expect((await refusal(updateScope(store, s.id, { colour: 'red' }, USER))).fields._).toMatch(/colour/);
  });
});

describe('monitoring objects', () => {
  it('are changed with the checks of creation, the unit keeping its scheduler service', async () => {
    const s1 = await createScope(store, { name: 'S1' }, USER);
    const s2 = await createScope(store, { name: 'S2' }, USER);
    const o = await createObject(store, { name: 'Daily', scopeId: s1.id, host: 'jh1', unit: '/Billing/Daily' }, USER);
    expect(o).toMatchObject({ icon: 'jobnet', mapX: null });
    await setPositions(store, { objects: [{ id: o.id, x: 1, y: 2 }] }, USER);

    const changed = await updateObject(store, o.id, { unit: 'AJSROOT1:/Billing/Daily', host: 'jh2', icon: 'calendar', name: 'Daily run' }, USER);
    expect(changed).toMatchObject({ unit: 'AJSROOT1:/Billing/Daily', host: 'jh2', icon: 'calendar', name: 'Daily run', mapX: 1, mapY: 2 });
    expect(await updateObject(store, o.id, { scopeId: s2.id }, USER)).toMatchObject({ scopeId: s2.id, mapX: null, mapY: null });

    const unregistered = await refusal(updateObject(store, o.id, { host: 'nowhere' }, USER));
    expect(unregistered.fields.host).toMatch(/not a registered monitored host/);
    expect((await refusal(createObject(store, { name: 'x', scopeId: s1.id, host: 'nowhere', unit: '/a' }, USER))).fields.host).toMatch(
      /registered monitored host/,
    );
    expect((await refusal(updateObject(store, o.id, { scopeId: 99999 }, USER))).fields.scopeId).toBe('no such scope');
    expect((await refusal(createObject(store, { name: 'x', scopeId: null, host: 'jh1', unit: '/a' }, USER))).fields.scopeId).toBe('choose a business scope');
    expect((await refusal(updateObject(store, o.id, { unit: 'Billing/Daily' }, USER))).fields.unit).toMatch(/must start with \//);
    expect((await refusal(updateObject(store, o.id, { unit: '1BAD:/a' }, USER))).fields.unit).toMatch(/scheduler service/);
    expect((await refusal(updateObject(store, o.id, { icon: 'rocket' }, USER))).fields.icon).toMatch(/icon must be one of/);
    expect((await refusal(updateObject(store, 99999, { name: 'x' }, USER))).status).toBe(404);
    expect(await store.monitoringObject.findUniqueOrThrow({ where: { id: o.id } })).toMatchObject({ host: 'jh2', scopeId: s2.id });
  });
});

describe('target hosts', () => {
  // jh1 and jh2 (above) share 127.0.0.1; these have addresses of their own.
  beforeAll(async () => {
    const token = 'a-token-of-16-chars-or-more';
    await store.monitoredHost.create({ data: { name: 'batch-a', address: '192.0.2.7', feedPort: 7421, token } });
    await store.monitoredHost.create({ data: { name: 'batch-b', address: '2001:db8::7', feedPort: 7421, token } });
    await store.monitoredHost.create({ data: { name: 'batch-c', address: 'Batch-C.example.test', feedPort: 7421, token } });
  });

  it('are a logical host name, or an address that exactly one registered host has', async () => {
    expect(await resolveTargetHost(store, 'jh1')).toBe('jh1');
    expect(await resolveTargetHost(store, '192.0.2.7')).toBe('batch-a');
    // IPv6 in any spelling, DNS names in any case.
    expect(await resolveTargetHost(store, '2001:0db8:0:0::7')).toBe('batch-b');
    expect(await resolveTargetHost(store, 'batch-c.EXAMPLE.test')).toBe('batch-c');

    const s = await createScope(store, { name: 'S' }, USER);
    const o = await createObject(store, { name: 'By address', scopeId: s.id, host: ' 192.0.2.7 ', unit: '/a' }, USER);
    expect(o.host).toBe('batch-a');
    expect(await updateObject(store, o.id, { host: '2001:db8::7' }, USER)).toMatchObject({ host: 'batch-b' });
    const audit = await store.auditEntry.findFirstOrThrow({ where: { action: 'object.update' } });
    expect(JSON.parse(audit.detail)).toMatchObject({ host: 'batch-b' });
  });

  it('are refused with the problem named when the address is shared or unknown', async () => {
    const s = await createScope(store, { name: 'S' }, USER);
    const shared = await refusal(createObject(store, { name: 'x', scopeId: s.id, host: '127.0.0.1', unit: '/a' }, USER));
    expect(shared.fields.host).toMatch(/several registered hosts have this address \(jh1, jh2\)/);
    expect(shared.message).toContain('127.0.0.1');
    const unknown = await refusal(createObject(store, { name: 'x', scopeId: s.id, host: '192.0.2.8', unit: '/a' }, USER));
    expect(unknown.fields.host).toMatch(/not a registered monitored host name or address/);
    const malformed = await refusal(createObject(store, { name: 'x', scopeId: s.id, host: 'no such/host', unit: '/a' }, USER));
    expect(malformed.fields.host).toBe('target host must be a logical host name or an address');
    expect((await refusal(createObject(store, { name: 'x', scopeId: s.id, host: '  ', unit: '/a' }, USER))).fields.host).toBe('target host is required');
    expect(await store.monitoringObject.count({ where: { scopeId: s.id } })).toBe(0);
  });
});

describe('positions', () => {
  it('are stored all together, and not at all when one id is unknown', async () => {
    const s = await createScope(store, { name: 'S' }, USER);
    const t = await createScope(store, { name: 'T', parentId: s.id }, USER);
    const o = await createObject(store, { name: 'O', scopeId: s.id, host: 'jh1', unit: '/o' }, USER);
    expect(await setPositions(store, { scopes: [{ id: t.id, x: 0, y: 199 }], objects: [{ id: o.id, x: 5, y: 6 }] }, USER)).toEqual({ scopes: 1, objects: 1 });

    const err = await refusal(setPositions(store, { scopes: [{ id: t.id, x: 9, y: 9 }], objects: [{ id: o.id, x: 7, y: 7 }, { id: 99999, x: 1, y: 1 }] }, USER));
    expect(err.status).toBe(404);
    expect(err.message).toContain('99999');
    expect(err.fields['objects.1.id']).toBe('no such object');
    const { scopes, objects } = await listDefinitions(store);
    expect(scopes.find((x) => x.id === t.id)).toMatchObject({ mapX: 0, mapY: 199 });
    expect(objects.find((x) => x.id === o.id)).toMatchObject({ mapX: 5, mapY: 6 });

    await setPositions(store, { objects: [{ id: o.id, x: null, y: null }] }, USER);
    expect(await store.monitoringObject.findUniqueOrThrow({ where: { id: o.id } })).toMatchObject({ mapX: null, mapY: null });
  });

  it('are whole cells on the map', async () => {
    const s = await createScope(store, { name: 'S' }, USER);
    for (const [x, y] of [
      [200, 0],
      [-1, 0],
      [1.5, 2],
      [1, null],
      ['1', 2],
    ]) {
      const err = await refusal(setPositions(store, { scopes: [{ id: s.id, x, y }] }, USER));
      expect(Object.keys(err.fields)[0]).toMatch(/^scopes\.0\.[xy]$/);
    }
    expect((await refusal(setPositions(store, { scopes: [{ id: s.id, x: 1, y: 1, z: 1 }] }, USER))).status).toBe(400);
  });
});

describe('backgrounds', () => {
  it('recognise PNG, JPEG, GIF and WebP by their magic bytes', () => {
    expect(sniffImage(IMAGES.png)).toBe('image/png');
    expect(sniffImage(IMAGES.jpeg)).toBe('image/jpeg');
    expect(sniffImage(IMAGES.gif)).toBe('image/gif');
    expect(sniffImage(IMAGES.webp)).toBe('image/webp');
    expect(sniffImage(IMAGES.svg)).toBeNull();
    expect(sniffImage(new Uint8Array())).toBeNull();
  });

  it('are stored when the type sent matches the content, and listed', async () => {
    const s = await createScope(store, { name: 'S' }, USER);
    expect((await listDefinitions(store)).scopes[0].hasBackground).toBe(false);
    const saved = await setBackground(store, s.id, 'image/png', IMAGES.png, USER);
    expect(saved).toMatchObject({ mime: 'image/png', size: IMAGES.png.length });
    expect((await listDefinitions(store)).scopes[0].hasBackground).toBe(true);
    const first = (await getBackground(store, s.id))!;
    expect(Buffer.from(first.data).equals(IMAGES.png)).toBe(true);

    await setBackground(store, s.id, 'image/jpeg; charset=binary', IMAGES.jpeg, USER);
    const second = (await getBackground(store, s.id))!;
    expect(second.mime).toBe('image/jpeg');
    expect(backgroundEtag(second)).not.toBe(backgroundEtag(first));

    await deleteBackground(store, s.id, USER);
    expect(await getBackground(store, s.id)).toBeNull();
    expect((await store.auditEntry.findMany({ where: { action: 'scope.update' } })).map((a) => a.detail)).toEqual([
      expect.stringContaining('"background":"image/png"'),
      expect.stringContaining('"background":"image/jpeg"'),
      expect.stringContaining('"background":null'),
    ]);
  });

  it('refuse SVG, disguised or not, mismatched types, empty and oversized files', async () => {
    const s = await createScope(store, { name: 'S' }, USER);
    const refused = async (type: string | undefined, data: Uint8Array) => (await refusal(setBackground(store, s.id, type, data, USER))).message;
    expect(await refused('image/svg+xml', IMAGES.svg)).toMatch(/SVG images are refused/);
    expect(await refused('image/png', IMAGES.svg)).toMatch(/not a PNG image/);
    expect(await refused('image/png', IMAGES.jpeg)).toMatch(/is a JPEG image but was sent as PNG/);
    expect(await refused('image/gif', IMAGES.webp)).toMatch(/is a WebP image but was sent as GIF/);
    expect(await refused('text/html', IMAGES.png)).toMatch(/must be a PNG, JPEG, WebP or GIF image/);
    expect(await refused(undefined, IMAGES.png)).toMatch(/must be a PNG, JPEG, WebP or GIF image/);
    expect(await refused('image/png', new Uint8Array())).toMatch(/empty/);
    const huge = Buffer.concat([IMAGES.png, Buffer.alloc(MAX_BACKGROUND_BYTES)]);
    expect(await refused('image/png', huge)).toMatch(/larger than 2 MiB/);
    expect(await getBackground(store, s.id)).toBeNull();
    expect((await refusal(setBackground(store, 99999, 'image/png', IMAGES.png, USER))).status).toBe(404);
  });
});
