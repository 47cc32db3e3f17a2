import { describe, expect, it } from 'vitest';
import { BACKGROUND_TYPES, MAX_BACKGROUND_BYTES as SERVER_MAX } from '../../server/definitions/backgrounds';
import { BACKGROUND_ACCEPT, backgroundUrl, formatSize, MAX_BACKGROUND_BYTES, tooLarge } from './background';

describe('background checks in the View', () => {
  it('offers the types and uses the limit the server accepts', () => {
    expect(BACKGROUND_ACCEPT.split(',')).toEqual([...BACKGROUND_TYPES]);
    expect(MAX_BACKGROUND_BYTES).toBe(SERVER_MAX);
    expect(tooLarge(SERVER_MAX)).toBe(false);
    expect(tooLarge(SERVER_MAX + 1)).toBe(true);
  });

  it('says a size as people read it', () => {
    expect(formatSize(900)).toBe('900 B');
    expect(formatSize(1536)).toBe('2 KiB');
    expect(formatSize(3 * 1024 * 1024 + 200_000)).toBe('3.2 MiB');
  });

  it('names the image of one scope, again after each change', () => {
    expect(backgroundUrl(7, 123)).toBe('/api/v1/scopes/7/background?v=123');
  });
});
