// Drives one socket.io connection for the live view: subscribe on every
// (re)connect, resync on gaps, retry every failure that is not an
// authentication refusal. No React here; the socket is handed in.
import type { LiveStore } from './live-store';
import { ADMIN_LISTS, isAdminList, LIVE_ERRORS, LIVE_EVENTS, type AdminList, type DisplayNotice, type FlagsDelta, type HostsDelta, readSnapshot, type SnapshotAnswer, type SubscribeRequest, type UnitsDelta } from '../../server/domain/live';

export type ConnectionPhase = 'connecting' | 'live' | 'reconnecting';

export interface ConnectionState {
  phase: ConnectionPhase;
  /** When the connection was lost (ms since epoch); null while live or before the first try. */
  since: number | null;
}

/** The part of a socket.io-client Socket this module uses. */
export interface LiveSocket {
  readonly connected: boolean;
  readonly active: boolean;
  connect(): unknown;
  disconnect(): unknown;
  on(event: string, listener: (...args: any[]) => void): unknown;
  off(event: string, listener: (...args: any[]) => void): unknown;
  timeout(ms: number): { emit(event: string, request: SubscribeRequest, ack: (err: Error | null, response: unknown) => void): unknown };
}

export interface LiveHandlers {
  onState(state: ConnectionState): void;
  /** The handshake was refused for the session: stop and sign in again. */
  onUnauthorized(): void;
  onDefinitionsChanged(): void;
  /** An admin list changed (the server sends this to admins only). */
  onAdminChanged(list: AdminList): void;
  /** A wall display's socket: an admin changed or revoked this display. */
  onDisplay?(notice: DisplayNotice): void;
}

const SUBSCRIBE_TIMEOUT_MS = 10_000;
export const RETRY_MIN_MS = 500;
// The longest wait between tries bounds how long a screen stays dark after the console is back
// (a failover's standby answers a second or so after it starts); jitter keeps many screens out of step.
export const RETRY_MAX_MS = 2_000;

/** The part of a socket.io-client Manager that jitterLongestWait uses. */
export interface ReconnectingManager {
  reconnectionDelayMax(ms: number): unknown;
  on(event: 'reconnect_attempt', listener: () => void): unknown;
}

/**
 * socket.io's backoff applies its jitter before its bound: once it waits its longest, every try
 * comes exactly RETRY_MAX_MS after the last one failed, and screens that failed together stay in
 * step for good. A new bound for each try, from half of RETRY_MAX_MS to all of it, keeps them apart.
 */
export function jitterLongestWait(manager: ReconnectingManager, random: () => number = Math.random): void {
  const draw = () => manager.reconnectionDelayMax(Math.round(RETRY_MAX_MS * (0.5 + random() * 0.5)));
  draw();
  manager.on('reconnect_attempt', draw);
}

export interface LiveControl {
  stop(): void;
  /** Asks for another subscription (another scope): a new snapshot replaces what the store holds. */
  watch(request: SubscribeRequest): void;
}

