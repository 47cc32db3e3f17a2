// Mail against a real SMTP server on loopback (server/testing/smtp.ts): the text
// in both languages, the headers that make a repeat recognisable, failures kept
// as codes with the webhooks' backoff, and a console host without SMTP keeping
// its mail waiting; the sender on both stores.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostLogger } from '../host/log';
import { hostConfigSchema, type SmtpConfig } from '../host/config';
import { claimStore } from '../store/fence';
import { openTestStore, STORE_PROVIDERS } from '../testing/stores';
import { startSmtpServer, type TestSmtpServer } from '../testing/smtp';
import { freePort } from '../testing/test-host';
import { MailChannel, mailLogTarget, mailText, messageId } from './mail';
import { mailTarget } from './outbox';
import { NotificationSender } from './sender';
import { applyEvents } from '../feed/apply';
import { createObject, createScope, setScopeWebhook } from '../definitions/scopes';
import type { FeedEvents, SpoolEvent } from '../domain/events';
import { WebhookTargets } from './targets';

const END = {
  key: 'jh1:spool-1:42', console: 'clh1', scope: 'Billing', object: 'Extract', host: 'jh1', unit: '/Billing/extract',
  status: 'ABNORMAL', statusName: { en: 'Ended abnormally', ja: '異常検出終了' }, summary: 'abnormal',
  at: '2026-03-09T17:00:05.000Z', exitCode: 12, node: 'nodeA', reason: null, runId: null, execId: 'e-1',
};
const FLAG = { key: 'flag:7:missed@2026-03-09T17:00:00.000Z', kind: 'missed', object: 'Nightly', occurrence: '2026-03-09T17:00:00.000Z', dueAt: '2026-03-09T17:30:00.000Z', scope: 'Ops', console: 'clh1', extra: { n: 1 } };

describe('mailText', () => {
  it('writes an abnormal end in English then Japanese: scope, object, host, unit, status, exit code, when', () => {
    const { subject, text } = mailText(JSON.stringify(END));
    expect(subject).toBe('[Jobscope clh1] Ended abnormally: Extract / 異常検出終了: Extract');
    const [en, ja] = text.split('\n----\n');
    for (const line of ['Business scope: Billing', 'Monitoring object: Extract', 'Host: jh1', 'Unit: /Billing/extract', 'Status: Ended abnormally (ABNORMAL)', 'Exit code: 12', 'When: 2026-03-09T17:00:05.000Z']) {
      expect(en).toContain(line);
    }
    for (const line of ['業務スコープ: Billing', '監視オブジェクト: Extract', 'ホスト: jh1', 'ユニット: /Billing/extract', '状態: 異常検出終了 (ABNORMAL)', '終了コード: 12', '日時: 2026-03-09T17:00:05.000Z']) {
      expect(ja).toContain(line);
    }
    expect(text).not.toContain('execId');
  });

  it('writes a flag a line per field, unknown fields by their own name', () => {
    const { subject, text } = mailText(FLAG);
    expect(subject).toBe('[Jobscope clh1] Missed: Nightly / 未実行: Nightly');
    expect(text).toContain('Flag: Missed (missed)');
    expect(text).toContain('Expected start: 2026-03-09T17:00:00.000Z');
    expect(text).toContain('Due at: 2026-03-09T17:30:00.000Z');
    expect(text).toContain('フラグ: 未実行 (missed)');
    expect(text).toContain('期限: 2026-03-09T17:30:00.000Z');
    expect(text).toContain('extra: {"n":1}');
  });

  it('copes with any payload: unknown shapes, line breaks, not JSON at all', () => {
    const odd = mailText(JSON.stringify({ object: 'A\r\nBcc: x@evil.example', weird: [1, 2] }));
    expect(odd.subject).toBe('[Jobscope] Notification: A Bcc: x@evil.example / 通知: A Bcc: x@evil.example');
    expect(odd.subject).not.toMatch(/[\r\n]/);
    expect(odd.text).toContain('weird: [1,2]');
    expect(mailText('not json').text).toContain('value: not json');
    expect(mailText('[1]').text).toContain('value: [1]');
  });

  it('derives a Message-ID from the key and scope with only characters an id may hold', () => {
    expect(messageId('jh1:spool-1:42', 3, 'clh1')).toBe('<jh1-spool-1-42.3@clh1>');
    expect(messageId('a b<c>@d\r\n', 1, 'host name')).toBe('<a-b-c-d-.1@host-name>');
    expect(mailLogTarget(mailTarget(['a@x.example', 'b@x.example', 'c@y.example']))).toBe('mail to 3 at x.example, y.example');
  });
});

