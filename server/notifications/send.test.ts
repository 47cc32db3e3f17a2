// Sending a webhook, against real receivers on loopback addresses: the target is
// checked at every send, a name is resolved once and the connection goes to the
// address checked, and a refused send waits the longest backoff.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../testing/test-host';
import { openStore, type Store } from '../store/db';
import { claimStore } from '../store/fence';
import { hostLogger } from '../host/log';
import { NotificationSender, postWebhook } from './sender';
import { webhookTargetProblem, WebhookTargets } from './targets';

interface Receiver {
  server: http.Server;
  port: number;
  requests: { headers: http.IncomingHttpHeaders; body: string; local: string }[];
  answer: (res: http.ServerResponse) => void;
}

/** A receiver listening on one loopback address and port; records what reaches it. */
async function receiver(address: string, port: number): Promise<Receiver> {
  const r: Receiver = { server: undefined!, port, requests: [], answer: (res) => res.writeHead(204).end() };
  r.server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      r.requests.push({ headers: req.headers, body, local: req.socket.localAddress ?? '' });
      r.answer(res);
    });
  });
  await new Promise<void>((resolve, reject) => {
    r.server.once('error', reject);
    r.server.listen(port, address, resolve);
  });
  return r;
}

// The allowed receiver on 127.0.0.2, the forbidden one on 127.0.0.1, on the same port:
// a name that moves from one to the other reaches the same URL.
let allowed: Receiver;
let forbidden: Receiver;
let port: number;
/** What the test's name resolves to now, and how many times it was asked. */
let answer: string[] = [];
let lookups = 0;
const targets = new WebhookTargets(
  { address: '192.0.2.10', webhookNetworks: ['127.0.0.2/32'] },
  {
    nodeAddresses: () => [],
    resolve: async (name) => {
      if (name !== 'hooks.test') throw Object.assign(new Error(`${name} not found`), { code: 'ENOTFOUND' });
      lookups++;
      return answer;
    },
  },
);
const hook = (url: string) => ({ url, key: 'h:s:1', payload: JSON.stringify({ unit: '/A/b' }) });

beforeAll(async () => {
  // A port free on both addresses: found free on one, it may be taken on the other.
  for (let attempt = 0; ; attempt++) {
    port = await freePort('127.0.0.2');
    const first = await receiver('127.0.0.2', port);
    try {
      forbidden = await receiver('127.0.0.1', port);
      allowed = first;
      return;
    } catch (err) {
      first.server.close();
      if (attempt >= 10) throw err;
    }
  }
});

afterAll(() => {
  allowed?.server.close();
  forbidden?.server.close();
});

