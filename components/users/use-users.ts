'use client';
// Users and sessions through TanStack Query, for admins only (the server
// refuses everyone else). They follow the live socket: the shell invalidates
// them when the server says they changed, whoever changed them. This page's own
// changes also invalidate them directly, so that they show even while the
// socket is away.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Role } from '../session/session';
import { api } from '../session/api';
import { useShell } from '../shell/app-shell';
import { auditKey, sessionsKey, usersKey } from './query-keys';

export interface UserRow {
  id: number;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
  sessions: number;
  lastSeenAt: string | null;
  /** An attack on the account going on now: failed sign-ins, distinct addresses, since when. */
  attack: { failures: number; addresses: number; since: string } | null;
}

export interface SessionRow {
  id: string;
  user: string;
  role: Role;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  current: boolean;
}

export function useUsers(enabled: boolean) {
  return useQuery({
    queryKey: usersKey,
    queryFn: ({ signal }) => api<{ users: UserRow[] }>('/users', { signal }),
    select: (data) => data.users,
    enabled,
  });
}

export function useSessions(enabled: boolean) {
  return useQuery({
    queryKey: sessionsKey,
    queryFn: ({ signal }) => api<{ sessions: SessionRow[] }>('/sessions', { signal }),
    select: (data) => data.sessions,
    enabled,
  });
}

function useAdminMutation<V, R>(call: (vars: V, csrfToken: string | undefined) => Promise<R>) {
  const queryClient = useQueryClient();
  const { session } = useShell();
  return useMutation({
    mutationFn: (vars: V) => call(vars, session?.csrfToken),
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: usersKey }),
        queryClient.invalidateQueries({ queryKey: sessionsKey }),
        queryClient.invalidateQueries({ queryKey: auditKey }),
      ]),
  });
}

export interface NewUser {
  name: string;
  password: string;
  role: Role;
}

export function useCreateUser() {
  return useAdminMutation((user: NewUser, csrfToken) => api<{ user: UserRow }>('/users', { method: 'POST', body: user, csrfToken }));
}

export function useUpdateUser() {
  return useAdminMutation(({ id, ...patch }: { id: number; role?: Role; disabled?: boolean }, csrfToken) =>
    api<{ user: UserRow }>(`/users/${id}`, { method: 'PATCH', body: patch, csrfToken }),
  );
}

export function useResetPassword() {
  return useAdminMutation(({ id, password }: { id: number; password: string }, csrfToken) =>
    api<{ endedSessions: number }>(`/users/${id}/password`, { method: 'POST', body: { password }, csrfToken }),
  );
}

export function useEndSession() {
  return useAdminMutation((id: string, csrfToken) => api<void>(`/sessions/${encodeURIComponent(id)}`, { method: 'DELETE', csrfToken }));
}
