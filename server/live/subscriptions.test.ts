// Subscriptions by business scope, against a real manager: a client gets the
// units of its scope and the scopes below it, and every object's derived entry;
// a client of every watched host gets everything; a bad request closes only
// that socket.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { TestHost, waitUntil, type Client } from '../testing/test-host';
import { appendEvents } from '../spool/spool';
import { LIVE_EVENTS, readSnapshot, type Snapshot, type SnapshotAnswer, type UnitsDelta } from '../domain/live';
import type { Status } from '../domain/status';

let host: TestHost;
let operator: Client;
const scopes: Record<'east' | 'eastNight' | 'west', number> = { east: 0, eastNight: 0, west: 0 };

function subscribe(socket: Socket, request?: unknown): Promise<Snapshot & { error?: string }> {
  return new Promise((resolve) => (request === undefined ? socket.emit(LIVE_EVENTS.subscribe, resolve) : socket.emit(LIVE_EVENTS.subscribe, request, resolve)));
}

const append = (...runs: [string, Status][]) =>
  appendEvents(
    host.spoolFile,
    runs.map(([unit, status]) => ({
      host: host.name, unit, execId: `${unit}-${status}-${Math.random()}`, runId: null, kind: 'status' as const, status,
      at: new Date().toISOString(), node: 'n', pid: null, exitCode: null, signal: null, outputTail: null, reason: null,
    })),
  );

beforeAll(async () => {
  host = await TestHost.create('subhost');
  await host.startAgent();
  await host.startManager();
  operator = await host.login('operator');
  scopes.east = (await operator.call('POST', '/scopes', { name: 'East' })).body.scope.id;
  scopes.eastNight = (await operator.call('POST', '/scopes', { name: 'Night', parentId: scopes.east })).body.scope.id;
  scopes.west = (await operator.call('POST', '/scopes', { name: 'West' })).body.scope.id;
  for (const [name, scopeId, unit] of [['E', scopes.east, '/E'], ['EN', scopes.eastNight, '/EN'], ['W', scopes.west, '/W']] as const) {
    expect((await operator.call('POST', '/objects', { name, scopeId, host: host.name, unit })).status).toBe(201);
  }
  append(['/E/a', 'NORMAL'], ['/EN/b', 'RUNNING'], ['/W/c', 'ABNORMAL'], ['/Other/d', 'NORMAL']);
  const all = operator.socket();
  await waitUntil('the first units', async () => ((await subscribe(all)).units.length === 4 ? true : undefined));
  all.close();
});

afterAll(async () => {
  await host?.stop();
});

it('gives a scope its own units and those of the scopes below it, with every object\'s entry', async () => {
  const socket = operator.socket();
  try {
    const east = await subscribe(socket, { scope: scopes.east });
    expect(east.units.map((u) => u.unit).sort()).toEqual(['/E/a', '/EN/b']);
    expect(east.objects.map((o) => [o.unit, o.status]).sort()).toEqual([['/E', 'NORMAL'], ['/EN', 'RUNNING'], ['/W', 'ABNORMAL']]);

    const deltas: UnitsDelta[] = [];
    socket.on(LIVE_EVENTS.units, (d: UnitsDelta) => deltas.push(d));
    append(['/W/c', 'NORMAL'], ['/EN/b', 'ABNORMAL']);
    await waitUntil('both changes', () => (deltas.flatMap((d) => d.objects ?? []).length >= 2 ? true : undefined));
    expect(deltas.flatMap((d) => d.units).map((u) => [u.unit, u.status])).toEqual([['/EN/b', 'ABNORMAL']]);
    expect(deltas.flatMap((d) => d.objects ?? []).map((o) => [o.unit, o.status]).sort()).toEqual([['/EN', 'ABNORMAL'], ['/W', 'NORMAL']]);
    expect(deltas[0].prevVersion).toBeLessThanOrEqual(east.version);

    // Subscribing again moves the socket: the west's units, no longer the east's.
    const west = await subscribe(socket, { scope: scopes.west });
    expect(west.units.map((u) => [u.unit, u.status])).toEqual([['/W/c', 'NORMAL']]);
    deltas.length = 0;
    append(['/E/a', 'RUNNING'], ['/W/c', 'RUNNING']);
    await waitUntil('the west change', () => (deltas.some((d) => d.units.length) ? true : undefined));
    expect(deltas.flatMap((d) => d.units).map((u) => u.unit)).toEqual(['/W/c']);
  } finally {
    socket.close();
  }
});

