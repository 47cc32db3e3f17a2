// What a hostile or broken agent may answer a console manager's feed requests
// with. Each case says what the manager must do with it:
//   refused  the batch is not applied: the host's committed offset and runs stay as
//            they were, the host is marked stale with a clear last error, and the
//            manager asks again (with backoff) until the feed is healthy again;
//   either   applied or refused, as long as the manager stays up; applied, the
//            values must be kept exactly (`check`), refused, as above;
//   stale    the answer never comes or breaks off: the host is marked stale once
//            the manager gives up on it, and nothing is applied.
import crypto from 'node:crypto';
import type http from 'node:http';
import type { Lane, Reply, Responder } from './fake-agent';
import type { SpoolEvent } from '../domain/events';

export interface Applied {
  /** The run the manager stored for an execution of the case's batch, as the API shows it. */
  run(execId: string): Promise<Record<string, unknown> | null>;
}

export interface FeedCase {
  name: string;
  expect: 'refused' | 'either' | 'stale';
  /** Builds the case's answers for a lane; `sent` collects the events whose storing `check` verifies. */
  make: (lane: Lane, sent: SpoolEvent[]) => Responder;
  /** When applied: what is wrong with what was stored (none: kept exactly). */
  check?: (sent: SpoolEvent[], applied: Applied) => Promise<string[]>;
  /** Slow cases wait for the manager's own timeout, or keep it busy: each runs on a lane of its own, beside the rounds. */
  slow?: boolean;
  /** How long the manager may take to answer the case twice (default 10 s). */
  timeoutMs?: number;
  /** Valid but large: run alone, while the manager must keep answering and the real host keep flowing. */
  heavy?: boolean;
}

/** A case that answers every events request with the same reply, built once when the case is put on. */
const events =
  (make: (lane: Lane, sent: SpoolEvent[]) => Reply): ((lane: Lane, sent: SpoolEvent[]) => Responder) =>
  (lane, sent) => {
    const reply = make(lane, sent);
    return { events: () => reply };
  };

/** A batch of one event of the lane with these fields (kept in `sent` for the check). */
const one = (fields: Record<string, unknown>) =>
  events((lane, sent) => {
    const e = { ...lane.event(), ...fields } as SpoolEvent;
    sent.push(e);
    return { body: lane.batch([e]) };
  });

/** The batch as given, with one event whose fields are replaced (not kept for a check: it must be refused). */
const bad = (fields: Record<string, unknown>) => events((lane) => ({ body: lane.batch([{ ...lane.event(), ...fields }]) }));
const badBatch = (fields: Record<string, unknown>) => events((lane) => ({ body: lane.batch([lane.event()], fields) }));
const raw = (body: string | Buffer, headers: Record<string, string> = {}, status = 200) => events(() => ({ raw: true, body, headers, status }));

/** Checks that each sent event's fields came back as they were sent (strings as PostgreSQL and SQLite keep them). */
const keeps =
  (...fields: (keyof SpoolEvent)[]) =>
  async (sent: SpoolEvent[], applied: Applied): Promise<string[]> => {
    const problems: string[] = [];
    for (const e of sent) {
      const run = await applied.run(e.execId);
      if (!run) {
        problems.push(`run ${e.execId} was applied but cannot be read back`);
        continue;
      }
      for (const f of fields) {
        // As both stores keep it: a NUL, which PostgreSQL cannot hold, is ␀ (docs/architecture.md).
        const sentValue = e[f];
        const want = typeof sentValue === 'string' ? sentValue.replaceAll('\u0000', '\u2400') : sentValue;
        const got = run[f];
        if (got !== want) problems.push(`${f} was stored as ${JSON.stringify(got)?.slice(0, 80)}, sent ${JSON.stringify(want)?.slice(0, 80)}`);
      }
    }
    return problems;
  };

const MB10 = 10 * 1024 * 1024;

