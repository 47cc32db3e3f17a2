// A console manager's restart at a site's size, as a failover makes it: many
// screens subscribed, the manager killed with SIGKILL, a new one started on the
// same store (what the standby node does once the cluster software moved the
// disks and the address), while a job host keeps reporting. From the new
// manager's start: when it answers its health check, when every screen is
// subscribed again, and when every screen has its first live change. Prints
// figures; asserts nothing. (The cluster itself, with network namespaces and a
// silent cut, is tested by server/daemons/console-failover.test.ts.)
//   npx tsx bench/failover.ts [units] [clients] [tiles]
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { io, type Socket } from 'socket.io-client';
import { appendEvents } from '../server/spool/spool';
import { LIVE_EVENTS, type SnapshotAnswer, type SubscribeRequest, type UnitsDelta } from '../server/domain/live';
import { TestHost, waitUntil } from '../server/testing/test-host';
import { fetchWith } from '../server/testing/tls';
import { RETRY_MAX_MS, RETRY_MIN_MS } from '../components/live/connection';

export interface FailoverFigures {
  units: number;
  clients: number;
  withUnits: boolean;
  /** From the new manager's start, ms. */
  healthyMs: number;
  allSubscribedMs: number;
  allLiveMs: number;
  /** Screens that subscribed again and heard a change within the run. */
  served: number;
  /** The new manager's own account of its start, step by step (ms), from its "listening" log line. */
  startSteps: Record<string, number>;
}

/** A screen that subscribes to a scope on every connect and notes when it got a snapshot and a change. */
class Screen {
  readonly socket: Socket;
  subscribedAt = 0;
  changedAt = 0;
  private version = -1;

  constructor(url: string, headers: Record<string, string>, request: SubscribeRequest) {
    // Retrying as the View does.
    this.socket = io(url, { transports: ['websocket'], extraHeaders: headers, reconnectionDelay: RETRY_MIN_MS, reconnectionDelayMax: RETRY_MAX_MS });
    this.socket.on('connect', () =>
      this.socket.emit(LIVE_EVENTS.subscribe, request, (answer: SnapshotAnswer & { error?: string }) => {
        if (answer.error) return;
        // The version travels beside the encoded units: a hundred screens here share one process, where a
        // browser would decode its own snapshot on its own machine, so they do not decode them.
        this.version = answer.version;
        this.subscribedAt = Date.now();
      }),
    );
    this.socket.on(LIVE_EVENTS.units, (delta: UnitsDelta) => {
      if (this.subscribedAt && delta.version > this.version && (delta.units.length || delta.objects?.length)) this.changedAt ||= Date.now();
    });
  }

  reset(): void {
    this.subscribedAt = 0;
    this.changedAt = 0;
  }
}

/** `withUnits` false: screens of tiles (objects only), as wall displays subscribe. */
export async function measureFailover(units: number, clients: number, withUnits = true): Promise<FailoverFigures> {
  const host = await TestHost.create('fohost');
  const screens: Screen[] = [];
  let trickle: NodeJS.Timeout | undefined;
  try {
    await host.startAgent();
    const jobs = 20;
    appendEvents(
      host.spoolFile,
      Array.from({ length: units }, (_, i) => ({
        host: host.name, unit: `/Net${Math.floor(i / jobs)}/job${i % jobs}`, execId: crypto.randomUUID(), runId: null, kind: 'status' as const,
        status: 'NORMAL' as const, at: new Date().toISOString(), node: 'n', pid: null, exitCode: 0, signal: null, outputTail: null, reason: null,
      })),
    );
    await host.startManager();
    const admin = await host.login('admin');
    const objects = Math.ceil(units / jobs);
    const document = {
      format: 'jobscope-definitions', version: 1, hosts: [],
      scopes: Array.from({ length: Math.ceil(objects / 1000) }, (_, k) => ({
        name: `Part${k}`,
        objects: Array.from({ length: Math.min(1000, objects - k * 1000) }, (_, i) => ({ name: `Net${k * 1000 + i}`, host: host.name, unit: `/Net${k * 1000 + i}` })),
      })),
    };
    const imported = await admin.call('POST', '/definitions/import', document);
    if (imported.status !== 200) throw new Error(`import: ${imported.status}`);
    const scope = (await admin.call('GET', '/definitions')).body.scopes.find((s: { name: string }) => s.name === 'Part0').id as number;
    const guest = await host.login('guest');
    for (let i = 0; i < clients; i++) screens.push(new Screen(host.url, { cookie: guest.cookie, origin: host.url }, { scope, units: withUnits }));
    await waitUntil('every screen subscribed', () => (screens.every((s) => s.subscribedAt) ? true : undefined), 120_000);
    // A job host that keeps reporting: a change in the watched scope every 50 ms.
    let n = 0;
    trickle = setInterval(() => {
      appendEvents(host.spoolFile, [{
        host: host.name, unit: `/Net${n % 1000}/job0`, execId: crypto.randomUUID(), runId: null, kind: 'status', status: n++ % 2 ? 'NORMAL' : 'RUNNING',
        at: new Date().toISOString(), node: 'n', pid: null, exitCode: 0, signal: null, outputTail: null, reason: null,
      }]);
    }, 50);

    await host.kill(host.manager, 'SIGKILL');
    for (const s of screens) s.reset();
    const started = Date.now();
    host.spawnDaemon('manager');
    await waitUntil('the new manager', () => fetchWith(`${host.url}/api/v1/health`, {}, {}).then((r) => r.ok || undefined, () => undefined), 120_000);
    const healthyMs = Date.now() - started;
    await waitUntil('every screen live again', () => (screens.every((s) => s.changedAt) ? true : undefined), 120_000).catch(() => {});
    const served = screens.filter((s) => s.changedAt);
    const listening = host.logs.split('\n').filter((line) => line.includes('"start":{')).at(-1);
    return {
      units, clients, withUnits, healthyMs, served: served.length, startSteps: listening ? JSON.parse(listening).start : {},
      allSubscribedMs: Math.max(...screens.map((s) => (s.subscribedAt || NaN) - started)),
      allLiveMs: Math.max(...screens.map((s) => (s.changedAt || NaN) - started)),
    };
  } catch (err) {
    console.error(host.logs.slice(-3000));
    throw err;
  } finally {
    clearInterval(trickle);
    for (const s of screens) s.socket.close();
    await host.stop();
  }
}

export function failoverLines(f: FailoverFigures): string[] {
  return [
    `manager restart (SIGKILL, new manager on the same store), ${f.units} units, ${f.clients} screens on a 1,000-object scope${f.withUnits ? ' (20,000 units)' : ', tiles only'}`,
    `  from the new manager's start: health check ${f.healthyMs} ms, every screen subscribed ${f.allSubscribedMs.toFixed(0)} ms, every screen's first live change ${f.allLiveMs.toFixed(0)} ms (${f.served}/${f.clients} served)`,
    `  the new manager's start by step: ${Object.entries(f.startSteps).map(([step, ms]) => `${step.replace(/Ms$/, '')} ${ms} ms`).join(', ')}`,
  ];
}

const isMain = process.argv[1] === fileURLToPath(import.meta.url);
if (isMain) {
  const f = await measureFailover(Number(process.argv[2] ?? 100_000), Number(process.argv[3] ?? 100), process.argv[4] !== 'tiles');
  for (const line of failoverLines(f)) console.log(line);
}
