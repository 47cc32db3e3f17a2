'use client';
// A unit's usual duration, learned by the manager from its last normal ends (GET /api/v1/learned).
import { useQuery } from '@tanstack/react-query';
import type { LearnedAnswer } from '../../server/domain/expectations/schedule-view';
import { api } from '../session/api';

/** `marker` changes with the unit's latest run: a new normal end may change what was learned. */
export function useLearned(host: string, unit: string, marker: string) {
  return useQuery({
    queryKey: ['learned', host, unit, marker],
    queryFn: ({ signal }) => api<LearnedAnswer>(`/learned?${new URLSearchParams({ host, unit })}`, { signal }),
    placeholderData: (previous) => previous,
  });
}
