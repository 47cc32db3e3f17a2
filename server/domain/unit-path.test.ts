import { describe, expect, it } from 'vitest';
import { canonicalUnit, formatUnitName, parseUnitName, treeKeys, type UnitName } from './unit-path';

function ok(text: string): UnitName {
  const parsed = parseUnitName(text);
  if (!parsed.ok) throw new Error(`expected ${JSON.stringify(text)} to be valid, got: ${parsed.error.en}`);
  return parsed.value;
}

function error(text: string): string {
  const parsed = parseUnitName(text);
  if (parsed.ok) throw new Error(`expected ${JSON.stringify(text)} to be refused`);
  return parsed.error.en;
}

const VALID: Array<[string, string | null, string[]]> = [
  ['/a', null, ['a']],
  ['/Billing/Daily/extract', null, ['Billing', 'Daily', 'extract']],
  ['AJSROOT1:/Billing/Daily', 'AJSROOT1', ['Billing', 'Daily']],
  ['AJSROOT1:/Order Processing', 'AJSROOT1', ['Order Processing']],
  ['a:/x', 'a', ['x']],
  ['Svc_2:/x', 'Svc_2', ['x']],
  ['/受注処理/日次バッチ/データ抽出', null, ['受注処理', '日次バッチ', 'データ抽出']],
  ['/受注・出荷/日次', null, ['受注・出荷', '日次']],
  ['/\u30cf\u309a\u30c3\u30c1', null, ['\u30cf\u309a\u30c3\u30c1']], // パッチ with a combining mark
  ['AJSROOT1:/経理/月次 締め', 'AJSROOT1', ['経理', '月次 締め']],
  ['/Order Processing/Daily run/step 1', null, ['Order Processing', 'Daily run', 'step 1']],
  ['/a-b_c.d@e#f+g(h)[i]', null, ['a-b_c.d@e#f+g(h)[i]']],
  ['/Ünïcödé/Ελληνικά/123', null, ['Ünïcödé', 'Ελληνικά', '123']],
  ['/.hidden/a.b/...', null, ['.hidden', 'a.b', '...']],
];

describe('parseUnitName: valid names', () => {
  it.each(VALID)('accepts %j', (text, service, segments) => {
    expect(ok(text)).toEqual({ service, segments });
  });

  it('accepts a segment of 64 characters and a name of 512', () => {
    expect(ok('/' + 'x'.repeat(64)).segments[0]).toHaveLength(64);
    const name = '/' + Array.from({ length: 7 }, () => 'y'.repeat(64)).join('/') + '/' + 'z'.repeat(56);
    expect(name).toHaveLength(512);
    expect(ok(name).segments).toHaveLength(8);
  });

  it('counts characters, not UTF-16 units, in a segment', () => {
    expect(ok('/' + '𠮷'.repeat(64)).segments[0]).toBe('𠮷'.repeat(64));
  });

  it('accepts a service of 30 characters', () => {
    expect(ok('A' + 'b'.repeat(29) + ':/x').service).toHaveLength(30);
  });
});