export const FEED_CASES: FeedCase[] = [
  // Known: an event or a snapshot run of another host stopped the manager.
  { name: 'an event of another host', expect: 'refused', make: bad({ host: 'otherhost' }) },
  {
    name: 'a snapshot run of another host',
    expect: 'refused',
    make: (lane) => ({
      events: () => ({ body: lane.batch([], { resync: true }) }),
      snapshot: () => ({ body: { protocol: 1, host: lane.name, spoolId: lane.spoolId, now: new Date().toISOString(), lastSeq: lane.lastSeq + 5, runs: [runOf(lane, { host: 'otherhost' })] } }),
    }),
  },
  { name: 'a feed that says it serves another host', expect: 'refused', make: badBatch({ host: 'otherhost' }) },
  { name: 'protocol 2', expect: 'refused', make: badBatch({ protocol: 2 }) },
  { name: 'an empty spool id', expect: 'refused', make: badBatch({ spoolId: '' }) },
  { name: 'a spool id of 65 characters', expect: 'refused', make: badBatch({ spoolId: 's'.repeat(65) }) },
  { name: 'a spool id that is a number', expect: 'refused', make: badBatch({ spoolId: 12 }) },
  { name: 'seq 0', expect: 'refused', make: bad({ seq: 0 }) },
  { name: 'a negative seq', expect: 'refused', make: bad({ seq: -5 }) },
  { name: 'a fractional seq', expect: 'refused', make: bad({ seq: 4.5 }) },
  { name: 'a seq given as text', expect: 'refused', make: bad({ seq: '7' }) },
  { name: 'a seq past 2^53', expect: 'refused', make: bad({ seq: 2 ** 53 + 2 }) },
  { name: 'a seq of 1e400 (Infinity)', expect: 'refused', make: events((lane) => ({ raw: true, body: JSON.stringify(lane.batch([lane.event()])).replace(/"seq":\d+/, '"seq":1e400') })) },
  { name: 'an unknown status', expect: 'refused', make: bad({ status: 'EXPLODED' }) },
  { name: 'an unknown kind', expect: 'refused', make: bad({ kind: 'explode' }) },
  { name: 'a unit path with ..', expect: 'refused', make: bad({ unit: '/Fake/../../etc/passwd' }) },
  { name: 'a unit path without a leading slash', expect: 'refused', make: bad({ unit: 'Fake/job' }) },
  { name: 'a unit path with NUL', expect: 'refused', make: bad({ unit: '/Fake/a\u0000b' }) },
  { name: 'a unit path with a bidi override', expect: 'refused', make: bad({ unit: '/Fake/\u202ebad' }) },
  { name: 'an empty exec id', expect: 'refused', make: bad({ execId: '' }) },
  { name: 'a run id with a space', expect: 'refused', make: bad({ runId: 'run 1' }) },
  { name: 'an output tail of 8193 characters', expect: 'refused', make: bad({ outputTail: 'x'.repeat(8193) }) },
  { name: 'a reason of 257 characters', expect: 'refused', make: bad({ reason: 'r'.repeat(257) }) },
  { name: 'a signal of 17 characters', expect: 'refused', make: bad({ signal: 'SIGNAL_TOO_LONGGG' }) },
  { name: 'a fractional exit code', expect: 'refused', make: bad({ exitCode: 1.5 }) },
  { name: 'an exit code past 2^53', expect: 'refused', make: bad({ exitCode: 2 ** 53 + 2 }) },
  { name: 'an impossible date (February 30)', expect: 'refused', make: bad({ at: '2024-02-30T00:00:00Z' }) },
  { name: 'a date in words', expect: 'refused', make: bad({ at: 'yesterday' }) },
  { name: 'a leap second', expect: 'refused', make: bad({ at: '2016-12-31T23:59:60Z' }) },
  { name: 'an invalid "now"', expect: 'refused', make: badBatch({ now: '2024-13-01T00:00:00Z' }) },
  { name: 'a negative lastSeq', expect: 'refused', make: badBatch({ lastSeq: -1 }) },
  { name: 'events that are not an array', expect: 'refused', make: badBatch({ events: { 0: {} } }) },
  { name: 'an event that is null', expect: 'refused', make: badBatch({ events: [null] }) },
  { name: '5001 events', expect: 'refused', make: events((lane) => ({ body: lane.batch(Array.from({ length: 5001 }, (_, i) => lane.event({ seq: lane.lastSeq + 1 + i }))) })) },
  { name: 'resync as text', expect: 'refused', make: badBatch({ resync: 'yes' }) },
  { name: 'truncated JSON', expect: 'refused', make: events((lane) => ({ raw: true, body: JSON.stringify(lane.batch([lane.event()])).slice(0, 60) })) },
  { name: 'an HTML error page', expect: 'refused', make: raw('<html><body>502 Bad Gateway</body></html>', { 'content-type': 'text/html' }) },
  { name: 'an empty body', expect: 'refused', make: raw('') },
  { name: '10 MB of garbage', expect: 'refused', make: raw(Buffer.alloc(MB10, 'z')) },
  { name: 'a 10 MB string in a reason', expect: 'refused', make: bad({ reason: 'r'.repeat(MB10) }) },
  { name: 'JSON nested 100 000 deep', expect: 'refused', make: raw('['.repeat(100_000) + ']'.repeat(100_000)) },
  { name: 'HTTP 500', expect: 'refused', make: events(() => ({ status: 500, body: { error: 'boom' } })) },
  { name: 'HTTP 404', expect: 'refused', make: events(() => ({ status: 404, body: { error: 'no' } })) },
  { name: 'HTTP 401', expect: 'refused', make: events(() => ({ status: 401, body: { error: 'who are you' } })) },
  { name: 'HTTP 204 without a body', expect: 'refused', make: events(() => ({ handle: (res) => void res.writeHead(204).end() })) },
  {
    name: 'a resync whose snapshot fails',
    expect: 'refused',
    make: (lane) => ({ events: () => ({ body: lane.batch([], { resync: true, lastSeq: lane.lastSeq + 9 }) }), snapshot: () => ({ status: 500, body: { error: 'damaged' } }) }),
  },
  {
    name: 'a snapshot with a run of a bad unit',
    expect: 'refused',
    make: (lane) => ({
      events: () => ({ body: lane.batch([], { resync: true, lastSeq: lane.lastSeq + 9 }) }),
      snapshot: () => ({ body: { protocol: 1, host: lane.name, spoolId: lane.spoolId, now: new Date().toISOString(), lastSeq: lane.lastSeq + 9, runs: [runOf(lane, { unit: 'no/slash' })] } }),
    }),
  },
  // The body is plain JSON whatever the header says: read as it is, or refused.
  { name: 'a gzip content-encoding over a plain body', expect: 'either', make: events((lane) => ({ raw: true, body: JSON.stringify(lane.batch([])), headers: { 'content-encoding': 'gzip' } })) },

  // Odd but valid for the schema: kept exactly, or refused, never a stopped manager.
  { name: 'NUL bytes in the output tail', expect: 'either', make: one({ outputTail: 'before\u0000after\u0000' }), check: keeps('outputTail') },
  { name: 'lone surrogates in the output tail', expect: 'either', make: one({ outputTail: 'a\ud800b\udc00c' }), check: wellFormedTail },
  { name: 'C0 controls and escapes in the output tail', expect: 'either', make: one({ outputTail: '\u0001\u0007\u001b[2J\u001b]0;title\u0007\r\n' }), check: keeps('outputTail') },
  { name: 'bidi overrides and zero-width characters in the output tail', expect: 'either', make: one({ outputTail: 'ok\u202eko\u200b\u2028\u2029\ufeff' }), check: keeps('outputTail') },
  { name: 'an output tail of 8192 four-byte characters', expect: 'either', make: one({ outputTail: '😀'.repeat(4096) }), check: keeps('outputTail') },
  { name: 'NUL in the reason', expect: 'either', make: one({ reason: 'killed\u0000by\u0000nul' }), check: keeps('reason') },
  { name: 'NUL in the node name', expect: 'either', make: one({ node: 'node\u0000a' }), check: keeps('node') },
  { name: 'NUL in the signal', expect: 'either', make: one({ signal: 'SIG\u0000KILL' }), check: keeps('signal') },
  { name: 'NUL in the exec id', expect: 'either', make: one({ execId: 'exec\u0000id' }) },
  { name: 'NUL in the spool id', expect: 'either', make: events((lane, sent) => ({ body: lane.batch([(sent.push(lane.event()), sent[0])], { spoolId: 'spool\u0000id' }) })) },
  { name: 'exit code 3000000000', expect: 'either', make: one({ exitCode: 3_000_000_000 }), check: keeps('exitCode') },
  { name: 'exit code -2147483649', expect: 'either', make: one({ exitCode: -2_147_483_649 }), check: keeps('exitCode') },
  { name: 'exit code 2^53-1', expect: 'either', make: one({ exitCode: 2 ** 53 - 1 }), check: keeps('exitCode') },
  { name: 'pid 3000000000', expect: 'either', make: one({ pid: 3_000_000_000 }), check: keeps('pid') },
  { name: 'seq 3000000000', expect: 'either', make: events((lane, sent) => ({ body: lane.batch([(sent.push(lane.event({ seq: 3_000_000_000 })), sent[0])], { lastSeq: 3_000_000_000 }) })) },
  { name: 'seq 2^53-1', expect: 'either', make: events((lane, sent) => ({ body: lane.batch([(sent.push(lane.event({ seq: 2 ** 53 - 1 })), sent[0])], { lastSeq: 2 ** 53 - 1 }) })) },
  { name: 'a start in year 0', expect: 'either', make: one({ kind: 'start', status: 'RUNNING', at: '0000-01-01T00:00:00Z' }) },
  { name: 'a start in year 9999', expect: 'either', make: one({ kind: 'start', status: 'RUNNING', at: '9999-12-31T23:59:59.999Z' }) },
  { name: '"now" in year 0', expect: 'either', make: events((lane, sent) => ({ body: lane.batch([(sent.push(lane.event()), sent[0])], { now: '0000-01-01T00:00:00Z' }) })) },
  { name: 'duplicate seqs in one batch', expect: 'either', make: events((lane) => ({ body: lane.batch([lane.event(), lane.event(), lane.event({ status: 'ABNORMAL' })]) })) },
  { name: 'seqs going backwards', expect: 'either', make: events((lane) => ({ body: lane.batch([3, 2, 1].map((d) => lane.event({ seq: lane.lastSeq + d }))) })) },
  { name: 'only events at or below the committed offset', expect: 'either', make: events((lane) => ({ body: lane.batch([lane.event({ seq: 1 }), lane.event({ seq: Math.max(1, lane.lastSeq) })]) })) },
  {
    name: 'one exec id for two units',
    expect: 'either',
    make: events((lane) => ({ body: lane.batch([lane.event({ execId: 'shared', unit: '/Fake/a' }), lane.event({ seq: lane.lastSeq + 2, execId: 'shared', unit: '/Fake/b' })]) })),
  },
  { name: 'a new spool id on every answer', expect: 'either', make: (lane) => ({ events: () => ({ body: lane.batch([lane.event()], { spoolId: crypto.randomUUID() }) }) }) },
  { name: 'valid JSON sent as text/plain', expect: 'either', make: events((lane) => ({ raw: true, body: JSON.stringify(lane.batch([])), headers: { 'content-type': 'text/plain' } })) },
  { name: '__proto__ keys in a batch and an event', expect: 'either', make: events((lane) => ({ raw: true, body: JSON.stringify(lane.batch([lane.event()])).replace('{"seq"', '{"__proto__":{"host":"otherhost"},"seq"').replace('{"protocol"', '{"__proto__":{"polluted":1},"protocol"') })) },
  {
    name: '5000 events with 2 KB of output each (10 MB)',
    expect: 'either',
    heavy: true,
    timeoutMs: 60_000,
    make: events((lane) => ({ body: lane.batch(Array.from({ length: 5000 }, (_, i) => lane.event({ seq: lane.lastSeq + 1 + i, unit: `/Fake/bulk${i % 50}`, outputTail: 'o'.repeat(2000) })), { lastSeq: lane.lastSeq + 5000 }) })),
  },
  {
    name: 'a snapshot of 20 000 runs',
    expect: 'either',
    heavy: true,
    timeoutMs: 60_000,
    make: (lane) => ({
      events: () => ({ body: lane.batch([], { resync: true, lastSeq: lane.lastSeq + 20_000 }) }),
      snapshot: () => ({ body: { protocol: 1, host: lane.name, spoolId: lane.spoolId, now: new Date().toISOString(), lastSeq: lane.lastSeq + 20_000, runs: Array.from({ length: 20_000 }, (_, i) => runOf(lane, { unit: `/Fake/snap${i}`, execId: `snap${i}`, startSeq: i + 1, lastSeq: i + 1 })) } }),
    }),
  },

  // Answers that never come or break off.
  // The manager gives up on a feed request after 15 s (a long-poll waits 10 s of it): two answers within 20 s.
  { name: 'no answer at all', expect: 'stale', slow: true, timeoutMs: 20_000, make: events(() => ({ handle: () => {} })) },
  {
    name: 'headers, then a body that never ends',
    expect: 'stale',
    slow: true,
    timeoutMs: 20_000,
    make: events(() => ({
      handle: (res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"protocol":1,"events":[');
        const drip = setInterval(() => (res.destroyed ? clearInterval(drip) : res.write(' ')), 200);
      },
    })),
  },
  {
    name: 'a connection reset in the middle of the body',
    // A kept-alive connection cut as it is reused is tried once more on a new one, which may then succeed.
    expect: 'either',
    make: events((lane) => ({
      handle: (res: http.ServerResponse) => {
        const body = JSON.stringify(lane.batch([lane.event()]));
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) });
        res.write(body.slice(0, 40));
        const socket = res.socket;
        setTimeout(() => socket?.resetAndDestroy(), 50);
      },
    })),
  },
  {
    name: 'a content-length longer than the body',
    expect: 'stale',
    make: events((lane) => ({
      handle: (res: http.ServerResponse) => {
        const body = JSON.stringify(lane.batch([]));
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length + 100) });
        const socket = res.socket;
        res.end(body);
        setTimeout(() => socket?.destroy(), 50);
      },
    })),
  },
];

/** A valid run of the lane's host. */
function runOf(lane: Lane, o: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    host: lane.name, unit: '/Fake/snap', execId: `snap-${crypto.randomUUID().slice(0, 8)}`, runId: null, status: 'NORMAL', startSeq: 1, lastSeq: 1,
    startedAt: null, endedAt: new Date().toISOString(), node: 'fakenode', pid: null, exitCode: 0, signal: null, outputTail: null, reason: null, ...o,
  };
}

/** Kept, each lone surrogate as it was or as U+FFFD (one per byte of its WTF-8 form, as SQLite's driver writes it). */
async function wellFormedTail(sent: SpoolEvent[], applied: Applied): Promise<string[]> {
  const run = await applied.run(sent[0].execId);
  const tail = sent[0].outputTail!;
  const lone = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
  const pattern = new RegExp(`^${tail.split(lone).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('(?:[\\ud800-\\udfff]|\\ufffd{1,3})')}$`, 'u');
  const stored = run?.outputTail;
  return stored === tail || (typeof stored === 'string' && pattern.test(stored)) ? [] : [`outputTail was stored as ${JSON.stringify(stored)}`];
}
