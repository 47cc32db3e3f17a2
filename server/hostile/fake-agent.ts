// An agent feed of the test's own: one HTTP server, several monitored hosts
// ("lanes", told apart by the feed token the manager presents). A lane answers
// like a healthy idle agent (long-polls held, a few valid events) until a case
// gives it something hostile to say; every request it gets is recorded.
import http from 'node:http';
import crypto from 'node:crypto';
import type net from 'node:net';
import type { SpoolEvent } from '../domain/events';

export interface LaneRequest {
  kind: 'events' | 'snapshot' | 'other';
  /** The case it was answered under (0: healthy). */
  caseId: number;
  query: URLSearchParams;
  at: number;
  authorization?: string;
}

/** How a lane answers a feed request while a case is on: a reply, or the whole response handled by hand. */
export type Reply =
  | { status?: number; headers?: Record<string, string>; body: unknown; raw?: false }
  | { status?: number; headers?: Record<string, string>; body: string | Buffer; raw: true }
  | { handle: (res: http.ServerResponse, req: http.IncomingMessage) => void };

export interface Responder {
  events?: (lane: Lane, q: URLSearchParams) => Reply;
  snapshot?: (lane: Lane) => Reply;
}

const iso = () => new Date().toISOString();

export class Lane {
  readonly token = crypto.randomBytes(24).toString('base64url');
  spoolId = crypto.randomUUID();
  /** The valid history it serves while healthy. */
  events: SpoolEvent[] = [];
  readonly requests: LaneRequest[] = [];
  responder: Responder | null = null;
  /** Counts the cases put on; 0 while none has been. */
  caseId = 0;
  private wakers = new Set<() => void>();
  private arrivals = new Set<() => void>();

  constructor(readonly name: string) {}

  get lastSeq(): number {
    return this.events.at(-1)?.seq ?? 0;
  }

  /** A valid event of this lane's host, next in sequence. */
  event(o: Partial<SpoolEvent> = {}): SpoolEvent {
    const seq = o.seq ?? this.lastSeq + 1;
    return {
      seq, host: this.name, unit: '/Fake/job', execId: `e${seq}-${crypto.randomBytes(3).toString('hex')}`, runId: null, kind: 'status',
      status: 'NORMAL', at: iso(), node: 'fakenode', pid: null, exitCode: 0, signal: null, outputTail: null, reason: null, ...o,
    };
  }

  /** A batch as the feed sends it, for these events. */
  batch(events: unknown[], o: Record<string, unknown> = {}): Record<string, unknown> {
    return { protocol: 1, host: this.name, spoolId: this.spoolId, now: iso(), lastSeq: this.lastSeq, resync: false, events, ...o };
  }

  /** Puts a case on (null: healthy again); requests held in a long-poll answer at once. */
  set(responder: Responder | null): number {
    this.responder = responder;
    if (responder) this.caseId++;
    for (const wake of [...this.wakers]) wake();
    return this.caseId;
  }

  /** How many events requests were answered under a case (a snapshot belongs to the events request before it). */
  answered(caseId: number): number {
    return this.requests.filter((r) => r.caseId === caseId && r.kind === 'events').length;
  }

  /** Resolves once `n` feed requests were answered under the case (true), or the time is up (false). */
  async waitForRequests(caseId: number, n: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.answered(caseId) < n) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const done = () => (clearTimeout(timer), this.arrivals.delete(done), resolve());
        const timer = setTimeout(done, left);
        this.arrivals.add(done);
      });
    }
    return true;
  }

  record(r: LaneRequest): void {
    this.requests.push(r);
    for (const a of [...this.arrivals]) a();
  }

  /** Holds a healthy long-poll until the lane changes or `ms` pass. */
  hold(ms: number, res: http.ServerResponse): Promise<void> {
    return new Promise((resolve) => {
      const done = () => (clearTimeout(timer), this.wakers.delete(done), res.off('close', done), resolve());
      const timer = setTimeout(done, ms);
      this.wakers.add(done);
      res.once('close', done);
    });
  }

  healthyEvents(q: URLSearchParams): Reply {
    const after = Number(q.get('after') ?? 0);
    if (after > this.lastSeq) return { body: this.batch([], { resync: true }) };
    return { body: this.batch(this.events.filter((e) => e.seq > after).slice(0, Number(q.get('limit') ?? 1000))) };
  }

  healthySnapshot(): Reply {
    return { body: { protocol: 1, host: this.name, spoolId: this.spoolId, now: iso(), lastSeq: this.lastSeq, runs: [] } };
  }
}

export class FakeAgent {
  private lanes = new Map<string, Lane>();
  private sockets = new Set<net.Socket>();
  readonly server: http.Server;
  port = 0;

  constructor(readonly address = '127.0.0.1') {
    // Idle connections kept as long as a real agent keeps them (65 s), so that a manager's pause does not find them closed.
    this.server = http.createServer({ keepAliveTimeout: 65_000, headersTimeout: 66_000 }, (req, res) => void this.handle(req, res));
    this.server.on('connection', (s) => (this.sockets.add(s), s.on('close', () => this.sockets.delete(s))));
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, this.address, resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  lane(name: string): Lane {
    const lane = new Lane(name);
    this.lanes.set(lane.token, lane);
    return lane;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    res.on('error', () => {});
    const url = new URL(req.url ?? '/', 'http://fake');
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const lane = token ? this.lanes.get(token) : undefined;
    const kind = url.pathname === '/feed/events' ? 'events' : url.pathname === '/feed/snapshot' ? 'snapshot' : 'other';
    if (!lane) return void res.writeHead(url.pathname === '/feed/health' ? 200 : 401).end('{}');
    let reply: Reply;
    if (kind === 'events') {
      if (!lane.responder) {
        const idle = lane.healthyEvents(url.searchParams);
        const wait = Number(url.searchParams.get('wait') ?? 0);
        if ((idle as { body: { events: unknown[]; resync: boolean } }).body.events.length === 0 && !(idle as { body: { resync: boolean } }).body.resync && wait > 0) {
          await lane.hold(wait * 1000, res);
          if (res.destroyed) return;
        }
      }
      reply = lane.responder?.events?.(lane, url.searchParams) ?? lane.healthyEvents(url.searchParams);
    } else if (kind === 'snapshot') {
      reply = lane.responder?.snapshot?.(lane) ?? lane.healthySnapshot();
    } else {
      reply = { status: 404, body: { error: 'no such path' } };
    }
    lane.record({ kind, caseId: lane.responder ? lane.caseId : 0, query: url.searchParams, at: Date.now(), authorization: req.headers.authorization });
    if ('handle' in reply) return reply.handle(res, req);
    const body = reply.raw ? reply.body : JSON.stringify(reply.body);
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), ...reply.headers });
    res.end(body);
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
