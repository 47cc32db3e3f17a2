import { describe, expect, it } from 'vitest';
import { foldEvent, runSchema, spoolEventSchema, type Run, type SpoolEvent } from './events';

function event(over: Partial<SpoolEvent> = {}): SpoolEvent {
  return {
    seq: 1,
    host: 'jobhost1',
    unit: '/Billing/Daily/extract',
    execId: 'x-1',
    runId: 'run-7',
    kind: 'start',
    status: 'RUNNING',
    at: '2025-03-01T02:00:00.000Z',
    node: 'node-a',
    pid: 4321,
    exitCode: null,
    signal: null,
    outputTail: null,
    reason: null,
    ...over,
  };
}

const start = event();
const end = event({
  seq: 2,
  kind: 'end',
  status: 'ABNORMAL',
  at: '2025-03-01T02:05:30.000Z',
  node: null,
  pid: null,
  runId: null,
  exitCode: 3,
  outputTail: 'disk full\n',
});

describe('foldEvent', () => {
  it('folds a start then an end into one run with both times, the exit code and the end status', () => {
    const run = foldEvent(foldEvent(null, start), end);
    expect(run).toEqual<Run>({
      host: 'jobhost1',
      unit: '/Billing/Daily/extract',
      execId: 'x-1',
      runId: 'run-7',
      status: 'ABNORMAL',
      startSeq: 1,
      lastSeq: 2,
      startedAt: '2025-03-01T02:00:00.000Z',
      endedAt: '2025-03-01T02:05:30.000Z',
      node: 'node-a',
      pid: 4321,
      exitCode: 3,
      signal: null,
      outputTail: 'disk full\n',
      reason: null,
    });
    expect(runSchema.safeParse(run).success).toBe(true);
  });

  it('makes a running run from a start alone', () => {
    const run = foldEvent(null, start);
    expect(run).toMatchObject({ status: 'RUNNING', startSeq: 1, lastSeq: 1, startedAt: start.at, endedAt: null, exitCode: null });
    expect(runSchema.safeParse(run).success).toBe(true);
  });

  it('keeps the signal and reason of an end', () => {
    const killed = event({ seq: 5, kind: 'end', status: 'KILL', signal: 'SIGKILL', reason: 'killed by operator', at: '2025-03-01T02:01:00Z' });
    const run = foldEvent(foldEvent(null, start), killed);
    expect(run).toMatchObject({ status: 'KILL', signal: 'SIGKILL', reason: 'killed by operator', exitCode: null, lastSeq: 5 });
  });

  it('changes nothing when an event already folded is replayed', () => {
    const afterStart = foldEvent(null, start);
    expect(foldEvent(afterStart, start)).toBe(afterStart);
    const afterEnd = foldEvent(afterStart, end);
    expect(foldEvent(afterEnd, end)).toBe(afterEnd);
    expect(foldEvent(afterEnd, start)).toBe(afterEnd);
    const snapshot = structuredClone(afterEnd);
    foldEvent(afterEnd, event({ seq: 1, kind: 'status', status: 'NORMAL' }));
    expect(afterEnd).toEqual(snapshot);
  });

  it('ignores an older event arriving late', () => {
    const afterEnd = foldEvent(foldEvent(null, start), event({ ...end, seq: 10 }));
    const late = event({ seq: 9, kind: 'status', status: 'RUNNING', at: '2025-03-01T02:03:00Z' });
    expect(foldEvent(afterEnd, late)).toBe(afterEnd);
    expect(afterEnd.status).toBe('ABNORMAL');
  });

  it('gives the same run when a whole batch is replayed', () => {
    const batch = [start, event({ seq: 2, kind: 'status', status: 'WACONT', at: '2025-03-01T02:02:00Z' }), { ...end, seq: 3 }];
    const once = batch.reduce<Run | null>((r, e) => foldEvent(r, e), null);
    const twice = batch.reduce<Run | null>((r, e) => foldEvent(r, e), once);
    expect(twice).toEqual(once);
  });

  it('makes a run from a status event alone', () => {
    const status = event({ seq: 12, kind: 'status', status: 'NORMAL', at: '2025-03-01T03:00:00Z', runId: null, pid: null });
    const run = foldEvent(null, status);
    expect(run).toMatchObject({
      host: 'jobhost1',
      unit: '/Billing/Daily/extract',
      execId: 'x-1',
      runId: null,
      status: 'NORMAL',
      startSeq: 12,
      lastSeq: 12,
      startedAt: '2025-03-01T03:00:00Z',
      endedAt: null,
    });
    expect(runSchema.safeParse(run).success).toBe(true);
  });

  it('updates the status of a running run from a status event and keeps its times', () => {
    const run = foldEvent(foldEvent(null, start), event({ seq: 2, kind: 'status', status: 'WACONT', at: '2025-03-01T02:02:00Z' }));
    expect(run).toMatchObject({ status: 'WACONT', startedAt: start.at, endedAt: null, startSeq: 1, lastSeq: 2 });
  });

  it('makes an ended run without a start time from an end alone', () => {
    const run = foldEvent(null, { ...end, seq: 4 });
    expect(run).toMatchObject({ status: 'ABNORMAL', startSeq: 4, lastSeq: 4, startedAt: null, endedAt: end.at, exitCode: 3 });
  });

  it('keeps what the start told when the end leaves it out', () => {
    const run = foldEvent(foldEvent(null, start), end);
    expect(run.node).toBe('node-a');
    expect(run.pid).toBe(4321);
    expect(run.runId).toBe('run-7');
  });

  it('does not change the run it is given', () => {
    const afterStart = foldEvent(null, start);
    const snapshot = structuredClone(afterStart);
    foldEvent(afterStart, end);
    expect(afterStart).toEqual(snapshot);
  });
});

