// The connection rules against a real socket.io server in this process that
// speaks the socket contract: retry after a refused handshake, stop on an
// authentication refusal, resubscribe on a gap, pass on only well-formed admin notices.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connect, Manager, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { LIVE_PROTOCOL } from '../../server/domain/live';
import { jitterLongestWait, RETRY_MAX_MS, RETRY_MIN_MS, startLive, type ConnectionState } from './connection';
import { LiveStore } from './live-store';

interface Harness {
  url: string;
  io: Server;
  handshakes: number;
  subscribes: number;
  close(): Promise<void>;
}

async function serve(setup: (io: Server, h: Harness) => void): Promise<Harness> {
  const server = http.createServer();
  const io = new Server(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const h: Harness = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    io,
    handshakes: 0,
    subscribes: 0,
    close: () => new Promise((resolve) => io.close(() => resolve())),
  };
  io.use((_socket, next) => {
    h.handshakes++;
    next();
  });
  setup(io, h);
  return h;
}

function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) return resolve();
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 20);
    };
    tick();
  });
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function client(h: Harness) {
  const socket: Socket = connect(h.url, { autoConnect: false, transports: ['websocket'], reconnectionDelay: 100, reconnectionDelayMax: 200 });
  const store = new LiveStore();
  const states: ConnectionState[] = [];
  const adminLists: string[] = [];
  let unauthorized = 0;
  const { stop } = startLive(socket, store, {
    onState: (s) => states.push(s),
    onUnauthorized: () => unauthorized++,
    onDefinitionsChanged: () => {},
    onAdminChanged: (list) => adminLists.push(list),
  });
  cleanups.push(stop);
  return { socket, store, states, adminLists, unauthorized: () => unauthorized, phase: () => states.at(-1)?.phase };
}

