// Live fan-out: status changes appended to a job host's spool at a steady rate,
// pulled and applied by a real console manager, and received by many subscribed
// clients running the View's own live code (components/live); latency from the
// append to each client's receipt, and whether every client ends equal to the
// store. Against a minimal socket.io relay sending the same changes the same way
// (coalesced per tick, the same client code), measured in the same run.
// Prints figures; asserts nothing.
//   npx tsx bench/fanout.ts [clients] [changes/s] [seconds]
import { fork, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { io, type Socket } from 'socket.io-client';
import { Server } from 'socket.io';
import { LIVE_EVENTS, LIVE_PROTOCOL, readSnapshot, type SnapshotAnswer, type UnitState, type UnitsDelta } from '../server/domain/live';
import { appendEvents } from '../server/spool/spool';
import type { NewSpoolEvent } from '../server/domain/events';
import { TICK_MS } from '../server/live/coalesce';
import { freePort, TestHost, waitUntil } from '../server/testing/test-host';

const UNITS = 2000;
const CHUNK_MS = 10;

export interface FanoutFigures {
  clients: number;
  rate: number;
  seconds: number;
  changes: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Clients whose final state differs from the source of truth. */
  diverged: number;
  resyncs: number;
}

/**
 * One subscribed screen, as light as a client can be so that a hundred of them in this
 * process measure the server, not themselves: the live protocol (subscribe, snapshot,
 * deltas chained by version, resubscribe on a gap or when told to), the latest run of
 * each unit in a map, and the time each unit state arrived after it was appended.
 */
class Screen {
  readonly socket: Socket;
  readonly latencies: number[] = [];
  snapshots = 0;
  synced = false;
  private version = -1;
  private runs = new Map<string, string>();

  constructor(url: string, headers: Record<string, string>) {
    this.socket = io(url, { transports: ['websocket'], extraHeaders: headers });
    this.socket.on('connect', () => this.subscribe());
    this.socket.on(LIVE_EVENTS.resync, () => this.subscribe());
    this.socket.on(LIVE_EVENTS.units, (delta: UnitsDelta) => {
      const now = Date.now();
      for (const u of delta.units) if (u.startedAt) this.latencies.push(now - Date.parse(u.startedAt));
      if (!this.synced || delta.version <= this.version) return;
      if (delta.prevVersion > this.version) return this.subscribe();
      for (const u of delta.units) this.runs.set(u.unit, u.execId);
      this.version = delta.version;
    });
  }

  private subscribe(): void {
    this.synced = false;
    this.socket.emit(LIVE_EVENTS.subscribe, (answer: SnapshotAnswer) =>
      void readSnapshot(answer).then((snapshot) => {
        this.snapshots++;
        this.runs = new Map(snapshot.units.map((u) => [u.unit, u.execId]));
        this.version = snapshot.version;
        this.synced = true;
      }),
    );
  }

  execOf(unit: string): string | undefined {
    return this.runs.get(unit);
  }

  close(): void {
    this.socket.close();
  }
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;

/** Appends `rate` changes a second for `seconds`, each a new run of one of UNITS units, stamped with the time it is appended. */
async function produce(rate: number, seconds: number, emit: (events: NewSpoolEvent[]) => void, host: string): Promise<number> {
  let sent = 0;
  const began = Date.now();
  while (Date.now() - began < seconds * 1000) {
    const due = Math.floor(((Date.now() - began) / 1000) * rate);
    const at = new Date().toISOString();
    const events: NewSpoolEvent[] = [];
    for (; sent < due; sent++) {
      events.push({
        host, unit: `/Fan/net${sent % 40}/job${sent % UNITS}`, execId: crypto.randomUUID(), runId: null, kind: 'start', status: 'RUNNING',
        at, node: 'bench', pid: null, exitCode: null, signal: null, outputTail: null, reason: null,
      });
    }
    if (events.length) emit(events);
    await new Promise((resolve) => setTimeout(resolve, CHUNK_MS));
  }
  return sent;
}

function figures(screens: Screen[], rate: number, seconds: number, changes: number, diverged: number): FanoutFigures {
  const all = screens.flatMap((s) => s.latencies).sort((a, b) => a - b);
  return {
    clients: screens.length, rate, seconds, changes, p50Ms: percentile(all, 50), p99Ms: percentile(all, 99), maxMs: all.at(-1) ?? NaN,
    diverged, resyncs: screens.reduce((n, s) => n + Math.max(0, s.snapshots - 1), 0),
  };
}

async function settled(screens: Screen[], equal: (s: Screen) => boolean): Promise<number> {
  await waitUntil('every screen to settle', () => (screens.every(equal) ? true : undefined), 30_000).catch(() => {});
  return screens.filter((s) => !equal(s)).length;
}

export async function measureJobscope(clients: number, rate: number, seconds: number): Promise<FanoutFigures> {
  const host = await TestHost.create('fanhost');
  const screens: Screen[] = [];
  try {
    await host.startAgent();
    await host.startManager();
    const operator = await host.login('operator');
    const scope = await operator.call('POST', '/scopes', { name: 'Fan' });
    await operator.call('POST', '/objects', { name: 'Fan', scopeId: scope.body.scope.id, host: host.name, unit: '/Fan' });
    const viewer = await host.login('guest');
    for (let i = 0; i < clients; i++) screens.push(new Screen(host.url, { cookie: viewer.cookie, origin: host.url }));
    await waitUntil('every screen subscribed', () => (screens.every((s) => s.synced) ? true : undefined), 60_000);
    const changes = await produce(rate, seconds, (events) => appendEvents(host.spoolFile, events), host.name);
    const db = new Database(host.storeFile, { readonly: true });
    const offset = () => (db.prepare('SELECT "offset" FROM "FeedState" WHERE "host" = ?').get(host.name) as { offset: number }).offset;
    await waitUntil('the store to hold every change', () => (offset() >= changes ? true : undefined), 120_000);
    const truth = db.prepare('SELECT "path", "execId" FROM "Unit" WHERE "host" = ?').all(host.name) as { path: string; execId: string }[];
    db.close();
    const diverged = await settled(screens, (s) => truth.every((u) => s.execOf(u.path) === u.execId));
    return figures(screens, rate, seconds, changes, diverged);
  } catch (err) {
    console.error(host.logs.slice(-3000));
    throw err;
  } finally {
    for (const s of screens) s.close();
    await host.stop();
  }
}

/** The baseline: a bare socket.io server that coalesces what a producer sends per tick and broadcasts it, speaking the same protocol. */
function relayServer(port: number): void {
  const server = new Server(port, { serveClient: false });
  let version = 0;
  let pending = new Map<string, UnitState>();
  server.on('connection', (socket) => {
    socket.on(LIVE_EVENTS.subscribe, (ack: (s: unknown) => void) => {
      socket.join('status');
      ack({ protocol: LIVE_PROTOCOL, version, units: [], hosts: [] });
    });
    socket.on('changes', (units: UnitState[]) => {
      for (const u of units) pending.set(u.unit, u);
    });
  });
  setInterval(() => {
    if (pending.size === 0) return;
    const units = [...pending.values()];
    pending = new Map();
    version++;
    server.to('status').emit(LIVE_EVENTS.units, { version, prevVersion: version - 1, units });
  }, TICK_MS);
  process.send?.('ready');
}

export async function measureRelay(clients: number, rate: number, seconds: number): Promise<FanoutFigures> {
  const port = await freePort();
  const relay: ChildProcess = fork(fileURLToPath(import.meta.url), ['--relay', String(port)], { execArgv: ['--import', 'tsx'] });
  const screens: Screen[] = [];
  try {
    await new Promise((resolve) => relay.once('message', resolve));
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; i < clients; i++) screens.push(new Screen(url, {}));
    await waitUntil('every screen subscribed', () => (screens.every((s) => s.synced) ? true : undefined), 60_000);
    const producer = io(url, { transports: ['websocket'] });
    const last = new Map<string, string>();
    const changes = await produce(
      rate,
      seconds,
      (events) => {
        const units = events.map((e): UnitState => ({ host: e.host, unit: e.unit, status: e.status, runId: null, execId: e.execId, startSeq: 0, startedAt: e.at, endedAt: null, exitCode: null, node: null, reason: null, ack: null }));
        for (const u of units) last.set(u.unit, u.execId);
        producer.emit('changes', units);
      },
      'relay',
    );
    const diverged = await settled(screens, (s) => [...last].every(([unit, execId]) => s.execOf(unit) === execId));
    producer.close();
    return figures(screens, rate, seconds, changes, diverged);
  } finally {
    for (const s of screens) s.close();
    relay.kill();
  }
}

export function fanoutLine(name: string, f: FanoutFigures): string {
  return `${name.padEnd(26)} p50 ${f.p50Ms.toFixed(0).padStart(6)} ms  p99 ${f.p99Ms.toFixed(0).padStart(6)} ms  max ${f.maxMs.toFixed(0).padStart(6)} ms  clients diverged ${f.diverged}/${f.clients}  resyncs ${f.resyncs}`;
}

const isMain = process.argv[1] === fileURLToPath(import.meta.url);
if (isMain && process.argv[2] === '--relay') {
  relayServer(Number(process.argv[3]));
} else if (isMain) {
  const [clients, rate, seconds] = [Number(process.argv[2] ?? 100), Number(process.argv[3] ?? 2000), Number(process.argv[4] ?? 60)];
  console.log(`fan-out: ${clients} clients, ${rate} changes/s for ${seconds} s, append → client receipt`);
  const relay = await measureRelay(clients, rate, seconds);
  console.log(fanoutLine('minimal socket.io relay', relay));
  const ours = await measureJobscope(clients, rate, seconds);
  console.log(fanoutLine('Jobscope', ours));
  console.log(`ratio p99 ${(ours.p99Ms / relay.p99Ms).toFixed(1)} x`);
}
