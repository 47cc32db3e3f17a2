'use client';
// What an enrolled screen knows of itself (GET /api/v1/display): its name, scope and settings, the
// definitions of its scope, and the console's build. Fetched again whenever the console says it
// changed; every failure but a refusal tried again, forever, with backoff and jitter.
import { useQuery } from '@tanstack/react-query';
import type { DisplayPicture } from '../../server/domain/live';
import type { Definitions } from '../definitions/types';
import { api, ApiError } from '../session/api';
import { retryDelayMs } from './retry';

export const displayPictureKey = ['display-picture'] as const;

/** A refusal of the credential: revoked, or never given to this browser. */
export const isRefused = (err: unknown) => err instanceof ApiError && err.status === 401;

export function useDisplayPicture(enabled: boolean) {
  return useQuery({
    queryKey: displayPictureKey,
    queryFn: ({ signal }) => api<DisplayPicture>('/display', { signal }),
    enabled,
    staleTime: Infinity,
    retry: (_count, err) => !isRefused(err),
    retryDelay: (attempt) => retryDelayMs(attempt),
  });
}

/** The picture's scopes and objects as the live scope tree takes definitions; its scope at the top. */
export function definitionsOf(picture: DisplayPicture): Definitions {
  const top = picture.display.scope?.id;
  return {
    scopes: picture.scopes.map((s) => ({ id: s.id, name: s.name, comment: null, parentId: s.id === top ? null : s.parentId })),
    objects: picture.objects.map((o) => ({ id: o.id, name: o.name, comment: null, scopeId: o.scopeId, host: o.host, unit: o.unit })),
    hosts: [],
  };
}
