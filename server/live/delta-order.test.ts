// The order in which one socket hears its subscription, against the live hub in
// this process, a real store and real socket.io clients: the answer first, then
// deltas that follow on from the answer's version and from each other, never one
// the socket already holds; for a person's socket and a wall display's alike,
// whether the answer waits for its compression or the definitions are read again.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import pino from 'pino';
import { Server } from 'socket.io';
import { io, type Socket } from 'socket.io-client';
import type { Store } from '../store/db';
import { openTestStore } from '../testing/stores';
import { waitUntil } from '../testing/test-host';
import { applyEvents } from '../feed/apply';
import { addUser } from '../auth/users';
import { createSession, SESSION_COOKIE } from '../auth/sessions';
import { DISPLAY_COOKIE, digest, newDisplaySecret } from '../auth/display-credentials';
import { LIVE_EVENTS, readSnapshot, type SnapshotAnswer, type UnitsDelta } from '../domain/live';
import type { SpoolEvent } from '../domain/events';
import { StatusIndex, type IndexSnapshot } from './status-index';
import { createLiveHub, type LiveHub } from './hub';

const HOST = 'h1';
const CONTEXT = { epoch: 0, notify: { maxAgeMs: 3600_000, consoleHost: 'clh1' } };
/** Objects enough that every snapshot travels compressed, so that its answer waits for the compression. */
const OBJECTS = 501;

/** What one socket heard, in the order it arrived. */
type Heard = { kind: 'answer'; version: number } | { kind: 'units'; prevVersion: number; version: number } | { kind: 'resync' };

/**
 * A socket that follows the live protocol as the View does (a gap or `resync`: subscribe
 * again), recording what it heard and every message that did not follow on from what it held.
 */
class Listener {
  readonly heard: Heard[] = [];
  readonly faults: string[] = [];
  version = -1;
  private answered = false;

  constructor(readonly socket: Socket) {
    socket.on(LIVE_EVENTS.units, (d: UnitsDelta) => {
      this.heard.push({ kind: 'units', prevVersion: d.prevVersion, version: d.version });
      if (!this.answered) return void this.faults.push(`${d.prevVersion}→${d.version} before the answer`);
      if (d.prevVersion < this.version) this.faults.push(`${d.prevVersion}→${d.version} at ${this.version}: overlaps what it holds`);
      if (d.prevVersion > this.version) return this.subscribe(); // missed one
      this.version = Math.max(this.version, d.version);
    });
    socket.on(LIVE_EVENTS.resync, () => {
      this.heard.push({ kind: 'resync' });
      this.subscribe();
    });
  }

  subscribe(): void {
    this.answered = false;
    this.socket.emit(LIVE_EVENTS.subscribe, {}, (answer: SnapshotAnswer) => {
      this.heard.push({ kind: 'answer', version: answer.version });
      this.answered = true;
      this.version = answer.version;
    });
  }
}

/** A console's live hub in this process: a store, its index, socket.io on a port of its own. */
class LiveConsole {
  private seq = 0;
  private sockets: Socket[] = [];

  private constructor(
    readonly store: Store,
    readonly index: StatusIndex,
    readonly hub: LiveHub,
    readonly io: Server,
    readonly url: string,
    readonly scopeId: number,
    private closeStore: () => Promise<void>,
  ) {}

  static async start(): Promise<LiveConsole> {
    const { store, close } = await openTestStore('sqlite');
    await store.monitoredHost.create({ data: { name: HOST, address: '127.0.0.1', feedPort: 1, token: 'x'.repeat(20), feed: { create: {} } } });
    const scope = await store.scope.create({ data: { name: 'S' } });
    await store.monitoringObject.createMany({ data: Array.from({ length: OBJECTS }, (_, i) => ({ name: `o${i}`, scopeId: scope.id, host: HOST, unit: `/N/o${i}` })) });
    const index = await StatusIndex.load(store);
    const server = http.createServer();
    const socketServer = new Server(server, { serveClient: false });
    const hub = createLiveHub(socketServer, store, index, { hostStates: () => [], flags: () => [] }, pino({ level: 'silent' }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return new LiveConsole(store, index, hub, socketServer, url, scope.id, close);
  }

  /** Commits a batch that starts a run of each unit, as a feed does; returns its delta, not yet published. */
  async commit(...units: string[]): Promise<UnitsDelta> {
    const after = this.seq;
    const events: SpoolEvent[] = units.map((unit) => ({
      seq: ++this.seq, host: HOST, unit, execId: `run${this.seq}`, runId: null, kind: 'start', status: 'RUNNING',
      at: new Date().toISOString(), node: 'n', pid: null, exitCode: null, signal: null, outputTail: null, reason: null,
    }));
    const applied = await applyEvents(this.store, CONTEXT, HOST, { protocol: 1, host: HOST, spoolId: 's', now: new Date().toISOString(), lastSeq: this.seq, resync: false, events }, after);
    return applied!.delta;
  }

  /** Publishes a delta and waits until the hub has sent it. */
  async publish(delta: UnitsDelta): Promise<void> {
    this.hub.publishUnits(delta);
    await waitUntil(`version ${delta.version} sent`, () => this.index.version >= delta.version);
  }

  async personSocket(): Promise<Socket> {
    const user = await addUser(this.store, { name: `viewer${this.sockets.length}`, password: 'viewer-password-1', role: 'guest' });
    const { token } = await createSession(this.store, user.id);
    return this.connect(`${SESSION_COOKIE}=${token}`);
  }

  async displaySocket(): Promise<Socket> {
    const secret = newDisplaySecret();
    await this.store.display.create({ data: { name: `wall${this.sockets.length}`, scopeId: this.scopeId, settings: '{}', credentialHash: digest(secret), enrolledBy: 'admin' } });
    return this.connect(`${DISPLAY_COOKIE}=${secret}`);
  }

  private async connect(cookie: string): Promise<Socket> {
    const socket = io(this.url, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie, origin: this.url } });
    this.sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    return socket;
  }

