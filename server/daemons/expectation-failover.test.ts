// Expectations across a console failover, with real namespaces and processes
// (server/testing/cluster.ts): an object expects a run every minute that never
// comes, so a Missed flag falls due every minute (half-way to the next expected
// start, when the window for a run closes: a later run would be the next one's).
// Manager A raises the first ones; it is killed; B takes over on the same store.
// Every flag that fell due, before, during and after the outage, must be stored once
// and notified once (a webhook receiver and an SMTP server on the test network count
// each key), and a flag due while a manager runs must be raised within seconds of its
// deadline. Needs root.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_HOST, ConsoleCluster } from '../testing/cluster';
import { waitUntil } from '../testing/test-host';
import { WebhookReceiver } from '../testing/webhook-receiver';
import { startSmtpServer, type TestSmtpServer } from '../testing/smtp';

const MINUTE_MS = 60_000;
let cluster: ConsoleCluster;
let receiver: WebhookReceiver;
let smtp: TestSmtpServer;

interface FlagRow {
  kind: string;
  occurrence: string | number;
  dueAt: string | number;
  raisedAt: string | number;
  endedAt: string | number | null;
}
/** SQLite keeps Prisma's DateTime as milliseconds since the epoch; PostgreSQL as a timestamp. */
const ms = (v: string | number) => (typeof v === 'number' ? v : Date.parse(v));

describe('expectation flags across a console failover', () => {
  beforeAll(async () => {
    cluster = await ConsoleCluster.create();
    await cluster.startJobAgent();
    receiver = await WebhookReceiver.start(cluster.net.bridgeAddress);
    smtp = await startSmtpServer({ address: cluster.net.bridgeAddress });
    // Both nodes mail through it (the configuration is each node's own, as on a real cluster).
    for (const node of ['A', 'B']) {
      const file = path.join(cluster.dir, 'nodes', node, 'config', `${CONSOLE_HOST}.json`);
      const config = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
      config.smtp = { host: cluster.net.bridgeAddress, port: smtp.port, security: 'none', from: 'jobscope@clh1.example' };
      fs.writeFileSync(file, JSON.stringify(config, null, 2));
    }
  }, 180_000);

  afterAll(async () => {
    receiver?.close();
    await smtp?.close();
    await cluster?.destroy();
  });

  it('raises every flag once and notifies it once, whichever manager was up when it fell due', async (context) => {
    context.onTestFailed(() => console.log(`daemon logs:\n${cluster.logs}`));
    const managerA = await cluster.startManager('A');
    const operator = await cluster.login('operator');
    const scope = await operator.call('POST', '/scopes', { name: 'Nightly', webhookUrl: receiver.url, webhookFilter: 'flags', mailTo: ['ops@example.com'] });
    expect(scope.status, JSON.stringify(scope.body)).toBe(201);
    const object = await operator.call('POST', '/objects', { name: 'Never runs', scopeId: scope.body.scope.id, host: 'jh1', unit: '/Expect/never' });
    expect(object.status).toBe(201);
    const objectId = object.body.object.id as number;
    const setAt = Date.now();
    const expectation = { schedule: { cron: '* * * * *' }, timeZone: 'UTC' };
    expect((await operator.call('PUT', `/objects/${objectId}/expectation`, expectation)).status).toBe(200);

    // A raises the first Missed (half a minute after the first whole minute after setting).
    await waitUntil('a flag notified by A', () => receiver.keys.size > 0 || undefined, 3 * MINUTE_MS);
    const killedAt = Date.now();
    await cluster.kill(managerA);
    // Out long enough for a flag to fall due while no manager runs.
    await new Promise((r) => setTimeout(r, 65_000));
    cluster.net.moveFloating('B');
    const managerB = cluster.spawnDaemon('B', 'manager');
    await cluster.waitHealthy(managerB);
    const upAgainAt = Date.now();
    // B goes on raising: a minute more of flags at least.
    await new Promise((r) => setTimeout(r, 75_000));
    const checkedAt = Date.now() - 5_000;

    // Every occurrence from the first whole minute after setting: Missed half a minute later.
    const due: { key: string; dueAt: number }[] = [];
    for (let at = Math.ceil(setAt / MINUTE_MS) * MINUTE_MS; at + MINUTE_MS / 2 <= checkedAt; at += MINUTE_MS) {
      due.push({ key: `flag:${objectId}:missed@${new Date(at).toISOString()}`, dueAt: at + MINUTE_MS / 2 });
    }
    expect(due.length).toBeGreaterThanOrEqual(3);
    await waitUntil('every flag due to be notified', () => due.every((d) => receiver.keys.has(d.key)) || undefined, 30_000);
    const keys = [...receiver.keys.entries()].filter(([, v]) => ms(v.payload.dueAt as string) <= checkedAt);
    // Each once: no flag lost in the outage, none raised again by B.
    expect(keys.map(([k]) => k).sort()).toEqual(due.map((d) => d.key).sort());
    expect(keys.filter(([, v]) => v.count !== 1)).toEqual([]);
    expect(new Set(keys.map(([, v]) => v.payload.console))).toEqual(new Set([CONSOLE_HOST]));
    // And a mail for each, once: the same keys in X-Jobscope-Key.
    await waitUntil('a mail for every flag due', () => due.every((d) => smtp.received.some((m) => m.mail.headers.get('x-jobscope-key') === d.key)) || undefined, 30_000);
    const mailed = smtp.received.map((m) => String(m.mail.headers.get('x-jobscope-key'))).filter((k) => due.some((d) => d.key === k));
    expect(mailed.sort()).toEqual(due.map((d) => d.key).sort());
    expect(smtp.received[0].envelope.to).toEqual(['ops@example.com']);
    expect(smtp.received[0].mail.text).toContain('未実行');

    // Stored once each; raised within seconds of falling due while a manager ran, and by B at its start for those due in the outage.
    const rows = await cluster.storeRows<FlagRow>(`SELECT kind, occurrence, "dueAt", "raisedAt", "endedAt" FROM "ExpectationFlag" WHERE "objectId" = ${objectId}`);
    expect(rows.filter((r) => ms(r.dueAt) <= checkedAt).length).toBe(due.length);
    const lateness = rows.map((r) => ({ due: ms(r.dueAt), late: ms(r.raisedAt) - ms(r.dueAt) }));
    const whileUp = lateness.filter((l) => l.due < killedAt || l.due > upAgainAt);
    const inOutage = lateness.filter((l) => l.due >= killedAt && l.due <= upAgainAt);
    expect(inOutage.length).toBeGreaterThanOrEqual(1);
    console.log(
      `expectation failover: ${due.length} flags due, raised after their deadline by ${whileUp.map((l) => l.late).sort((a, b) => a - b).join(', ')} ms while a manager ran; ` +
        `${inOutage.length} due in the ${Math.round((upAgainAt - killedAt) / 1000)} s outage raised ${inOutage.map((l) => Math.round((upAgainAt - l.due) / 1000)).join(', ')} s after due, once B was up`,
    );
    for (const l of whileUp) expect(l.late).toBeLessThan(10_000);
    // Missed stays for its day.
    expect(rows.every((r) => r.kind === 'missed' && r.endedAt === null)).toBe(true);
  }, 10 * MINUTE_MS);
});
