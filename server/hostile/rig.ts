// One console manager per store and test file, with the sessions of every role,
// direct reads of its store, and the checks made after each case or small batch
// of cases: the daemons have not exited, they answer their health checks, and
// the store holds what it held before wherever nothing should have changed.
import crypto from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { TestHost, type Client } from '../testing/test-host';
import { createStoreHost, openStoreProbe, type StoreHost, type StoreProbe } from '../testing/store-host';
import type { StoreProvider } from '../testing/stores';

export type Role = 'admin' | 'operator' | 'guest';
export const ROLES: Role[] = ['admin', 'operator', 'guest'];

/** A daemon that exited during a case: which, when, with what, and its last log lines. */
export interface Crash {
  part: string;
  during: string;
  code: number | null;
  signal: string | null;
  log: string;
}

const HEALTH_TIMEOUT_MS = 5000;

export async function health(url: string): Promise<{ status: number; body: unknown } | { error: string }> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // kept as text
    }
    return { status: res.status, body };
  } catch (err) {
    return { error: `${(err as Error).name}: ${(err as Error).message}` };
  }
}

/** The lines of a daemon's output that are errors or fatal (pino levels 50, 60), shortened. */
export function errorLines(logs: string): string[] {
  return logs
    .split('\n')
    .filter((l) => /"level":(50|60)/.test(l))
    .map((l) => l.slice(0, 600));
}

export class Rig {
  readonly clients = {} as Record<Role, Client>;
  readonly crashes: Crash[] = [];
  /** When a daemon of the rig exited, for telling which cases ran while it did. */
  readonly exits: number[] = [];
  /** Where the current case's log lines start, to quote only this case's. */
  private logMark = 0;

  private constructor(
    readonly sh: StoreHost,
    readonly probe: StoreProbe,
  ) {}

  get host(): TestHost {
    return this.sh.host;
  }
  get store(): StoreProvider {
    return this.sh.provider;
  }
  get url(): string {
    return this.host.url;
  }

  /** A console host on the store, its manager (and, if asked, its own agent) running, and a session of every role. */
  static async start(name: string, store: StoreProvider, o: { agent?: boolean } = {}): Promise<Rig> {
    const sh = await createStoreHost(name, store);
    const rig = new Rig(sh, openStoreProbe(sh));
    if (o.agent) rig.track(await sh.host.startAgent());
    rig.track(await sh.host.startManager());
    for (const role of ROLES) rig.clients[role] = await sh.host.login(role);
    return rig;
  }

  /** Notes when a daemon exits. */
  track(child: ChildProcess): void {
    child.once('exit', () => this.exits.push(Date.now()));
  }

  /** Whether a daemon of the rig exited between two moments. */
  exitedBetween(from: number, to: number): boolean {
    return this.exits.some((t) => t >= from && t <= to);
  }

  async stop(): Promise<void> {
    await this.probe.close().catch(() => {});
    await this.host.stop();
  }

  /** Logs in again any role whose session a case ended (a logout, a disabled user); returns the roles it had to. */
  async ensureSessions(): Promise<Role[]> {
    const renewed: Role[] = [];
    for (const role of ROLES) {
      const res = await fetch(`${this.url}/api/v1/session`, { headers: { cookie: this.clients[role].cookie } }).catch(() => undefined);
      if (res?.status === 401) {
        this.clients[role] = await this.host.login(role);
        renewed.push(role);
      }
    }
    return renewed;
  }

  /** Marks the start of a case in the daemons' output. */
  mark(): void {
    this.logMark = this.host.logs.length;
  }

  /** The daemons' error lines since mark(). */
  newErrors(): string[] {
    return errorLines(this.host.logs.slice(this.logMark));
  }

  private exited(child: ChildProcess | undefined): boolean {
    return !!child && (child.exitCode !== null || child.signalCode !== null);
  }

