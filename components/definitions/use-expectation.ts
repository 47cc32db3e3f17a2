'use client';
// A monitoring object's expectation through TanStack Query: read by every role,
// set, removed and changed for one day by operators and admins. Each change
// refreshes the expectation and the definitions (whose objects say hasExpectation),
// and so does a change anyone else makes.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Expectation, ExpectationInput, Override } from '../../server/domain/expectations';
import { api } from '../session/api';
import { useSession } from '../session/session';
import { definitionsKey } from './use-definitions';

/** Under the definitions' key: whatever tells the View the definitions changed (another operator, live) reads it again too. */
export const expectationKey = (objectId: number) => [...definitionsKey, 'expectation', objectId] as const;

/** GET /api/v1/objects/:id/expectation: none, one, or why the stored one no longer reads. */
export interface ExpectationAnswer {
  expectation: Expectation | null;
  /** What a change names as its base: one made meanwhile by someone else is refused, never overwritten. */
  revision: string;
  problem?: string;
}

const pathOf = (objectId: number) => `/objects/${encodeURIComponent(String(objectId))}/expectation`;

export function useExpectation(objectId: number) {
  return useQuery({
    queryKey: expectationKey(objectId),
    queryFn: ({ signal }) => api<ExpectationAnswer>(pathOf(objectId), { signal }),
    // Read fresh whenever a dialog opens: another operator may have changed it.
    staleTime: 0,
  });
}

function useExpectationMutation<V, R>(objectId: number, call: (vars: V, csrfToken: string, revision: string | undefined) => Promise<R>) {
  const queryClient = useQueryClient();
  const session = useSession();
  return useMutation({
    // Based on the expectation as last read: the one the dialog shows.
    mutationFn: (vars: V) => call(vars, session.data?.csrfToken ?? '', queryClient.getQueryData<ExpectationAnswer>(expectationKey(objectId))?.revision),
    onSettled: () =>
      Promise.all([queryClient.invalidateQueries({ queryKey: expectationKey(objectId) }), queryClient.invalidateQueries({ queryKey: definitionsKey })]),
  });
}

export const useSetExpectation = (objectId: number) =>
  useExpectationMutation(objectId, (body: ExpectationInput, csrfToken, ifMatch) => api<{ expectation: Expectation }>(pathOf(objectId), { method: 'PUT', body, csrfToken, ifMatch }));

export const useRemoveExpectation = (objectId: number) =>
  useExpectationMutation(objectId, (_: void, csrfToken, ifMatch) => api<void>(pathOf(objectId), { method: 'DELETE', csrfToken, ifMatch }));

export const useSetOverride = (objectId: number) =>
  useExpectationMutation(objectId, ({ date, ...body }: Override, csrfToken) =>
    api<{ override: Override }>(`${pathOf(objectId)}/overrides/${encodeURIComponent(date)}`, { method: 'PUT', body, csrfToken }),
  );

export const useRemoveOverride = (objectId: number) =>
  useExpectationMutation(objectId, (date: string, csrfToken) => api<void>(`${pathOf(objectId)}/overrides/${encodeURIComponent(date)}`, { method: 'DELETE', csrfToken }));
