// The console's feed connection against real TLS servers in this process, with
// certificates made by openssl: what a CA and a pin accept, what they refuse and
// in which words, and that a refused server never sees the feed token.
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedConnection, FeedConnectionError, type FeedEndpoint } from './feed-client';
import { problemWords } from '../domain/feed-problems';
import { selfSigned, TestCa, type TestCertificate } from '../testing/tls';

let dir: string;
let ca: TestCa;
const servers: net.Server[] = [];
const sockets = new Set<net.Socket>();
/** A server of the test's, whose connections the test ends with it. */
function track<T extends net.Server>(server: T): T {
  servers.push(server);
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return server;
}
/** Authorization headers each server was sent. */
const seen = new Map<number, string[]>();

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobscope-feed-client-'));
  ca = TestCa.create(path.join(dir, 'ca'));
});

afterAll(async () => {
  // The silent server never reads its connection, so never sees it end: its sockets are ended here.
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  fs.rmSync(dir, { recursive: true, force: true });
});

async function serve(certificate: TestCertificate | null): Promise<number> {
  const answer = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const port = (req.socket.address() as net.AddressInfo).port;
    seen.set(port, [...(seen.get(port) ?? []), req.headers.authorization ?? '']);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"host":"lh1"}');
  };
  const server = track(certificate ? https.createServer({ cert: certificate.pem, key: fs.readFileSync(certificate.keyFile) }, answer) : http.createServer(answer));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

const endpoint = (port: number, trust: Partial<FeedEndpoint> = {}): FeedEndpoint => ({
  name: 'lh1',
  address: '127.0.0.1',
  feedPort: port,
  tlsCa: null,
  tlsFingerprint: null,
  ...trust,
});

async function get(e: FeedEndpoint): Promise<{ status: number; text: string }> {
  const connection = new FeedConnection(e);
  try {
    return await connection.get('/feed/health', { authorization: 'Bearer the-token' }, new AbortController().signal, 5000);
  } finally {
    connection.close();
  }
}

const refusal = (e: FeedEndpoint) =>
  get(e).then(
    () => {
      throw new Error('expected a refusal');
    },
    (err: unknown) => {
      expect(err).toBeInstanceOf(FeedConnectionError);
      // Every sentence reads back in Japanese on the hosts page.
      expect(problemWords((err as FeedConnectionError).problem).ja).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
      return (err as Error).message;
    },
  );

describe('a feed checked with a CA', () => {
  it('accepts a certificate from that CA naming the logical host, or else the address dialled', async () => {
    const byName = await serve(ca.issue('lh1', ['lh1'], { file: 'by-name' }));
    expect(await get(endpoint(byName, { tlsCa: ca.pem }))).toEqual({ status: 200, text: '{"host":"lh1"}' });
    const byAddress = await serve(ca.issue('node-a', ['node-a.example', '127.0.0.1'], { file: 'by-address' }));
    expect((await get(endpoint(byAddress, { tlsCa: ca.pem }))).status).toBe(200);
  });

  it('refuses another host certificate, another CA, an expired certificate, and a server without TLS', async () => {
    const other = await serve(ca.issue('lh2', ['lh2', '192.0.2.7'], { file: 'other-host' }));
    expect(await refusal(endpoint(other, { tlsCa: ca.pem }))).toBe(
      `the certificate of 127.0.0.1:${other} names neither lh1 nor 127.0.0.1 (it names DNS:lh2, IP Address:192.0.2.7)`,
    );
    const stranger = TestCa.create(path.join(dir, 'stranger'), 'Stranger CA');
    const foreign = await serve(stranger.issue('lh1', ['lh1'], { file: 'foreign' }));
    expect(await refusal(endpoint(foreign, { tlsCa: ca.pem }))).toBe(`the certificate of 127.0.0.1:${foreign} is not trusted: unable to verify the first certificate`);
    const expired = await serve(ca.issue('lh1', ['lh1'], { file: 'expired', days: -1 }));
    expect(await refusal(endpoint(expired, { tlsCa: ca.pem }))).toBe(`the certificate of 127.0.0.1:${expired} is not trusted: certificate has expired`);
    // The system's CAs are not asked: only the registered one.
    const self = await serve(selfSigned(path.join(dir, 'self'), 'lh1', ['lh1']));
    expect(await refusal(endpoint(self, { tlsCa: ca.pem }))).toBe(`the certificate of 127.0.0.1:${self} is not trusted: self-signed certificate`);
    const plain = await serve(null);
    expect(await refusal(endpoint(plain, { tlsCa: ca.pem }))).toBe(`the feed at 127.0.0.1:${plain} does not speak TLS`);
    for (const port of [other, foreign, expired, self, plain]) expect(seen.get(port)).toBeUndefined();
  });
});

describe('a feed checked with a pin', () => {
  it('accepts exactly the pinned certificate, self-signed or not, whatever it names', async () => {
    const certificate = selfSigned(path.join(dir, 'pinned'), 'somewhere-else', ['somewhere-else']);
    const port = await serve(certificate);
    expect((await get(endpoint(port, { tlsFingerprint: certificate.fingerprint }))).status).toBe(200);
    expect(seen.get(port)).toEqual(['Bearer the-token']);
  });

  it('refuses any other certificate before the token is sent', async () => {
    const presented = ca.issue('lh1', ['lh1', '127.0.0.1'], { file: 'not-pinned' });
    const port = await serve(presented);
    const pin = selfSigned(path.join(dir, 'pin'), 'lh1', ['lh1']).fingerprint;
    expect(await refusal(endpoint(port, { tlsFingerprint: pin }))).toBe(`the certificate of 127.0.0.1:${port} is not the pinned one (it presents ${presented.fingerprint})`);
    expect(seen.get(port)).toBeUndefined();
  });
});

describe('a plain feed', () => {
  it('speaks plain http, and cannot reach an agent that speaks TLS', async () => {
    const plain = await serve(null);
    expect((await get(endpoint(plain))).status).toBe(200);
    const secure = await serve(ca.issue('lh1', ['lh1'], { file: 'tls-agent' }));
    expect(await refusal(endpoint(secure))).toMatch(new RegExp(`^cannot reach 127\\.0\\.0\\.1:${secure} \\(`));
  });

  it('gives up on a server that never answers, in the words of a timeout', async () => {
    const silent = track(net.createServer(() => {}));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as net.AddressInfo).port;
    const connection = new FeedConnection(endpoint(port));
    const err = await connection.get('/feed/health', {}, new AbortController().signal, 300).catch((e: Error) => e);
    connection.close();
    expect(err).toBeInstanceOf(FeedConnectionError);
    expect((err as Error).message).toBe(`cannot reach 127.0.0.1:${port} (TimeoutError)`);
  });
});
