// A console host whose store is on PostgreSQL, with real processes and a real
// server: two nodes (two local configurations, two addresses) share the store.
// The manager serves from it; a second manager is refused naming the holder;
// when the holder stops renewing its lease (paused, as a hung node is), the
// other node's manager takes the store over with a higher epoch and the old
// holder, once it runs again, exits instead of writing.
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Client, PASSWORDS, run, TestHost } from '../testing/test-host';
import { createTestDatabase } from '../testing/postgres';

const NAME = 'pgconsole';
let nodeA: TestHost;
let nodeB: TestHost;
let url: string; // with its password: the test's own view of the database
let password: string;
let session: Client;

async function query<T>(sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  url = await createTestDatabase('console');
  const u = new URL(url);
  password = decodeURIComponent(u.password);
  u.password = '';
  const storeUrl = u.toString(); // the configuration never holds the password
  nodeA = await TestHost.create(NAME, '127.0.0.1');
  nodeB = await TestHost.create(NAME, '127.0.0.2');
  // Node A is given the password in the URL (setup moves it to the password file), node B in the environment.
  const init = await nodeA.must(['setup', '-h', NAME, '--store-url', url, '--init']);
  expect(init.stdout).toMatch(/console store postgresql:\/\/postgres@127\.0\.0\.1:\d+\/console_\w+: applied \d+_init/);
  expect(init.stdout).not.toContain(password);
  await nodeB.must(['setup', '-h', NAME, '--store-url', storeUrl], { JOBSCOPE_STORE_PASSWORD: password });
  await nodeA.must(['user', 'add', 'admin', '--role', 'admin', '-h', NAME], { JOBSCOPE_PASSWORD: PASSWORDS.admin });
  await nodeA.startManager();
});

afterAll(async () => {
  await nodeA?.stop();
  await nodeB?.stop();
});

it('serves from the PostgreSQL store, and keeps its password out of the configuration and the logs', async () => {
  session = await nodeA.login('admin'); // the user exists only in PostgreSQL
  expect((await session.call('GET', '/session')).status).toBe(200);
  expect((await query<{ n: number }>('SELECT count(*)::int AS n FROM "Session"'))[0].n).toBe(1);
  for (const node of [nodeA, nodeB]) {
    const config = fs.readFileSync(path.join(node.dir, 'config', `${NAME}.json`), 'utf8');
    expect(config).toMatch(/"consoleStore": "postgresql:/);
    expect(config).not.toContain(password);
    const passwordFile = path.join(node.dir, 'config', `${NAME}.store-password`);
    expect(fs.statSync(passwordFile).mode & 0o077).toBe(0);
  }
  expect(nodeA.logs).not.toContain(password);
});

it('refuses a second manager for the same console host, naming the holder and its node', async () => {
  const started = Date.now();
  const second = await run(['manager', '-h', NAME], nodeB.env);
  expect(second.code).not.toBe(0);
  expect(second.stderr).toMatch(new RegExp(`held by manager pid ${nodeA.manager!.pid} on node ${os.hostname()} \\(since .*, epoch 1\\)`));
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(nodeA.manager!.exitCode).toBeNull(); // the holder is untouched
});

it('takes over a lease that runs out, with a higher epoch, and the old holder exits', async () => {
  const old = nodeA.manager!;
  const exited = new Promise<number | null>((resolve) => old.once('exit', (code) => resolve(code)));
  const [before] = await query<{ epoch: number }>('SELECT epoch FROM "StoreMeta"');
  old.kill('SIGSTOP'); // a hung node: alive, but renewing nothing
  const started = Date.now();
  await nodeB.startManager();
  const tookOverMs = Date.now() - started;
  const [lease] = await query<{ pid: number; epoch: number }>('SELECT pid, epoch FROM "Lease"');
  expect(lease).toEqual({ pid: nodeB.manager!.pid, epoch: 2 });
  const [after] = await query<{ epoch: number }>('SELECT epoch FROM "StoreMeta"');
  expect(after.epoch).toBeGreaterThan(before.epoch);
  old.kill('SIGCONT');
  expect(await exited).not.toBe(0);
  expect(nodeA.logs).toMatch(/superseded|lost the lease/);
  // The new holder serves the same store: the session made on node A is still valid there.
  const moved = new Client(nodeB.url, session.cookie, session.csrfToken);
  expect((await moved.call('GET', '/session')).status).toBe(200);
  console.log(`PostgreSQL lease taken over ${tookOverMs} ms after the standby manager started`);
});
