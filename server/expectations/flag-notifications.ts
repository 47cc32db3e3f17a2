// A raised flag's notifications: one outbox row per channel of each scope, from
// the object's own up to the root, whose filter takes flags. Written in the
// transaction that stores the flag, so that a flag is notified once, by whichever
// manager raised it (the idempotency key is the flag's identity).
import type { Tx } from '../store/db';
import { FLAG_WORDS, flagKey, type Evaluation, type Flag } from '../domain/expectations';
import type { ExpectingObject } from './evaluation';

/** The class a scope's notification filter names to be told of flags. */
export const FLAGS_CLASS = 'flags';

export const flagNotificationKey = (objectId: number, flag: Pick<Flag, 'kind' | 'occurrence'>) => `flag:${objectId}:${flagKey(flag)}`;

/** Writes the flag's notifications; returns how many. */
export async function flagNotifications(tx: Tx, object: ExpectingObject, flag: Flag, evaluation: Evaluation, consoleHost: string, now: Date): Promise<number> {
  const scopes = await tx.scope.findMany({ select: { id: true, name: true, parentId: true, webhookUrl: true, webhookFilter: true } });
  const byId = new Map(scopes.map((s) => [s.id, s]));
  const key = flagNotificationKey(object.id, flag);
  const occurrence = evaluation.occurrences.find((o) => o.id === flag.occurrence);
  let written = 0;
  for (let scope = byId.get(object.scopeId); scope; scope = scope.parentId === null ? undefined : byId.get(scope.parentId)) {
    if (!scope.webhookUrl || !scope.webhookFilter.split(',').includes(FLAGS_CLASS)) continue;
    const payload = {
      key, console: consoleHost, scope: scope.name, object: object.name, objectId: object.id, host: object.host, unit: object.unit,
      flag: flag.kind, flagName: FLAG_WORDS[flag.kind], occurrence: flag.occurrence, dueAt: flag.dueAt.toISOString(), at: now.toISOString(),
      run: occurrence?.run ? { startedAt: occurrence.run.startedAt.toISOString(), endedAt: occurrence.run.endedAt?.toISOString() ?? null, status: occurrence.run.status } : null,
    };
    await tx.notification.create({ data: { key, scopeId: scope.id, url: scope.webhookUrl, payload: JSON.stringify(payload) } });
    written++;
  }
  return written;
}
