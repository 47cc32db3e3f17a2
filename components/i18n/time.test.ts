import { describe, expect, it } from 'vitest';
import { dateLocale, formatClock } from './time';

describe('times on screen', () => {
  const now = new Date(2026, 10, 24, 18, 0, 0);

  it('shows the time alone today and adds the date otherwise, on a 24-hour clock', () => {
    expect(formatClock(new Date(2026, 10, 24, 9, 5, 7), now, 'en-GB')).toBe('09:05:07');
    expect(formatClock(new Date(2026, 10, 23, 21, 0, 0), now, 'ja-JP')).toBe('2026/11/23 21:00:00');
    expect(formatClock('not a time', now)).toBe('');
  });

  it('writes dates the way the language on screen does', () => {
    expect(dateLocale('ja', 'en-US')).toBe('ja');
    expect(dateLocale('en', 'en-GB')).toBe('en-GB');
    expect(dateLocale('en', 'ja-JP')).toBe('en');
    expect(dateLocale('ja', 'ja-JP')).toBe('ja-JP');
  });
});
