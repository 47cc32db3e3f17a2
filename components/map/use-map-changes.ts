'use client';
// Changes made on the map: positions (shown at once, put back if the server
// refuses them) and the scope's background image (the server checks the file).
// Each settles when the server answers: the definitions are fetched again
// afterwards, without waiting for them (while the console is away that fetch
// retries for as long as it takes, and the answer must not wait for it).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { definitionsKey } from '../definitions/use-definitions';
import type { Definitions } from '../definitions/types';
import { api } from '../session/api';
import { useSession } from '../session/session';
import { applyPositions, type Positions } from './grid';

export function useSavePositions() {
  const queryClient = useQueryClient();
  const session = useSession();
  return useMutation({
    mutationFn: (positions: Positions) => api<unknown>('/positions', { method: 'PUT', body: positions, csrfToken: session.data?.csrfToken }),
    onMutate: async (positions) => {
      // A refetch landing now would overwrite the optimistic picture with the old one.
      await queryClient.cancelQueries({ queryKey: definitionsKey });
      const before = queryClient.getQueryData<Definitions>(definitionsKey);
      if (before) queryClient.setQueryData<Definitions>(definitionsKey, applyPositions(before, positions));
      return { before };
    },
    onError: (_error, _positions, context) => {
      if (context?.before) queryClient.setQueryData(definitionsKey, context.before);
    },
    onSettled: () => void queryClient.invalidateQueries({ queryKey: definitionsKey }),
  });
}

export function useUploadBackground() {
  const queryClient = useQueryClient();
  const session = useSession();
  return useMutation({
    mutationFn: ({ scopeId, file }: { scopeId: number; file: Blob }) =>
      api<unknown>(`/scopes/${encodeURIComponent(String(scopeId))}/background`, { method: 'PUT', file, csrfToken: session.data?.csrfToken }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: definitionsKey }),
  });
}

export function useRemoveBackground() {
  const queryClient = useQueryClient();
  const session = useSession();
  return useMutation({
    mutationFn: (scopeId: number) => api<void>(`/scopes/${encodeURIComponent(String(scopeId))}/background`, { method: 'DELETE', csrfToken: session.data?.csrfToken }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: definitionsKey }),
  });
}
