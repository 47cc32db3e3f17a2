// One real console host per Playwright worker: a temporary configuration and
// data folder, `jobscope setup --init`, three users, the host registered as its
// own monitored host, then the agent and the manager as real processes.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect, request as playwrightRequest, type APIRequestContext, type Page } from '@playwright/test';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const JOBSCOPE = path.join(root, 'bin', 'jobscope');
const ADDRESS = '127.0.0.1';

export type Role = 'admin' | 'operator' | 'guest';
export const USERS: Record<Role, { name: string; password: string }> = {
  admin: { name: 'admin', password: 'admin-e2e-password' },
  operator: { name: 'operator', password: 'operator-e2e-password' },
  guest: { name: 'guest', password: 'guest-e2e-password' },
};

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

// Plain records: Next's types make NODE_ENV a required key of NodeJS.ProcessEnv.
type Env = Record<string, string | undefined>;

function run(args: string[], env: Env): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(JOBSCOPE, args, { env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, ADDRESS, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Ends a daemon: SIGTERM, then SIGKILL if it does not go. */
async function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await gone;
  clearTimeout(timer);
}

export class ConsoleHost {
  readonly env: Env;
  private daemons: Partial<Record<'agent' | 'manager', ChildProcess>> = {};
  private log = '';

  constructor(
    readonly name: string,
    readonly managerPort: number,
    readonly agentPort: number,
    readonly dir: string,
  ) {
    // JOBSCOPE_HOSTNAME is emptied so that only -h decides the host.
    this.env = { ...process.env, JOBSCOPE_CONFIG_DIR: path.join(dir, 'config'), JOBSCOPE_HOSTNAME: '' };
  }

  get url(): string {
    return `http://${ADDRESS}:${this.managerPort}`;
  }

  /** What the daemons printed, for failure messages. */
  get logs(): string {
    return this.log.slice(-8000);
  }

  async cli(args: string[], env: Env = {}): Promise<RunResult> {
    const result = await run(args, { ...this.env, ...env });
    if (result.code !== 0) throw new Error(`jobscope ${args.join(' ')} exited ${result.code}: ${result.stderr || result.stdout}`);
    return result;
  }

  /** Runs `sh -c script` as a job unit through `jobscope exec`; resolves when the job ends. */
  exec(unit: string, script: string): Promise<RunResult> {
    return run(['exec', '-h', this.name, '--unit', unit, '--', 'sh', '-c', script], this.env);
  }

  private spawnDaemon(part: 'agent' | 'manager'): ChildProcess {
    const child = spawn(JOBSCOPE, [part, '-h', this.name], { env: this.env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d) => (this.log += d));
    child.stderr!.on('data', (d) => (this.log += d));
    this.daemons[part] = child;
    return child;
  }

  async startAgent(): Promise<void> {
    const child = this.spawnDaemon('agent');
    // The agent has no health route in the contract the View relies on: wait for its port.
    await waitFor(
      'the agent',
      async () => {
        if (child.exitCode !== null) throw new Error(`agent exited ${child.exitCode}:\n${this.logs}`);
        return new Promise<boolean>((resolve) => {
          const socket = net.connect(this.agentPort, ADDRESS, () => (socket.destroy(), resolve(true)));
          socket.once('error', () => resolve(false));
        });
      },
      30_000,
    );
  }

  async startManager(): Promise<void> {
    const child = this.spawnDaemon('manager');
    await waitFor(
      'the manager',
      async () => {
        if (child.exitCode !== null) throw new Error(`manager exited ${child.exitCode}:\n${this.logs}`);
        return fetch(`${this.url}/api/v1/health`).then(
          (r) => r.status === 200,
          () => false,
        );
      },
      60_000,
    );
  }

  async stopManager(): Promise<void> {
    if (this.daemons.manager) await stopProcess(this.daemons.manager);
  }

  async stop(): Promise<void> {
    await Promise.all(Object.values(this.daemons).map((d) => stopProcess(d)));
  }

  static async create(name: string): Promise<ConsoleHost> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `jobscope-e2e-${name}-`));
    const host = new ConsoleHost(name, await freePort(), await freePort(), dir);
    const token = crypto.randomBytes(24).toString('base64url');
    await host.cli(
      ['setup', '-h', name, '--address', ADDRESS, '--manager-port', String(host.managerPort), '--agent-port', String(host.agentPort), '--data', path.join(dir, 'data'), '--init'],
      { JOBSCOPE_AGENT_TOKEN: token },
    );
    for (const [role, user] of Object.entries(USERS)) {
      await host.cli(['user', 'add', user.name, '--role', role, '-h', name], { JOBSCOPE_PASSWORD: user.password });
    }
    await host.cli(['host', 'add', name, '--address', ADDRESS, '--port', String(host.agentPort), '-h', name], { JOBSCOPE_HOST_TOKEN: token });
    await host.startAgent();
    await host.startManager();
    return host;
  }
}

/** A REST client logged in as one user, sending what a page of the console sends (Origin, CSRF token). */
export interface ApiClient {
  csrfToken: string;
  request: APIRequestContext;
  post<T = any>(path: string, body: unknown): Promise<{ status: number; body: T }>;
  get<T = any>(path: string): Promise<{ status: number; body: T }>;
  dispose(): Promise<void>;
}

export async function apiAs(consoleHost: ConsoleHost, role: Role): Promise<ApiClient> {
  const request = await playwrightRequest.newContext({ baseURL: consoleHost.url, extraHTTPHeaders: { origin: consoleHost.url } });
  const login = await request.post('/api/v1/login', { data: { user: USERS[role].name, password: USERS[role].password } });
  expect(login.status(), await login.text()).toBe(200);
  const session = await (await request.get('/api/v1/session')).json();
  const csrfToken: string = session.csrfToken;
  const parse = async (res: Awaited<ReturnType<APIRequestContext['get']>>): Promise<{ status: number; body: any }> => ({
    status: res.status(),
    body: res.status() === 204 ? undefined : await res.json().catch(() => undefined),
  });
  return {
    csrfToken,
    request,
    post: async (p, body) => parse(await request.post(`/api/v1${p}`, { data: body, headers: { 'x-csrf-token': csrfToken } })),
    get: async (p) => parse(await request.get(`/api/v1${p}`)),
    dispose: () => request.dispose(),
  };
}

/** Signs in through the login page, as an operator would. */
export async function signIn(page: Page, role: Role): Promise<void> {
  await page.goto('/login');
  await page.getByTestId('login-user').fill(USERS[role].name);
  await page.getByTestId('login-password').fill(USERS[role].password);
  await page.getByTestId('login-submit').click();
  await expect(page).toHaveURL(/\/monitor$/);
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-phase', 'live');
}

let unique = 0;
/** Names that do not collide between the tests of one worker (they share a console). */
export function uniqueName(prefix: string): string {
  return `${prefix} ${Date.now().toString(36)}${(unique++).toString(36)}`;
}

export const test = base.extend<{ consoleHost: ConsoleHost }, { workerConsole: ConsoleHost }>({
  workerConsole: [
    async ({}, use, workerInfo) => {
      const host = await ConsoleHost.create(`e2e-console${workerInfo.workerIndex}`);
      try {
        await use(host);
      } finally {
        await host.stop();
        fs.rmSync(host.dir, { recursive: true, force: true });
      }
    },
    { scope: 'worker', timeout: 180_000 },
  ],
  consoleHost: async ({ workerConsole }, use) => use(workerConsole),
  baseURL: async ({ workerConsole }, use) => use(workerConsole.url),
});

export { expect };
