'use client';
// The audit log a page at a time, newest first: each "older" asks for the
// entries before the last one shown (nextBefore), which stays right while new
// entries arrive. The shell invalidates it (auditKey) when the server says an
// entry was recorded.
import { useInfiniteQuery } from '@tanstack/react-query';
import type { AuditAction, AuditEntryView } from '../../server/audit/audit';
import { api } from '../session/api';
import { auditKey } from '../users/query-keys';

export const AUDIT_PAGE = 50;

export type AuditEntry = AuditEntryView;

interface AuditPage {
  entries: AuditEntry[];
  nextBefore: number | null;
}

export function useAudit(action: AuditAction | null, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: [...auditKey, action ?? 'all'],
    queryFn: ({ pageParam, signal }) => {
      const query = new URLSearchParams({ limit: String(AUDIT_PAGE) });
      if (pageParam !== null) query.set('before', String(pageParam));
      if (action) query.set('action', action);
      return api<AuditPage>(`/audit?${query}`, { signal });
    },
    initialPageParam: null as number | null,
    getNextPageParam: (last) => last.nextBefore,
    enabled,
  });
}
