// Notifications are written to an outbox in the same transaction that applies
// their event, so that none is lost and none is sent for an event that was not
// stored. Events replayed during a catch-up that are older than the configured
// age notify nobody: an operator does not want yesterday's abend paged today.
// A scope notifies through each of its channels (a webhook, mail): one outbox
// row per channel, so that one failing receiver never holds back the other.
import type { SpoolEvent } from '../domain/events';
import { statusInfo, summaryOf } from '../domain/status';

/** The summary classes of an end that may notify. */
export const SUMMARY_NOTIFY_CLASSES = ['abnormal', 'warning'] as const;
/** What a scope's filter may name: those summary classes, and `flags` (expectation flags: start delay, end delay, missed, overrun). */
export const NOTIFY_CLASSES = [...SUMMARY_NOTIFY_CLASSES, 'flags'] as const;
export type NotifyClass = (typeof NOTIFY_CLASSES)[number];

export const CHANNELS = ['webhook', 'mail'] as const;
export type Channel = (typeof CHANNELS)[number];

/** A mail row's target: its recipients as a mailto: URI, so that the outbox keeps one target column. */
export const mailTarget = (recipients: readonly string[]) => `mailto:${recipients.join(',')}`;
/** The recipients of a mail row's target. */
export const mailRecipients = (target: string) => (target.startsWith('mailto:') ? target.slice('mailto:'.length).split(',').filter(Boolean) : []);

export interface NotifyOptions {
  /** Events older than this when applied notify nobody. */
  maxAgeMs: number;
  /** The console host, named in every notification. */
  consoleHost: string;
}

export interface ScopeRoute {
  id: number;
  name: string;
  parentId: number | null;
  webhookUrl: string | null;
  /** Comma-separated addresses, as stored; null: no mail. */
  mailTo: string | null;
  webhookFilter: string;
}

/** A scope with at least one channel, as the outbox needs it. */
export interface WatchingScope {
  id: number;
  name: string;
  /** null: no webhook. */
  webhookUrl: string | null;
  /** Empty: no mail. */
  mailTo: string[];
  /** What notifies through its channels (NOTIFY_CLASSES). */
  classes: string[];
}

/** A scope's channels as the outbox needs them; null when it has none. */
export function watchingScope(s: Pick<ScopeRoute, 'id' | 'name' | 'webhookUrl' | 'mailTo' | 'webhookFilter'>): WatchingScope | null {
  const mailTo = s.mailTo ? s.mailTo.split(',').filter(Boolean) : [];
  if (!s.webhookUrl && mailTo.length === 0) return null;
  return { id: s.id, name: s.name, webhookUrl: s.webhookUrl || null, mailTo, classes: s.webhookFilter.split(',') };
}

/** Scopes with a channel (webhook or mail) that watch a unit of a host: the objects' scopes and all their ancestors. */
export class WebhookRoutes {
  private scopes: Map<number, ScopeRoute>;

  constructor(
    private objects: readonly { name: string; unit: string; scopeId: number }[],
    scopes: readonly ScopeRoute[],
  ) {
    this.scopes = new Map(scopes.map((s) => [s.id, s]));
  }

  watching(unit: string): { object: string; scopes: WatchingScope[] }[] {
    return this.objects
      .filter((o) => unit === o.unit || unit.startsWith(o.unit.endsWith('/') ? o.unit : `${o.unit}/`))
      .map((o) => {
        const scopes: WatchingScope[] = [];
        for (let id: number | null = o.scopeId; id !== null; ) {
          const s = this.scopes.get(id);
          if (!s) break;
          const watching = watchingScope(s);
          if (watching) scopes.push(watching);
          id = s.parentId;
        }
        return { object: o.name, scopes };
      });
  }
}

export function notificationKey(host: string, spoolId: string, seq: number): string {
  return `${host}:${spoolId}:${seq}`;
}

/** Whether an event may call for a notification at all: the end of a run in a notifying class, recent enough. */
export function mayNotify(e: SpoolEvent, options: NotifyOptions, now = Date.now()): boolean {
  return e.kind !== 'start' && (SUMMARY_NOTIFY_CLASSES as readonly string[]).includes(summaryOf(e.status)) && now - Date.parse(e.at) <= options.maxAgeMs;
}

/** A row of the outbox, as the apply writes it in the transaction of its event. */
export interface OutboxEntry {
  key: string;
  scopeId: number;
  channel: Channel;
  /** The webhook's URL, or a mail's recipients (mailTarget). */
  url: string;
  payload: string;
}

/**
 * The outbox rows a notification of class `notifyClass` calls for: one per
 * channel of each scope whose filter takes that class, no scope twice. Each
 * payload names the scope it goes to. The expectation flags' engine calls this
 * with the class `flags`.
 */
export function outboxEntries(scopes: WatchingScope[], key: string, notifyClass: string, payload: Record<string, unknown>): OutboxEntry[] {
  const entries: OutboxEntry[] = [];
  const seen = new Set<number>();
  for (const scope of scopes) {
    if (seen.has(scope.id) || !scope.classes.includes(notifyClass)) continue;
    seen.add(scope.id);
    const text = JSON.stringify({ ...payload, scope: scope.name });
    if (scope.webhookUrl) entries.push({ key, scopeId: scope.id, channel: 'webhook', url: scope.webhookUrl, payload: text });
    if (scope.mailTo.length > 0) entries.push({ key, scopeId: scope.id, channel: 'mail', url: mailTarget(scope.mailTo), payload: text });
  }
  return entries;
}

/** The notifications one applied event calls for. */
export function notificationsFor(routes: WebhookRoutes, spoolId: string, e: SpoolEvent, options: NotifyOptions, now = Date.now()): OutboxEntry[] {
  if (!mayNotify(e, options, now)) return [];
  const summary = summaryOf(e.status);
  const key = notificationKey(e.host, spoolId, e.seq);
  const entries: OutboxEntry[] = [];
  // A scope above several objects that watch the unit notifies once, naming the first of them.
  const notified = new Set<number>();
  for (const { object, scopes } of routes.watching(e.unit)) {
    const fresh = scopes.filter((s) => !notified.has(s.id));
    for (const s of fresh) notified.add(s.id);
    const payload = {
      key, console: options.consoleHost, object,
      host: e.host, unit: e.unit, status: e.status, statusName: { en: statusInfo(e.status).en, ja: statusInfo(e.status).ja },
      summary, at: e.at, exitCode: e.exitCode, node: e.node, reason: e.reason, runId: e.runId, execId: e.execId,
    };
    entries.push(...outboxEntries(fresh, key, summary, payload));
  }
  return entries;
}
