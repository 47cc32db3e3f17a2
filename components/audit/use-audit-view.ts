'use client';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';
import { auditSearch, parseAuditView, type AuditView } from './audit-url';

/** The audit log's view, read from its URL; each change is a new history entry, so Back undoes it. */
export function useAuditView(): [AuditView, (change: Partial<AuditView>) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const view = useMemo(() => parseAuditView(new URLSearchParams(params.toString())), [params]);
  const update = useCallback((change: Partial<AuditView>) => router.push(pathname + auditSearch({ ...view, ...change }), { scroll: false }), [router, pathname, view]);
  return [view, update];
}
