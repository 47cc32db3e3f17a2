// socket.io from outside: the handshake without a session, with a forged one,
// from another origin or Host; raw engine.io packets over the polling transport
// (the "40" that once stopped the manager among them) and raw WebSocket frames;
// unknown, malformed, binary, huge and flooding events. After each batch the
// manager still runs and answers its health check, and a witness — a browser's
// socket subscribed from the start — still gets the units its host reports.
// A socket opened before its session expired is closed once it has.
import crypto from 'node:crypto';
import net from 'node:net';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreProvider } from '../testing/stores';
import { waitUntil } from '../testing/test-host';
import { appendEvent } from '../spool/spool';
import type { UnitsDelta } from '../domain/live';
import { Rig, pool, show } from './rig';
import { printTally, tally } from './tally';

const GET_TIMEOUT_MS = 1500;

interface Polled {
  status: number;
  text: string;
}

export function socketSuite(store: StoreProvider): void {
  const started = Date.now();
  let rig: Rig;
  let witness: Socket;
  const witnessed: UnitsDelta[] = [];
  let expiry: Promise<string[]>;

  const base = () => `${rig.url}/socket.io/?EIO=4&transport=polling`;

  async function request(method: string, url: string, headers: Record<string, string>, body?: string | Buffer, timeoutMs = 5000): Promise<Polled> {
    try {
      const res = await fetch(url, { method, headers, body: body as BodyInit | undefined, signal: AbortSignal.timeout(timeoutMs) });
      return { status: res.status, text: await res.text() };
    } catch (err) {
      return { status: 0, text: (err as Error).name };
    }
  }

  /** An engine.io session over polling, with the headers a browser would send (or these instead). */
  async function polling(headers: Record<string, string> = { cookie: rig.clients.operator.cookie, origin: rig.url }): Promise<{ sid: string | null; open: Polled; get: () => Promise<Polled>; post: (body: string | Buffer, type?: string) => Promise<Polled> }> {
    const open = await request('GET', base(), headers);
    const sid = /"sid":"([^"]+)"/.exec(open.text)?.[1] ?? null;
    const url = `${base()}&sid=${sid}`;
    return {
      sid,
      open,
      get: () => request('GET', url, headers, undefined, GET_TIMEOUT_MS),
      post: (body, type = 'text/plain;charset=UTF-8') => request('POST', url, { ...headers, 'content-type': type }, body),
    };
  }

  /** A socket.io client over WebSocket with these headers (a browser's: the operator's cookie, this origin). */
  function client(headers: Record<string, string> = { cookie: rig.clients.operator.cookie, origin: rig.url }): Socket {
    return io(rig.url, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: headers });
  }

  function connected(socket: Socket, timeoutMs = 5000): Promise<'connected' | string> {
    if (socket.connected) return Promise.resolve('connected');
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve('no answer'), timeoutMs);
      socket.once('connect', () => (clearTimeout(timer), resolve('connected')));
      socket.once('connect_error', (err) => (clearTimeout(timer), resolve(`refused: ${err.message}`)));
    });
  }

  function disconnected(socket: Socket, timeoutMs: number): Promise<string | null> {
    if (!socket.connected) return Promise.resolve('already');
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(null), timeoutMs);
      socket.once('disconnect', (reason) => (clearTimeout(timer), resolve(reason)));
    });
  }

  /** A unit reported by the console's own host reaches the witness; the daemons are up. */
  async function stillServing(after: string): Promise<string[]> {
    const problems = (await rig.problems()).map((p) => `after ${after}: ${p}`);
    if (problems.length) {
      await rig.recover(after);
      if (!witness.connected) witness.connect();
      return problems;
    }
    const execId = crypto.randomUUID();
    appendEvent(rig.host.spoolFile, {
      host: rig.host.name, unit: '/Sock/witness', execId, runId: null, kind: 'status', status: 'NORMAL', at: new Date().toISOString(),
      node: 'n', pid: null, exitCode: 0, signal: null, outputTail: null, reason: null,
    });
    const seen = await waitUntil('the witness delta', () => witnessed.some((d) => d.units.some((u) => u.execId === execId)) || undefined, 10_000).then(
      () => true,
      () => false,
    );
    if (!seen) problems.push(`after ${after}: the witness socket (connected: ${witness.connected}) did not receive a unit its host reported within 10 s`);
    return problems;
  }

  function subscribe(socket: Socket): Promise<unknown> {
    return new Promise((resolve) => socket.emit('subscribe', (snapshot: unknown) => resolve(snapshot)));
  }

  beforeAll(async () => {
    rig = await Rig.start(`sock${store.slice(0, 2)}`, store, { agent: true });
    const scope = await rig.clients.admin.call('POST', '/scopes', { name: 'Sockets' });
    await rig.clients.admin.call('POST', '/objects', { name: 'Own', scopeId: scope.body.scope.id, host: rig.host.name, unit: '/Sock' });
    witness = client({ cookie: rig.clients.guest.cookie, origin: rig.url });
    witness.on('units', (d: UnitsDelta) => witnessed.push(d));
    expect(await connected(witness)).toBe('connected');
    await subscribe(witness);
    expiry = sessionExpiry();
  }, 120_000);

  afterAll(async () => {
    printTally(`socket (${store})`, Date.now() - started);
    witness?.close();
    await rig?.stop();
  });

  /**
   * A session that expires while its socket is open: the socket is closed by the time
   * the expiry is noticed (the session sweep runs every 30 s) and gets nothing more.
   */
  async function sessionExpiry(): Promise<string[]> {
    const session = await rig.host.login('operator');
    const token = session.cookie.split('=')[1];
    const id = crypto.createHash('sha256').update(token).digest('hex');
    const socket = client({ cookie: session.cookie, origin: rig.url });
    const problems: string[] = [];
    if ((await connected(socket)) !== 'connected') return ['the socket of a live session did not connect'];
    await subscribe(socket);
    const received: number[] = [];
    socket.on('units', () => received.push(Date.now()));
    const expiresAt = new Date(Date.now() + 5000);
    const literal = store === 'sqlite' ? `'${expiresAt.toISOString().replace('Z', '+00:00')}'` : `TIMESTAMP '${expiresAt.toISOString().replace('T', ' ').replace('Z', '')}'`;
    await rig.probe.exec(`UPDATE "Session" SET "expiresAt" = ${literal} WHERE id = '${id}'`);
    const reason = await disconnected(socket, 45_000);
    if (reason === null) {
      const late = received.filter((t) => t > expiresAt.getTime() + 1000).length;
      problems.push(`the socket of a session that expired at ${expiresAt.toISOString()} was still open 45 s later and received ${late} units deltas after its expiry`);
    }
    socket.close();
    tally('socket', 1, store);
    return problems;
  }

  describe(`socket.io on ${store}`, () => {
    it('refuses handshakes without a session, with a forged one or from another origin, over WebSocket', async () => {
      const op = rig.clients.operator;
      const cases: [string, Record<string, string>][] = [
        ['no cookie', { origin: rig.url }],
        ['a garbage cookie', { cookie: 'jobscope_session=garbage', origin: rig.url }],
        ['a cookie of 10 KB', { cookie: `jobscope_session=${'x'.repeat(10_000)}`, origin: rig.url }],
        ['a cookie with hostile characters', { cookie: 'jobscope_session=%E0%A4%A\u00ff; a=b', origin: rig.url }],
        ['the cookie twice, the first forged', { cookie: `jobscope_session=forged; ${op.cookie}`, origin: rig.url }],
        ['the CSRF token as the cookie', { cookie: `jobscope_session=${op.csrfToken}`, origin: rig.url }],
        ['another origin', { cookie: op.cookie, origin: 'http://evil.example' }],
        ['origin null', { cookie: op.cookie, origin: 'null' }],
        ['no origin', { cookie: op.cookie }],
        ['an origin with the console as user part', { cookie: op.cookie, origin: `http://127.0.0.1:${rig.host.managerPort}@evil.example` }],
        ['a garbage display cookie', { cookie: 'jobscope_display=garbage', origin: rig.url }],
        ['a well-formed display cookie no display holds', { cookie: `jobscope_display=${'A'.repeat(43)}`, origin: rig.url }],
        ['a session token as the display cookie', { cookie: `jobscope_display=${op.cookie.split('=')[1]}`, origin: rig.url }],
        ['a display cookie of 10 KB', { cookie: `jobscope_display=${'x'.repeat(10_000)}`, origin: rig.url }],
      ];
      const problems: string[] = [];
      for (const [label, headers] of cases) {
        const socket = client(headers);
        const outcome = await connected(socket);
        socket.close();
        if (outcome !== 'refused: unauthorized') problems.push(`${label}: ${outcome}, not refused as unauthorized`);
      }
      // The console's own session from a Host that is not the console's (DNS rebinding): refused.
      const rebound = io(`http://127.0.0.1:${rig.host.managerPort}`, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { cookie: op.cookie, origin: 'http://evil.example', host: 'evil.example' } });
      const outcome = await connected(rebound);
      rebound.close();
      if (outcome === 'connected') problems.push('a handshake with Host evil.example (and the matching Origin) was accepted');
      tally('socket', cases.length + 1, store);
      problems.push(...(await stillServing('the refused handshakes')));
      expect(problems).toEqual([]);
    });

    it('answers the polling handshake and raw engine.io packets without stopping, "40" without a session included', async () => {
      const problems: string[] = [];
      // The request that once stopped the manager: "40" to a session opened without a cookie.
      const anon = await polling({ origin: rig.url });
      const posted = await anon.post('40');
      const answer = await anon.get();
      if (posted.status !== 200 || !answer.text.includes('44{"message":"unauthorized"}')) problems.push(`"40" without a session: POST ${posted.status}, then GET ${answer.status} ${show(answer.text)}`);
      problems.push(...(await stillServing('"40" without a session')));

      const packets: [string, string | Buffer, string?][] = [
        ['an empty body', ''],
        ['"4"', '4'],
        ['"42"', '42'],
        ['"42["', '42['],
        ['an object instead of an array', '42{}'],
        ['a truncated event', '42["subscribe",'],
        ['an unknown socket.io type', '4Z'],
        ['socket.io type 9', '49'],
        ['an ack for nothing', '43[1]'],
        ['an ack with an id for nothing', '4399["x"]'],
        ['a client disconnect', '41'],
        ['a connect error from the client', '44{"message":"x"}'],
        ['a binary event without its attachment', '451-["subscribe",{"_placeholder":true,"num":0}]'],
        ['a binary event pointing past its attachments', '451-["x",{"_placeholder":true,"num":7}]'],
        ['a binary event with 10^9 attachments', '451000000000-["x"]'],
        ['a connect to another namespace', '40/admin,'],
        ['an event to an unknown namespace', '42/nope,["subscribe"]'],
        ['a namespace with hostile characters', '40/\u202e\u0000,'],
        ['"subscribe" without an ack', '42["subscribe"]'],
        ['"subscribe" with an ack', '420["subscribe"]'],
        ['"subscribe" with an ack id of 2^64', '4218446744073709551616["subscribe"]'],
        ['an event named __proto__', '42["__proto__",{"polluted":true}]'],
        ['an event named constructor', '42["constructor"]'],
        ['reserved event names', '42["disconnecting"]\u001e42["newListener","x"]\u001e42["connect"]\u001e42["error",{}]'],
        ['an event that is null', '42[null]'],
        ['an event that is a number', '42[1,2,3]'],
        ['an event name of 100 KB', `42["${'e'.repeat(100_000)}"]`],
        ['an event nested 50 000 deep', `42["x",${'['.repeat(50_000)}${']'.repeat(50_000)}]`],
        ['engine.io types 0, 1, 2, 3, 5, 6, 9', '0\u001e1\u001e2\u001e3\u001e5\u001e6\u001e9'],
        ['a thousand packets in one body', Array.from({ length: 1000 }, () => '42["nope"]').join('\u001e')],
        ['a base64 binary packet', 'bAQIDBA=='],
        ['a base64 packet that is not base64', 'b!!!'],
        ['raw binary bytes', Buffer.from([0x00, 0x01, 0xff, 0xfe, 0x34, 0x32]), 'application/octet-stream'],
        ['invalid UTF-8', Buffer.from([0x34, 0x32, 0x5b, 0x22, 0xc3, 0x28, 0x22, 0x5d])],
        ['a body over maxHttpBufferSize', `42["x","${'a'.repeat(1_100_000)}"]`],
      ];
      const outcomes = await pool(packets, 6, async ([label, body, type]) => {
        const s = await polling();
        const opened = await s.post('40');
        const joined = await s.get();
        if (opened.status !== 200 || !joined.text.startsWith('40')) return `${label}: could not connect first (${opened.status}, ${show(joined.text)})`;
        const r = await s.post(body, type);
        const after = await s.get();
        if (r.status >= 500 || after.status >= 500) return `${label}: POST ${r.status} ${show(r.text)}, GET ${after.status} ${show(after.text)}`;
        if (label === '"subscribe" without an ack' && !/^1|\u001e1|41/.test(after.text) && after.status !== 400) return `${label}: the socket was not closed (GET ${after.status} ${show(after.text)})`;
        if (label === '"subscribe" with an ack' && !/430\[\{"protocol":\d+,"version"/.test(after.text)) return `${label}: no snapshot (GET ${after.status} ${show(after.text)})`;
        return null;
      });
      problems.push(...outcomes.filter((o): o is string => o !== null));
      tally('socket', packets.length + 1, store);

      // The engine.io endpoint itself, asked wrongly.
      const asks: [string, string, Record<string, string>?][] = [
        ['an unknown sid', `${base()}&sid=nosuchsid`],
        ['a sid of 10 KB', `${base()}&sid=${'s'.repeat(10_000)}`],
        ['two sids', `${base()}&sid=a&sid=b`],
        ['EIO=3', `${rig.url}/socket.io/?EIO=3&transport=polling`],
        ['EIO=5', `${rig.url}/socket.io/?EIO=5&transport=polling`],
        ['EIO=%E0%A4%A', `${rig.url}/socket.io/?EIO=%E0%A4%A&transport=polling`],
        ['an unknown transport', `${rig.url}/socket.io/?EIO=4&transport=flashsocket`],
        ['websocket without an upgrade', `${rig.url}/socket.io/?EIO=4&transport=websocket`],
        ['JSONP', `${base()}&j=0`],
        ['a path below the endpoint', `${rig.url}/socket.io/x/../../api/v1/health?EIO=4&transport=polling`],
        ['no query', `${rig.url}/socket.io/`],
      ];
      for (const method of ['GET', 'POST', 'PUT', 'OPTIONS', 'DELETE']) {
        for (const [label, url, headers] of asks) {
          const r = await request(method, url, { origin: rig.url, cookie: rig.clients.operator.cookie, ...headers }, method === 'POST' || method === 'PUT' ? '40' : undefined, GET_TIMEOUT_MS);
          if (r.status >= 500) problems.push(`${method} ${label}: ${r.status} ${show(r.text)}`);
        }
      }
      tally('socket', asks.length * 5, store);
      problems.push(...(await stillServing('raw engine.io packets')));
      expect(problems).toEqual([]);
    });

    it('closes a socket whose events are hostile, at most, and serves the others', async () => {
      const problems: string[] = [];
      type Case = [string, (s: Socket) => void, 'closed' | 'open' | 'either'];
      const raw = (packet: string) => (s: Socket) => (s.io.engine as unknown as { write(d: string): void }).write(packet);
      const cases: Case[] = [
        ['"subscribe" without an ack', (s) => s.emit('subscribe'), 'closed'],
        ['"subscribe" with an argument before its ack', (s) => s.emit('subscribe', { all: true }, () => {}), 'closed'],
        ['"subscribe" with a binary argument', (s) => s.emit('subscribe', Buffer.alloc(64)), 'closed'],
        ['unknown events', (s) => ['nope', 'units', 'hosts', 'admin:changed', 'definitions', 'x'.repeat(10_000)].forEach((e) => s.emit(e, { a: 1 })), 'either'],
        ['events named like Object.prototype', (s) => ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'].forEach((e) => s.emit(e, {})), 'either'],
        ['reserved event names, raw', raw('2["disconnecting"]'), 'either'],
        ['newListener, raw', raw('2["newListener","subscribe"]'), 'either'],
        ['a binary payload of 500 KB', (s) => s.emit('nope', Buffer.alloc(500_000, 7)), 'either'],
        ['binary in a nested object', (s) => s.emit('nope', { a: [Buffer.alloc(10)], b: { c: Buffer.alloc(3) } }), 'either'],
        ['a payload of 900 KB', (s) => s.emit('nope', 'p'.repeat(900_000)), 'either'],
        ['a payload of 2 MB (past maxHttpBufferSize)', (s) => s.emit('nope', 'p'.repeat(2_000_000)), 'closed'],
        ['a malformed packet, raw', raw('2["x"'), 'either'],
        ['an ack packet for nothing, raw', raw('3999["x"]'), 'either'],
        ['a connect to an unknown namespace, raw', raw('0/nope,'), 'either'],
        ['a binary event without attachments, raw', raw('51-["x",{"_placeholder":true,"num":0}]'), 'either'],
        ['a packet nested 50 000 deep, raw', raw(`2["x",${'['.repeat(50_000)}${']'.repeat(50_000)}]`), 'either'],
        ['500 "subscribe" with acks at once', (s) => { for (let i = 0; i < 500; i++) s.emit('subscribe', () => {}); }, 'either'],
        ['5000 unknown events at once', (s) => { for (let i = 0; i < 5000; i++) s.emit('nope', i); }, 'either'],
      ];
      const outcomes = await pool(cases, 4, async ([label, act, expected]) => {
        const s = client();
        if ((await connected(s)) !== 'connected') return `${label}: could not connect`;
        act(s);
        const reason = await disconnected(s, 3000);
        s.close();
        if (expected === 'closed' && reason === null) return `${label}: the socket stayed open`;
        if (expected === 'open' && reason !== null) return `${label}: the socket was closed (${reason})`;
        return null;
      });
      problems.push(...outcomes.filter((o): o is string => o !== null));
      tally('socket', cases.length, store);
      problems.push(...(await stillServing('hostile events')));
      expect(problems).toEqual([]);
    });

    it('survives floods of handshakes and sockets, and answers its health check meanwhile', async () => {
      const problems: string[] = [];
      const t0 = Date.now();
      const handshakes = Array.from({ length: 300 }, () => request('GET', base(), { origin: rig.url }));
      const sockets = Array.from({ length: 100 }, () => client());
      const health = await request('GET', `${rig.url}/api/v1/health`, {}, undefined, 10_000);
      if (health.status !== 200) problems.push(`the health check during the flood answered ${health.status || health.text}`);
      const results = await Promise.all(handshakes);
      const failed = results.filter((r) => r.status !== 200).length;
      if (failed > 0) problems.push(`${failed} of 300 polling handshakes failed: ${show(results.find((r) => r.status !== 200))}`);
      const joined = await Promise.all(sockets.map((s) => connected(s, 15_000)));
      const notJoined = joined.filter((j) => j !== 'connected').length;
      if (notJoined > 0) problems.push(`${notJoined} of 100 sockets with a session did not connect: ${joined.find((j) => j !== 'connected')}`);
      for (const s of sockets) s.close();
      tally('socket', 400, store);
      problems.push(...(await stillServing(`floods (${Date.now() - t0} ms)`)));
      expect(problems).toEqual([]);
    });

    it('closes the connection on WebSocket frames that break the protocol, and goes on', async () => {
      const problems: string[] = [];
      const mask = Buffer.from([1, 2, 3, 4]);
      const masked = (payload: Buffer) => Buffer.from(payload.map((b, i) => b ^ mask[i % 4]));
      const frame = (first: number, payload: Buffer, o: { unmasked?: boolean; length?: Buffer } = {}) => {
        const len = o.length ?? (payload.length < 126 ? Buffer.from([payload.length]) : Buffer.from([126, payload.length >> 8, payload.length & 255]));
        len[0] |= o.unmasked ? 0 : 0x80;
        return Buffer.concat([Buffer.from([first]), len, ...(o.unmasked ? [payload] : [mask, masked(payload)])]);
      };
      const text = (s: string) => Buffer.from(s);
      const cases: [string, Buffer][] = [
        ['a reserved opcode', frame(0x83, text('42["x"]'))],
        ['an unmasked client frame', frame(0x81, text('42["x"]'), { unmasked: true })],
        ['RSV1 without an extension', frame(0xc1, text('42["x"]'))],
        ['a ping of 200 bytes', frame(0x89, Buffer.alloc(200))],
        ['a fragmented ping', frame(0x09, text('p'))],
        ['invalid UTF-8 in a text frame', frame(0x81, Buffer.from([0x34, 0x32, 0xc3, 0x28]))],
        ['a length of 2^63-1', frame(0x81, Buffer.alloc(0), { length: Buffer.from([127, 0x7f, 255, 255, 255, 255, 255, 255, 255]) })],
        ['a close code of 999', frame(0x88, Buffer.from([0x03, 0xe7]))],
        ['a continuation without a start', frame(0x80, text('2["x"]'))],
        ['a frame announcing 10 MB', Buffer.concat([frame(0x81, Buffer.alloc(0), { length: Buffer.from([127, 0, 0, 0, 0, 0, 0xa0, 0, 0]) }), Buffer.alloc(64 * 1024)])],
      ];
      const outcomes = await pool(cases, 5, async ([label, bytes]) => {
        const outcome = await rawWebSocket(rig, bytes);
        return outcome.upgraded ? (outcome.closed ? null : `${label}: the connection stayed open 3 s`) : `${label}: the upgrade was refused: ${outcome.head}`;
      });
      problems.push(...outcomes.filter((o): o is string => o !== null));
      // Upgrades asked wrongly.
      for (const [label, headers] of [
        ['no key', 'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n'],
        ['version 99', `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${crypto.randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 99\r\n`],
        ['an upgrade to h2c', 'Upgrade: h2c\r\nConnection: Upgrade, HTTP2-Settings\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n'],
      ] as const) {
        const r = await rawUpgrade(rig, headers);
        if (/^HTTP\/1\.1 5/.test(r)) problems.push(`an upgrade with ${label}: ${r.split('\r\n')[0]}`);
      }
      tally('socket', cases.length + 3, store);
      problems.push(...(await stillServing('broken WebSocket frames')));
      expect(problems).toEqual([]);
    });

    it('closes a socket once its session has expired', async () => {
      expect(await expiry).toEqual([]);
    }, 60_000);
  });
}

/** Upgrades to a WebSocket as the operator would, sends `bytes`, and tells whether the server closed within 3 s. */
async function rawWebSocket(rig: Rig, bytes: Buffer): Promise<{ upgraded: boolean; closed: boolean; head: string }> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: rig.host.address, port: rig.host.managerPort });
    let head = '';
    let upgraded = false;
    const done = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ upgraded, closed, head: head.split('\r\n')[0] });
    };
    const timer = setTimeout(() => done(false), 5000);
    socket.on('data', (d) => {
      if (upgraded) return;
      head += d.toString('latin1');
      if (head.includes('\r\n\r\n')) {
        upgraded = head.startsWith('HTTP/1.1 101');
        if (!upgraded) return done(false);
        socket.write(bytes);
        clearTimeout(timer);
        setTimeout(() => done(false), 3000);
      }
    });
    socket.on('close', () => done(true));
    socket.on('error', () => {});
    socket.write(
      `GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:${rig.host.managerPort}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${crypto.randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\nOrigin: ${rig.url}\r\nCookie: ${rig.clients.operator.cookie}\r\n\r\n`,
    );
  });
}

async function rawUpgrade(rig: Rig, headers: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: rig.host.address, port: rig.host.managerPort });
    let data = '';
    const done = () => (clearTimeout(timer), socket.destroy(), resolve(data));
    const timer = setTimeout(done, 3000);
    socket.on('data', (d) => {
      data += d.toString('latin1');
      if (data.includes('\r\n\r\n')) done();
    });
    socket.on('close', done);
    socket.on('error', () => {});
    socket.write(`GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:${rig.host.managerPort}\r\n${headers}Origin: ${rig.url}\r\nCookie: ${rig.clients.operator.cookie}\r\n\r\n`);
  });
}
