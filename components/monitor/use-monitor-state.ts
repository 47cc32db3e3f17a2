'use client';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { monitorSearch, parseMonitorState, type MonitorState } from './monitor-url';

/** The monitoring page's state, read from and written to its URL. */
/** A change of the page's state: the fields to set, or a function of the state as last changed. */
export type MonitorChange = Partial<MonitorState> | ((current: MonitorState) => Partial<MonitorState>);

export function useMonitorState(): [MonitorState, (change: MonitorChange) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const state = useMemo(() => parseMonitorState(new URLSearchParams(params.toString())), [params]);
  // Changes build on the state last asked for, not on the URL as last rendered: two changes
  // made before the URL has followed the first (two quick clicks) both count.
  const asked = useRef({ state, pending: [] as string[] });
  useEffect(() => {
    const a = asked.current;
    const at = a.pending.indexOf(monitorSearch(state));
    // The URL reached one of ours: what was asked after it is still on its way. Anything else
    // (Back, Forward, a link) is the state from now on.
    a.pending = at >= 0 ? a.pending.slice(at + 1) : [];
    if (a.pending.length === 0) a.state = state;
  }, [state]);
  const update = useCallback(
    (change: MonitorChange) => {
      const a = asked.current;
      a.state = { ...a.state, ...(typeof change === 'function' ? change(a.state) : change) };
      const search = monitorSearch(a.state);
      a.pending.push(search);
      router.replace(pathname + search, { scroll: false });
    },
    [router, pathname],
  );
  return [state, update];
}
