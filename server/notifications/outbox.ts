// Notifications are written to an outbox in the same transaction that applies
// their event, so that none is lost and none is sent for an event that was not
// stored. Events replayed during a catch-up that are older than the configured
// age notify nobody: an operator does not want yesterday's abend paged today.
import type { SpoolEvent } from '../domain/events';
import { statusInfo, summaryOf } from '../domain/status';

export const NOTIFY_CLASSES = ['abnormal', 'warning'] as const;
export type NotifyClass = (typeof NOTIFY_CLASSES)[number];

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
  webhookFilter: string;
}

interface WatchingScope {
  id: number;
  name: string;
  url: string;
  classes: string[];
}

/** Scopes with a webhook that watch a unit of a host: the objects' scopes and all their ancestors. */
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
          if (s.webhookUrl) scopes.push({ id, name: s.name, url: s.webhookUrl, classes: s.webhookFilter.split(',') });
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
  return e.kind !== 'start' && (NOTIFY_CLASSES as readonly string[]).includes(summaryOf(e.status)) && now - Date.parse(e.at) <= options.maxAgeMs;
}

/** A row of the outbox, as the apply writes it in the transaction of its event. */
export interface OutboxEntry {
  key: string;
  scopeId: number;
  url: string;
  payload: string;
}

/** The notifications one applied event calls for. */
export function notificationsFor(routes: WebhookRoutes, spoolId: string, e: SpoolEvent, options: NotifyOptions, now = Date.now()): OutboxEntry[] {
  if (!mayNotify(e, options, now)) return [];
  const summary = summaryOf(e.status);
  const key = notificationKey(e.host, spoolId, e.seq);
  const entries: OutboxEntry[] = [];
  const sent = new Set<number>();
  for (const { object, scopes } of routes.watching(e.unit)) {
    for (const scope of scopes) {
      if (!scope.classes.includes(summary) || sent.has(scope.id)) continue;
      sent.add(scope.id);
      const payload = {
        key, console: options.consoleHost, scope: scope.name, object,
        host: e.host, unit: e.unit, status: e.status, statusName: { en: statusInfo(e.status).en, ja: statusInfo(e.status).ja },
        summary, at: e.at, exitCode: e.exitCode, node: e.node, reason: e.reason, runId: e.runId, execId: e.execId,
      };
      entries.push({ key, scopeId: scope.id, url: scope.url, payload: JSON.stringify(payload) });
    }
  }
  return entries;
}
