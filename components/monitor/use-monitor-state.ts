'use client';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';
import { monitorSearch, parseMonitorState, type MonitorState } from './monitor-url';

/** The monitoring page's state, read from and written to its URL. */
export function useMonitorState(): [MonitorState, (change: Partial<MonitorState>) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const state = useMemo(() => parseMonitorState(new URLSearchParams(params.toString())), [params]);
  const update = useCallback(
    (change: Partial<MonitorState>) => router.replace(pathname + monitorSearch({ ...state, ...change }), { scroll: false }),
    [router, pathname, state],
  );
  return [state, update];
}