export function startLive(socket: LiveSocket, store: LiveStore, handlers: LiveHandlers, now: () => number = Date.now): LiveControl {
  let request: SubscribeRequest = {};
  let state: ConnectionState = { phase: 'connecting', since: null };
  let retryDelay = RETRY_MIN_MS;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let subscribeTimer: ReturnType<typeof setTimeout> | null = null;
  let attempt = 0;
  let snapshots = 0;
  let stopped = false;

  const setState = (next: ConnectionState) => {
    if (next.phase === state.phase && next.since === state.since) return;
    state = next;
    handlers.onState(state);
  };
  const lost = () => setState({ phase: 'reconnecting', since: state.since ?? now() });

  // Backoff with jitter, so that many wall displays do not return in step after a failover.
  const nextDelay = () => {
    const d = retryDelay * (0.8 + Math.random() * 0.4);
    retryDelay = Math.min(retryDelay * 2, RETRY_MAX_MS);
    return d;
  };

  const scheduleConnect = () => {
    if (stopped || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      // Harmless when the manager is already reconnecting on its own.
      if (!stopped && !socket.connected) socket.connect();
    }, nextDelay());
  };

  const subscribe = () => {
    if (stopped || !socket.connected) return;
    const mine = ++attempt;
    if (subscribeTimer) clearTimeout(subscribeTimer);
    subscribeTimer = null;
    store.beginSubscribe();
    socket.timeout(SUBSCRIBE_TIMEOUT_MS).emit(LIVE_EVENTS.subscribe, request, (err, response) => {
      // A later subscribe or a disconnect made this answer moot.
      if (stopped || mine !== attempt || !socket.connected) return;
      const refusal = !err && response && typeof response === 'object' && 'error' in response ? (response as { error: unknown }).error : null;
      if (refusal === LIVE_ERRORS.unauthorized) {
        stop();
        handlers.onUnauthorized();
        return;
      }
      if (refusal === LIVE_ERRORS.unknownScope && request.scope) {
        // The scope is gone (deleted meanwhile): every watched host's units instead, at once.
        request = { ...request, scope: null };
        return subscribe();
      }
      if (err || refusal !== null || !response) {
        subscribeTimer = setTimeout(subscribe, nextDelay());
        return;
      }
      retryDelay = RETRY_MIN_MS;
      void readSnapshot(response as SnapshotAnswer).then(
        (snapshot) => {
          // Decompressing took a moment: a later subscribe or a disconnect may have come meanwhile.
          if (stopped || mine !== attempt || !socket.connected) return;
          if (store.applySnapshot(snapshot) === 'gap') return subscribe();
          live();
        },
        // A snapshot that does not decode is no snapshot: asked again, as after a refusal.
        () => {
          if (!stopped && mine === attempt) subscribeTimer = setTimeout(subscribe, nextDelay());
        },
      );
    });
  };

  /** A snapshot was taken in: the page is live. */
  const live = () => {
    // Definitions and admin lists may have changed while we were away: their events were missed too.
    if (snapshots++ > 0) {
      handlers.onDefinitionsChanged();
      for (const list of ADMIN_LISTS) handlers.onAdminChanged(list);
    }
    setState({ phase: 'live', since: null });
  };

  const onConnect = () => subscribe();
  const onUnits = (delta: UnitsDelta) => {
    if (store.receiveUnits(delta) === 'gap') subscribe();
  };
  const onHosts = (delta: HostsDelta) => store.receiveHosts(delta);
  const onFlags = (delta: FlagsDelta) => {
    if (Array.isArray(delta?.objects)) store.receiveFlags(delta);
  };
  const onDefinitions = () => handlers.onDefinitionsChanged();
  const onAdmin = (notice: unknown) => {
    const list = notice && typeof notice === 'object' ? (notice as { list?: unknown }).list : undefined;
    if (isAdminList(list)) handlers.onAdminChanged(list);
  };
  const onDisplay = (notice: unknown) => {
    const state = notice && typeof notice === 'object' ? (notice as { state?: unknown }).state : undefined;
    if (state === 'revoked' || state === 'changed') handlers.onDisplay?.(notice as DisplayNotice);
  };
  const onDisconnect = () => {
    attempt++;
    store.beginSubscribe();
    lost();
    // A disconnect by the server leaves the socket inactive: nothing retries unless we do.
    if (!socket.active) scheduleConnect();
  };
  const onConnectError = (err: Error) => {
    if (err?.message === LIVE_ERRORS.unauthorized) {
      stop();
      handlers.onUnauthorized();
      return;
    }
    lost();
    // After a middleware rejection socket.io-client does not retry by itself.
    scheduleConnect();
  };

  // The server is far ahead of what this page took in: a fresh snapshot, not the missed deltas.
  const onResync = () => subscribe();
  const listeners: [string, (...args: any[]) => void][] = [
    ['connect', onConnect],
    [LIVE_EVENTS.units, onUnits],
    [LIVE_EVENTS.hosts, onHosts],
    [LIVE_EVENTS.flags, onFlags],
    [LIVE_EVENTS.definitions, onDefinitions],
    [LIVE_EVENTS.adminChanged, onAdmin],
    [LIVE_EVENTS.display, onDisplay],
    [LIVE_EVENTS.resync, onResync],
    ['disconnect', onDisconnect],
    ['connect_error', onConnectError],
  ];
  for (const [event, listener] of listeners) socket.on(event, listener);
  handlers.onState(state);
  if (socket.connected) subscribe();
  else socket.connect();

  function stop() {
    if (stopped) return;
    stopped = true;
    if (retryTimer) clearTimeout(retryTimer);
    if (subscribeTimer) clearTimeout(subscribeTimer);
    for (const [event, listener] of listeners) socket.off(event, listener);
    socket.disconnect();
  }
  const watch = (next: SubscribeRequest) => {
    if (next.scope === request.scope && next.units === request.units) return;
    request = next;
    subscribe();
  };
  return { stop, watch };
}
