// What the outbox gets for a notification: one row per channel of each scope
// whose filter takes its class, no scope twice, whatever asks (an applied end
// or the expectation flags).
import { describe, expect, it } from 'vitest';
import type { SpoolEvent } from '../domain/events';
import { mailRecipients, notificationsFor, outboxEntries, WebhookRoutes, type ScopeRoute, type WatchingScope } from './outbox';

const both: WatchingScope = { id: 1, name: 'Both', webhookUrl: 'https://hooks.example/in', mailTo: ['a@example.com', 'b@example.jp'], classes: ['abnormal', 'flags'] };
const mailOnly: WatchingScope = { id: 2, name: 'Mail', webhookUrl: null, mailTo: ['ops@example.com'], classes: ['flags'] };
const hookOnly: WatchingScope = { id: 3, name: 'Hook', webhookUrl: 'https://hooks.example/other', mailTo: [], classes: ['abnormal', 'warning'] };

describe('outboxEntries', () => {
  it('gives one entry per channel of each scope whose filter takes the class, each naming its scope', () => {
    const entries = outboxEntries([both, mailOnly, hookOnly, both], 'k1', 'flags', { kind: 'missed', object: 'Nightly', scope: 'ignored' });
    expect(entries.map((e) => [e.scopeId, e.channel, e.url])).toEqual([
      [1, 'webhook', 'https://hooks.example/in'],
      [1, 'mail', 'mailto:a@example.com,b@example.jp'],
      [2, 'mail', 'mailto:ops@example.com'],
    ]);
    expect(entries.every((e) => e.key === 'k1')).toBe(true);
    expect(JSON.parse(entries[2].payload)).toEqual({ kind: 'missed', object: 'Nightly', scope: 'Mail' });
    expect(mailRecipients(entries[1].url)).toEqual(['a@example.com', 'b@example.jp']);
    expect(outboxEntries([both, mailOnly, hookOnly], 'k2', 'warning', {}).map((e) => [e.scopeId, e.channel])).toEqual([[3, 'webhook']]);
  });
});

describe('notificationsFor', () => {
  const scopes: ScopeRoute[] = [
    { id: 1, name: 'Top', parentId: null, webhookUrl: null, mailTo: 'top@example.com', webhookFilter: 'abnormal' },
    { id: 2, name: 'Middle', parentId: 1, webhookUrl: null, mailTo: null, webhookFilter: 'abnormal' },
    { id: 3, name: 'Leaf', parentId: 2, webhookUrl: 'https://hooks.example/leaf', mailTo: 'leaf@example.com', webhookFilter: 'abnormal,warning' },
  ];
  const objects = [
    { name: 'Net', unit: '/A', scopeId: 3 },
    { name: 'Job', unit: '/A/b', scopeId: 2 },
  ];
  const end = (status: string): SpoolEvent =>
    ({ seq: 7, host: 'jh1', unit: '/A/b', execId: 'e1', runId: null, kind: 'status', status, at: new Date().toISOString(), node: 'n1', pid: null, exitCode: 12, signal: null, outputTail: null, reason: null }) as SpoolEvent;
  const options = { maxAgeMs: 3600_000, consoleHost: 'clh1' };

  it('lists scopes with only mail as watching, and writes each channel once per scope', () => {
    const routes = new WebhookRoutes(objects, scopes);
    expect(routes.watching('/A/b').map((w) => [w.object, w.scopes.map((s) => s.name)])).toEqual([
      ['Net', ['Leaf', 'Top']],
      ['Job', ['Top']],
    ]);
    const entries = notificationsFor(routes, 'spool', end('ABNORMAL'), options);
    expect(entries.map((e) => [e.scopeId, e.channel, e.url])).toEqual([
      [3, 'webhook', 'https://hooks.example/leaf'],
      [3, 'mail', 'mailto:leaf@example.com'],
      [1, 'mail', 'mailto:top@example.com'],
    ]);
    expect(new Set(entries.map((e) => e.key))).toEqual(new Set(['jh1:spool:7']));
    expect(JSON.parse(entries[2].payload)).toMatchObject({ key: 'jh1:spool:7', console: 'clh1', scope: 'Top', object: 'Net', unit: '/A/b', status: 'ABNORMAL', exitCode: 12 });
    // A warning: only the scope whose filter takes warnings.
    expect(notificationsFor(routes, 'spool', end('WARNING'), options).map((e) => [e.scopeId, e.channel])).toEqual([
      [3, 'webhook'],
      [3, 'mail'],
    ]);
  });
});
