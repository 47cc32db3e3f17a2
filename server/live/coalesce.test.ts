import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeltaCoalescer, GAP_WAIT_MS, mergeDeltas, TICK_MS } from './coalesce';
import type { UnitState, UnitsDelta } from '../domain/live';
import type { Status } from '../domain/status';

const unit = (path: string, status: Status): UnitState => ({
  host: 'h1', unit: path, status, runId: null, execId: `${path}-${status}`, startSeq: 1, startedAt: null, endedAt: null,
  exitCode: null, node: null, reason: null, ack: null,
});
const delta = (version: number, ...units: UnitState[]): UnitsDelta => ({ version, prevVersion: version - 1, units });
const statuses = (d: UnitsDelta) => d.units.map((u) => `${u.unit}=${u.status}`);

describe('mergeDeltas', () => {
  it('merges a chain into one message holding the latest state of each unit', () => {
    const { messages, held } = mergeDeltas([delta(3, unit('/a', 'RUNNING')), delta(4, unit('/b', 'RUNNING')), delta(5, unit('/a', 'ABNORMAL'))], 2);
    expect(held).toEqual([]);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ prevVersion: 2, version: 5 });
    expect(statuses(messages[0])).toEqual(['/a=ABNORMAL', '/b=RUNNING']);
  });

  it('puts deltas reported out of order back in version order', () => {
    const { messages } = mergeDeltas([delta(5, unit('/a', 'NORMAL')), delta(4, unit('/a', 'RUNNING'))], 3);
    expect(messages[0]).toMatchObject({ prevVersion: 3, version: 5 });
    expect(statuses(messages[0])).toEqual(['/a=NORMAL']);
  });

  it('holds back what follows a gap until the missing delta comes, or sends it so that clients resynchronise', () => {
    const waiting = mergeDeltas([delta(3, unit('/a', 'RUNNING')), delta(5, unit('/b', 'RUNNING'))], 2);
    expect(waiting.messages.map((m) => [m.prevVersion, m.version])).toEqual([[2, 3]]);
    expect(waiting.held.map((d) => d.version)).toEqual([5]);

    const forced = mergeDeltas(waiting.held, 3, true);
    expect(forced.messages.map((m) => [m.prevVersion, m.version])).toEqual([[4, 5]]); // 4 > 3: a client at 3 sees the gap
    expect(forced.held).toEqual([]);
  });

  it('drops what was sent already', () => {
    expect(mergeDeltas([delta(2, unit('/a', 'RUNNING'))], 4)).toEqual({ messages: [], held: [] });
  });
});

describe('DeltaCoalescer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends a change at once when quiet, and at most one message a tick when busy', () => {
    const sent: UnitsDelta[] = [];
    const coalescer = new DeltaCoalescer((d) => sent.push(d), null, TICK_MS, () => Date.now());
    coalescer.add(delta(1, unit('/a', 'RUNNING')));
    vi.advanceTimersByTime(0);
    expect(sent.map((d) => d.version)).toEqual([1]);
    for (let v = 2; v <= 40; v++) coalescer.add(delta(v, unit(`/u${v % 5}`, 'RUNNING')));
    vi.advanceTimersByTime(TICK_MS - 1);
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toMatchObject({ prevVersion: 1, version: 40 });
    expect(sent[1].units).toHaveLength(5);
    coalescer.stop();
  });

  it('waits for a missing version, then gives up on it', () => {
    const sent: UnitsDelta[] = [];
    const coalescer = new DeltaCoalescer((d) => sent.push(d), null, TICK_MS, () => Date.now());
    coalescer.add(delta(1, unit('/a', 'RUNNING')));
    vi.advanceTimersByTime(TICK_MS);
    coalescer.add(delta(3, unit('/a', 'NORMAL'))); // 2 is late
    vi.advanceTimersByTime(TICK_MS);
    expect(sent.map((d) => d.version)).toEqual([1]);
    coalescer.add(delta(2, unit('/b', 'RUNNING')));
    vi.advanceTimersByTime(TICK_MS);
    expect(sent.map((d) => [d.prevVersion, d.version])).toEqual([[0, 1], [1, 3]]);

    coalescer.add(delta(5, unit('/a', 'RUNNING'))); // 4 never comes
    vi.advanceTimersByTime(GAP_WAIT_MS + 2 * TICK_MS);
    expect(sent.map((d) => [d.prevVersion, d.version]).at(-1)).toEqual([4, 5]);
    coalescer.stop();
  });

  it('sends nothing while paused, then goes on from the version it resumes at, sending nothing up to it', () => {
    const sent: UnitsDelta[] = [];
    const coalescer = new DeltaCoalescer((d) => sent.push(d), 0, TICK_MS, () => Date.now());
    coalescer.pause();
    coalescer.add(delta(1, unit('/a', 'RUNNING')));
    coalescer.add(delta(2, unit('/b', 'RUNNING')));
    vi.advanceTimersByTime(GAP_WAIT_MS + TICK_MS);
    expect(sent).toEqual([]);
    coalescer.add(delta(3, unit('/a', 'NORMAL')));
    coalescer.resume(2); // the state as of version 2 was read meanwhile
    coalescer.add(delta(2, unit('/b', 'RUNNING'))); // reported late
    vi.advanceTimersByTime(TICK_MS);
    expect(sent.map((d) => [d.prevVersion, d.version])).toEqual([[2, 3]]);
    expect(statuses(sent[0])).toEqual(['/a=NORMAL']);
    coalescer.stop();
  });

  it('resumes where it was when nothing was read meanwhile', () => {
    const sent: UnitsDelta[] = [];
    const coalescer = new DeltaCoalescer((d) => sent.push(d), 0, TICK_MS, () => Date.now());
    coalescer.pause();
    coalescer.add(delta(1, unit('/a', 'RUNNING')));
    coalescer.resume(0);
    vi.advanceTimersByTime(TICK_MS);
    expect(sent.map((d) => [d.prevVersion, d.version])).toEqual([[0, 1]]);
    coalescer.stop();
  });
});
