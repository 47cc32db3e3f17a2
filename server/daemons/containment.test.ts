// Nothing from outside takes the manager down, on either store provider: a
// fake agent whose feed carries another host's events, a job's output with a
// NUL byte, an exit code beyond 32 bits, and a batch the store itself refuses
// (a trigger of the test's) each stay with their own host: marked stale with
// the reason, retried later, while every other host keeps flowing. The batch
// the store refuses is applied up to its culprit and flows again once the
// store takes it.
import crypto from 'node:crypto';
import http from 'node:http';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, freePort, run, TestHost, waitUntil } from '../testing/test-host';
import { createTestDatabase } from '../testing/postgres';
import { STORE_PROVIDERS } from '../testing/stores';
import type { FeedProblem } from '../domain/feed-problems';

interface HostRow {
  name: string;
  stale: boolean;
  lastError: FeedProblem | null;
}

describe.each(STORE_PROVIDERS)('%s store', (provider) => {
  let consoleHost: TestHost;
  let jobs: TestHost;
  let fake: http.Server;
  let admin: Client;
  let databaseUrl = '';
  const jobsName = `contjobs${provider === 'sqlite' ? 'a' : 'b'}`;

  /** A statement against the console store, as another client of it. */
  async function sql<T>(text: string): Promise<T[]> {
    if (provider === 'sqlite') {
      const db = new Database(consoleHost.storeFile, { timeout: 10_000 });
      try {
        const statement = db.prepare(text);
        return (statement.reader ? statement.all() : (statement.run(), [])) as T[];
      } finally {
        db.close();
      }
    }
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      return (await client.query(text)).rows as T[];
    } finally {
      await client.end();
    }
  }

  const hosts = async () => (await admin.call('GET', '/hosts')).body as HostRow[];
  const runOf = async (unit: string) => (await sql<{ status: string; exitCode: number | null; outputTail: string | null }>(`SELECT status, "exitCode", "outputTail" FROM "Run" WHERE unit = '${unit}'`))[0];
  const stillUp = () => expect(consoleHost.manager!.exitCode, consoleHost.logs.slice(-3000)).toBeNull();

  beforeAll(async () => {
    const name = `contconsole${provider === 'sqlite' ? 'a' : 'b'}`;
    if (provider === 'sqlite') consoleHost = await TestHost.create(name);
    else {
      databaseUrl = await createTestDatabase('contain');
      consoleHost = await TestHost.createOnPostgres(name, databaseUrl);
    }
    jobs = await TestHost.create(jobsName);
    await jobs.startAgent();
    await consoleHost.startAgent();

    // A fake agent: its feed answers with an event of another host.
    const fakePort = await freePort();
    fake = http.createServer((req, res) => {
      const now = new Date().toISOString();
      const event = { seq: 1, host: 'intruder', unit: '/Fake/job', execId: 'x1', runId: null, kind: 'status', status: 'ABNORMAL', at: now, node: null, pid: null, exitCode: 1, signal: null, outputTail: null, reason: null };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ protocol: 1, host: 'fakefeed', spoolId: 'fake-spool', now, lastSeq: 1, resync: false, events: [event] }));
    });
    await new Promise<void>((r) => fake.listen(fakePort, '127.0.0.1', r));

    await consoleHost.startManager();
    admin = await consoleHost.login('admin');
    expect((await admin.call('POST', '/hosts', { name: jobs.name, address: jobs.address, feedPort: jobs.agentPort, token: jobs.token })).status).toBe(201);
    expect((await admin.call('POST', '/hosts', { name: 'fakefeed', address: '127.0.0.1', feedPort: fakePort, token: crypto.randomBytes(24).toString('base64url') })).status).toBe(201);
    const scope = (await admin.call('POST', '/scopes', { name: 'Contained' })).body.scope;
    for (const [objectName, host, unit] of [['Own', consoleHost.name, '/Own'], ['Jobs', jobs.name, '/Poison'], ['Fake', 'fakefeed', '/Fake']]) {
      expect((await admin.call('POST', '/objects', { name: objectName, scopeId: scope.id, host, unit })).status).toBe(201);
    }
  });

  afterAll(async () => {
    await consoleHost?.stop();
    await jobs?.stop();
    fake?.close();
    fake?.closeAllConnections();
  });

  it('marks a feed carrying another host\'s events stale with the reason, and nothing else', async () => {
    const fakeRow = await waitUntil('the fake feed marked', async () => (await hosts()).find((h) => h.name === 'fakefeed' && h.lastError) ?? undefined);
    expect(fakeRow).toMatchObject({ stale: true, lastError: { code: 'malformed', detail: 'events.0.host: events 0 is of host intruder, not fakefeed' } });
    expect((await consoleHost.exec('/Own/ok', 'exit 0')).code).toBe(0);
    await waitUntil('the own host flowing', async () => (await runOf('/Own/ok'))?.status === 'NORMAL' || undefined);
    expect(await sql('SELECT host FROM "Run" WHERE host = \'intruder\' OR host = \'fakefeed\'')).toEqual([]);
    stillUp();
  });

  it('does not let a feed that answers every long-poll at once with nothing drive the console round as fast as it can', async () => {
    let asked = 0;
    const eager = http.createServer((req, res) => {
      if (req.url?.startsWith('/feed/events')) asked++; // not the health checks that watch a waiting long-poll
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ protocol: 1, host: 'eagerfeed', spoolId: 'eager-spool', now: new Date().toISOString(), lastSeq: 0, resync: false, events: [] }));
    });
    const port = await freePort();
    await new Promise<void>((r) => eager.listen(port, '127.0.0.1', r));
    try {
      expect((await admin.call('POST', '/hosts', { name: 'eagerfeed', address: '127.0.0.1', feedPort: port, token: crypto.randomBytes(24).toString('base64url') })).status).toBe(201);
      const scope = (await admin.call('POST', '/scopes', { name: 'Eager' })).body.scope;
      expect((await admin.call('POST', '/objects', { name: 'Eager', scopeId: scope.id, host: 'eagerfeed', unit: '/Eager' })).status).toBe(201);
      await waitUntil('the first request', () => asked > 0 || undefined);
      const before = asked;
      await new Promise((r) => setTimeout(r, 4000));
      // One request a second (the pause after an early empty answer), not thousands.
      expect(asked - before).toBeLessThanOrEqual(6);
      stillUp();
    } finally {
      eager.close();
      eager.closeAllConnections();
    }
  });

  it('stores a job\'s output with a NUL byte and an exit code beyond 32 bits, as the command line gave them', async () => {
    expect((await jobs.exec('/Poison/nul', "printf 'before\\000after'; exit 3")).code).toBe(3);
    const report = await run(['report', '-h', jobs.name, '--unit', '/Poison/big', '--status', 'ABNORMAL', '--exit-code', '3000000000'], jobs.env);
    expect(report.code, report.stderr).toBe(0);
    const refused = await run(['report', '-h', jobs.name, '--unit', '/Poison/huge', '--status', 'ABNORMAL', '--exit-code', '5000000000'], jobs.env);
    expect(refused).toMatchObject({ code: 2, stderr: expect.stringContaining('must be a whole number from -2147483648 to 4294967295') });
    await waitUntil('both stored', async () => ((await runOf('/Poison/big')) && (await runOf('/Poison/nul'))?.status === 'ABNORMAL') || undefined);
    expect((await runOf('/Poison/nul')).outputTail).toBe('before\u2400after');
    expect((await runOf('/Poison/big')).exitCode).toBe(3000000000 - 2 ** 32);
    stillUp();
  });

  it('applies a batch the store refuses up to its culprit, marks only that host, and flows again once the store takes it', async () => {
    if (provider === 'sqlite') {
      await sql(`CREATE TRIGGER poison BEFORE INSERT ON "Run" WHEN NEW.unit = '/Poison/bad' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`);
    } else {
      await sql(`CREATE FUNCTION poison() RETURNS trigger AS $$ BEGIN IF NEW.unit = '/Poison/bad' THEN RAISE EXCEPTION 'refused by the test' USING ERRCODE = '22023'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
      await sql(`CREATE TRIGGER poison BEFORE INSERT OR UPDATE ON "Run" FOR EACH ROW EXECUTE FUNCTION poison()`);
    }
    // Three jobs while the manager is down: one batch of six events, the culprit in the middle.
    await consoleHost.kill(consoleHost.manager, 'SIGTERM');
    for (const unit of ['a', 'bad', 'c']) expect((await jobs.exec(`/Poison/${unit}`, 'exit 0')).code).toBe(0);
    await consoleHost.startManager();
    admin = await consoleHost.login('admin');

    const marked = await waitUntil('the job host marked', async () => (await hosts()).find((h) => h.name === jobs.name && h.lastError) ?? undefined);
    expect(marked).toMatchObject({ stale: true, lastError: { code: 'not-applied', seq: expect.any(Number), unit: '/Poison/bad', cause: expect.any(String) } });
    expect((await runOf('/Poison/a'))?.status).toBe('NORMAL'); // before the culprit: applied
    expect(await runOf('/Poison/c')).toBeUndefined(); // after it: waits, in order
    expect((await consoleHost.exec('/Own/meanwhile', 'exit 0')).code).toBe(0);
    await waitUntil('other hosts flowing', async () => (await runOf('/Own/meanwhile'))?.status === 'NORMAL' || undefined);
    stillUp();
    expect(consoleHost.logs).toMatch(/the store refused a feed batch of this host/);

    await sql(provider === 'sqlite' ? 'DROP TRIGGER poison' : 'DROP TRIGGER poison ON "Run"');
    await waitUntil('the host flowing again', async () => (await runOf('/Poison/c'))?.status === 'NORMAL' || undefined, 60_000);
    await waitUntil('its mark gone', async () => (await hosts()).find((h) => h.name === jobs.name && !h.stale && !h.lastError) ?? undefined);
    expect((await runOf('/Poison/bad'))?.status).toBe('NORMAL');
    stillUp();
  });
});
