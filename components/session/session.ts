// The signed-in user, the console host and the CSRF token, from GET /session.
import { useQuery } from '@tanstack/react-query';
import { api } from './api';

export type Role = 'guest' | 'operator' | 'admin';

export interface User {
  name: string;
  role: Role;
}

export interface Session {
  user: User;
  host: string;
  csrfToken: string;
}

export const sessionKey = ['session'] as const;

export function useSession() {
  return useQuery({
    queryKey: sessionKey,
    queryFn: ({ signal }) => api<Session>('/session', { signal }),
    // Fetched once per page; a 401 sends the page to /login (see app/providers.tsx).
    staleTime: Infinity,
  });
}

/** The server enforces roles; the View only hides what a role cannot use. */
export function canDefine(role: Role): boolean {
  return role === 'operator' || role === 'admin';
}

/** Acknowledge abnormal ends and flags (the server's status.ack). */
export function canAcknowledge(role: Role): boolean {
  return role === 'operator' || role === 'admin';
}

export function canManageHosts(role: Role): boolean {
  return role === 'admin';
}

export async function logout(csrfToken: string): Promise<void> {
  try {
    await api<void>('/logout', { method: 'POST', csrfToken });
  } finally {
    // Whatever the answer, this page no longer has a session to show.
    window.location.assign('/login');
  }
}