describe('the host configuration', () => {
  const base = { version: 1, host: 'clh1', address: '192.0.2.10', managerPort: 7420, agentPort: 7421, dataDir: '/srv/clh1', agentTokenSha256: 'a'.repeat(64) };
  it('takes an smtp server with a sender, a user and a password file, and refuses a password in it or a file without a user', () => {
    const smtp = { host: 'smtp.example.com', port: 587, security: 'starttls', from: 'jobscope@example.com', user: 'jobscope', passwordFile: '/etc/jobscope/clh1.smtp-password' };
    expect(hostConfigSchema.safeParse({ ...base, smtp }).success).toBe(true);
    expect(hostConfigSchema.safeParse({ ...base, smtp: { host: 'relay', from: 'jobscope@example.com' } }).success).toBe(true);
    expect(hostConfigSchema.safeParse({ ...base, smtp: { ...smtp, password: 'p' } }).success).toBe(false);
    expect(hostConfigSchema.safeParse({ ...base, smtp: { ...smtp, user: undefined } }).success).toBe(false);
    expect(hostConfigSchema.safeParse({ ...base, smtp: { ...smtp, from: 'not an address' } }).success).toBe(false);
    expect(hostConfigSchema.safeParse({ ...base, smtp: { ...smtp, security: 'ssl' } }).success).toBe(false);
    expect(hostConfigSchema.safeParse({ ...base, smtp: { ...smtp, passwordFile: 'relative/file' } }).success).toBe(false);
  });
});

