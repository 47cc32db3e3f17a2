import { describe, expect, it } from 'vitest';
import type { ScheduledObject, ScheduledOccurrence } from '../../server/domain/expectations';
import { dayAt, flagAt, hoursOf, rangeOf, latenessOf, marksOf, pointOf, rowsOf, shownStateOf, spanOf, xOf } from './schedule-layout';

const T = (hhmm: string, date = '2026-03-09') => `${date}T${hhmm}:00.000Z`;
const at = (hhmm: string, date?: string) => Date.parse(T(hhmm, date));

function occurrence(over: Partial<ScheduledOccurrence> = {}): ScheduledOccurrence {
  return {
    at: T('02:00'),
    date: '2026-03-09',
    state: 'expected',
    window: { from: T('01:58'), to: T('03:00') },
    deadlines: { startBy: T('02:30'), endBy: T('04:00'), endWithin: null, learned: null },
    run: null,
    flags: [],
    ...over,
  };
}

describe('the day on the axis', () => {
  const day = dayAt(at('12:00'), 'UTC');

  it('is the viewer’s local day, midnight to midnight', () => {
    expect(day).toEqual({ date: '2026-03-09', timeZone: 'UTC', from: at('00:00'), to: at('00:00', '2026-03-10') });
    const tokyo = dayAt(at('16:00'), 'Asia/Tokyo'); // 01:00 on the 10th in Tokyo
    expect(tokyo.date).toBe('2026-03-10');
    expect(tokyo.from).toBe(at('15:00'));
    expect(tokyo.to - tokyo.from).toBe(24 * 3_600_000);
  });

  it('has 23 or 25 hours when the clocks change', () => {
    const spring = dayAt(Date.parse('2026-03-08T12:00:00Z'), 'America/New_York');
    expect(spring.to - spring.from).toBe(23 * 3_600_000);
    expect(hoursOf(spring)).toHaveLength(23);
    const autumn = dayAt(Date.parse('2026-11-01T12:00:00Z'), 'America/New_York');
    expect(hoursOf(autumn)).toHaveLength(25);
  });

  it('may show some hours of it around now, a third of them past, never past its edges', () => {
    expect(rangeOf(day, at('12:00'), 6)).toMatchObject({ date: '2026-03-09', from: at('10:00'), to: at('16:00') });
    expect(rangeOf(day, at('01:00'), 6)).toMatchObject({ from: at('00:00'), to: at('06:00') });
    expect(rangeOf(day, at('23:00'), 6)).toMatchObject({ from: at('18:00'), to: at('00:00', '2026-03-10') });
    expect(rangeOf(day, at('12:00'), 24)).toBe(day);
    const range = rangeOf(day, at('12:20'), 6);
    expect(hoursOf(range, day).map((h) => h.index)).toEqual([11, 12, 13, 14, 15, 16]);
    expect(xOf(at('12:20'), range)).toBeCloseTo(100 / 3, 6);
    expect(spanOf(at('06:00'), at('11:00'), range)).toMatchObject({ left: 0, cutStart: true });
  });

  it('places a time as a share of the day, clamped to its edges', () => {
    expect(xOf(at('00:00'), day)).toBe(0);
    expect(xOf(at('06:00'), day)).toBe(25);
    expect(xOf(at('18:00'), day)).toBe(75);
    expect(xOf(at('23:00', '2026-03-08'), day)).toBe(0);
    expect(xOf(at('01:00', '2026-03-10'), day)).toBe(100);
    expect(pointOf(at('23:00', '2026-03-08'), day)).toBeNull();
    expect(pointOf(null, day)).toBeNull();
    expect(pointOf(at('12:00'), day)).toBe(50);
  });

  it('clips a stretch to the day and says which ends were cut', () => {
    expect(spanOf(at('06:00'), at('12:00'), day)).toEqual({ left: 25, width: 25, cutStart: false, cutEnd: false });
    expect(spanOf(at('22:00', '2026-03-08'), at('06:00'), day)).toEqual({ left: 0, width: 25, cutStart: true, cutEnd: false });
    expect(spanOf(at('18:00'), at('06:00', '2026-03-10'), day)).toEqual({ left: 75, width: 25, cutStart: false, cutEnd: true });
    expect(spanOf(at('20:00', '2026-03-08'), at('22:00', '2026-03-08'), day)).toBeNull();
    expect(spanOf(at('02:00', '2026-03-10'), at('03:00', '2026-03-10'), day)).toBeNull();
  });
});

describe('late', () => {
  it('is a start after the start-by or an end after the end-by, by how much', () => {
    const onTime = occurrence({ state: 'ended', run: { startedAt: T('02:01'), endedAt: T('03:00'), status: 'NORMAL' } });
    expect(latenessOf(onTime)).toEqual({ start: null, end: null });
    expect(shownStateOf(onTime)).toBe('ended');
    const lateStart = occurrence({ state: 'started', run: { startedAt: T('02:40'), endedAt: null, status: 'RUNNING' } });
    expect(latenessOf(lateStart)).toEqual({ start: 10 * 60_000, end: null });
    expect(shownStateOf(lateStart)).toBe('late');
    const lateEnd = occurrence({ state: 'ended', run: { startedAt: T('02:00'), endedAt: T('04:05'), status: 'ABNORMAL' } });
    expect(latenessOf(lateEnd)).toEqual({ start: null, end: 5 * 60_000 });
    expect(shownStateOf(lateEnd)).toBe('late');
  });

  it('needs a deadline: with none, nothing is late', () => {
    const none = occurrence({ state: 'ended', deadlines: { startBy: null, endBy: null, endWithin: null, learned: null }, run: { startedAt: T('09:00'), endedAt: T('23:00'), status: 'NORMAL' } });
    expect(latenessOf(none)).toEqual({ start: null, end: null });
    expect(shownStateOf(none)).toBe('ended');
  });

  it('is also no run yet past the start-by; the other states are the server’s', () => {
    expect(shownStateOf(occurrence({ state: 'late-start' }))).toBe('late');
    for (const state of ['expected', 'missed', 'skipped', 'started'] as const) expect(shownStateOf(occurrence({ state }))).toBe(state);
  });
});