  /** Whether the hub put this socket into a subscription room (it has its snapshot by then). */
  joined(socket: Socket): boolean {
    for (const [room, members] of this.io.of('/').adapter.rooms) if ((room === 'status' || room.startsWith('display-scope:')) && members.has(socket.id!)) return true;
    return false;
  }

  /** Holds every compressed snapshot's bytes until the returned function is called. */
  holdCompression(): () => void {
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    const snapshot = this.index.snapshot.bind(this.index);
    this.index.snapshot = (...args): IndexSnapshot => {
      const made = snapshot(...args);
      return { ...made, gzipped: () => released.then(() => made.gzipped()) };
    };
    return release;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.close();
    await new Promise((resolve) => this.io.close(resolve));
    await this.closeStore();
  }
}

let live: LiveConsole | undefined;
afterEach(async () => {
  await live?.stop();
  live = undefined;
});

for (const kind of ['person', 'display'] as const) {
  it(`answers a ${kind}'s subscription before any delta, though deltas go out while its snapshot is compressed`, async () => {
    live = await LiveConsole.start();
    const listener = new Listener(kind === 'person' ? await live.personSocket() : await live.displaySocket());
    const release = live.holdCompression();
    listener.subscribe();
    await waitUntil('the socket to be in its room', () => live!.joined(listener.socket));
    // A tick while the answer is being compressed.
    await live.publish(await live.commit('/N/o1/a'));
    release();
    await waitUntil('the answer', () => listener.heard.some((h) => h.kind === 'answer'));
    const last = await live.commit('/N/o2/b');
    await live.publish(last);
    await waitUntil('the last delta', () => listener.version === last.version || listener.faults.length > 0);
    expect(listener.faults).toEqual([]);
    expect(listener.heard).toEqual([
      { kind: 'answer', version: last.version - 2 },
      { kind: 'units', prevVersion: last.version - 2, version: last.version - 1 },
      { kind: 'units', prevVersion: last.version - 1, version: last.version },
    ]);
  });
}

it('sends no delta that a socket subscribing after the definitions were read again already holds', async () => {
  live = await LiveConsole.start();
  const before = new Listener(await live.personSocket());
  before.subscribe();
  await waitUntil('the first answer', () => before.version >= 0);
  // Two batches committed whose report is still on its way while an object on a second host
  // (a host not watched until now) makes the hub read every unit again.
  const first = await live.commit('/N/o1/a');
  const second = await live.commit('/N/o2/b');
  await live.store.monitoredHost.create({ data: { name: 'h2', address: '127.0.0.1', feedPort: 2, token: 'y'.repeat(20), feed: { create: {} } } });
  await live.store.monitoringObject.create({ data: { name: 'other', scopeId: live.scopeId, host: 'h2', unit: '/M' } });
  await live.hub.definitionsChanged();
  const after = new Listener(await live.personSocket());
  after.subscribe();
  await waitUntil('the second answer', () => after.version >= 0);
  expect(after.version).toBe(second.version);
  await live.publish(first);
  await live.publish(second);
  const third = await live.commit('/N/o3/c');
  await live.publish(third);
  await waitUntil('both sockets at the last version', () => [before, after].every((l) => l.version === third.version || l.faults.length > 0));
  expect(after.faults).toEqual([]);
  expect(after.heard).toEqual([
    { kind: 'answer', version: second.version },
    { kind: 'units', prevVersion: second.version, version: third.version },
  ]);
  // The socket subscribed before lacks the second host's units and the two batches: it takes a new snapshot.
  expect(before.faults).toEqual([]);
  expect(before.heard).toEqual([
    { kind: 'answer', version: first.version - 1 },
    { kind: 'resync' },
    { kind: 'answer', version: second.version },
    { kind: 'units', prevVersion: second.version, version: third.version },
  ]);
});

it('gives a tiles subscription a new snapshot when an object is defined over a unit that already ran', async () => {
  live = await LiveConsole.start();
  const socket = await live.personSocket();
  let resyncs = 0;
  socket.on(LIVE_EVENTS.resync, () => resyncs++);
  const tiles = () =>
    new Promise<SnapshotAnswer>((resolve) => socket.emit(LIVE_EVENTS.subscribe, { units: false }, (answer: SnapshotAnswer) => resolve(answer)));
  await tiles();
  // A unit that no object showed ran; then an object is defined over it, on a host already watched.
  await live.publish(await live.commit('/Elsewhere/net'));
  await live.store.monitoringObject.create({ data: { name: 'late', scopeId: live.scopeId, host: HOST, unit: '/Elsewhere/net' } });
  await live.hub.definitionsChanged();
  // The socket held no state for that unit (tiles take objects' states, not units): it must ask again.
  await waitUntil('a resync', () => resyncs === 1);
  const again = await readSnapshot(await tiles());
  expect(again.objects.find((o) => o.unit === '/Elsewhere/net')?.status).toBe('RUNNING');
});