describe('startLive', () => {
  it('connects again by itself after the server refuses a handshake for a reason other than the session', async () => {
    let refuse = 2;
    const h = await serve((io, h) => {
      io.use((_s, next) => (refuse-- > 0 ? next(new Error('not ready')) : next()));
      io.on('connection', (s) => s.on('subscribe', (_request: unknown, ack: (snapshot: unknown) => void) => (h.subscribes++, ack({ protocol: 1, version: 1, units: [], objects: [], hosts: [] }))));
    });
    cleanups.push(() => h.close());
    const c = client(h);
    await until('live', () => c.phase() === 'live');
    expect(h.handshakes).toBe(3);
    expect(c.states.some((s) => s.phase === 'reconnecting' && s.since !== null)).toBe(true);
    expect(c.unauthorized()).toBe(0);
  });

  it('stops for good when the session is refused', async () => {
    const h = await serve((io) => io.use((_s, next) => next(new Error('unauthorized'))));
    cleanups.push(() => h.close());
    const c = client(h);
    await until('the refusal', () => c.unauthorized() === 1);
    await new Promise((r) => setTimeout(r, 1500));
    expect(h.handshakes).toBe(1);
    expect(c.socket.active).toBe(false);
  });

  it('subscribes again when a delta shows a gap, and after the server drops the connection', async () => {
    const h = await serve((io, h) => {
      io.on('connection', (s) =>
        s.on('subscribe', (_request: unknown, ack: (snapshot: unknown) => void) => {
          h.subscribes++;
          ack({ version: 10 * h.subscribes, units: [], hosts: [] });
        }),
      );
    });
    cleanups.push(() => h.close());
    const c = client(h);
    await until('live', () => c.phase() === 'live' && h.subscribes === 1);
    h.io.emit('units', { version: 12, prevVersion: 11, units: [] });
    await until('a second subscribe', () => h.subscribes === 2);
    await until('the new snapshot', () => c.store.version === 20);
    // A disconnect by the server leaves socket.io-client inactive: the controller must reconnect.
    h.io.disconnectSockets(true);
    await until('a third subscribe', () => h.subscribes === 3);
    await until('live again', () => c.phase() === 'live' && c.store.version === 30);
    expect(h.handshakes).toBe(2);
  });

  it('passes on the admin notices it knows, drops malformed ones, and after a reconnect reports every list as changed', async () => {
    const h = await serve((io, h) => {
      io.on('connection', (s) => s.on('subscribe', (_request: unknown, ack: (snapshot: unknown) => void) => (h.subscribes++, ack({ protocol: 1, version: 1, units: [], objects: [], hosts: [] }))));
    });
    cleanups.push(() => h.close());
    const c = client(h);
    await until('live', () => c.phase() === 'live');
    for (const notice of [{ list: 'users' }, { list: 'passwords' }, null, 'audit', { list: ['audit'] }, { list: 'audit' }]) h.io.emit('admin:changed', notice);
    await until('the audit notice', () => c.adminLists.includes('audit'));
    expect(c.adminLists).toEqual(['users', 'audit']);

    h.io.disconnectSockets(true);
    await until('live again', () => h.subscribes === 2 && c.phase() === 'live');
    expect(c.adminLists).toEqual(['users', 'audit', 'users', 'sessions', 'audit', 'displays']);
  });

  it('subscribes again with what the page watches, and falls back to every host when its scope is gone', async () => {
    const requests: unknown[] = [];
    const h = await serve((io) => {
      io.on('connection', (s) =>
        s.on('subscribe', (request: { scope?: number | null }, ack: (snapshot: unknown) => void) => {
          requests.push(request);
          ack(request.scope === 404 ? { error: 'unknown-scope' } : { protocol: LIVE_PROTOCOL, version: 1, units: [], objects: [], hosts: [] });
        }),
      );
    });
    cleanups.push(() => h.close());
    const socket: Socket = connect(h.url, { autoConnect: false, transports: ['websocket'] });
    const live = startLive(socket, new LiveStore(), { onState: () => {}, onUnauthorized: () => {}, onDefinitionsChanged: () => {}, onAdminChanged: () => {} });
    cleanups.push(live.stop);
    live.watch({ scope: 7 });
    await until('the scope subscribed', () => requests.some((r) => (r as { scope?: number }).scope === 7));
    live.watch({ scope: 7 }); // the same: nothing asked
    live.watch({ scope: 404 });
    await until('the fallback', () => requests.length >= 3);
    expect(requests.slice(-2)).toEqual([{ scope: 404 }, { scope: null }]);
  });
});

describe('jitterLongestWait', () => {
  /** The waits a Manager's backoff gives for tries 5 to 12, as its reconnection asks for them (socket.io's internals). */
  const longWaits = (manager: Manager) => {
    const inside = manager as unknown as { backoff: { duration(): number }; emitReserved(event: string, attempt: number): void };
    return Array.from({ length: 12 }, (_, attempt) => {
      const wait = inside.backoff.duration();
      inside.emitReserved('reconnect_attempt', attempt);
      return wait;
    }).slice(4);
  };
  const manager = () => new Manager('http://127.0.0.1:9', { autoConnect: false, reconnectionDelay: RETRY_MIN_MS, reconnectionDelayMax: RETRY_MAX_MS });

  it('keeps the jitter at the longest wait, where socket.io alone waits exactly as long every time', () => {
    expect(new Set(longWaits(manager()))).toEqual(new Set([RETRY_MAX_MS]));
    const jittered = manager();
    const draws = [0, 0.5, 1, 0.25, 0.75, 0.1, 0.9, 0.3, 0.6, 0.2, 0.8, 0.4, 0.7];
    jitterLongestWait(jittered, () => draws.shift()!);
    const waits = longWaits(jittered);
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(RETRY_MAX_MS / 2);
    expect(Math.max(...waits)).toBeLessThanOrEqual(RETRY_MAX_MS);
    expect(new Set(waits).size).toBe(waits.length);
  });
});