describe('marks of an occurrence', () => {
  const day = dayAt(at('12:00'), 'UTC');
  const now = at('12:00');

  it('expected: a tick, its deadlines and its window, no bar', () => {
    const m = marksOf(occurrence({ at: T('18:00'), window: { from: T('17:58'), to: T('19:00') }, deadlines: { startBy: T('18:30'), endBy: T('21:00'), endWithin: null, learned: null } }), day, now)!;
    expect(m.state).toBe('expected');
    expect(m.tick).toBe(75);
    expect(m.startBy).toBeCloseTo(77.083, 2);
    expect(m.endBy).toBe(87.5);
    expect(m.window!.left).toBeCloseTo(74.86, 2);
    expect(m.bar).toBeNull();
    expect(m.anchor).toBe(75);
  });

  it('started: a bar from its start to now, running; ended: to its end, in its status', () => {
    const running = marksOf(occurrence({ at: T('06:00'), state: 'started', deadlines: { startBy: null, endBy: null, endWithin: null, learned: null }, run: { startedAt: T('06:00'), endedAt: null, status: 'RUNNING' } }), day, now)!;
    expect(running.state).toBe('started');
    expect(running.bar).toEqual({ left: 25, width: 25, cutStart: false, cutEnd: false, running: true, status: 'RUNNING' });
    const ended = marksOf(occurrence({ at: T('06:00'), state: 'ended', deadlines: { startBy: null, endBy: null, endWithin: null, learned: null }, run: { startedAt: T('06:00'), endedAt: T('09:00'), status: 'WARNING' } }), day, now)!;
    expect(ended.state).toBe('ended');
    expect(ended.bar).toMatchObject({ left: 25, width: 12.5, running: false, status: 'WARNING' });
  });

  it('missed and skipped: a tick, no bar; raised flags sit at the deadline they came due at', () => {
    const missed = marksOf(occurrence({ state: 'missed', flags: ['missed'] }), day, now)!;
    expect(missed.state).toBe('missed');
    expect(missed.bar).toBeNull();
    expect(missed.flags).toEqual([{ kind: 'missed', x: 12.5 }]);
    const skipped = marksOf(occurrence({ state: 'skipped', deadlines: { startBy: null, endBy: null, endWithin: null, learned: null } }), day, now)!;
    expect(skipped).toMatchObject({ state: 'skipped', tick: xOf(at('02:00'), day), startBy: null, endBy: null, bar: null });
  });

  it('an occurrence of yesterday whose run reaches into today shows its run cut at midnight, without its tick', () => {
    const m = marksOf(occurrence({ at: T('23:00', '2026-03-08'), state: 'ended', deadlines: { startBy: null, endBy: T('01:00'), endWithin: null, learned: null }, run: { startedAt: T('23:00', '2026-03-08'), endedAt: T('03:00'), status: 'NORMAL' } }), day, now)!;
    expect(m.tick).toBeNull();
    expect(m.bar).toMatchObject({ left: 0, cutStart: true });
    expect(m.state).toBe('late'); // ended two hours after its end-by
    expect(m.anchor).toBe(0);
  });

  it('leaves out what falls wholly on another day', () => {
    expect(marksOf(occurrence({ at: T('20:00', '2026-03-08'), window: { from: T('19:58', '2026-03-08'), to: T('21:00', '2026-03-08') }, deadlines: { startBy: T('20:30', '2026-03-08'), endBy: T('22:00', '2026-03-08'), endWithin: null, learned: null } }), day, now)).toBeNull();
    expect(marksOf(occurrence({ at: T('02:00', '2026-03-10'), deadlines: { startBy: null, endBy: null, endWithin: null, learned: null } }), day, now)).toBeNull();
  });

  it('an overrun sits at the earlier of its limits', () => {
    const o = occurrence({ deadlines: { startBy: null, endBy: null, endWithin: T('05:00'), learned: T('04:30') }, flags: ['overrun'] });
    expect(flagAt('overrun', o)).toBe(at('04:30'));
    expect(flagAt('start-delay', occurrence())).toBe(at('02:30'));
    expect(flagAt('end-delay', occurrence())).toBe(at('04:00'));
  });
});

describe('rows', () => {
  it('one per object, by name, with today’s occurrences', () => {
    const day = dayAt(at('12:00'), 'UTC');
    const object = (objectId: number, name: string, occurrences: ScheduledOccurrence[]): ScheduledObject => ({ objectId, name, scopeId: 1, host: 'h', unit: `/${name}`, timeZone: 'UTC', learnedMs: null, occurrences });
    const rows = rowsOf(
      [
        object(2, 'Zeta', [occurrence({ at: T('02:00', '2026-03-08'), window: { from: T('01:58', '2026-03-08'), to: T('03:00', '2026-03-08') }, deadlines: { startBy: null, endBy: null, endWithin: null, learned: null }, state: 'missed', flags: ['missed'] }), occurrence()]),
        object(1, 'Alpha', []),
      ],
      day,
      at('12:00'),
    );
    expect(rows.map((r) => r.object.name)).toEqual(['Alpha', 'Zeta']);
    expect(rows[0].marks).toEqual([]);
    expect(rows[1].marks.map((m) => m.occurrence.at)).toEqual([T('02:00')]);
  });
});
