'use client';
// React side of the live view: one socket per page, its state in a LiveStore.
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { io } from 'socket.io-client';
import { jitterLongestWait, startLive, type ConnectionState, type LiveControl, type LiveHandlers, RETRY_MAX_MS, RETRY_MIN_MS } from './connection';
import type { SubscribeRequest } from '../../server/domain/live';
import { LiveStore } from './live-store';

export interface Live {
  store: LiveStore;
  connection: ConnectionState;
  /** What this page shows: a scope's units (the monitor page), or every watched host's. */
  watch(request: SubscribeRequest): void;
}

export interface LiveOptions {
  /** Connect as the wall display whose credential the browser holds, not as a person's session. */
  asDisplay?: boolean;
}

export function useLive(enabled: boolean, handlers: Omit<LiveHandlers, 'onState'>, { asDisplay = false }: LiveOptions = {}): Live {
  const [store] = useState(() => new LiveStore());
  const [connection, setConnection] = useState<ConnectionState>({ phase: 'connecting', since: null });
  const { onUnauthorized, onDefinitionsChanged, onAdminChanged, onDisplay } = handlers;
  const control = useRef<LiveControl | null>(null);
  // Every object's state and every host's, until a page asks for more (the monitor page asks for units where it shows them).
  const request = useRef<SubscribeRequest>({ units: false });
  const watch = useCallback((next: SubscribeRequest) => {
    request.current = next;
    control.current?.watch(next);
  }, []);

  useEffect(() => {
    if (!enabled) return;
    const socket = io({
      autoConnect: false,
      transports: ['websocket', 'polling'],
      // Fall back to long polling where a proxy blocks WebSockets.
      tryAllTransports: true,
      reconnection: true,
      reconnectionDelay: RETRY_MIN_MS,
      reconnectionDelayMax: RETRY_MAX_MS,
      withCredentials: true,
      auth: asDisplay ? { as: 'display' } : {},
    });
    jitterLongestWait(socket.io);
    const started = startLive(socket, store, { onState: setConnection, onUnauthorized, onDefinitionsChanged, onAdminChanged, onDisplay });
    started.watch(request.current);
    control.current = started;
    return () => {
      control.current = null;
      started.stop();
    };
  }, [enabled, asDisplay, store, onUnauthorized, onDefinitionsChanged, onAdminChanged, onDisplay]);

  // One object while nothing in it changes: it travels in the shell's context, and a new one would render every page again.
  return useMemo(() => ({ store, connection, watch }), [store, connection, watch]);
}

/**
 * The store's revision, for the components that show live state (use it as a memo dependency).
 * Only they subscribe, so a delta renders them and not the whole page.
 */
export function useLiveRevision(store: LiveStore): number {
  // Deltas arrive many times a second; the page renders them once per animation frame (and not at all in a hidden tab).
  const subscribe = useCallback(
    (listener: () => void) => {
      let frame = 0;
      const unsubscribe = store.subscribe(() => {
        frame ||= requestAnimationFrame(() => {
          frame = 0;
          listener();
        });
      });
      return () => {
        unsubscribe();
        cancelAnimationFrame(frame);
      };
    },
    [store],
  );
  return useSyncExternalStore(subscribe, store.getRevision, store.getRevision);
}

/** When what the store holds last changed (ms since the epoch), for a page that says how fresh it is; null before its first snapshot. */
export function useUpdatedAt(store: LiveStore, revision: number): number | null {
  // `revision` is what says the store changed: the store itself is the same object throughout.
  return useMemo(() => (store.isSynced ? Date.now() : null), [store, revision]);
}
