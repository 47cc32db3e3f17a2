'use client';
// Definitions through TanStack Query. Live changes arrive as a 'definitions'
// socket event that invalidates these queries; mutations invalidate them too,
// so the author sees the change even before the event.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../session/api';
import { useSession } from '../session/session';
import type { IconName } from '../../server/domain/icons';
import type { Definitions, HostHealth, MonitoringObject, Scope } from './types';

export const definitionsKey = ['definitions'] as const;
export const hostsKey = ['hosts'] as const;

export function useDefinitions(enabled = true) {
  return useQuery({
    queryKey: definitionsKey,
    queryFn: ({ signal }) => api<Definitions>('/definitions', { signal }),
    enabled,
  });
}

export function useHostHealth(enabled: boolean) {
  return useQuery({
    queryKey: hostsKey,
    queryFn: ({ signal }) => api<HostHealth[]>('/hosts', { signal }),
    enabled,
  });
}

export interface NewScope {
  name: string;
  comment?: string;
  icon?: IconName;
  parentId?: number | null;
  /** On creation only; later through useSetScopeNotifications. */
  mailTo?: string[];
  webhookFilter?: string;
}

/** A scope's recipients and filter; its webhook's URL stays as it is (the View never sees it). */
export interface ScopeNotifications {
  mailTo: string[];
  webhookFilter: string;
}

export interface NewObject {
  name: string;
  comment?: string;
  icon?: IconName;
  scopeId: number;
  /** A logical host name, or the address of one registered host. */
  host: string;
  unit: string;
}

export interface NewHost {
  name: string;
  address: string;
  feedPort: number;
  token: string;
  /** The feed over TLS: a CA certificate (PEM), or the pinned SHA-256 fingerprint of the agent's certificate. */
  tlsCa?: string;
  tlsFingerprint?: string;
}

function useDefinitionMutation<V, R>(call: (vars: V, csrfToken: string) => Promise<R>) {
  const queryClient = useQueryClient();
  const session = useSession();
  return useMutation({
    mutationFn: (vars: V) => call(vars, session.data?.csrfToken ?? ''),
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: definitionsKey }),
        queryClient.invalidateQueries({ queryKey: hostsKey }),
      ]),
  });
}

export const useCreateScope = () =>
  useDefinitionMutation((body: NewScope, csrfToken) => api<{ scope: Scope }>('/scopes', { method: 'POST', body, csrfToken }));

export const useUpdateScope = () =>
  useDefinitionMutation(({ id, ...body }: NewScope & { id: number }, csrfToken) =>
    api<{ scope: Scope }>(`/scopes/${encodeURIComponent(String(id))}`, { method: 'PATCH', body, csrfToken }),
  );

export const useSetScopeNotifications = () =>
  useDefinitionMutation(({ id, ...body }: ScopeNotifications & { id: number }, csrfToken) =>
    api<void>(`/scopes/${encodeURIComponent(String(id))}/webhook`, { method: 'PUT', body, csrfToken }),
  );

export const useDeleteScope = () =>
  useDefinitionMutation((id: number, csrfToken) => api<void>(`/scopes/${encodeURIComponent(String(id))}`, { method: 'DELETE', csrfToken }));

export const useCreateObject = () =>
  useDefinitionMutation((body: NewObject, csrfToken) =>
    api<{ object: MonitoringObject }>('/objects', { method: 'POST', body, csrfToken }),
  );

export const useUpdateObject = () =>
  useDefinitionMutation(({ id, ...body }: NewObject & { id: number }, csrfToken) =>
    api<{ object: MonitoringObject }>(`/objects/${encodeURIComponent(String(id))}`, { method: 'PATCH', body, csrfToken }),
  );

export const useDeleteObject = () =>
  useDefinitionMutation((id: number, csrfToken) => api<void>(`/objects/${encodeURIComponent(String(id))}`, { method: 'DELETE', csrfToken }));

export const useRegisterHost = () =>
  useDefinitionMutation((body: NewHost, csrfToken) => api<unknown>('/hosts', { method: 'POST', body, csrfToken }));

export const useRemoveHost = () =>
  useDefinitionMutation((name: string, csrfToken) => api<void>(`/hosts/${encodeURIComponent(name)}`, { method: 'DELETE', csrfToken }));
