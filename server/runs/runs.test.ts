// Run history, run details and acknowledgements against a real console host:
// the agent feeds real runs, the API pages them, and an acknowledgement reaches
// every live client through the same versioned deltas as a feed batch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { TestHost, waitUntil, type Client } from '../testing/test-host';
import type { Snapshot, UnitState, UnitsDelta } from '../domain/live';

let host: TestHost;
let operator: Client;
let guest: Client;

function subscribe(socket: Socket): Promise<Snapshot> {
  return new Promise((resolve, reject) => {
    socket.once('connect_error', reject);
    socket.emit('subscribe', (snapshot: Snapshot & { error?: string }) => (snapshot.error ? reject(new Error(snapshot.error)) : resolve(snapshot)));
  });
}

async function latest(unit: string): Promise<UnitState> {
  return waitUntil(`${unit} in the store`, async () => {
    const snapshot = await subscribe(guest.socket());
    return snapshot.units.find((u) => u.unit === unit && u.endedAt !== null);
  });
}

beforeAll(async () => {
  host = await TestHost.create('runshost');
  await host.startAgent();
  await host.startManager();
  operator = await host.login('operator');
  guest = await host.login('guest');
  const scope = await operator.call('POST', '/scopes', { name: 'Runs' });
  await operator.call('POST', '/objects', { name: 'Net', scopeId: scope.body.scope.id, host: host.name, unit: '/Net' });
  for (let i = 0; i < 5; i++) await host.exec('/Net/ok', `exit 0`);
  await host.exec('/Net/bad', 'echo broken >&2; exit 3', ['--warning-above', '1', '--abend-above', '2']);
});

afterAll(async () => {
  await host?.stop();
});

describe('run history', () => {
  it('pages a unit’s runs newest first', async () => {
    await latest('/Net/bad');
    const first = await guest.call('GET', `/runs?host=${host.name}&unit=/Net/ok&limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.total).toBe(5);
    expect(first.body.runs).toHaveLength(2);
    const second = await guest.call('GET', `/runs?host=${host.name}&unit=/Net/ok&limit=2&offset=2`);
    const all = [...first.body.runs, ...second.body.runs];
    expect(new Set(all.map((r: { execId: string }) => r.execId)).size).toBe(4);
    const starts = all.map((r: { startedAt: string }) => r.startedAt);
    expect([...starts].sort().reverse()).toEqual(starts);
  });

  it('includes the runs of every unit below a jobnet on request', async () => {
    const below = await guest.call('GET', `/runs?host=${host.name}&unit=/Net&below=1&limit=100`);
    expect(below.body.total).toBe(6);
    const own = await guest.call('GET', `/runs?host=${host.name}&unit=/Net`);
    expect(own.body.total).toBe(0);
  });

  it('shows one run with its output tail', async () => {
    const bad = await latest('/Net/bad');
    const detail = await guest.call('GET', `/runs/${host.name}/${bad.execId}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ status: 'ABNORMAL', exitCode: 3, ack: null });
    expect(detail.body.outputTail).toContain('broken');
  });

  it('refuses bad queries with a message', async () => {
    expect((await guest.call('GET', `/runs?host=${host.name}&unit=../etc`)).status).toBe(400);
    expect((await guest.call('GET', `/runs?host=${host.name}&unit=/Net&limit=100000`)).status).toBe(400);
    expect((await guest.call('GET', `/runs?host=${host.name}&unit=/Net&sql=1`)).status).toBe(400);
    expect((await guest.call('GET', `/runs/${host.name}/no-such-run`)).status).toBe(404);
  });
});

describe('acknowledgement', () => {
  it('refuses a guest on the server', async () => {
    const bad = await latest('/Net/bad');
    const refused = await guest.call('POST', `/runs/${host.name}/${bad.execId}/ack`, { comment: 'mine' });
    expect(refused.status).toBe(403);
    expect((await guest.call('GET', `/runs/${host.name}/${bad.execId}`)).body.ack).toBeNull();
  });

  it('refuses a normal end and bad input', async () => {
    const ok = await latest('/Net/ok');
    expect((await operator.call('POST', `/runs/${host.name}/${ok.execId}/ack`, {})).status).toBe(409);
    const bad = await latest('/Net/bad');
    const long = await operator.call('POST', `/runs/${host.name}/${bad.execId}/ack`, { comment: 'x'.repeat(501) });
    expect(long.status).toBe(400);
    expect(long.body.fields.comment).toMatch(/longer/);
    expect((await operator.call('POST', `/runs/${host.name}/${bad.execId}/ack`, { comment: 1 })).status).toBe(400);
  });

  it('records who and when, reaches every live client, and happens once', async () => {
    const bad = await latest('/Net/bad');
    const watcher = guest.socket();
    const deltas: UnitsDelta[] = [];
    watcher.on('units', (d: UnitsDelta) => deltas.push(d));
    const before = await subscribe(watcher);

    const acked = await operator.call('POST', `/runs/${host.name}/${bad.execId}/ack`, { comment: 'disk full, cleaned up' });
    expect(acked.status).toBe(200);
    expect(acked.body.ack).toMatchObject({ by: 'operator', comment: 'disk full, cleaned up' });

    const delta = await waitUntil('the acknowledgement delta', () => deltas.find((d) => d.units.some((u) => u.unit === '/Net/bad')));
    expect(delta.version).toBeGreaterThan(before.version);
    expect(delta.units.find((u) => u.unit === '/Net/bad')).toMatchObject({ status: 'ABNORMAL', ack: { by: 'operator', comment: 'disk full, cleaned up' } });

    const again = await operator.call('POST', `/runs/${host.name}/${bad.execId}/ack`, { comment: 'twice' });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatch(/already acknowledged by operator/);
    const detail = await guest.call('GET', `/runs/${host.name}/${bad.execId}`);
    expect(detail.body.ack.comment).toBe('disk full, cleaned up');
    const admin = await host.login('admin');
    const audit = await admin.call('GET', '/audit?action=ack');
    expect(audit.body.entries).toHaveLength(1);
    expect(audit.body.entries[0]).toMatchObject({ user: 'operator', target: `${host.name} /Net/bad`, detail: { comment: 'disk full, cleaned up' } });
    watcher.close();
  });

  it('starts a new run unacknowledged', async () => {
    await host.exec('/Net/bad', 'exit 3', ['--warning-above', '1', '--abend-above', '2']);
    const fresh = await waitUntil('the new run', async () => {
      const u = await latest('/Net/bad');
      return u.ack === null ? u : undefined;
    });
    expect(fresh.status).toBe('ABNORMAL');
    const history = await guest.call('GET', `/runs?host=${host.name}&unit=/Net/bad`);
    expect(history.body.runs.map((r: { ack: unknown }) => r.ack !== null)).toEqual([false, true]);
  });
});
