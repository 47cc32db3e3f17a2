import { describe, expect, it } from 'vitest';
import { formatDuration, longerThanUsual, runDuration } from './duration';

describe('run durations', () => {
  it('are the time from start to end, none before both', () => {
    expect(runDuration({ startedAt: '2026-12-06T02:00:00.000Z', endedAt: '2026-12-06T02:03:10.000Z' })).toBe(190_000);
    expect(runDuration({ startedAt: '2026-12-06T02:00:00.000Z', endedAt: null })).toBeNull();
    expect(runDuration({ startedAt: null, endedAt: '2026-12-06T02:00:00.000Z' })).toBeNull();
  });

  it('read in either language', () => {
    expect(formatDuration(190_000, 'en')).toBe('3 min 10 s');
    expect(formatDuration(190_000, 'ja')).toBe('3分10秒');
    expect(formatDuration(3_720_000, 'en')).toBe('1 h 2 min');
    expect(formatDuration(3_600_000, 'ja')).toBe('1時間');
    expect(formatDuration(120_000, 'en')).toBe('2 min');
    expect(formatDuration(42_000, 'en')).toBe('42 s');
    expect(formatDuration(420, 'ja')).toBe('0.4秒');
  });

  it('are longer than usual only when a usual one was learned', () => {
    expect(longerThanUsual(200_000, 190_000)).toBe(true);
    expect(longerThanUsual(190_000, 190_000)).toBe(false);
    expect(longerThanUsual(200_000, null)).toBe(false);
    expect(longerThanUsual(null, 1)).toBe(false);
  });
});
