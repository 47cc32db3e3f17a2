import { describe, expect, it } from 'vitest';
import type { Status } from '../status';
import { evaluate, expectationSchema, flagKey, learnedDuration, type ExpectationInput, type ExpectationRun } from '../expectations';

// Most cases are in Tokyo (no DST): jst('03-10 02:00') is 02:00 on 10 March 2026 there.
const jst = (monthDayTime: string) => new Date(`2026-${monthDayTime.replace(' ', 'T')}:00+09:00`);
const expecting = (fields: Partial<ExpectationInput> = {}) => expectationSchema.parse({ schedule: { times: ['02:00'] }, timeZone: 'Asia/Tokyo', ...fields });
const run = (startedAt: Date, endedAt: Date | null = null, status: Status = endedAt ? 'NORMAL' : 'RUNNING'): ExpectationRun => ({ startedAt, endedAt, status });
const minutes = (n: number) => n * 60_000;

/** The occurrence expected at an instant. */
function occurrenceAt(evaluation: ReturnType<typeof evaluate>, at: Date) {
  const found = evaluation.occurrences.find((o) => o.at.getTime() === at.getTime());
  if (!found) throw new Error(`no occurrence at ${at.toISOString()}`);
  return found;
}
/** The flags of occurrences from an instant on (by default 10 March: most cases leave 9 March's missed). */
const flagsOf = (evaluation: ReturnType<typeof evaluate>, from = jst('03-10 00:00')) =>
  evaluation.flags.filter((f) => new Date(f.occurrence) >= from).map((f) => `${flagKey(f)} due ${f.dueAt.toISOString()}`);
const flag = (kind: string, occurrence: Date, dueAt: Date) => `${kind}@${occurrence.toISOString()} due ${dueAt.toISOString()}`;