  /**
   * What is wrong with the daemons now, as sentences (none: all well): exited,
   * or not answering their health check with their host's name.
   */
  async problems(): Promise<string[]> {
    const found: string[] = [];
    for (const part of ['manager', 'agent'] as const) {
      const child = this.host[part];
      if (!child) continue;
      if (this.exited(child)) {
        found.push(`the ${part} exited (code ${child.exitCode}, signal ${child.signalCode})`);
        continue;
      }
      const url = part === 'manager' ? `${this.url}/api/v1/health` : `http://${this.host.address}:${this.host.agentPort}/feed/health`;
      const h = await health(url);
      if ('error' in h) found.push(`the ${part}'s health check failed: ${h.error}`);
      else if (h.status !== 200 || (h.body as { host?: string })?.host !== this.host.name) found.push(`the ${part}'s health check answered ${h.status} ${JSON.stringify(h.body).slice(0, 200)}`);
    }
    return found;
  }

  /**
   * Restarts what exited during a case (recording it as a crash), so that the next
   * cases still meet a running daemon. On PostgreSQL the dead manager's lease is
   * given up for it, instead of waiting for it to run out.
   */
  async recover(during: string): Promise<Crash[]> {
    const crashed: Crash[] = [];
    for (const part of ['agent', 'manager'] as const) {
      const child = this.host[part];
      if (!child || !this.exited(child)) continue;
      const since = this.host.logs.slice(this.logMark);
      const errors = errorLines(since);
      const log = errors.length ? errors.slice(-2).join('\n') : since.trim().split('\n').slice(-3).join('\n').slice(-600);
      const crash: Crash = { part, during, code: child.exitCode, signal: child.signalCode, log };
      crashed.push(crash);
      this.crashes.push(crash);
      if (part === 'manager' && this.store === 'postgresql') await this.probe.exec('DELETE FROM "Lease"').catch(() => {});
      try {
        this.track(part === 'manager' ? await this.host.startManager() : await this.host.startAgent());
      } catch (err) {
        crash.log += `\nrestart failed: ${(err as Error).message.slice(0, 500)}`;
      }
    }
    return crashed;
  }

  /** The rows a refused request must leave as they were: definitions, hosts, users, acknowledgements. */
  async fingerprint(): Promise<string> {
    const parts = await Promise.all([
      this.probe.rows('SELECT id, name, comment, icon, "parentId", "mapX", "mapY", "webhookUrl", "webhookFilter", "mailTo" FROM "Scope" ORDER BY id'),
      this.probe.rows('SELECT id, name, comment, icon, "scopeId", host, unit, "mapX", "mapY", expectation FROM "MonitoringObject" ORDER BY id'),
      this.probe.rows('SELECT name, address, "feedPort", token FROM "MonitoredHost" ORDER BY name'),
      this.probe.rows('SELECT id, name, role, disabled, "passwordHash" FROM "User" ORDER BY id'),
      this.probe.rows('SELECT "scopeId", mime, length(data) AS n FROM "ScopeBackground" ORDER BY "scopeId"'),
      this.probe.rows('SELECT host, "execId", "ackBy", "ackComment" FROM "Run" WHERE "ackBy" IS NOT NULL ORDER BY host, "execId"'),
      this.probe.rows('SELECT id, name, "scopeId", settings, "credentialHash", "revokedAt" FROM "Display" ORDER BY id'),
    ]);
    return crypto.createHash('sha256').update(JSON.stringify(parts)).digest('hex');
  }

  /** How many rows each table holds. */
  async counts(): Promise<Record<string, number>> {
    const tables = ['Scope', 'MonitoringObject', 'MonitoredHost', 'User', 'ScopeBackground', 'Run', 'Unit'];
    return Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await this.probe.count(t)] as const)));
  }
}

/** Runs `work` over `items`, at most `limit` at a time, keeping their order in the results. */
export async function pool<T, R>(items: T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      for (;;) {
        const i = next++;
        if (i >= items.length) return;
        results[i] = await work(items[i], i);
      }
    }),
  );
  return results;
}

/** A short, printable rendering of a hostile value for a problem's description. */
export function show(value: unknown, max = 120): string {
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : Buffer.isBuffer(value) ? `<${value.length} bytes>` : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max)}…(${text.length} chars)` : text;
}