describe('parseUnitName: invalid names', () => {
  it('refuses an empty name', () => {
    expect(error('')).toBe('unit name is empty');
  });

  it('refuses a non-string', () => {
    expect(parseUnitName(undefined as unknown as string).ok).toBe(false);
    expect(parseUnitName(42 as unknown as string).ok).toBe(false);
  });

  it.each(['a', 'a/b', 'Billing/Daily', ' /a', 'AJSROOT1:a/b', 'AJSROOT1:'])('refuses %j without a leading /', (text) => {
    expect(error(text)).toBe('unit path must start with /');
  });

  it.each(['/', '//a', '/a//b', '/a/', 'AJSROOT1:/', 'AJSROOT1:/a/'])('refuses %j with an empty segment', (text) => {
    expect(error(text)).toBe('unit path has an empty segment');
  });

  it.each(['/.', '/..', '/a/./b', '/a/../b', '/a/..', 'AJSROOT1:/..'])('refuses %j with . or ..', (text) => {
    expect(error(text)).toBe('unit path may not contain . or ..');
  });

  it.each([
    ['/ a', ' a'],
    ['/a ', 'a '],
    ['/x/ Daily', ' Daily'],
    ['/x/Daily /y', 'Daily '],
    ['/\u3000受注', '\u3000受注'],
  ])('refuses %j with a leading or trailing space', (text, segment) => {
    expect(error(text)).toBe(`unit name "${segment}" starts or ends with a space`);
  });

  it.each([
    ['/a:b', 'a:b'],
    ['/Billing/a:b', 'a:b'],
    ['AJSROOT1:/a:b', 'a:b'],
    ['/a*', 'a*'],
    ['/a?', 'a?'],
    ['/"a"', '"a"'],
    ['/<a>', '<a>'],
    ['/a>b', 'a>b'],
    ['/a\\b', 'a\\b'],
    ['/a|b', 'a|b'],
    ['/a\tb', 'a\tb'],
    ['/a\nb', 'a\nb'],
    ['/a\u0000b', 'a\u0000b'],
    ['/a\u0007b', 'a\u0007b'],
    ['/a\u007fb', 'a\u007fb'],
    ['/a\u009fb', 'a\u009fb'],
    ['/a\u200bb', 'a\u200bb'],
    ["/a'b", "a'b"],
    ['/a;b', 'a;b'],
    ['/a$b', 'a$b'],
  ])('refuses %j with a forbidden character', (text, segment) => {
    expect(error(text)).toBe(`unit name "${segment}" has characters other than letters, digits, space and _-.@#+()[]`);
  });

  it('refuses a segment longer than 64 characters with a message that says so', () => {
    const long = 'x'.repeat(65);
    expect(error(`/a/${long}`)).toBe(`unit name "${long}" is longer than 64 characters`);
    expect(error('/' + '𠮷'.repeat(65))).toBe(`unit name "${'𠮷'.repeat(65)}" is longer than 64 characters`);
  });

  it('refuses a name longer than 512 characters', () => {
    const name = '/' + Array.from({ length: 8 }, () => 'y'.repeat(64)).join('/');
    expect(name.length).toBeGreaterThan(512);
    expect(error(name)).toBe('unit name is longer than 512 characters');
  });

  it.each([
    ['1ROOT:/a', '1ROOT'],
    ['_ROOT:/a', '_ROOT'],
    ['AJS ROOT:/a', 'AJS ROOT'],
    ['AJS-ROOT:/a', 'AJS-ROOT'],
    ['ルート:/a', 'ルート'],
    [':/a', ''],
    ['A' + 'b'.repeat(30) + ':/a', 'A' + 'b'.repeat(30)],
  ])('refuses %j with a bad scheduler service', (text, service) => {
    expect(error(text)).toBe(`scheduler service "${service}" must be a letter followed by letters, digits or _ (at most 30)`);
  });
});

describe('formatUnitName', () => {
  it.each(VALID.map(([text]) => text))('round-trips %j', (text) => {
    expect(formatUnitName(ok(text))).toBe(text);
    expect(ok(formatUnitName(ok(text)))).toEqual(ok(text));
  });

  it('formats with and without a service', () => {
    expect(formatUnitName({ service: null, segments: ['a', 'b'] })).toBe('/a/b');
    expect(formatUnitName({ service: 'AJSROOT1', segments: ['a', 'b'] })).toBe('AJSROOT1:/a/b');
  });
});

describe('canonicalUnit', () => {
  it('returns a valid name as is', () => {
    expect(canonicalUnit('AJSROOT1:/受注/日次')).toBe('AJSROOT1:/受注/日次');
    expect(canonicalUnit('/a/b')).toBe('/a/b');
  });

  it('throws with the reason for an invalid one', () => {
    expect(() => canonicalUnit('a/b')).toThrow('unit path must start with /');
    expect(() => canonicalUnit('/a/../b')).toThrow('unit path may not contain . or ..');
  });
});

describe('treeKeys', () => {
  it('is the segments of a plain path', () => {
    expect(treeKeys(ok('/Billing/Daily/extract'))).toEqual(['Billing', 'Daily', 'extract']);
  });

  it('puts the service first, marked by its colon', () => {
    expect(treeKeys(ok('AJSROOT1:/Billing/Daily'))).toEqual(['AJSROOT1:', 'Billing', 'Daily']);
  });

  it('never gives a service key that a plain segment could equal', () => {
    const serviceKey = treeKeys(ok('AJSROOT1:/x'))[0];
    expect(parseUnitName('/' + serviceKey).ok).toBe(false);
    expect(treeKeys(ok('/AJSROOT1/x'))[0]).not.toBe(serviceKey);
  });

  it('gives each ancestor as a prefix of the keys', () => {
    const unit = treeKeys(ok('/G/N/j'));
    expect(treeKeys(ok('/G/N'))).toEqual(unit.slice(0, 2));
    expect(treeKeys(ok('/G'))).toEqual(unit.slice(0, 1));
  });
});