describe('evaluate', () => {
  const at = jst('03-10 02:00');

  describe('the window', () => {
    it('runs from yesterday’s local midnight to a day ahead', () => {
      const result = evaluate(expecting(), [], jst('03-10 12:00'));
      expect(result.from).toEqual(jst('03-09 00:00'));
      expect(result.to).toEqual(jst('03-11 12:00'));
      expect(result.occurrences.map((o) => o.at)).toEqual([jst('03-09 02:00'), jst('03-10 02:00'), jst('03-11 02:00')]);
      expect(result.occurrences.map((o) => [o.id, o.date])).toEqual([
        ['2026-03-08T17:00:00.000Z', '2026-03-09'],
        ['2026-03-09T17:00:00.000Z', '2026-03-10'],
        ['2026-03-10T17:00:00.000Z', '2026-03-11'],
      ]);
    });
  });

  describe('start delay and missed', () => {
    const expectation = expecting({ startBy: { afterMinutes: 10 } });

    it('is expected until the start-by deadline, then late', () => {
      expect(occurrenceAt(evaluate(expectation, [], jst('03-10 02:09')), at)).toMatchObject({ state: 'expected', flags: [] });
      const late = evaluate(expectation, [], jst('03-10 02:10'));
      expect(occurrenceAt(late, at).state).toBe('late-start');
      expect(flagsOf(late)).toEqual([flag('start-delay', at, jst('03-10 02:10'))]);
    });

    it('clears the start delay when the run starts, and keeps the run', () => {
      const started = run(jst('03-10 02:12'));
      const result = evaluate(expectation, [started], jst('03-10 02:15'));
      expect(occurrenceAt(result, at)).toMatchObject({ state: 'started', run: started, flags: [] });
      // A run that starts after `now` is not known yet.
      expect(occurrenceAt(evaluate(expectation, [started], jst('03-10 02:11')), at).state).toBe('late-start');
    });

    it('is missed 30 minutes after the start-by deadline with no run, which replaces the start delay', () => {
      expect(occurrenceAt(evaluate(expectation, [], jst('03-10 02:39')), at).state).toBe('late-start');
      const missed = evaluate(expectation, [], jst('03-10 02:40'));
      expect(occurrenceAt(missed, at)).toMatchObject({ state: 'missed', window: { to: jst('03-10 02:40') } });
      expect(flagsOf(missed)).toEqual([flag('missed', at, jst('03-10 02:40'))]);
    });

    it('is missed 30 minutes after the expected start without a start-by deadline', () => {
      expect(occurrenceAt(evaluate(expecting(), [], jst('03-10 02:29')), at)).toMatchObject({ state: 'expected', flags: [] });
      expect(flagsOf(evaluate(expecting(), [], jst('03-10 02:30')))).toEqual([flag('missed', at, jst('03-10 02:30'))]);
    });

    it('is missed missedAfterMinutes after the expected start when set', () => {
      const result = evaluate(expecting({ missedAfterMinutes: 90 }), [], jst('03-10 03:30'));
      expect(flagsOf(result)).toEqual([flag('missed', at, jst('03-10 03:30'))]);
    });

    it('does not take a run that starts after its window closed', () => {
      const tooLate = run(jst('03-10 02:45'));
      const result = evaluate(expectation, [tooLate], jst('03-10 02:50'));
      expect(occurrenceAt(result, at)).toMatchObject({ state: 'missed', run: null });
    });
  });

  describe('matching runs to occurrences', () => {
    it('matches each of two occurrences a day to its own run', () => {
      const morning = run(jst('03-10 02:01'), jst('03-10 02:20'));
      const afternoon = run(jst('03-10 14:03'));
      const result = evaluate(expecting({ schedule: { times: ['02:00', '14:00'] } }), [afternoon, morning], jst('03-10 14:10'));
      expect(occurrenceAt(result, jst('03-10 02:00'))).toMatchObject({ state: 'ended', run: morning });
      expect(occurrenceAt(result, jst('03-10 14:00'))).toMatchObject({ state: 'started', run: afternoon });
    });

    it('gives a run to one occurrence only: the morning run does not count for the afternoon', () => {
      const morning = run(jst('03-10 02:01'), jst('03-10 02:20'));
      const result = evaluate(expecting({ schedule: { times: ['02:00', '14:00'] } }), [morning], jst('03-10 14:30'));
      expect(occurrenceAt(result, jst('03-10 02:00')).run).toBe(morning);
      expect(occurrenceAt(result, jst('03-10 14:00'))).toMatchObject({ state: 'missed', run: null });
    });

    it('takes the first run of its window; a rerun in the same window is no one’s', () => {
      const first = run(jst('03-10 02:01'), jst('03-10 02:05'), 'ABNORMAL');
      const rerun = run(jst('03-10 02:10'));
      const result = evaluate(expecting({ schedule: { times: ['02:00', '02:30'] }, missedAfterMinutes: 60 }), [rerun, first], jst('03-10 02:40'));
      expect(occurrenceAt(result, jst('03-10 02:00'))).toMatchObject({ state: 'ended', run: first });
      expect(occurrenceAt(result, jst('03-10 02:30'))).toMatchObject({ state: 'expected', run: null });
    });

    it('takes a run seen up to two minutes early', () => {
      expect(occurrenceAt(evaluate(expecting(), [run(jst('03-10 01:58'))], jst('03-10 02:05')), at).state).toBe('started');
      expect(occurrenceAt(evaluate(expecting(), [run(jst('03-10 01:57'))], jst('03-10 02:05')), at).state).toBe('expected');
      expect(occurrenceAt(evaluate(expecting(), [run(jst('03-10 01:57'))], jst('03-10 02:05'), { earlyToleranceMs: minutes(5) }), at).state).toBe('started');
    });

    it('closes a window when the next occurrence’s opens, so a run belongs to the latest expected start before it', () => {
      const expectation = expecting({ schedule: { times: ['02:00', '02:20'] }, missedAfterMinutes: 60 });
      const result = evaluate(expectation, [run(jst('03-10 02:19'))], jst('03-10 02:25'));
      expect(occurrenceAt(result, jst('03-10 02:00'))).toMatchObject({ state: 'missed', window: { from: jst('03-10 01:58'), to: jst('03-10 02:18') } });
      expect(occurrenceAt(result, jst('03-10 02:20')).state).toBe('started');
      expect(flagsOf(result)).toEqual([flag('missed', jst('03-10 02:00'), jst('03-10 02:18'))]);
    });
  });

  describe('end delay', () => {
    it('reads 28:30 as 04:30 the next day, and clears when the run ends', () => {
      const expectation = expecting({ schedule: { times: ['23:00'] }, endBy: { at: '28:30' } });
      const start = jst('03-10 23:00');
      const running = run(jst('03-10 23:01'));
      expect(occurrenceAt(evaluate(expectation, [running], jst('03-11 04:29')), start)).toMatchObject({ deadlines: { endBy: jst('03-11 04:30') }, flags: [] });
      expect(flagsOf(evaluate(expectation, [running], jst('03-11 04:30')))).toEqual([flag('end-delay', start, jst('03-11 04:30'))]);
      const ended = run(jst('03-10 23:01'), jst('03-11 04:35'));
      expect(occurrenceAt(evaluate(expectation, [ended], jst('03-11 04:40')), start)).toMatchObject({ state: 'ended', flags: [] });
      expect(flagsOf(evaluate(expectation, [ended], jst('03-11 04:34')))).toEqual([flag('end-delay', start, jst('03-11 04:30'))]);
    });

    it('reads a clock time before the expected start as the next day’s', () => {
      const expectation = expecting({ schedule: { times: ['22:00'] }, endBy: { at: '01:00' }, startBy: { at: '22:15' } });
      const occurrence = occurrenceAt(evaluate(expectation, [], jst('03-10 21:00')), jst('03-10 22:00'));
      expect(occurrence.deadlines).toMatchObject({ startBy: jst('03-10 22:15'), endBy: jst('03-11 01:00') });
    });

    it('counts afterMinutes from the expected start, not the run’s', () => {
      const expectation = expecting({ endBy: { afterMinutes: 90 } });
      const result = evaluate(expectation, [run(jst('03-10 02:20'))], jst('03-10 03:30'));
      expect(flagsOf(result)).toEqual([flag('end-delay', at, jst('03-10 03:30'))]);
    });

    it('is raised before any run starts too, until missed replaces it', () => {
      const expectation = expecting({ endBy: { afterMinutes: 60 }, missedAfterMinutes: 120 });
      expect(flagsOf(evaluate(expectation, [], jst('03-10 03:00')))).toEqual([flag('end-delay', at, jst('03-10 03:00'))]);
      expect(flagsOf(evaluate(expectation, [], jst('03-10 04:00')))).toEqual([flag('missed', at, jst('03-10 04:00'))]);
    });
  });

  describe('overrun', () => {
    it('is due endWithinMinutes after the run started, and clears when it ends', () => {
      const expectation = expecting({ endWithinMinutes: 30 });
      const running = run(jst('03-10 02:05'));
      expect(occurrenceAt(evaluate(expectation, [running], jst('03-10 02:34')), at)).toMatchObject({ deadlines: { endWithin: jst('03-10 02:35') }, flags: [] });
      expect(flagsOf(evaluate(expectation, [running], jst('03-10 02:35')))).toEqual([flag('overrun', at, jst('03-10 02:35'))]);
      expect(flagsOf(evaluate(expectation, [run(jst('03-10 02:05'), jst('03-10 02:50'))], jst('03-10 02:51')))).toEqual([]);
    });

    it('is due at factor × the learned duration of the last normal ends', () => {
      // Five normal ends of 10 to 20 minutes (p95 by nearest rank: 20), and abnormal ones that do not count.
      const history = [10, 11, 12, 13, 20].map((m, day) => run(jst(`03-0${day + 3} 02:00`), new Date(jst(`03-0${day + 3} 02:00`).getTime() + minutes(m))));
      const abnormal = run(jst('03-08 02:00'), jst('03-08 05:00'), 'ABNORMAL');
      const expectation = expecting({ learned: { factor: 1.5 } });
      const running = run(jst('03-10 02:00'));
      const result = evaluate(expectation, [...history, abnormal, running], jst('03-10 02:30'));
      expect(result.learnedMs).toBe(minutes(20));
      expect(occurrenceAt(result, at).deadlines.learned).toEqual(jst('03-10 02:30'));
      expect(flagsOf(result)).toEqual([flag('overrun', at, jst('03-10 02:30'))]);
      // With four normal ends it has learned nothing.
      const fromFour = evaluate(expectation, [...history.slice(1), abnormal, running], jst('03-10 02:30'));
      expect(fromFour.learnedMs).toBeNull();
      expect(flagsOf(fromFour)).toEqual([]);
      // A long normal end while it runs does not move its limit (it would clear a raised flag).
      const longOne = run(jst('03-10 01:00'), jst('03-10 02:20'));
      const withLongOne = evaluate(expectation, [...history, longOne, running], jst('03-10 02:30'));
      expect(withLongOne.learnedMs).toBe(minutes(80));
      expect(flagsOf(withLongOne)).toEqual([flag('overrun', at, jst('03-10 02:30'))]);
      // Switched off, it learns nothing either.
      expect(evaluate(expecting({ learned: { enabled: false } }), [...history, running], jst('03-10 02:30')).learnedMs).toBeNull();
    });

    it('is due at the earlier of the set and the learned limit', () => {
      const history = [10, 10, 10, 10, 10].map((m, day) => run(jst(`03-0${day + 3} 02:00`), new Date(jst(`03-0${day + 3} 02:00`).getTime() + minutes(m))));
      const expectation = expecting({ learned: { factor: 2 }, endWithinMinutes: 60 });
      const result = evaluate(expectation, [...history, run(jst('03-10 02:00'))], jst('03-10 02:20'));
      expect(flagsOf(result)).toEqual([flag('overrun', at, jst('03-10 02:20'))]);
    });
  });

  describe('learnedDuration', () => {
    it('is a high percentile by nearest rank', () => {
      const oneToTwenty = Array.from({ length: 20 }, (_, i) => 20 - i);
      expect(learnedDuration(oneToTwenty, 95)).toBe(19);
      expect(learnedDuration(oneToTwenty, 100)).toBe(20);
      expect(learnedDuration(oneToTwenty, 50)).toBe(10);
      expect(learnedDuration([5, 1, 4, 2, 3], 95)).toBe(5);
      expect(learnedDuration([5, 1, 4, 2, 3], 50)).toBe(3);
    });

    it('is null from fewer than five runs', () => {
      expect(learnedDuration([1, 2, 3, 4], 95)).toBeNull();
      expect(learnedDuration([], 95)).toBeNull();
    });
  });

  describe('overrides', () => {
    it('replace the fields they name on their date only', () => {
      const expectation = expecting({ startBy: { afterMinutes: 10 }, endBy: { at: '03:00' }, overrides: [{ date: '2026-03-10', startBy: { afterMinutes: 60 }, endBy: null }] });
      const result = evaluate(expectation, [], jst('03-11 02:20'));
      expect(occurrenceAt(result, jst('03-10 02:00')).deadlines).toMatchObject({ startBy: jst('03-10 03:00'), endBy: null });
      expect(occurrenceAt(result, jst('03-11 02:00')).deadlines).toMatchObject({ startBy: jst('03-11 02:10'), endBy: jst('03-11 03:00') });
      expect(occurrenceAt(result, jst('03-11 02:00')).state).toBe('late-start');
    });

    it('skip their date: no deadlines, no flags, however late', () => {
      const expectation = expecting({ startBy: { afterMinutes: 10 }, overrides: [{ date: '2026-03-10', skip: true }] });
      const result = evaluate(expectation, [], jst('03-10 12:00'));
      expect(occurrenceAt(result, at)).toMatchObject({ state: 'skipped', flags: [], deadlines: { startBy: null, endBy: null } });
      expect(occurrenceAt(result, jst('03-09 02:00')).state).toBe('missed');
      expect(result.flags.map((f) => f.occurrence)).toEqual([jst('03-09 02:00').toISOString()]);
      // A run on a skipped day stays with its occurrence: it is not late for the next one.
      const unplanned = run(jst('03-10 02:05'));
      expect(occurrenceAt(evaluate(expectation, [unplanned], jst('03-10 12:00')), at)).toMatchObject({ state: 'skipped', run: unplanned });
    });
  });

  describe('across DST', () => {
    it('starts a time the clocks skip when they jump, and counts afterMinutes from there (New York)', () => {
      const expectation = expectationSchema.parse({ schedule: { times: ['02:30'] }, timeZone: 'America/New_York', startBy: { afterMinutes: 15 } });
      const start = new Date('2026-03-08T07:00:00Z'); // 03:00 EDT
      const result = evaluate(expectation, [], new Date('2026-03-08T07:15:00Z'));
      expect(occurrenceAt(result, start).date).toBe('2026-03-08');
      expect(flagsOf(result, start)).toEqual([flag('start-delay', start, new Date('2026-03-08T07:15:00Z'))]);
    });

    it('puts a deadline the clocks show twice at its first instance (New York)', () => {
      const expectation = expectationSchema.parse({ schedule: { times: ['00:30'] }, timeZone: 'America/New_York', endBy: { at: '01:30' } });
      const occurrence = occurrenceAt(evaluate(expectation, [], new Date('2026-11-01T05:00:00Z')), new Date('2026-11-01T04:30:00Z'));
      expect(occurrence.deadlines.endBy).toEqual(new Date('2026-11-01T05:30:00Z')); // 01:30 EDT, not 01:30 EST
    });

    it('keeps 28:30 at 04:30 local the day after a clock change (London)', () => {
      const expectation = expectationSchema.parse({ schedule: { cron: '0 23 * * *' }, timeZone: 'Europe/London', endBy: { at: '28:30' } });
      // 28 March 23:00 GMT; the next morning is BST, so 04:30 is 03:30Z.
      const occurrence = occurrenceAt(evaluate(expectation, [], new Date('2026-03-29T02:00:00Z')), new Date('2026-03-28T23:00:00Z'));
      expect(occurrence.deadlines.endBy).toEqual(new Date('2026-03-29T03:30:00Z'));
    });
  });

  describe('for the manager', () => {
    const expectation = expecting({ schedule: { times: ['02:00', '23:00'] }, startBy: { afterMinutes: 10 }, endBy: { at: '28:30' }, endWithinMinutes: 120 });
    const runs = [run(jst('03-09 23:05')), run(jst('03-10 02:20'), jst('03-10 02:50'))];

    it('computes the same from the same store and clock, twice (a standby raises the same flags)', () => {
      const now = jst('03-10 04:40');
      const first = evaluate(expectation, runs, now);
      const second = evaluate(structuredClone(expectation), runs.map((r) => ({ ...r })), new Date(now.getTime()));
      expect(second).toEqual(first);
      expect(flagsOf(first, jst('03-09 12:00'))).toEqual([flag('overrun', jst('03-09 23:00'), jst('03-10 01:05')), flag('end-delay', jst('03-09 23:00'), jst('03-10 04:30'))]);
    });

    it('keeps a flag’s identity and due instant as time goes on, across midnight', () => {
      const lastNight = jst('03-09 23:00').toISOString();
      const flagsOfLastNight = (now: Date) => evaluate(expectation, [], now).flags.filter((f) => f.occurrence === lastNight);
      expect(flagsOfLastNight(jst('03-09 23:20'))).toEqual([{ kind: 'start-delay', occurrence: lastNight, dueAt: jst('03-09 23:10') }]);
      expect(flagsOfLastNight(jst('03-10 01:00'))).toEqual([{ kind: 'missed', occurrence: lastNight, dueAt: jst('03-09 23:40') }]);
      expect(flagsOfLastNight(jst('03-10 23:59'))).toEqual([{ kind: 'missed', occurrence: lastNight, dueAt: jst('03-09 23:40') }]);
    });

    it('drops an occurrence’s flags when it leaves the window at the end of the next day', () => {
      expect(evaluate(expectation, [], jst('03-10 23:59')).flags.some((f) => f.occurrence === jst('03-09 02:00').toISOString())).toBe(true);
      const nextDay = evaluate(expectation, [], jst('03-11 00:00'));
      expect(nextDay.from).toEqual(jst('03-10 00:00'));
      expect(nextDay.flags.some((f) => f.occurrence === jst('03-09 02:00').toISOString())).toBe(false);
    });

    it('names the next instant a flag may change, so one timer does', () => {
      expect(evaluate(expectation, [], jst('03-10 01:00')).nextDueAt).toEqual(jst('03-10 02:10')); // start by
      expect(evaluate(expectation, [], jst('03-10 02:10')).nextDueAt).toEqual(jst('03-10 02:40')); // missed
      expect(evaluate(expectation, [run(jst('03-10 02:05'))], jst('03-10 02:10')).nextDueAt).toEqual(jst('03-10 04:05')); // overrun
      const ended = [run(jst('03-09 23:05'), jst('03-10 00:30')), run(jst('03-10 02:05'), jst('03-10 02:30'))];
      expect(evaluate(expectation, ended, jst('03-10 12:00')).nextDueAt).toEqual(jst('03-10 23:10')); // tonight's start by
      expect(evaluate(expecting({ schedule: { cron: '0 2 1 * *' } }), [], jst('03-10 12:00')).nextDueAt).toEqual(jst('03-11 00:00')); // midnight: yesterday's expire
    });

    it('treats a run that ends after now as running', () => {
      const result = evaluate(expecting({ endWithinMinutes: 30 }), [run(jst('03-10 02:00'), jst('03-10 03:00'))], jst('03-10 02:45'));
      expect(occurrenceAt(result, at).state).toBe('started');
      expect(flagsOf(result)).toEqual([flag('overrun', at, jst('03-10 02:30'))]);
    });
  });

  describe('since', () => {
    it('raises nothing for runs expected before the expectation was set, and watches the next ones', () => {
      const expectation = expecting({ startBy: { afterMinutes: 10 } });
      const setAt = jst('03-10 09:00');
      const result = evaluate(expectation, [], jst('03-10 12:00'), { since: setAt });
      expect(result.flags).toEqual([]);
      // Shown as what happened, only not flagged.
      expect(occurrenceAt(result, at).state).toBe('missed');
      expect(result.nextDueAt).toEqual(jst('03-11 00:00'));
      const tonight = jst('03-11 02:00');
      expect(flagsOf(evaluate(expectation, [], jst('03-11 02:10'), { since: setAt }))).toEqual([flag('start-delay', tonight, jst('03-11 02:10'))]);
    });
  });

  describe('whenever it runs', () => {
    const expectation = expecting({ schedule: { whenever: true }, endWithinMinutes: 30 });

    it('makes each run an occurrence of its own and raises Overrun only, from the run’s own start', () => {
      const late = run(jst('03-10 13:07'));
      const quick = run(jst('03-10 09:00'), jst('03-10 09:10'));
      const result = evaluate(expectation, [quick, late], jst('03-10 13:40'));
      expect(result.occurrences.map((o) => [o.at, o.state])).toEqual([
        [jst('03-10 09:00'), 'ended'],
        [jst('03-10 13:07'), 'started'],
      ]);
      expect(flagsOf(result)).toEqual([flag('overrun', jst('03-10 13:07'), jst('03-10 13:37'))]);
      expect(evaluate(expectation, [quick, late], jst('03-10 13:20')).nextDueAt).toEqual(jst('03-10 13:37'));
      // Nothing expected, so nothing missing: no run, no flag.
      expect(evaluate(expectation, [], jst('03-10 13:40')).flags).toEqual([]);
    });

    it('uses the learned duration when no limit is set', () => {
      const learning = expecting({ schedule: { whenever: true }, learned: { enabled: true, percentile: 100, lastN: 5, factor: 2 } });
      const past = [1, 2, 3, 4, 5].map((d) => run(jst(`03-0${d} 10:00`), jst(`03-0${d} 10:10`)));
      const now = run(jst('03-10 10:00'));
      expect(flagsOf(evaluate(learning, [...past, now], jst('03-10 10:25')))).toEqual([flag('overrun', jst('03-10 10:00'), jst('03-10 10:20'))]);
    });

    it('refuses what needs an expected start, and one that watches nothing', () => {
      for (const fields of [{ startBy: { afterMinutes: 5 } }, { endBy: { at: '06:00' } }, { missedAfterMinutes: 5 }, { overrides: [{ date: '2026-03-11', skip: true as const }] }]) {
        expect(expectationSchema.safeParse({ schedule: { whenever: true }, timeZone: 'UTC', endWithinMinutes: 5, ...fields }).success, JSON.stringify(fields)).toBe(false);
      }
      expect(expectationSchema.safeParse({ schedule: { whenever: true }, timeZone: 'UTC' }).success).toBe(false);
      expect(expectationSchema.safeParse({ schedule: { whenever: true, cron: '* * * * *' }, timeZone: 'UTC', endWithinMinutes: 5 }).success).toBe(false);
    });
  });
});
