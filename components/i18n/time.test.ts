import { describe, expect, it } from 'vitest';
import { dateLocale, formatClock, formatDateTime } from './time';

describe('times on screen', () => {
  const now = new Date(2026, 10, 24, 18, 0, 0);

  it('shows the time alone today and adds the date otherwise, on a 24-hour clock', () => {
    expect(formatClock(new Date(2026, 10, 24, 9, 5, 7), now, 'en-GB')).toBe('09:05:07');
    expect(formatClock(new Date(2026, 10, 23, 21, 0, 0), now, 'ja-JP')).toBe('2026/11/23 21:00:00');
    expect(formatClock('not a time', now)).toBe('');
  });

  it('shows a wall display’s clock in the time zone it was given, today being that zone’s today', () => {
    const utcNow = new Date(Date.UTC(2026, 11, 6, 14, 30, 0));
    expect(formatClock(utcNow, utcNow, 'en-GB', 'Asia/Tokyo')).toBe('23:30:00');
    expect(formatClock(utcNow, utcNow, 'en-GB', 'America/New_York')).toBe('09:30:00');
    // 16:00 UTC is already tomorrow in Tokyo: dated there, as that day is not Tokyo's today.
    expect(formatClock(new Date(Date.UTC(2026, 11, 6, 16, 0, 0)), utcNow, 'ja-JP', 'Asia/Tokyo')).toBe('2026/12/07 01:00:00');
  });

  it('writes the date and the time together when asked, today too', () => {
    expect(formatDateTime(new Date(2026, 10, 24, 9, 5, 7), 'en-GB')).toBe('24/11/2026 09:05:07');
    expect(formatDateTime(new Date(2026, 10, 24, 9, 5, 7), 'ja-JP')).toBe('2026/11/24 09:05:07');
    expect(formatDateTime('not a time')).toBe('');
  });

  it('writes dates the way the language on screen does', () => {
    expect(dateLocale('ja', 'en-US')).toBe('ja');
    expect(dateLocale('en', 'en-GB')).toBe('en-GB');
    expect(dateLocale('en', 'ja-JP')).toBe('en');
    expect(dateLocale('ja', 'ja-JP')).toBe('ja-JP');
  });
});
