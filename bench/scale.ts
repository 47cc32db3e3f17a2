// A console at a site's size: 100,000 units under 5,000 monitoring objects, one
// scope of 2,000 of them. How long a subscription's snapshot takes and how large
// it is, for one client and for many at once (what every failover causes), and
// the manager's resident memory; against a bare socket.io server sending the same
// snapshot from memory, in the same run. Prints figures; asserts nothing.
//   npx tsx bench/scale.ts [units] [objects] [clients]
// With JOBSCOPE_BENCH_HEAP=dir, the idle manager writes there what its memory is made of
// and a heap snapshot (bench/heap-probe.cjs; JOBSCOPE_BENCH_HEAP_SNAPSHOT=0: figures only).
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { io, type Socket } from 'socket.io-client';
import { Server } from 'socket.io';
import { appendEvents } from '../server/spool/spool';
import { LIVE_EVENTS, LIVE_PROTOCOL, readSnapshot, type SnapshotAnswer, type SubscribeRequest } from '../server/domain/live';
import { freePort, TestHost, waitUntil } from '../server/testing/test-host';

export interface SubscribeFigures {
  /** Milliseconds from the emit to the answer: one client; the slowest of many at once. */
  oneMs: number;
  manyMs: number;
  manyServed: number;
  bytes: number;
}

export interface ScaleFigures {
  units: number;
  objects: number;
  scopeObjects: number;
  clients: number;
  /** A 2,000-object scope without units (tiles), and with its units. */
  tiles: SubscribeFigures;
  scopeUnits: SubscribeFigures;
  everything: SubscribeFigures;
  bare: SubscribeFigures;
  rssIdleMiB: number;
  rssPeakMiB: number;
}

const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
const hwmMiB = (pid: number) => Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

function connect(url: string, headers: Record<string, string>): Promise<Socket> {
  const socket = io(url, { transports: ['websocket'], extraHeaders: headers, reconnection: false });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

function subscribe(socket: Socket, request: SubscribeRequest): Promise<{ ms: number; bytes: number }> {
  const began = performance.now();
  return new Promise((resolve, reject) =>
    socket.timeout(60_000).emit(LIVE_EVENTS.subscribe, request, async (err: Error | null, answer: SnapshotAnswer & { error?: string }) => {
      if (err || answer.error) return reject(err ?? new Error(answer.error));
      // Decoded as a client must: what it costs is part of the time. The size is what travelled.
      const snapshot = await readSnapshot(answer);
      const bytes = 'gzipped' in answer ? answer.gzipped.byteLength + Buffer.byteLength(JSON.stringify({ ...answer, gzipped: null })) : Buffer.byteLength(JSON.stringify(snapshot));
      resolve({ ms: performance.now() - began, bytes });
    }),
  );
}

async function measureSubscribe(url: string, headers: Record<string, string>, request: SubscribeRequest, clients: number): Promise<SubscribeFigures> {
  const one = await connect(url, headers);
  const first = await subscribe(one, request);
  one.close();
  const sockets = await Promise.all(Array.from({ length: clients }, () => connect(url, headers)));
  const results = await Promise.allSettled(sockets.map((s) => subscribe(s, request)));
  for (const s of sockets) s.close();
  const served = results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<{ ms: number }>).value.ms);
  return { oneMs: first.ms, bytes: first.bytes, manyServed: served.length, manyMs: served.length ? Math.max(...served) : NaN };
}

/** The site: `objects` jobnets of units/objects jobs each; the first 2,000 objects in one scope ("Big"), the rest in others. */
export function site(hostName: string, units: number, objects: number) {
  const jobs = Math.max(1, Math.floor(units / objects));
  const events = Array.from({ length: objects * jobs }, (_, i) => ({
    host: hostName, unit: `/Net${Math.floor(i / jobs)}/job${i % jobs}`, execId: crypto.randomUUID(), runId: null, kind: 'status' as const,
    status: i % 50 === 0 ? ('ABNORMAL' as const) : ('NORMAL' as const), at: new Date().toISOString(), node: 'n', pid: null, exitCode: 0,
    signal: null, outputTail: null, reason: null,
  }));
  const scopeObjects = Math.min(2000, objects);
  const object = (i: number) => ({ name: `Net${i}`, host: hostName, unit: `/Net${i}` });
  const rest = Array.from({ length: objects - scopeObjects }, (_, i) => object(scopeObjects + i));
  const document = {
    format: 'jobscope-definitions', version: 1, hosts: [],
    scopes: [
      { name: 'Big', objects: Array.from({ length: scopeObjects }, (_, i) => object(i)) },
      ...Array.from({ length: Math.ceil(rest.length / 500) }, (_, k) => ({ name: `Rest${k}`, objects: rest.slice(k * 500, (k + 1) * 500) })),
    ],
  };
  return { events, document, scopeObjects, jobs };
}

