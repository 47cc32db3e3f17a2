// Notifications are written to an outbox in the same transaction that applies
// their event, so that none is lost and none is sent for an event that was not
// stored. Events replayed during a catch-up that are older than the configured
// age notify nobody: an operator does not want yesterday's abend paged today.
import type { Tx } from '../store/db';
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

interface WatchingScope {
  id: number;
  name: string;
  url: string;
  classes: string[];
}

/** Scopes with a webhook that watch a unit of a host: the objects' scopes and all their ancestors. */
export class WebhookRoutes {
  private constructor(
    private objects: { name: string; unit: string; scopeId: number }[],
    private scopes: Map<number, { name: string; parentId: number | null; webhookUrl: string | null; webhookFilter: string }>,
  ) {}

  static async load(tx: Tx, host: string): Promise<WebhookRoutes> {
    const objects = await tx.monitoringObject.findMany({ where: { host }, select: { name: true, unit: true, scopeId: true } });
    const scopes = await tx.scope.findMany({ select: { id: true, name: true, parentId: true, webhookUrl: true, webhookFilter: true } });
    return new WebhookRoutes(objects, new Map(scopes.map((s) => [s.id, s])));
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

/** Writes the notifications one applied event calls for. */
export async function enqueueNotifications(tx: Tx, routes: WebhookRoutes, spoolId: string, e: SpoolEvent, options: NotifyOptions, now = Date.now()): Promise<void> {
  if (e.kind === 'start') return;
  const summary = summaryOf(e.status);
  if (!(NOTIFY_CLASSES as readonly string[]).includes(summary)) return;
  if (now - Date.parse(e.at) > options.maxAgeMs) return;
  const key = notificationKey(e.host, spoolId, e.seq);
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
      await tx.notification.create({ data: { key, scopeId: scope.id, url: scope.url, payload: JSON.stringify(payload) } });
    }
  }
}
