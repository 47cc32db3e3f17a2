// The rule for feed tokens people give: random tokens pass, patterns do not.
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MIN_TOKEN_BITS, tokenBits, tokenProblem } from './feed-token';

describe('feed tokens people give', () => {
  it('takes random tokens of 32 characters and more, whatever their encoding, every time', () => {
    for (let i = 0; i < 20_000; i++) {
      // 24 bytes in base64url: 32 characters, what the test harness and jobscope's own tools make.
      const harness = crypto.randomBytes(24).toString('base64url');
      expect(tokenBits(harness), harness).toBeGreaterThan(MIN_TOKEN_BITS + 10);
      expect(tokenProblem(harness)).toBeNull();
    }
    for (let i = 0; i < 2000; i++) {
      for (const token of [crypto.randomBytes(32).toString('base64'), crypto.randomBytes(32).toString('hex'), crypto.randomBytes(32).toString('base64url')]) {
        expect(tokenProblem(token), token).toBeNull();
      }
    }
  });

  it('refuses short tokens, spaces and characters a bearer token cannot carry', () => {
    const short = crypto.randomBytes(23).toString('base64url').slice(0, 31);
    expect(tokenProblem(short)).toEqual({
      en: 'the token must have at least 32 characters (it has 31); use a random one, e.g. openssl rand -base64 32',
      ja: 'トークンは 32 文字以上です (31 文字しかありません)。openssl rand -base64 32 などでランダムに作ってください',
    });
    expect(tokenProblem(`${crypto.randomBytes(24).toString('base64url')} x`)?.en).toBe('the token must be printable ASCII characters without spaces');
    expect(tokenProblem(`${crypto.randomBytes(24).toString('base64url')}é`)?.en).toMatch(/printable ASCII/);
    expect(tokenProblem('')?.en).toMatch(/printable ASCII/);
    expect(tokenProblem('x'.repeat(257))?.en).toMatch(/at most 256 characters/);
  });

  it('refuses long tokens that repeat, run or use few characters, saying about how many bits they have', () => {
    const cases: [string, number][] = [
      ['a'.repeat(40), 2],
      ['ab'.repeat(20), 8],
      ['abcdefghijklmnopqrstuvwxyz012345', 20],
      ['0123456789abcdef0123456789abcdef', 24],
      ['Password1!Password1!Password1!Pa', 50],
      ['abcdefghijklmnopabcdefghijklmnop', 18],
    ];
    for (const [token, bits] of cases) {
      expect(Math.floor(tokenBits(token)), token).toBe(bits);
      expect(tokenProblem(token)?.en, token).toBe(
        `the token looks guessable (about ${bits} bits of an estimated 128 needed: repeats, runs or few distinct characters); use a random one, e.g. openssl rand -base64 32`,
      );
    }
    // 40 characters drawn from 3: long enough, too few kinds of character (at most 40 × log2 6 ≈ 103 bits).
    const fewKinds = Array.from(crypto.randomBytes(40), (b) => 'abc'[b % 3]).join('');
    expect(tokenProblem(fewKinds)?.en).toMatch(/looks guessable/);
    expect(tokenProblem('a'.repeat(40))?.ja).toBe(
      'トークンが推測されやすい形です (推定 約 2 ビット、128 ビット以上が必要: 繰り返しや連続、文字の種類の少なさ)。openssl rand -base64 32 などでランダムに作ってください',
    );
  });
});