/** The baseline: a bare socket.io server holding the same units in memory, answering 'subscribe' with all of them. */
function bareServer(port: number): void {
  let units: unknown[] = [];
  process.on('message', (message: { units: unknown[] }) => {
    units = message.units;
    process.send?.('loaded');
  });
  const server = new Server(port, { serveClient: false, maxHttpBufferSize: 1e6 });
  server.on('connection', (socket) => {
    socket.on(LIVE_EVENTS.subscribe, (_request: unknown, ack: (s: unknown) => void) => ack({ protocol: LIVE_PROTOCOL, version: 1, units, objects: [], hosts: [] }));
  });
  process.send?.('ready');
}

/** With JOBSCOPE_BENCH_HEAP=dir: the processes started from here load the probe that writes there on SIGUSR2. */
function heapProbe(): string | undefined {
  const dir = process.env.JOBSCOPE_BENCH_HEAP;
  if (!dir) return undefined;
  fs.mkdirSync(dir, { recursive: true });
  const probe = fileURLToPath(new URL('./heap-probe.cjs', import.meta.url));
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --require ${probe}`.trim();
  return path.resolve(dir);
}

async function probeHeap(dir: string, pid: number): Promise<void> {
  process.kill(pid, 'SIGUSR2');
  await waitUntil('the heap probe', () => (fs.existsSync(path.join(dir, `${pid}.done`)) ? true : undefined), 600_000);
  console.log(`  heap probe of the idle manager: ${path.join(dir, `${pid}.json`)}`);
}

export async function measureScale(units: number, objects: number, clients: number): Promise<ScaleFigures> {
  const heapDir = heapProbe();
  const host = await TestHost.create('scalehost');
  try {
    await host.startAgent();
    const { events, document, scopeObjects } = site(host.name, units, objects);
    appendEvents(host.spoolFile, events);
    await host.startManager();
    const admin = await host.login('admin');
    const imported = await admin.call('POST', '/definitions/import', document);
    if (imported.status !== 200) throw new Error(`import: ${imported.status} ${JSON.stringify(imported.body).slice(0, 300)}`);
    const db = new Database(host.storeFile, { readonly: true });
    const offset = () => (db.prepare('SELECT "offset" FROM "FeedState" WHERE "host" = ?').get(host.name) as { offset: number } | undefined)?.offset ?? 0;
    await waitUntil('the whole site in the store', () => (offset() >= events.length ? true : undefined), 300_000);
    const stored = db.prepare('SELECT * FROM "Unit"').all();
    db.close();
    const big = (await admin.call('GET', '/definitions')).body.scopes.find((s: { name: string }) => s.name === 'Big').id as number;
    await new Promise((resolve) => setTimeout(resolve, 5000)); // settle: the last deltas sent, garbage collected
    const pid = host.manager!.pid!;
    const rssIdleMiB = rssMiB(pid);
    if (heapDir) await probeHeap(heapDir, pid);
    const guest = await host.login('guest');
    const headers = { cookie: guest.cookie, origin: host.url };
    const tiles = await measureSubscribe(host.url, headers, { scope: big, units: false }, clients);
    const scopeUnits = await measureSubscribe(host.url, headers, { scope: big }, clients);
    const everything = await measureSubscribe(host.url, headers, {}, clients);
    const rssPeakMiB = hwmMiB(pid);

    const port = await freePort();
    const bare = fork(fileURLToPath(import.meta.url), ['--bare', String(port)], { execArgv: ['--import', 'tsx'] });
    try {
      await new Promise((resolve) => bare.once('message', resolve));
      bare.send({ units: stored });
      await new Promise((resolve) => bare.once('message', resolve));
      const bareFigures = await measureSubscribe(`http://127.0.0.1:${port}`, {}, {}, clients);
      return { units: events.length, objects, scopeObjects, clients, tiles, scopeUnits, everything, bare: bareFigures, rssIdleMiB, rssPeakMiB };
    } finally {
      bare.kill();
    }
  } catch (err) {
    console.error(host.logs.slice(-3000));
    throw err;
  } finally {
    await host.stop();
  }
}

const mb = (bytes: number) => (bytes / 1e6).toFixed(2);
export function scaleLines(f: ScaleFigures): string[] {
  const row = (name: string, s: SubscribeFigures) =>
    `  ${name.padEnd(40)} ${mb(s.bytes).padStart(7)} MB  one ${s.oneMs.toFixed(0).padStart(6)} ms  ${f.clients} at once: ${s.manyServed} served, slowest ${s.manyMs.toFixed(0).padStart(6)} ms`;
  return [
    `${f.units} units, ${f.objects} objects, a scope of ${f.scopeObjects}: subscribe snapshots`,
    row('scope, objects only (tiles)', f.tiles),
    row('scope, with its units', f.scopeUnits),
    row('every watched host (units of all)', f.everything),
    row('bare socket.io, all units from memory', f.bare),
    `  manager RSS: idle ${f.rssIdleMiB.toFixed(0)} MiB, peak ${f.rssPeakMiB.toFixed(0)} MiB`,
  ];
}

const isMain = process.argv[1] === fileURLToPath(import.meta.url);
if (isMain && process.argv[2] === '--bare') {
  bareServer(Number(process.argv[3]));
} else if (isMain) {
  const f = await measureScale(Number(process.argv[2] ?? 100_000), Number(process.argv[3] ?? 5_000), Number(process.argv[4] ?? 10));
  for (const line of scaleLines(f)) console.log(line);
}
