// What must hold for any expectation, runs and instant: the promises the manager builds on.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate, expectationSchema, flagKey, type ExpectationRun } from '../expectations';

const MINUTE = 60_000;
// Around New York's spring-forward day (8 March 2026), so some cases cross it.
const BASE = Date.UTC(2026, 2, 6, 12);

const clock = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45)).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const expectationArb = fc
  .record({
    schedule: fc.oneof(
      fc.array(clock, { minLength: 1, maxLength: 4 }).map((times) => ({ times })),
      fc.constantFrom('30 2 * * *', '*/30 1-3 * * *', '0 9 * * 1-5', '30 2,14 * * *', '*/20 * * * *').map((cron) => ({ cron })),
    ),
    timeZone: fc.constantFrom('Asia/Tokyo', 'America/New_York', 'Europe/London'),
    startBy: fc.option(fc.integer({ min: 1, max: 120 }), { nil: undefined }),
    endBy: fc.option(fc.tuple(fc.integer({ min: 0, max: 47 }), fc.constantFrom(0, 30)).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`), { nil: undefined }),
    endWithinMinutes: fc.option(fc.integer({ min: 1, max: 240 }), { nil: undefined }),
    missedAfterMinutes: fc.option(fc.integer({ min: 1, max: 240 }), { nil: undefined }),
  })
  .map((e) =>
    expectationSchema.parse({
      schedule: e.schedule,
      timeZone: e.timeZone,
      startBy: e.startBy === undefined ? undefined : { afterMinutes: e.startBy },
      endBy: e.endBy === undefined ? undefined : { at: e.endBy },
      endWithinMinutes: e.endWithinMinutes,
      missedAfterMinutes: e.missedAfterMinutes,
      learned: {},
    }),
  );
const runsArb = fc.array(
  fc.record({ start: fc.integer({ min: 0, max: 4 * 24 * 60 }), minutes: fc.option(fc.integer({ min: 1, max: 300 }), { nil: null }) }),
  { maxLength: 12 },
).map((list) =>
  list.map(({ start, minutes }): ExpectationRun => {
    const startedAt = new Date(BASE + start * MINUTE);
    return { startedAt, endedAt: minutes === null ? null : new Date(startedAt.getTime() + minutes * MINUTE), status: 'NORMAL' };
  }),
);
const nowArb = fc.integer({ min: 0, max: 4 * 24 * 60 * 60 }).map((s) => new Date(BASE + s * 1000));

describe('evaluate, for any expectation, runs and instant', () => {
  it('gives each run to one occurrence at most, one that started in its window', () => {
    fc.assert(
      fc.property(expectationArb, runsArb, nowArb, (expectation, runs, now) => {
        const { occurrences } = evaluate(expectation, runs, now);
        const taken = occurrences.flatMap((o) => (o.run ? [o.run] : []));
        expect(new Set(taken).size).toBe(taken.length);
        for (const o of occurrences) if (o.run) expect(o.run.startedAt >= o.window.from && o.run.startedAt < o.window.to && o.run.startedAt <= now).toBe(true);
        for (let i = 1; i < occurrences.length; i++) expect(occurrences[i - 1].window.to <= occurrences[i].window.from).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('changes no flag before nextDueAt unless a run starts or ends', () => {
    fc.assert(
      fc.property(expectationArb, runsArb, nowArb, (expectation, runs, now) => {
        const first = evaluate(expectation, runs, now);
        expect(first.nextDueAt > now).toBe(true);
        for (const f of first.flags) expect(f.dueAt <= now).toBe(true);
        const runEvents = runs.flatMap((r) => [r.startedAt, r.endedAt]).filter((d): d is Date => d !== null && d > now);
        const quietUntil = Math.min(first.nextDueAt.getTime(), ...runEvents.map((d) => d.getTime()));
        const later = evaluate(expectation, runs, new Date(quietUntil - 1));
        expect(later.flags).toEqual(first.flags);
      }),
      { numRuns: 150 },
    );
  });

  it('keeps a flag’s due instant while it stays raised', () => {
    fc.assert(
      fc.property(expectationArb, runsArb, nowArb, fc.integer({ min: 1, max: 12 * 60 }), (expectation, runs, now, minutes) => {
        const dueAt = (e: ReturnType<typeof evaluate>) => new Map(e.flags.map((f) => [flagKey(f), f.dueAt.getTime()]));
        const before = dueAt(evaluate(expectation, runs, now));
        const after = dueAt(evaluate(expectation, runs, new Date(now.getTime() + minutes * MINUTE)));
        for (const [key, at] of after) if (before.has(key)) expect(before.get(key)).toBe(at);
      }),
      { numRuns: 150 },
    );
  });
});
