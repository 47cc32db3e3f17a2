import { describe, expect, it } from 'vitest';
import type { ScheduledObject } from '../../server/domain/expectations';
import type { FlagState } from '../../server/domain/live';
import type { UnitEntry } from '../../server/domain/derive';
import { liveSignature } from './use-schedule';

describe('what makes the schedule stale', () => {
  const object = (objectId: number, unit: string): ScheduledObject => ({ objectId, name: unit, scopeId: 1, host: 'h', unit, timeZone: 'UTC', learnedMs: null, occurrences: [] });
  const objects = [object(1, '/A'), object(2, '/B')];

  function store(entries: Record<string, UnitEntry>, flags: Record<number, FlagState[]> = {}) {
    return { entryOf: (_host: string, unit: string): UnitEntry => entries[unit] ?? { status: 'NONE', runId: null, startSeq: 0 }, flagsOf: (id: number) => flags[id] ?? [] };
  }
  const base = { '/A': { status: 'RUNNING', runId: null, startSeq: 3 }, '/B': { status: 'NORMAL', runId: null, startSeq: 1 } } as const;
  const flag: FlagState = { kind: 'overrun', occurrence: '2026-03-09T02:00:00.000Z', dueAt: '2026-03-09T02:01:00.000Z', ack: null };

  it('is a shown object’s run starting or ending, or its flags changing', () => {
    const before = liveSignature(objects, store(base));
    expect(liveSignature(objects, store(base))).toBe(before);
    expect(liveSignature(objects, store({ ...base, '/A': { status: 'NORMAL', runId: null, startSeq: 3 } }))).not.toBe(before);
    expect(liveSignature(objects, store({ ...base, '/B': { status: 'RUNNING', runId: null, startSeq: 2 } }))).not.toBe(before);
    expect(liveSignature(objects, store(base, { 2: [flag] }))).not.toBe(before);
  });

  it('is not a change to an object it does not show', () => {
    const before = liveSignature(objects, store(base, {}));
    expect(liveSignature(objects, store({ ...base, '/C': { status: 'ABNORMAL', runId: null, startSeq: 9 } }, { 3: [flag] }))).toBe(before);
  });
});
