// A socket.io client that behaves exactly as the View does (the View's own
// connection driver and live store, components/live/), logged in with a session
// cookie, and records what it saw: every delta as it arrived, every snapshot,
// every change of connection phase, and per run (execId) the statuses it held.
import { io, type Socket } from 'socket.io-client';
import { jitterLongestWait, startLive, RETRY_MAX_MS, RETRY_MIN_MS, type ConnectionPhase } from '../../components/live/connection';
import { LiveStore } from '../../components/live/live-store';
import type { Snapshot, UnitsDelta } from '../domain/live';
import type { Client } from './test-host';

export interface ReceivedDelta {
  at: number;
  /** Which connection of this client it came over (counts 'connect' events). */
  connection: number;
  delta: UnitsDelta;
}

const key = (host: string, unit: string) => `${host}\u0000${unit}`;

class RecordingStore extends LiveStore {
  constructor(private onSnapshot: (s: Snapshot) => void) {
    super();
  }

  override applySnapshot(snapshot: Snapshot): 'applied' | 'gap' {
    this.onSnapshot(snapshot);
    return super.applySnapshot(snapshot);
  }
}

export class LiveClient {
  readonly store: LiveStore;
  readonly socket: Socket;
  readonly deltas: ReceivedDelta[] = [];
  readonly snapshots: { at: number; version: number }[] = [];
  readonly phases: { at: number; phase: ConnectionPhase; since: number | null }[] = [];
  readonly disconnects: number[] = [];
  /** Statuses held per run, in order, each recorded when it changed. */
  readonly held = new Map<string, { at: number; status: string }[]>();
  unauthorized = false;
  private connection = 0;
  private units = new Map<string, { host: string; unit: string }>();
  private current = new Map<string, { execId: string; status: string }>();
  private stopLive: () => void;

  constructor(
    readonly name: string,
    /** The logged-in session it uses (cookie, CSRF token), for REST calls with the same session. */
    readonly client: Client,
  ) {
    this.store = new RecordingStore((s) => {
      this.snapshots.push({ at: Date.now(), version: s.version });
      for (const u of s.units) this.units.set(key(u.host, u.unit), { host: u.host, unit: u.unit });
    });
    // As the View's socket (components/live/use-live.ts), plus the cookie and Origin a browser sends by itself.
    this.socket = io(client.url, {
      autoConnect: false,
      transports: ['websocket'],
      reconnection: true,
      reconnectionDelay: RETRY_MIN_MS,
      reconnectionDelayMax: RETRY_MAX_MS,
      extraHeaders: { cookie: client.cookie, origin: client.url },
    });
    jitterLongestWait(this.socket.io);
    this.socket.on('connect', () => this.connection++);
    this.socket.on('disconnect', () => this.disconnects.push(Date.now()));
    this.socket.on('units', (delta: UnitsDelta) => {
      this.deltas.push({ at: Date.now(), connection: this.connection, delta });
      for (const u of delta.units) this.units.set(key(u.host, u.unit), { host: u.host, unit: u.unit });
    });
    this.store.subscribe(() => this.recordChanges());
    ({ stop: this.stopLive } = startLive(this.socket, this.store, {
      onState: (state) => this.phases.push({ at: Date.now(), ...state }),
      onUnauthorized: () => (this.unauthorized = true),
      onDefinitionsChanged: () => {},
      onAdminChanged: () => {},
    }));
  }

  get phase(): ConnectionPhase {
    return this.phases.at(-1)?.phase ?? 'connecting';
  }

  private recordChanges(): void {
    const at = Date.now();
    for (const [k, { host, unit }] of this.units) {
      const state = this.store.unitState(host, unit);
      if (!state) continue;
      const before = this.current.get(k);
      if (before && before.execId === state.execId && before.status === state.status) continue;
      this.current.set(k, { execId: state.execId, status: state.status });
      const seen = this.held.get(state.execId) ?? [];
      seen.push({ at, status: state.status });
      this.held.set(state.execId, seen);
    }
  }

  /** Deltas that arrived after a moment. */
  deltasAfter(at: number): ReceivedDelta[] {
    return this.deltas.filter((d) => d.at >= at);
  }

  close(): void {
    this.stopLive();
    this.socket.close();
  }
}
