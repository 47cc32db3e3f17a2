// The agent's feed, served by a real `jobscope agent` process over a real spool;
// other processes append through `jobscope report` and `jobscope exec`.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import type http from 'node:http';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedEventsSchema, feedSnapshotSchema } from '../domain/events';
import { sha256 } from '../host/config';
import { hostLogger } from '../host/log';
import { JOBSCOPE, freePort, run, waitUntil } from '../testing/test-host';
import { appendEvent, createSpool, openSpool, type SpoolReader } from '../spool/spool';
import { createFeedServer, watchSpool, type SpoolWatch } from './agent-feed';

const HOST = 'feedhost';
const TOKEN = 'feed-token-for-tests-Qm7xT2vLp9sRc4WbNz8hJk3Y';
let dir: string;
let env: NodeJS.ProcessEnv;
let port: number;
let agent: ChildProcess;
let agentOutput = '';
const started: ChildProcess[] = [];

function startAgent(host = HOST): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(JOBSCOPE, ['agent', '-h', host], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function get(urlPath: string, token: string | null = TOKEN, init: RequestInit = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(`http://127.0.0.1:${port}${urlPath}`, {
    ...init,
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
  });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

async function report(unit: string, status = 'NORMAL'): Promise<void> {
  const r = await run(['report', '-h', HOST, '--unit', unit, '--status', status], env);
  expect(r.code, r.stderr).toBe(0);
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobscope-feed-'));
  env = { ...process.env, JOBSCOPE_CONFIG_DIR: path.join(dir, 'config'), JOBSCOPE_HOSTNAME: '', JOBSCOPE_AGENT_TOKEN: TOKEN };
  port = await freePort();
  const setup = await run(['setup', '-h', HOST, '--address', '127.0.0.1', '--agent-port', String(port), '--data', path.join(dir, 'data'), '--init'], env);
  expect(setup.code, setup.stderr).toBe(0);
  const first = startAgent();
  agent = first.child;
  await waitUntil('the agent to be ready', () => {
    if (agent.exitCode !== null) throw new Error(`agent exited ${agent.exitCode}: ${first.output()}`);
    return first.output().includes(`agent for ${HOST} listening on 127.0.0.1:${port}\n`) || undefined;
  });
  agent.stdout!.on('data', (d) => (agentOutput += d));
  agent.stderr!.on('data', (d) => (agentOutput += d));
});

afterAll(async () => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the agent daemon', () => {
  it('answers health without a token, with the spool id', async () => {
    const reader = openSpool(path.join(dir, 'data', 'spool.db'));
    const spoolId = reader.spoolId;
    reader.close();
    expect(await get('/feed/health', null)).toMatchObject({ status: 200, body: { host: HOST, spoolId } });
  });

  it('refuses a missing or wrong token with 401, and never logs a token', async () => {
    const missing = await get('/feed/events', null);
    expect(missing).toMatchObject({ status: 401, body: { error: 'missing bearer token' } });
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    expect(await get('/feed/snapshot', 'wrong-token-wrong-token')).toMatchObject({ status: 401, body: { error: 'wrong token' } });
    expect(await get('/feed/events', `${TOKEN}x`)).toMatchObject({ status: 401 });
    await waitUntil('the refusal logged', () => agentOutput.includes('feed requests refused from 127.0.0.1: 1 missing or wrong token, 0 throttled') || undefined);
    expect(agentOutput).not.toContain('wrong-token-wrong-token');
    expect(agentOutput).not.toContain(TOKEN);
  });

  it('under a spray of wrong tokens from one address: answers it 429 after a few, logs aggregated lines, and serves the right token from another at once', async () => {
    // A host of its own, so that the spray's lines are this test's alone.
    const sprayPort = await freePort();
    const setup = await run(['setup', '-h', 'sprayed', '--address', '127.0.0.1', '--agent-port', String(sprayPort), '--data', path.join(dir, 'sprayed'), '--init'], env);
    expect(setup.code, setup.stderr).toBe(0);
    const sprayed = startAgent('sprayed');
    await waitUntil('the sprayed agent', () => sprayed.output().includes('agent for sprayed listening') || undefined);
    /** A request from a local address of our choice (all of 127/8 is this machine's). */
    const from = (localAddress: string, token: string) =>
      new Promise<{ status: number; retryAfter?: string }>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port: sprayPort, path: '/feed/events?after=0&limit=1', localAddress, agent: false, headers: { authorization: `Bearer ${token}` } }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode!, retryAfter: res.headers['retry-after'] }));
        });
        req.on('error', reject);
        req.end();
      });
    const spray: { status: number; retryAfter?: string }[] = [];
    const right: number[] = [];
    const began = Date.now();
    for (let round = 0; round < 20; round++) {
      const wrong = Array.from({ length: 25 }, (_, i) => from('127.0.0.3', `guess-${round}-${i}-${'x'.repeat(24)}`));
      right.push((await from('127.0.0.2', TOKEN)).status);
      spray.push(...(await Promise.all(wrong)));
    }
    const elapsed = Date.now() - began;
    expect(right.every((s) => s === 200)).toBe(true);
    // Ten refused outright (FREE_REFUSALS), the rest told to wait; on a slow machine a wait of one
    // second, then two, may run out during the spray and let one more be looked at.
    const refused = spray.filter((r) => r.status === 401).length;
    expect(refused).toBeGreaterThanOrEqual(10);
    expect(refused).toBeLessThanOrEqual(13);
    const throttled = spray.filter((r) => r.status === 429);
    expect(throttled).toHaveLength(500 - refused);
    expect(throttled.every((r) => Number(r.retryAfter) >= 1 && Number(r.retryAfter) <= 60)).toBe(true);

    // Stopping reports what is pending: two lines for the sprayer in all (its first refusal, then the rest), none per request.
    const exited = new Promise((resolve) => sprayed.child.once('exit', resolve));
    sprayed.child.kill('SIGTERM');
    await exited;
    const lines = sprayed.output().split('\n').filter((l) => l.includes('feed requests refused'));
    expect(lines.map((l) => JSON.parse(l)).map(({ remote, refused, throttled: t }) => ({ remote, refused, throttled: t }))).toEqual([
      { remote: '127.0.0.3', refused: 1, throttled: 0 },
      { remote: '127.0.0.3', refused: refused - 1, throttled: 500 - refused },
    ]);
    expect(JSON.parse(lines[1])).toMatchObject({
      first: expect.any(String),
      last: expect.any(String),
      msg: `feed requests refused from 127.0.0.3: ${refused - 1} missing or wrong tokens, ${500 - refused} throttled`,
    });
    expect(sprayed.output()).not.toContain('guess-');
    expect(sprayed.output()).not.toContain(TOKEN);
    console.log(`feed token spray: 500 wrong tokens and 20 right ones in ${elapsed} ms; the right ones all 200`);
  });

  it('refuses bad parameters with 400, other paths with 404 and other methods with 405', async () => {
    for (const query of ['after=-1', 'after=abc', 'limit=0', 'limit=5001', 'wait=26', 'after=1&after=2', 'since=3']) {
      const r = await get(`/feed/events?${query}`);
      expect(r.status, query).toBe(400);
      expect(r.body.error).toEqual(expect.any(String));
    }
    expect((await get('/feed/events?wait=26')).body.error).toBe('wait must be a whole number from 0 to 25, not "26"');
    expect(await get('/feed/nothing')).toMatchObject({ status: 404, body: { error: 'no such path: /feed/nothing' } });
    expect(await get('/feed/events', TOKEN, { method: 'POST' })).toMatchObject({ status: 405 });
  });

  it('serves events after a sequence, in order, with the spool id', async () => {
    const before = (await get('/feed/events')).body.lastSeq as number;
    await report('/Feed/a');
    await report('/Feed/b', 'ABNORMAL');
    await report('/Feed/c', 'HOLDING');
    const all = feedEventsSchema.parse((await get(`/feed/events?after=${before}`)).body);
    expect(all).toMatchObject({ host: HOST, resync: false, lastSeq: before + 3 });
    expect(all.events.map((e) => [e.seq, e.unit, e.status])).toEqual([
      [before + 1, '/Feed/a', 'NORMAL'],
      [before + 2, '/Feed/b', 'ABNORMAL'],
      [before + 3, '/Feed/c', 'HOLDING'],
    ]);
    const page = (await get(`/feed/events?after=${before + 1}&limit=1`)).body;
    expect(page.events.map((e: { seq: number }) => e.seq)).toEqual([before + 2]);
    expect(page.lastSeq).toBe(before + 3);
  });

  it('holds a long-poll until another process appends, then answers with the new event', async () => {
    const { lastSeq } = (await get('/feed/events')).body;
    const began = Date.now();
    const poll = get(`/feed/events?after=${lastSeq}&wait=20`);
    await new Promise((r) => setTimeout(r, 300));
    await report('/Feed/late', 'WARNING');
    const answer = feedEventsSchema.parse((await poll).body);
    expect(answer.events.map((e) => [e.seq, e.unit, e.status])).toEqual([[lastSeq + 1, '/Feed/late', 'WARNING']]);
    expect(Date.now() - began).toBeLessThan(15_000);
  });

  it('answers an idle long-poll with an empty list when its wait is up: the heartbeat', async () => {
    const { lastSeq } = (await get('/feed/events')).body;
    const began = Date.now();
    const answer = feedEventsSchema.parse((await get(`/feed/events?after=${lastSeq}&wait=1`)).body);
    expect(Date.now() - began).toBeGreaterThanOrEqual(900);
    expect(answer).toMatchObject({ events: [], resync: false, lastSeq });
  });

  it('tells a consumer ahead of the spool to resync, at once', async () => {
    const { lastSeq } = (await get('/feed/events')).body;
    const began = Date.now();
    expect((await get(`/feed/events?after=${lastSeq + 100}&wait=10`)).body).toMatchObject({ resync: true, events: [], lastSeq });
    expect(Date.now() - began).toBeLessThan(2000);
  });

  it('serves a snapshot of each unit\'s latest run', async () => {
    const r = await run(['exec', '-h', HOST, '--unit', '/Feed/a', '--', 'sh', '-c', 'echo again; exit 5'], env);
    expect(r.code).toBe(5);
    const snapshot = feedSnapshotSchema.parse((await get('/feed/snapshot')).body);
    const latest = Object.fromEntries(snapshot.runs.map((run) => [run.unit, run]));
    expect(latest['/Feed/a']).toMatchObject({ status: 'ABNORMAL', exitCode: 5, outputTail: 'again\n' });
    expect(latest['/Feed/b'].status).toBe('ABNORMAL');
    expect(latest['/Feed/late'].status).toBe('WARNING');
    expect(snapshot.lastSeq).toBe((await get('/feed/events')).body.lastSeq);
    expect(new Set(snapshot.runs.map((run) => run.unit)).size).toBe(snapshot.runs.length);
  });

  it('listens on its own address only, never a wildcard', async () => {
    const refused = await new Promise<string>((resolve) => {
      const socket = net.connect({ host: '127.0.0.2', port }, () => {
        socket.destroy();
        resolve('connected');
      });
      socket.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
  });

  it('refuses to start a second agent for the same host, naming the holder', async () => {
    const second = startAgent();
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(new RegExp(`the agent data of ${HOST} is held by agent pid \\d+ on node `));
  });

  it('refuses to start without a spool, saying so', async () => {
    const noSpoolPort = await freePort();
    const setup = await run(['setup', '-h', 'bare', '--address', '127.0.0.1', '--agent-port', String(noSpoolPort), '--data', path.join(dir, 'bare')], env);
    expect(setup.code).toBe(0);
    fs.mkdirSync(path.join(dir, 'bare')); // the shared disk is there, its spool is not
    const bare = startAgent('bare');
    expect(await bare.exited).toBe(1);
    expect(bare.output()).toContain(`no spool at ${path.join(dir, 'bare', 'spool.db')}: is the shared disk mounted? create it with jobscope setup -h bare --init`);
  });

  it('on SIGTERM answers open long-polls, closes and exits 0', async () => {
    const { lastSeq } = (await get('/feed/events')).body;
    const poll = get(`/feed/events?after=${lastSeq}&wait=20`);
    await new Promise((r) => setTimeout(r, 300));
    const exited = new Promise<number | null>((resolve) => agent.on('exit', (code) => resolve(code)));
    const began = Date.now();
    agent.kill('SIGTERM');
    expect((await poll).body).toMatchObject({ events: [], lastSeq });
    expect(await exited).toBe(0);
    expect(Date.now() - began).toBeLessThan(5000);
  });
});

