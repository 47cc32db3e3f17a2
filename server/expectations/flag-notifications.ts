// A raised flag's notifications: one outbox row per channel (webhook, mail) of
// each scope, from the object's own up to the root, whose filter takes flags.
// Written in the transaction that stores the flag, so that a flag is notified
// once, by whichever manager raised it (the idempotency key is the flag's identity).
import type { Tx } from '../store/db';
import { FLAG_WORDS, flagKey, type Evaluation, type Flag } from '../domain/expectations';
import { outboxEntries, watchingScope, type WatchingScope } from '../notifications/outbox';
import type { ExpectingObject } from './evaluation';

/** The class a scope's notification filter names to be told of flags. */
export const FLAGS_CLASS = 'flags';

export const flagNotificationKey = (objectId: number, flag: Pick<Flag, 'kind' | 'occurrence'>) => `flag:${objectId}:${flagKey(flag)}`;

/** Writes the flag's notifications; returns how many. */
export async function flagNotifications(tx: Tx, object: ExpectingObject, flag: Flag, evaluation: Evaluation, consoleHost: string, now: Date): Promise<number> {
  const rows = await tx.scope.findMany({ select: { id: true, name: true, parentId: true, webhookUrl: true, mailTo: true, webhookFilter: true } });
  const byId = new Map(rows.map((s) => [s.id, s]));
  const scopes: WatchingScope[] = [];
  for (let s = byId.get(object.scopeId); s; s = s.parentId === null ? undefined : byId.get(s.parentId)) {
    const watching = watchingScope(s);
    if (watching) scopes.push(watching);
  }
  const key = flagNotificationKey(object.id, flag);
  const run = evaluation.occurrences.find((o) => o.id === flag.occurrence)?.run;
  const payload = {
    key, console: consoleHost, object: object.name, objectId: object.id, host: object.host, unit: object.unit,
    kind: flag.kind, kindName: FLAG_WORDS[flag.kind], occurrence: flag.occurrence, dueAt: flag.dueAt.toISOString(), at: now.toISOString(),
    run: run ? { startedAt: run.startedAt.toISOString(), endedAt: run.endedAt?.toISOString() ?? null, status: run.status } : null,
  };
  const entries = outboxEntries(scopes, key, FLAGS_CLASS, payload);
  if (entries.length > 0) await tx.notification.createMany({ data: entries });
  return entries.length;
}
