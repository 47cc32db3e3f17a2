import { describe, expect, it } from 'vitest';
import { checkThresholds, judge } from './judge';

describe('judge', () => {
  it('ends normally on exit code 0, with or without thresholds', () => {
    expect(judge({ kind: 'exited', code: 0 })).toBe('NORMAL');
    expect(judge({ kind: 'exited', code: 0 }, { warningAbove: 2, abendAbove: 10 })).toBe('NORMAL');
  });

  it('ends abnormally on any other code when there are no thresholds', () => {
    for (const code of [1, 2, 3, 127, 255]) expect(judge({ kind: 'exited', code })).toBe('ABNORMAL');
  });

  it('with both thresholds: normal up to W, warning in (W, A], abnormal above A', () => {
    const t = { warningAbove: 2, abendAbove: 10 };
    expect(judge({ kind: 'exited', code: 1 }, t)).toBe('NORMAL');
    expect(judge({ kind: 'exited', code: 2 }, t)).toBe('NORMAL');
    expect(judge({ kind: 'exited', code: 3 }, t)).toBe('WARNING');
    expect(judge({ kind: 'exited', code: 10 }, t)).toBe('WARNING');
    expect(judge({ kind: 'exited', code: 11 }, t)).toBe('ABNORMAL');
    expect(judge({ kind: 'exited', code: 12 }, t)).toBe('ABNORMAL');
  });

  it('with only a warning threshold, codes above it are warnings', () => {
    expect(judge({ kind: 'exited', code: 4 }, { warningAbove: 4 })).toBe('NORMAL');
    expect(judge({ kind: 'exited', code: 5 }, { warningAbove: 4 })).toBe('WARNING');
    expect(judge({ kind: 'exited', code: 200 }, { warningAbove: 4 })).toBe('WARNING');
  });

  it('with only an abend threshold, codes up to it end normally and above it abnormally', () => {
    expect(judge({ kind: 'exited', code: 8 }, { abendAbove: 8 })).toBe('NORMAL');
    expect(judge({ kind: 'exited', code: 9 }, { abendAbove: 8 })).toBe('ABNORMAL');
  });

  it('a command killed by a signal is Killed, whatever the thresholds', () => {
    expect(judge({ kind: 'signalled', signal: 'SIGTERM' })).toBe('KILL');
    expect(judge({ kind: 'signalled', signal: 'SIGKILL' }, { warningAbove: 2, abendAbove: 10 })).toBe('KILL');
  });

  it('a command that cannot be started Failed to start', () => {
    expect(judge({ kind: 'not-started', error: 'command not found: x' })).toBe('FAIL');
    expect(judge({ kind: 'not-started', error: 'permission denied: x' }, { warningAbove: 1 })).toBe('FAIL');
  });
});

describe('checkThresholds', () => {
  it('accepts none, one, or W < A', () => {
    expect(checkThresholds({})).toBeNull();
    expect(checkThresholds({ warningAbove: 0 })).toBeNull();
    expect(checkThresholds({ abendAbove: 5 })).toBeNull();
    expect(checkThresholds({ warningAbove: 2, abendAbove: 10 })).toBeNull();
  });

  it('refuses W >= A, negative and fractional values', () => {
    expect(checkThresholds({ warningAbove: 10, abendAbove: 10 })).toMatch(/lower than/);
    expect(checkThresholds({ warningAbove: 11, abendAbove: 10 })).toMatch(/lower than/);
    expect(checkThresholds({ warningAbove: -1 })).toMatch(/warningAbove must be a whole number/);
    expect(checkThresholds({ abendAbove: 1.5 })).toMatch(/abendAbove must be a whole number/);
  });
});