describe('the feed server over a damaged spool', () => {
  let server: http.Server;
  let reader: SpoolReader;
  let watch: SpoolWatch;
  let file: string;

  beforeAll(async () => {
    file = path.join(dir, 'damaged.db');
    createSpool(file, 'damaged');
    const event = { host: 'damaged', unit: '/D/x', runId: null, kind: 'status', status: 'NORMAL', at: new Date().toISOString(), node: null, pid: null, exitCode: null, signal: null, outputTail: null, reason: null } as const;
    appendEvent(file, { ...event, execId: 'a' });
    appendEvent(file, { ...event, execId: 'b' });
    const db = new Database(file);
    db.prepare(`UPDATE events SET at = 'yesterday' WHERE seq = 2`).run();
    db.close();
    reader = openSpool(file);
    watch = watchSpool(reader, { onError: (err) => { throw err; } });
    server = createFeedServer({ host: 'damaged', instance: 'test', reader, watch, tokenSha256: sha256(TOKEN) }, hostLogger('damaged', 'agent').child({}, { level: 'silent' }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    // The daemon above has stopped: requests from here on go to this server.
    port = (server.address() as net.AddressInfo).port;
  });

  afterAll(async () => {
    watch?.close();
    await new Promise((r) => server?.close(r));
    reader?.close();
  });

  it('serves the rest around a damaged record, never stopping at it', async () => {
    const answer = await get('/feed/events?after=0');
    expect(answer.status).toBe(200);
    expect(answer.body.events.map((e: { execId: string }) => e.execId)).toEqual(['a']);
    expect(answer.body.lastSeq).toBe(2);
  });
});