describe('one send', () => {
  it('posts to a name resolving to an allowed address, with the idempotency key, looking it up once', async () => {
    answer = ['127.0.0.2'];
    lookups = 0;
    expect(await postWebhook(targets, hook(`http://hooks.test:${port}/in?secret=s`))).toBeNull();
    expect(lookups).toBe(1);
    expect(allowed.requests.at(-1)).toMatchObject({
      body: '{"unit":"/A/b"}',
      local: '127.0.0.2',
      headers: { 'idempotency-key': 'h:s:1', 'user-agent': 'Jobscope', 'content-type': 'application/json' },
    });
  });

  it('refuses, at send time, a name allowed when saved that now resolves to a refused address', async () => {
    answer = ['127.0.0.2'];
    expect(await webhookTargetProblem(targets, `http://hooks.test:${port}/in`)).toBeNull();
    answer = ['127.0.0.1'];
    const before = forbidden.requests.length;
    expect(await postWebhook(targets, hook(`http://hooks.test:${port}/in`))).toBe('target-refused:outside-webhook-networks');
    // Also when only one of its addresses is refused: the connection could pick that one.
    answer = ['127.0.0.2', '127.0.0.1'];
    expect(await postWebhook(targets, hook(`http://hooks.test:${port}/in`))).toBe('target-refused:outside-webhook-networks');
    expect(forbidden.requests.length).toBe(before);
  });

  it('connects to the address it checked, never to a second lookup’s answer', async () => {
    // A rebinding name: allowed on the first question, forbidden on every later one.
    let asked = 0;
    const rebinding = new WebhookTargets({ webhookNetworks: ['127.0.0.2/32'] }, { nodeAddresses: () => [], resolve: async () => (asked++ === 0 ? ['127.0.0.2'] : ['127.0.0.1']) });
    const before = { allowed: allowed.requests.length, forbidden: forbidden.requests.length };
    expect(await postWebhook(rebinding, hook(`http://rebinding.test:${port}/in`))).toBeNull();
    expect(asked).toBe(1);
    expect(allowed.requests.length).toBe(before.allowed + 1);
    expect(forbidden.requests.length).toBe(before.forbidden);
  });

  it('refuses an address in the URL without looking anything up, by default loopback in every spelling', async () => {
    const byDefault = new WebhookTargets({}, { nodeAddresses: () => [], resolve: async () => { throw new Error('no lookup expected'); } });
    const before = forbidden.requests.length;
    for (const host of ['127.0.0.1', '[::ffff:127.0.0.1]', '2130706433', '0x7f.0.0.1', '127.1']) {
      expect(await postWebhook(byDefault, hook(`http://${host}:${port}/in`)), host).toBe('target-refused:loopback');
    }
    expect(await postWebhook(byDefault, hook(`http://[::]:${port}/in`))).toBe('target-refused:unspecified');
    expect(await postWebhook(byDefault, hook('http://169.254.169.254/latest/meta-data/'))).toBe('target-refused:link-local');
    expect(forbidden.requests.length).toBe(before);
    const localhost = new WebhookTargets({}, { nodeAddresses: () => [] }); // the system's resolver
    expect(await postWebhook(localhost, hook(`http://localhost:${port}/in`))).toBe('target-refused:loopback');
    expect(forbidden.requests.length).toBe(before);
  });

  it('follows no redirect, and says timed out, cannot connect and cannot resolve as codes', async () => {
    answer = ['127.0.0.2'];
    const before = forbidden.requests.length;
    allowed.answer = (res) => res.writeHead(302, { location: `http://127.0.0.1:${port}/in` }).end();
    expect(await postWebhook(targets, hook(`http://hooks.test:${port}/in`))).toBe('HTTP 302');
    expect(forbidden.requests.length).toBe(before);
    allowed.answer = () => {}; // never answers
    expect(await postWebhook(targets, hook(`http://hooks.test:${port}/in`), 300)).toBe('timed out');
    allowed.answer = (res) => res.writeHead(503).end();
    expect(await postWebhook(targets, hook(`http://hooks.test:${port}/in`))).toBe('HTTP 503');
    allowed.answer = (res) => res.writeHead(204).end();
    const closed = await freePort('127.0.0.2');
    expect(await postWebhook(targets, hook(`http://127.0.0.2:${closed}/in`))).toBe('cannot connect');
    expect(await postWebhook(targets, hook('http://nowhere.test/in'))).toBe('cannot resolve');
  });
});

describe('the sender', () => {
  let dir: string;
  let store: Store;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobscope-send-'));
    store = await openStore(path.join(dir, 'console.db'));
  });

  afterAll(async () => {
    await store?.$disconnect();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('records a refused target as the notification’s last error, a code, and tries again only after the longest backoff', async () => {
    const epoch = await claimStore(store);
    const scope = await store.scope.create({ data: { name: 'Hooks' } });
    answer = ['127.0.0.1'];
    const n = await store.notification.create({ data: { key: 'h:s:9', scopeId: scope.id, url: `http://hooks.test:${port}/in?secret=s3cret`, payload: '{}' } });
    let failure: unknown;
    const sender = new NotificationSender(store, epoch, hostLogger('sendtest', 'manager').child({}, { level: 'silent' }), (err) => (failure = err), targets);
    const began = Date.now();
    sender.start(50);
    await new Promise((r) => setTimeout(r, 500)); // ten ticks: one attempt, no tight loop
    await sender.stop();
    expect(failure).toBeUndefined();
    const after = await store.notification.findUniqueOrThrow({ where: { id: n.id } });
    expect(after).toMatchObject({ attempts: 1, lastError: 'target-refused:outside-webhook-networks', deliveredAt: null });
    expect(after.nextAttemptAt.getTime() - began).toBeGreaterThanOrEqual(5 * 60_000 - 1000);
  });
});
