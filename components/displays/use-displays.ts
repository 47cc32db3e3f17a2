'use client';
// Wall displays through TanStack Query, for admins only (the server refuses
// everyone else). The shell invalidates the list when the live socket says it
// changed (a change by any admin, a screen that connects, disconnects or takes
// its credential); this page's own changes invalidate it directly as well.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DisplayEntry } from '../../server/displays/displays';
import { api } from '../session/api';
import { useShell } from '../shell/app-shell';
import { auditKey, displaysKey } from '../users/query-keys';
import type { DisplayChanges, NewDisplay } from './display-draft';

export type { DisplayEntry };

export function useDisplays() {
  return useQuery({
    queryKey: displaysKey,
    queryFn: ({ signal }) => api<{ displays: DisplayEntry[] }>('/displays', { signal }),
    select: (data) => data.displays,
  });
}

function useDisplayMutation<V, R>(call: (vars: V, csrfToken: string | undefined) => Promise<R>) {
  const queryClient = useQueryClient();
  const { session } = useShell();
  return useMutation({
    mutationFn: (vars: V) => call(vars, session?.csrfToken),
    onSettled: () => Promise.all([queryClient.invalidateQueries({ queryKey: displaysKey }), queryClient.invalidateQueries({ queryKey: auditKey })]),
  });
}

export function useEnrolDisplay() {
  return useDisplayMutation((display: NewDisplay, csrfToken) => api<{ display: DisplayEntry }>('/displays', { method: 'POST', body: display, csrfToken }));
}

export function useUpdateDisplay() {
  return useDisplayMutation(({ id, changes }: { id: number; changes: DisplayChanges }, csrfToken) =>
    api<{ display: DisplayEntry }>(`/displays/${id}`, { method: 'PATCH', body: changes, csrfToken }),
  );
}

export function useRevokeDisplay() {
  return useDisplayMutation((id: number, csrfToken) => api<void>(`/displays/${id}`, { method: 'DELETE', csrfToken }));
}
