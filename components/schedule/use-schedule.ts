'use client';
// The schedule of a scope (null: the whole console) through TanStack Query, kept fresh three ways:
// a changed run or flag of a shown object on the live socket refetches it (a second after the last
// such change), a change of definitions does (its key is under the definitions key, which the
// 'definitions' event invalidates), and so does every minute, for deadlines that pass with no event.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef } from 'react';
import type { ScheduleAnswer, ScheduledObject } from '../../server/domain/expectations';
import { definitionsKey } from '../definitions/use-definitions';
import type { LiveStore } from '../live/live-store';
import { api } from '../session/api';

export const scheduleKey = (scope: number | null) => [...definitionsKey, 'schedule', scope ?? 'all'] as const;

export const SCHEDULE_REFRESH_MS = 60_000;
/** Live changes come in bursts (a jobnet's jobs, a flag raised as a run starts): one refetch a second after the last. */
export const LIVE_SETTLE_MS = 1_000;

/** What the live socket says of the shown objects' runs (each one's derived unit) and flags: the schedule is stale when it changes. */
export function liveSignature(objects: readonly ScheduledObject[], store: Pick<LiveStore, 'entryOf' | 'flagsOf'>): string {
  return objects
    .map((o) => {
      const e = store.entryOf(o.host, o.unit);
      const flags = store.flagsOf(o.objectId).map((f) => `${f.kind}@${f.occurrence}`);
      return `${e.status} ${e.startSeq} ${e.runId ?? ''} ${flags.join(',')}`;
    })
    .join('\n');
}

export function useSchedule(scope: number | null, store: LiveStore, revision: number) {
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: scheduleKey(scope),
    queryFn: ({ signal }) => api<ScheduleAnswer>(scope === null ? '/schedule' : `/schedule?scope=${scope}`, { signal }),
    refetchInterval: SCHEDULE_REFRESH_MS,
  });

  const objects = query.data?.objects;
  const shown = useMemo(() => objects?.map((o) => o.objectId).join(',') ?? null, [objects]);
  // `revision` says the store changed: the store itself is the same object throughout.
  const signature = useMemo(() => (objects ? liveSignature(objects, store) : null), [objects, store, revision]);
  const seen = useRef<{ shown: string | null; signature: string | null }>({ shown: null, signature: null });
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    const before = seen.current;
    seen.current = { shown, signature };
    // Other objects (another scope, an expectation added) are a new picture, not a change to it.
    if (signature === null || before.shown !== shown || before.signature === signature) return;
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = null;
      void queryClient.invalidateQueries({ queryKey: scheduleKey(scope), exact: true });
    }, LIVE_SETTLE_MS);
  }, [shown, signature, scope, queryClient]);

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  return query;
}
