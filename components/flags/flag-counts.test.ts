import { describe, expect, it } from 'vitest';
import { FLAG_KINDS as DOMAIN_KINDS } from '../../server/domain/expectations/evaluate';
import type { FlagState } from '../../server/domain/live';
import { addFlagCounts, FLAG_KINDS, flagCountsOf, hasOpenFlag, raisedKinds } from './flag-counts';

const ack = { by: 'op', at: '2026-12-06T03:00:00.000Z', comment: '' };
const flag = (kind: FlagState['kind'], occurrence = '2026-12-06T02:00:00.000Z', acknowledged = false): FlagState => ({ kind, occurrence, dueAt: occurrence, ack: acknowledged ? ack : null });

describe('flag counts', () => {
  it('know every kind of the domain, in its order', () => {
    expect(FLAG_KINDS).toEqual([...DOMAIN_KINDS]);
  });

  it('count an object once per kind, open while one of its flags of that kind is not acknowledged', () => {
    const counts = flagCountsOf([flag('missed'), flag('missed', '2026-12-05T02:00:00.000Z', true), flag('overrun', undefined, true)]);
    expect(counts.missed).toEqual({ raised: 1, open: 1 });
    expect(counts.overrun).toEqual({ raised: 1, open: 0 });
    expect(counts['start-delay']).toEqual({ raised: 0, open: 0 });
  });

  it('add up over a scope', () => {
    const sum = addFlagCounts([flagCountsOf([flag('missed')]), flagCountsOf([flag('missed', undefined, true), flag('start-delay')]), flagCountsOf([])]);
    expect(sum).toEqual({ 'start-delay': { raised: 1, open: 1 }, 'end-delay': { raised: 0, open: 0 }, missed: { raised: 2, open: 1 }, overrun: { raised: 0, open: 0 } });
  });

  it('say which kinds are raised, settled when every flag of the kind was acknowledged', () => {
    const flags = [flag('overrun', undefined, true), flag('start-delay')];
    expect(raisedKinds(flags)).toEqual([{ kind: 'start-delay', acknowledged: false }, { kind: 'overrun', acknowledged: true }]);
    expect(hasOpenFlag(flags)).toBe(true);
    expect(hasOpenFlag([flag('missed', undefined, true)])).toBe(false);
  });
});
