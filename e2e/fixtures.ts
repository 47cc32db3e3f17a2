// One real console host per Playwright worker: a temporary configuration and
// data folder, `jobscope setup --init`, three users, the host registered as its
// own monitored host, then the agent and the manager as real processes.
import http from 'node:http';
import { test as base, expect, request as playwrightRequest, type APIRequestContext, type Page } from '@playwright/test';
import { PASSWORDS, TestHost } from '../server/testing/test-host';

export type Role = keyof typeof PASSWORDS;
export const USERS: Record<Role, { name: string; password: string }> = {
  admin: { name: 'admin', password: PASSWORDS.admin },
  operator: { name: 'operator', password: PASSWORDS.operator },
  guest: { name: 'guest', password: PASSWORDS.guest },
};

export type ConsoleHost = TestHost;

/** A console host of its own: manager and agent as real processes (see server/testing/test-host.ts). */
export async function startConsole(name: string): Promise<ConsoleHost> {
  const host = await TestHost.create(name);
  await host.startAgent();
  await host.startManager();
  return host;
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

/**
 * A sign-in sent from another source address (any 127.x address binds on Linux), as a
 * browser or a guesser elsewhere would send it; resolves with the answer's status.
 */
export function loginFrom(consoleHost: ConsoleHost, from: string, user: string, password: string): Promise<number> {
  const body = JSON.stringify({ user, password });
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: consoleHost.address,
        port: consoleHost.managerPort,
        localAddress: from,
        method: 'POST',
        path: '/api/v1/login',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), origin: consoleHost.url },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A feed token that passes the registration rule (32 characters at least, random-looking), for hosts no agent serves. */
export const FEED_TOKEN = 'e2e-feed-token-QNw4xuoKMn45FNw6gRVIYbL2';

let loopback = 0;
/**
 * An address of the loopback range (never 127.0.0.1, the consoles' own) that no other
 * test of the worker uses: hosts registered there are the only ones with that address.
 */
export function uniqueLoopback(): string {
  const n = ((process.pid & 0x3ff) << 12) + (loopback++ & 0xfff);
  return `127.${1 + ((n >> 14) & 0x7f)}.${(n >> 6) & 0xff}.${1 + ((n & 0x3f) << 2)}`;
}

/** The page fixture of every spec: a Content-Security-Policy violation on it fails the test. */
export async function pageUnderPolicy({ page }: { page: Page }, use: (page: Page) => Promise<void>): Promise<void> {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await use(page);
  expect(violations, 'Content-Security-Policy violations').toEqual([]);
}

export const test = base.extend<{ consoleHost: ConsoleHost }, { workerConsole: ConsoleHost }>({
  page: pageUnderPolicy,
  workerConsole: [
    async ({}, use, workerInfo) => {
      const host = await startConsole(`e2e-console${workerInfo.workerIndex}`);
      try {
        await use(host);
      } finally {
        await host.stop();
      }
    },
    { scope: 'worker', timeout: 180_000 },
  ],
  consoleHost: async ({ workerConsole }, use) => use(workerConsole),
  baseURL: async ({ workerConsole }, use) => use(workerConsole.url),
});

export { expect };
