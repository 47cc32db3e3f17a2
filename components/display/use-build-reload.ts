'use client';
// A screen runs for months; the console it shows is upgraded under it. When the console serves a
// newer build of the View than the one this page came with, the page reloads itself at a quiet
// moment (the board live, nothing changed for a few seconds), keeping its enrolment (a cookie).
import { useEffect, useRef, useState } from 'react';

/** Quiet: nothing changed on the board for this long. */
export const QUIET_MS = 5_000;
/** A board that is never quiet reloads after this anyway. */
export const RELOAD_WITHIN_MS = 120_000;

/**
 * `build`: the build the console says it serves (undefined until known); `changedAt`: when the
 * board last changed; `live`: whether it is connected. The first build seen is this page's own.
 */
export function useBuildReload(build: string | undefined, changedAt: number | null, live: boolean, reload: () => void = () => window.location.reload()): void {
  const [own] = useState(() => ({ build: undefined as string | undefined }));
  own.build ||= build;
  const newer = !!build && build !== own.build;
  const lastChange = useRef(changedAt);
  const liveNow = useRef(live);
  useEffect(() => {
    lastChange.current = changedAt;
    liveNow.current = live;
  }, [changedAt, live]);

  useEffect(() => {
    if (!newer) return;
    const since = Date.now();
    const timer = setInterval(() => {
      const quiet = liveNow.current && Date.now() - (lastChange.current ?? 0) >= QUIET_MS;
      if (quiet || Date.now() - since >= RELOAD_WITHIN_MS) {
        clearInterval(timer);
        reload();
      }
    }, 1_000);
    return () => clearInterval(timer);
  }, [newer, reload]);
}