it('gives a subscription without a scope every watched host\'s units', async () => {
  const socket = operator.socket();
  try {
    const all = await subscribe(socket);
    expect(all.units.map((u) => u.unit).sort()).toEqual(['/E/a', '/EN/b', '/Other/d', '/W/c']);
    expect((await subscribe(socket, { scope: null })).units).toHaveLength(4);
  } finally {
    socket.close();
  }
});

it('gives a subscription without units every object\'s entry and its changes, no unit', async () => {
  const socket = operator.socket();
  try {
    const tiles = await subscribe(socket, { units: false });
    expect(tiles.units).toEqual([]);
    expect(tiles.objects).toHaveLength(3);
    const deltas: UnitsDelta[] = [];
    socket.on(LIVE_EVENTS.units, (d: UnitsDelta) => deltas.push(d));
    append(['/E/a', 'ABNORMAL']);
    await waitUntil('the change', () => (deltas.some((d) => d.objects?.length) ? true : undefined));
    expect(deltas.flatMap((d) => d.units)).toEqual([]);
    expect(deltas.flatMap((d) => d.objects ?? []).map((o) => [o.unit, o.status])).toEqual([['/E', 'ABNORMAL']]);
  } finally {
    socket.close();
  }
});

it('answers a scope that does not exist, and closes a socket whose request is not one', async () => {
  const socket = operator.socket();
  try {
    expect(await subscribe(socket, { scope: 999_999 })).toEqual({ error: 'unknown-scope' });
    const closed = new Promise((resolve) => socket.once('disconnect', resolve));
    expect(await subscribe(socket, { scope: 'east', extra: 1 })).toEqual({ error: 'bad request' });
    await closed;
  } finally {
    socket.close();
  }
  const other = operator.socket();
  expect((await subscribe(other)).units).toHaveLength(4);
  other.close();
});

it('sends a large snapshot gzipped, once for all who ask at its version, and it reads back whole', async () => {
  append(...Array.from({ length: 600 }, (_, i) => [`/W/many${i}`, i % 2 ? 'NORMAL' : 'RUNNING'] as [string, Status]));
  const sockets = [operator.socket(), operator.socket()];
  try {
    await waitUntil('the 600 units', async () => ((await readSnapshot((await subscribe(sockets[0])) as SnapshotAnswer)).units.length >= 604 ? true : undefined));
    const [a, b] = (await Promise.all(sockets.map((s) => subscribe(s)))) as unknown as (Omit<Snapshot, 'units' | 'objects'> & { gzipped: Buffer })[];
    expect(a.gzipped).toBeInstanceOf(Buffer);
    expect(a).not.toHaveProperty('units');
    const read = await readSnapshot(a);
    expect(read.version).toBe(a.version);
    expect(read.units.filter((u) => u.unit.startsWith('/W/many'))).toHaveLength(600);
    expect(read.units.find((u) => u.unit === '/W/many1')?.status).toBe('NORMAL');
    expect(read.objects.map((o) => o.unit).sort()).toEqual(['/E', '/EN', '/W']);
    // A tenth of its JSON or less: units repeat their field names and most of their values.
    expect(a.gzipped.byteLength).toBeLessThan(Buffer.byteLength(JSON.stringify(read)) / 5);
    if (b.version === a.version) expect(Buffer.compare(b.gzipped, a.gzipped)).toBe(0);
  } finally {
    for (const s of sockets) s.close();
  }
});