describe('spoolEventSchema', () => {
  it('accepts a well-formed event', () => {
    expect(spoolEventSchema.parse(start)).toEqual(start);
    expect(spoolEventSchema.safeParse(end).success).toBe(true);
    expect(spoolEventSchema.safeParse(event({ unit: 'AJSROOT1:/受注/日次', runId: null, node: null, pid: null })).success).toBe(true);
  });

  const refuses = (value: unknown) => expect(spoolEventSchema.safeParse(value).success).toBe(false);

  it.each(['DONE', 'normal', '', null, 3])('refuses the status %j', (status) => {
    refuses({ ...start, status });
    const result = spoolEventSchema.safeParse({ ...start, status });
    if (typeof status === 'string') expect(result.error?.issues[0].message).toBe('unknown status');
  });

  it.each(['', 'extract', 'Billing/Daily', '/a/../b', '/a//b', '/a*', '1x:/a', null])('refuses the unit %j', (unit) => {
    refuses({ ...start, unit });
  });

  it('explains why a unit is refused', () => {
    const result = spoolEventSchema.safeParse({ ...start, unit: 'Billing/Daily' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toContain('unit path must start with /');
  });

  it.each([-1, 0, 1.5, '1', null, Number.NaN])('refuses the sequence %j', (seq) => {
    refuses({ ...start, seq });
  });

  it.each(Object.keys(start))('refuses an event without %s', (key) => {
    const copy: Record<string, unknown> = { ...start };
    delete copy[key];
    refuses(copy);
  });

  it.each([
    ['kind', 'stop'],
    ['host', 'bad host'],
    ['host', '-leading'],
    ['host', ''],
    ['execId', ''],
    ['execId', 'x'.repeat(65)],
    ['runId', ''],
    ['runId', 'has space'],
    ['at', 'yesterday'],
    ['at', '2025-03-01'],
    ['pid', 1.5],
    ['exitCode', '0'],
    ['signal', 'S'.repeat(17)],
    ['outputTail', 'x'.repeat(8193)],
    ['reason', 'x'.repeat(257)],
  ])('refuses %s = %j', (key, value) => {
    refuses({ ...start, [key]: value });
  });

  it('refuses what is not an object', () => {
    refuses(null);
    refuses('event');
    refuses([start]);
  });
});
