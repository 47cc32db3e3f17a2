// Test harness: a logical host with real processes (agent and console manager
// started through the built command line), a temporary configuration folder and
// data folder, free ports, and clients that log in like a browser does.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { projectRoot } from '../host/config';
import { fetchWith, TestCa, type Reach, type TestCertificate } from './tls';

export const JOBSCOPE = path.join(projectRoot(), 'bin', 'jobscope');
export const PASSWORDS = { admin: 'admin-password-1', operator: 'operator-password-1', guest: 'guest-password-1' } as const;

/** Ports free on the address, all different: each is held until all are found, then released. */
export async function freePorts(count: number, address = '127.0.0.1'): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<net.Server>((resolve, reject) => {
          const srv = net.createServer();
          srv.once('error', reject);
          srv.listen(0, address, () => resolve(srv));
        }),
    ),
  );
  const ports = servers.map((srv) => (srv.address() as net.AddressInfo).port);
  await Promise.all(servers.map((srv) => new Promise((resolve) => srv.close(resolve))));
  return ports;
}

export async function freePort(address = '127.0.0.1'): Promise<number> {
  return (await freePorts(1, address))[0];
}

// Plain records: Next's types make NODE_ENV a required key of NodeJS.ProcessEnv.
export type Env = Record<string, string | undefined>;

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Collects what a child process prints until it ends; closes its input after `input`. */
export function collect(child: ChildProcess, input = ''): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    // A caller may have closed the input already; a child that exits early must not fail the test with EPIPE.
    if (child.stdin && !child.stdin.writableEnded) {
      child.stdin.on('error', () => {});
      child.stdin.end(input);
    }
  });
}