describe('sending', () => {
  let smtp: TestSmtpServer;
  let dir: string;
  let config: SmtpConfig;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobscope-mail-'));
    fs.writeFileSync(path.join(dir, 'smtp-password'), 's3cret-pass\n', { mode: 0o600 });
    smtp = await startSmtpServer({ user: 'console', password: 's3cret-pass' });
    config = { host: '127.0.0.1', port: smtp.port, security: 'none', from: 'jobscope@example.com', user: 'console', passwordFile: path.join(dir, 'smtp-password') };
  });

  afterAll(async () => {
    await smtp?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const row = (key: string, to = ['ops@example.com', 'oncall@example.jp']) => ({ key, scopeId: 3, url: mailTarget(to), payload: JSON.stringify(END) });

  it('delivers to every recipient with the key in Message-ID and X-Jobscope-Key, authenticated with the password file', async () => {
    const before = smtp.received.length;
    expect(await new MailChannel(config, 'clh1').send(row('jh1:spool-1:42'))).toBeNull();
    const got = smtp.received.slice(before);
    expect(got).toHaveLength(1);
    const [{ envelope, mail, user }] = got;
    expect(envelope).toEqual({ from: 'jobscope@example.com', to: ['ops@example.com', 'oncall@example.jp'] });
    expect(user).toBe('console');
    expect(mail.messageId).toBe('<jh1-spool-1-42.3@clh1>');
    expect(mail.headers.get('x-jobscope-key')).toBe('jh1:spool-1:42');
    expect(mail.subject).toBe('[Jobscope clh1] Ended abnormally: Extract / 異常検出終了: Extract');
    expect(mail.text).toContain('Exit code: 12');
    expect(mail.text).toContain('終了コード: 12');
  });

  it('says why not as a code: smtp 550, smtp auth failed, timed out, cannot connect, not configured, password unreadable', async () => {
    smtp.refuseRecipient = () => 550;
    expect(await new MailChannel(config, 'clh1').send(row('k:1'))).toBe('smtp 550');
    smtp.refuseRecipient = () => null;
    expect(await new MailChannel({ ...config, passwordFile: undefined, user: 'console' }, 'clh1').send(row('k:2'))).toBe('smtp auth failed');
    expect(await new MailChannel({ ...config, passwordFile: path.join(dir, 'missing') }, 'clh1').send(row('k:3'))).toBe('smtp-password-unreadable');
    expect(await new MailChannel(undefined, 'clh1').send(row('k:4'))).toBe('mail-not-configured');
    // STARTTLS required (the default) from a server that offers none: refused, never sent in the clear.
    expect(await new MailChannel({ ...config, security: undefined }, 'clh1').send(row('k:4b'))).toBe('tls failed');
    const closed = await freePort('127.0.0.1');
    expect(await new MailChannel({ ...config, port: closed }, 'clh1').send(row('k:5'))).toBe('cannot connect');
    // A server that accepts the connection and never greets.
    const silent = net.createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const began = Date.now();
      expect(await new MailChannel({ ...config, port: (silent.address() as net.AddressInfo).port }, 'clh1', 300).send(row('k:6'))).toBe('timed out');
      expect(Date.now() - began).toBeLessThan(3000);
    } finally {
      silent.close();
    }
  });

  describe.each(STORE_PROVIDERS)('the sender, %s store', (provider) => {
    let opened: Awaited<ReturnType<typeof openTestStore>>;
    const quiet = hostLogger('mailtest', 'manager').child({}, { level: 'silent' });
    const webhooks = new WebhookTargets({}, { nodeAddresses: () => [] });

    beforeAll(async () => {
      opened = await openTestStore(provider);
    });
    afterAll(async () => {
      await opened?.close();
    });

    async function run(sender: NotificationSender, wakes: number): Promise<void> {
      // Woken again before the first is done, as a batch applied meanwhile does: the row is due once.
      for (let i = 0; i < wakes; i++) sender.wake();
      await sender.settled();
      await sender.stop();
    }

    it('sends a mail row once however often it is woken, and keeps a webhook row of the same key apart', async () => {
      const { store } = opened;
      const epoch = await claimStore(store);
      const scope = await store.scope.create({ data: { name: 'Mailed' } });
      const key = `${provider}:once:1`;
      const n = await store.notification.create({ data: { key, scopeId: scope.id, channel: 'mail', url: mailTarget(['ops@example.com']), payload: JSON.stringify(END) } });
      // The same key and scope on the other channel: a row of its own (here to a refused target: it waits).
      await store.notification.create({ data: { key, scopeId: scope.id, url: 'http://127.0.0.1:9/in', payload: '{}' } });
      const before = smtp.received.length;
      let failure: unknown;
      await run(new NotificationSender(store, epoch, quiet, (err) => (failure = err), webhooks, new MailChannel(config, 'clh1')), 3);
      expect(failure).toBeUndefined();
      const mails = smtp.received.slice(before);
      expect(mails.map((m) => m.mail.headers.get('x-jobscope-key'))).toEqual([key]);
      expect(mails[0].mail.text).toContain('異常検出終了');
      expect(await store.notification.findUniqueOrThrow({ where: { id: n.id } })).toMatchObject({ attempts: 1, lastError: null, deliveredAt: expect.any(Date) });
      expect(await store.notification.findFirstOrThrow({ where: { key, channel: 'webhook' } })).toMatchObject({ deliveredAt: null, lastError: 'target-refused:loopback' });
    });

    it('retries a refused mail with the webhooks’ backoff, keeping the code, until the server takes it', async () => {
      const { store } = opened;
      const epoch = await claimStore(store);
      const scope = await store.scope.create({ data: { name: 'Refused' } });
      const n = await store.notification.create({ data: { key: `${provider}:refused:1`, scopeId: scope.id, channel: 'mail', url: mailTarget(['gone@example.com']), payload: JSON.stringify(END) } });
      smtp.refuseRecipient = (address) => (address === 'gone@example.com' ? 550 : null);
      try {
        const began = Date.now();
        await run(new NotificationSender(store, epoch, quiet, () => {}, webhooks, new MailChannel(config, 'clh1')), 2);
        const failed = await store.notification.findUniqueOrThrow({ where: { id: n.id } });
        expect(failed).toMatchObject({ attempts: 1, lastError: 'smtp 550', deliveredAt: null });
        // The first backoff: a second, as for a webhook.
        expect(failed.nextAttemptAt.getTime() - began).toBeGreaterThanOrEqual(900);
        expect(failed.nextAttemptAt.getTime() - Date.now()).toBeLessThan(1100);
      } finally {
        smtp.refuseRecipient = () => null;
      }
      await new Promise((r) => setTimeout(r, 1100));
      await run(new NotificationSender(store, epoch, quiet, () => {}, webhooks, new MailChannel(config, 'clh1')), 1);
      expect(await store.notification.findUniqueOrThrow({ where: { id: n.id } })).toMatchObject({ attempts: 2, lastError: null, deliveredAt: expect.any(Date) });
    });

    it('mails an abnormal end applied below a scope with only mail once, however often the batch is applied or the sender woken', async () => {
      const { store } = opened;
      const epoch = await claimStore(store);
      const host = `${provider}-mailhost`;
      await store.monitoredHost.create({ data: { name: host, address: '127.0.0.1', feedPort: 1, token: 'x'.repeat(20), feed: { create: {} } } });
      await setScopeWebhook(store, (await createScope(store, { name: 'Mail only', mailTo: ['night@example.com'] }, 'admin')).id, { webhookFilter: 'abnormal' }, 'admin');
      const scope = await store.scope.findFirstOrThrow({ where: { name: 'Mail only' } });
      await createObject(store, { name: 'Nightly', scopeId: scope.id, host, unit: '/Nightly' }, 'admin');
      const at = new Date().toISOString();
      const base = { host, unit: '/Nightly/load', execId: `${provider}-x1`, runId: null, at, node: 'nodeA', pid: 7, signal: null, outputTail: null, reason: null };
      const events: SpoolEvent[] = [
        { ...base, seq: 1, kind: 'start', status: 'RUNNING', exitCode: null },
        { ...base, seq: 2, kind: 'end', status: 'ABNORMAL', exitCode: 9 },
      ];
      const feed = { protocol: 1, host, spoolId: 'spool-m', now: at, lastSeq: 2, resync: false, events } as FeedEvents;
      const context = { epoch, notify: { maxAgeMs: 3600_000, consoleHost: 'clh1' } };
      expect((await applyEvents(store, context, host, feed, 0))?.notifications).toBe(1);
      expect(await applyEvents(store, context, host, feed, 0)).toBeNull(); // replayed: nothing new
      const rows = await store.notification.findMany({ where: { scopeId: scope.id } });
      expect(rows.map((r) => [r.channel, r.url, r.key])).toEqual([['mail', 'mailto:night@example.com', `${host}:spool-m:2`]]);

      const before = smtp.received.length;
      const sender = new NotificationSender(store, epoch, quiet, () => {}, webhooks, new MailChannel(config, 'clh1'));
      sender.wake();
      sender.wake();
      await sender.settled();
      sender.wake();
      await sender.settled();
      await sender.stop();
      const mails = smtp.received.slice(before);
      expect(mails).toHaveLength(1);
      expect(mails[0].envelope.to).toEqual(['night@example.com']);
      expect(mails[0].mail.subject).toBe('[Jobscope clh1] Ended abnormally: Nightly / 異常検出終了: Nightly');
      expect(mails[0].mail.text).toContain('Business scope: Mail only');
      expect(mails[0].mail.text).toContain('Exit code: 9');
      expect(mails[0].mail.messageId).toBe(`<${host}-spool-m-2.${scope.id}@clh1>`);
    });

    it('keeps mail waiting, slowly retried, on a console host without SMTP', async () => {
      const { store } = opened;
      const epoch = await claimStore(store);
      const scope = await store.scope.create({ data: { name: 'Unconfigured' } });
      const n = await store.notification.create({ data: { key: `${provider}:unconfigured:1`, scopeId: scope.id, channel: 'mail', url: mailTarget(['ops@example.com']), payload: '{}' } });
      const began = Date.now();
      await run(new NotificationSender(store, epoch, quiet, () => {}, webhooks, new MailChannel(undefined, 'clh1')), 2);
      const waiting = await store.notification.findUniqueOrThrow({ where: { id: n.id } });
      expect(waiting).toMatchObject({ attempts: 1, lastError: 'mail-not-configured', deliveredAt: null });
      expect(waiting.nextAttemptAt.getTime() - began).toBeGreaterThanOrEqual(5 * 60_000 - 1000);
    });
  });
});
