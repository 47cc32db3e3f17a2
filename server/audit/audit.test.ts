import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/db';
import { AUDIT_ACTIONS, AUDIT_PAGE_MAX, listAudit, recordAudit, type AuditAction } from './audit';
import { refusal } from '../testing/refusal';

let store: Store;
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobscope-audit-'));
  store = await openStore(path.join(dir, 'console.db'));
});

afterAll(async () => {
  await store.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});


describe('recordAudit', () => {
  it('keeps who, what, on what and how, and stamps the time', async () => {
    const before = Date.now();
    await recordAudit(store, { user: 'alice', action: 'scope.create', target: 'Payroll', detail: { id: 7, parentId: null, comment: undefined } });
    const { entries } = await listAudit(store, { limit: '1' });
    expect(entries[0]).toMatchObject({ user: 'alice', action: 'scope.create', target: 'Payroll', detail: { id: 7, parentId: null } });
    expect(entries[0].detail).not.toHaveProperty('comment');
    expect(Date.parse(entries[0].at)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('never keeps a password, a token or a URL', async () => {
    await recordAudit(store, {
      user: 'alice',
      action: 'scope.update',
      target: 'Payroll',
      detail: { name: 'Payroll', webhookUrl: 'https://hooks.example/T0/s3cr3t', webhookFilter: 'abnormal' },
    });
    await recordAudit(store, { user: 'alice', action: 'ack', target: 'lh1 /a', detail: { comment: 'see https://hooks.example/T0/s3cr3t?key=abc' } });
    const { entries } = await listAudit(store, { limit: '2' });
    const text = JSON.stringify(entries);
    for (const secret of ['s3cr3t', 'key=abc']) expect(text).not.toContain(secret);
    expect(entries[1].detail).toEqual({ name: 'Payroll', webhookFilter: 'abnormal', changed: ['webhookUrl'] });
    expect(entries[0].detail).toEqual({ comment: 'see (URL hidden)' });
  });

  it('clips long fields and refuses an action outside the list', async () => {
    await recordAudit(store, { user: 'u'.repeat(500), action: 'ack', target: 't'.repeat(500), detail: { comment: 'd'.repeat(5000), positions: Array.from({ length: 500 }, (_, i) => i) } });
    const [entry] = (await listAudit(store, { limit: '1' })).entries;
    expect(entry.user.length).toBeLessThanOrEqual(64);
    expect(entry.target.length).toBeLessThanOrEqual(200);
    expect((entry.detail.comment as string).length).toBeLessThanOrEqual(500);
    expect(entry.detail.positions).toHaveLength(100);
    await expect(recordAudit(store, { user: 'x', action: 'user.delete' as AuditAction })).rejects.toThrow(/unknown audit action/);
  });

  it('reads the sentence an older console wrote as a note', async () => {
    const { id } = await store.auditEntry.create({ data: { user: 'alice', action: 'logout', target: '', detail: 'from 10.0.0.1' } });
    const [entry] = (await listAudit(store, { limit: '1' })).entries;
    expect(entry).toMatchObject({ id, detail: { note: 'from 10.0.0.1' } });
  });

  it('is written with the change or not at all inside a transaction', async () => {
    const count = await store.auditEntry.count();
    await expect(
      store.$transaction(async (tx) => {
        await recordAudit(tx, { user: 'alice', action: 'host.delete', target: 'jh9' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await store.auditEntry.count()).toBe(count);
  });

  it('exports the closed list of actions', () => {
    expect(AUDIT_ACTIONS).toEqual(expect.arrayContaining(['login', 'login.refused', 'logout', 'user.create', 'user.update', 'user.password', 'session.end', 'definitions.import', 'ack']));
  });
});

describe('listAudit', () => {
  beforeAll(async () => {
    await store.auditEntry.deleteMany();
    for (let i = 1; i <= 25; i++) await recordAudit(store, { user: 'bob', action: i % 5 === 0 ? 'ack' : 'object.update', target: `obj${i}` });
  });

  it('pages newest first by id, and says where the next page starts', async () => {
    const first = await listAudit(store, { limit: '10' });
    expect(first.entries.map((e) => e.target)).toEqual(Array.from({ length: 10 }, (_, i) => `obj${25 - i}`));
    expect(first.nextBefore).toBe(first.entries[9].id);
    const second = await listAudit(store, { before: String(first.nextBefore), limit: '10' });
    expect(second.entries[0].target).toBe('obj15');
    const third = await listAudit(store, { before: String(second.nextBefore), limit: '10' });
    expect(third.entries.map((e) => e.target)).toEqual(['obj5', 'obj4', 'obj3', 'obj2', 'obj1']);
    expect(third.nextBefore).toBeNull();
  });

  it('stays stable while new entries arrive', async () => {
    const first = await listAudit(store, { limit: '5' });
    await recordAudit(store, { user: 'bob', action: 'ack', target: 'newer' });
    const second = await listAudit(store, { before: String(first.nextBefore), limit: '5' });
    expect(second.entries[0].target).toBe('obj20');
    await store.auditEntry.deleteMany({ where: { target: 'newer' } });
  });

  it('filters by action', async () => {
    const { entries, nextBefore } = await listAudit(store, { action: 'ack', limit: '50' });
    expect(entries.map((e) => e.target)).toEqual(['obj25', 'obj20', 'obj15', 'obj10', 'obj5']);
    expect(nextBefore).toBeNull();
  });

  it('takes empty parameters as not given, and defaults the page size', async () => {
    const { entries } = await listAudit(store, { before: '', limit: '', action: '' });
    expect(entries).toHaveLength(25);
    expect((await listAudit(store, undefined)).entries).toHaveLength(25);
  });

  it('refuses bad parameters with a message per field', async () => {
    expect((await refusal(listAudit(store, { limit: '0' }))).fields).toEqual({ limit: `limit must be a number from 1 to ${AUDIT_PAGE_MAX}` });
    expect((await refusal(listAudit(store, { limit: String(AUDIT_PAGE_MAX + 1) }))).fields.limit).toBeDefined();
    expect((await refusal(listAudit(store, { before: 'abc' }))).fields).toEqual({ before: 'before must be an entry id' });
    expect((await refusal(listAudit(store, { action: 'drop.tables' }))).fields.action).toMatch(/^action must be one of login, /);
    expect((await refusal(listAudit(store, { offset: '3' }))).status).toBe(400);
  });
});