export function run(args: string[], env: Env, input?: string): Promise<RunResult> {
  return collect(spawn(JOBSCOPE, args, { env: env as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe'] }), input);
}

async function waitUntil<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
export { waitUntil };

/** A host whose console and feed speak TLS: its certificate, and what a client trusts to reach it. */
export interface TestHostTls {
  certificate: TestCertificate;
  /** The issuing CA (PEM), or the certificate itself when it is self-signed. */
  caPem: string;
  ca?: TestCa;
}

export class TestHost {
  readonly env: Env;
  readonly token = crypto.randomBytes(24).toString('base64url');
  private processes = new Set<ChildProcess>();
  agent?: ChildProcess;
  manager?: ChildProcess;
  logs = '';
  tls?: TestHostTls;

  private constructor(
    readonly name: string,
    readonly address: string,
    readonly managerPort: number,
    readonly agentPort: number,
    readonly dir: string,
  ) {
    this.env = { ...process.env, JOBSCOPE_CONFIG_DIR: path.join(dir, 'config'), JOBSCOPE_HOSTNAME: '', JOBSCOPE_LOG_LEVEL: 'info' };
  }

  get url(): string {
    return `${this.tls ? 'https' : 'http'}://${this.address}:${this.managerPort}`;
  }

  get feedUrl(): string {
    return `${this.tls ? 'https' : 'http'}://${this.address}:${this.agentPort}`;
  }

  /** How a client that trusts this host's CA reaches it. */
  get reach(): Reach {
    return this.tls ? { ca: this.tls.caPem } : {};
  }

  get storeFile(): string {
    return path.join(this.dir, 'data', 'console.db');
  }

  get spoolFile(): string {
    return path.join(this.dir, 'data', 'spool.db');
  }

  /**
   * Sets up the host (config, store, spool), its three users, and registers itself as a monitored host.
   * `setup` adds options to its `jobscope setup` (['--webhook-networks', '127.0.0.0/8']), `env` variables to it.
   * `tls`: HTTPS for the manager and the feed, with a certificate from this CA naming the host and its
   * address (the host registers itself with the CA), or with this certificate (registered by its pin).
   */
  static async create(
    name = 'testhost',
    address = '127.0.0.1',
    ports?: { manager: number; agent: number },
    o: { setup?: string[]; env?: Env; tls?: TestCa | TestCertificate } = {},
  ): Promise<TestHost> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `jobscope-${name}-`));
    const [manager, agent] = ports ? [ports.manager, ports.agent] : await freePorts(2, address);
    const host = new TestHost(name, address, manager, agent, dir);
    if (o.tls instanceof TestCa) {
      host.tls = { ca: o.tls, caPem: o.tls.pem, certificate: o.tls.issue(name, [name, address], { file: `${name}-${path.basename(dir)}` }) };
    } else if (o.tls) {
      host.tls = { caPem: o.tls.pem, certificate: o.tls };
    }
    const tlsSetup = host.tls ? ['--tls-cert', host.tls.certificate.certFile, '--tls-key', host.tls.certificate.keyFile] : [];
    await host.must(['setup', '-h', name, '--address', address, '--manager-port', String(host.managerPort), '--agent-port', String(host.agentPort), '--data', path.join(dir, 'data'), '--init', ...(o.setup ?? []), ...tlsSetup], {
      ...o.env,
      JOBSCOPE_AGENT_TOKEN: host.token,
    });
    for (const [user, password] of Object.entries(PASSWORDS)) {
      await host.must(['user', 'add', user, '--role', user, '-h', name], { JOBSCOPE_PASSWORD: password });
    }
    const trust = host.tls?.ca ? ['--tls-ca', host.tls.ca.certFile] : host.tls ? ['--tls-fingerprint', host.tls.certificate.fingerprint] : [];
    await host.must(['host', 'add', name, '--address', address, '--port', String(host.agentPort), ...trust, '-h', name], { JOBSCOPE_HOST_TOKEN: host.token });
    return host;
  }

  /** As create, with the console store in a new database of the test run's PostgreSQL server (the password kept out of the configuration). */
  static async createOnPostgres(name: string, databaseUrl: string, address = '127.0.0.1'): Promise<TestHost> {
    const url = new URL(databaseUrl);
    const password = decodeURIComponent(url.password);
    url.password = '';
    return TestHost.create(name, address, undefined, { setup: ['--store-url', url.toString()], env: { JOBSCOPE_STORE_PASSWORD: password } });
  }

  async must(args: string[], env: Env = {}): Promise<RunResult> {
    const result = await run(args, { ...this.env, ...env });
    if (result.code !== 0) throw new Error(`jobscope ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
    return result;
  }

  exec(unit: string, script: string, extra: string[] = []): Promise<RunResult> {
    return run(['exec', '-h', this.name, '--unit', unit, ...extra, '--', 'sh', '-c', script], this.env);
  }

  spawnDaemon(part: 'agent' | 'manager'): ChildProcess {
    const child = spawn(JOBSCOPE, [part, '-h', this.name], { env: this.env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d) => (this.logs += d));
    child.stderr!.on('data', (d) => (this.logs += d));
    this.processes.add(child);
    child.on('exit', () => this.processes.delete(child));
    this[part] = child;
    return child;
  }

  async startAgent(): Promise<ChildProcess> {
    const child = this.spawnDaemon('agent');
    await waitUntil('the agent', async () => {
      if (child.exitCode !== null) throw new Error(`agent exited ${child.exitCode}: ${this.logs}`);
      return fetchWith(`${this.feedUrl}/feed/health`, {}, this.reach).then((r) => r.ok || undefined, () => undefined);
    });
    return child;
  }

  async startManager(): Promise<ChildProcess> {
    const child = this.spawnDaemon('manager');
    await waitUntil('the manager', async () => {
      if (child.exitCode !== null) throw new Error(`manager exited ${child.exitCode}: ${this.logs}`);
      return fetchWith(`${this.url}/api/v1/health`, {}, this.reach).then((r) => r.ok || undefined, () => undefined);
    }, 60_000);
    return child;
  }

  /** Kills a daemon and waits until it is gone. */
  async kill(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await gone;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.processes].map((p) => this.kill(p, 'SIGKILL')));
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** Logs in as a browser would: same-origin POST, session cookie back. */
  login(user: keyof typeof PASSWORDS): Promise<Client> {
    return loginAt(this.url, user, this.reach);
  }
}

/** Logs in to the console at url as a browser would: same-origin POST, session cookie back. */
export async function loginAt(url: string, user: keyof typeof PASSWORDS, reach: Reach = {}): Promise<Client> {
  const res = await fetchWith(
    `${url}/api/v1/login`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: url },
      body: JSON.stringify({ user, password: PASSWORDS[user] }),
    },
    reach,
  );
  if (res.status !== 200) throw new Error(`login as ${user} failed: ${res.status} ${await res.text()}`);
  // The session's cookie (a device cookie comes with it).
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('jobscope_session='))!;
  const cookie = setCookie.split(';')[0];
  const session = (await (await fetchWith(`${url}/api/v1/session`, { headers: { cookie } }, reach)).json()) as { csrfToken: string };
  return new Client(url, cookie, session.csrfToken, reach, setCookie);
}

export class Client {
  constructor(
    readonly url: string,
    readonly cookie: string,
    readonly csrfToken: string,
    /** How it reaches the console: the CA it trusts, the address it comes from. */
    readonly reach: Reach = {},
    /** The login's Set-Cookie of the session, attributes and all. */
    readonly setCookie = '',
  ) {}

  async call(method: string, apiPath: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
    const send = () => fetchWith(
      `${this.url}/api/v1${apiPath}`,
      {
        method,
        headers: {
          cookie: this.cookie,
          origin: this.url,
          'x-csrf-token': this.csrfToken,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      },
      this.reach,
    );
    // As a browser does: a read sent on a kept-alive connection that turns out to have been reset
    // (a failover moved the console's address under it) is sent once more, on a new connection.
    const res = await send().catch((err: Error & { cause?: { code?: string } }) => (method === 'GET' && err.cause?.code === 'ECONNRESET' ? send() : Promise.reject(err)));
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  socket(): Socket {
    return io(this.url, { extraHeaders: { cookie: this.cookie, origin: this.url }, transports: ['websocket'], reconnection: false, ...(this.reach.ca ? { ca: this.reach.ca } : {}) });
  }
}
