// The hostile values every edge is fed: strings people cannot see or that
// rewrite what surrounds them, numbers at and past every width a store keeps,
// JSON shapes no form sends, and fast-check arbitraries built from them.
import fc from 'fast-check';

/** Characters a name must refuse (the product's rule): NUL, C0 controls, bidi overrides, zero-width, line separators. */
export const NAME_REFUSED: Record<string, string> = {
  nul: 'Nightly\u0000batch',
  'C0 control': 'Nightly\u0007batch',
  escape: 'Nightly\u001b[31mbatch',
  newline: 'Nightly\nbatch',
  tab: 'Nightly\tbatch',
  'carriage return': 'Nightly\rbatch',
  'bidi override U+202E': 'Nightly\u202ehctab',
  'bidi embedding U+202B': '\u202bNightly',
  'bidi isolate U+2066': 'Nightly\u2066batch\u2069',
  'zero-width space': 'Night\u200bly',
  'zero-width joiner': 'Night\u200dly',
  'word joiner U+2060': 'Night\u2060ly',
  'byte order mark': '\ufeffNightly',
  'line separator U+2028': 'Nightly\u2028batch',
  'paragraph separator U+2029': 'Nightly\u2029batch',
};

/** Text that is odd but may be kept when it is kept exactly (comments, job output). */
export const ODD_TEXT: Record<string, string> = {
  'lone high surrogate': 'a\ud800b',
  'lone low surrogate': 'a\udc00b',
  'reversed surrogate pair': '\udc00\ud800',
  'non-character U+FFFF': 'a\uffffb',
  'C1 control': 'a\u0085\u009bb',
  delete: 'a\u007fb',
  emoji: 'job 😀🚀',
  'combining marks': 'e' + '\u0301'.repeat(200),
  'right-to-left text': 'שלום עולם',
  'ideographic space': '\u3000\u00a0',
  html: '<img src=x onerror=alert(1)>',
  sql: `'; DROP TABLE "Scope"; --`,
  'format string': '%s%s%n%x{0}${x}',
  traversal: '../../../../etc/passwd',
  'JSON text': '{"__proto__":{"polluted":true}}',
  'only spaces': '     ',
};

export const HOSTILE_STRINGS: Record<string, string> = {
  ...NAME_REFUSED,
  ...ODD_TEXT,
  empty: '',
  '100 KB': 'x'.repeat(100_000),
  '100 KB of 3-byte characters': '漢'.repeat(34_000),
  '100 KB of NUL': '\u0000'.repeat(100_000),
};

/** Numbers at and past every width a store or a schema keeps. */
export const HOSTILE_NUMBERS: number[] = [
  -1, 0, 0.5, -0.0, 2 ** 31 - 1, 2 ** 31, 3_000_000_000, -2_147_483_649, 2 ** 53 - 1, 2 ** 53, 1e308, -1e308, 5e-324,
];

/** A string as PostgreSQL and SQLite keep it: lone surrogates become U+FFFD on the way to UTF-8. */
export function wellFormed(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** JSON nested `depth` levels deep: [[[…]]] or {"a":{"a":…}}. */
export function deepJson(depth: number, kind: 'array' | 'object' = 'array'): string {
  return kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

/** Bodies that are not the JSON object a route takes, as [label, content-type, bytes]. */
export const BAD_BODIES: [string, string | null, string | Buffer][] = [
  ['truncated JSON', 'application/json', '{"name": '],
  ['trailing garbage', 'application/json', '{"name":"x"} garbage'],
  ['single quotes', 'application/json', "{'name':'x'}"],
  ['NaN literal', 'application/json', '{"name":NaN}'],
  ['comment in JSON', 'application/json', '{/* c */"name":"x"}'],
  ['BOM before JSON', 'application/json', '\ufeff{"name":"x"}'],
  ['UTF-16 body', 'application/json; charset=utf-16le', Buffer.from('{"name":"x"}', 'utf16le')],
  ['invalid UTF-8', 'application/json', Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0xff, 0xfe, 0x22, 0x7d])],
  ['JSON null', 'application/json', 'null'],
  ['JSON number', 'application/json', '12345678901234567890'],
  ['JSON string', 'application/json', '"x"'],
  ['JSON array', 'application/json', '[1,2,3]'],
  ['JSON true', 'application/json', 'true'],
  ['__proto__ key', 'application/json', '{"__proto__":{"role":"admin","isAdmin":true},"constructor":{"prototype":{"x":1}}}'],
  ['duplicate keys', 'application/json', '{"name":"a","name":"b","name":{"$gt":""}}'],
  ['number overflow', 'application/json', '{"id":1e400,"x":-1e400,"scopeId":1e400}'],
  ['deep array 30 000', 'application/json', deepJson(30_000)],
  ['deep object 10 000', 'application/json', deepJson(10_000, 'object')],
  ['text/plain', 'text/plain', '{"name":"x"}'],
  ['no content type', null, '{"name":"x"}'],
  ['form encoded', 'application/x-www-form-urlencoded', 'name=x&role=admin'],
  ['multipart', 'multipart/form-data; boundary=b', '--b\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--b--\r\n'],
  ['XML', 'application/xml', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'],
  ['application/jsonx', 'application/jsonx', '{"name":"x"}'],
  ['binary garbage', 'application/octet-stream', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256))],
];

/** A hostile string, one of the lists above or any string fast-check finds. */
export const hostileString = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...Object.values(HOSTILE_STRINGS)) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
    { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('\u0000', '\u202e', '\u200b', '\u2028', '\ud800', '\udc00', 'a', '/', ':', '.', ' ', '%'), maxLength: 40 }) },
  );

/** Any JSON value, leaning on the hostile ones. */
export const hostileJson = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 4, arbitrary: hostileString() },
    { weight: 3, arbitrary: fc.constantFrom<unknown>(...HOSTILE_NUMBERS, null, true, false, [], {}) },
    { weight: 2, arbitrary: fc.integer() },
    { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  );

/** An object with some of `keys` set to what `value(key)` gives, sometimes with keys no schema knows. */
export function bodyFrom(keys: string[], value: (key: string) => fc.Arbitrary<unknown>): fc.Arbitrary<Record<string, unknown>> {
  const known = fc.record(Object.fromEntries(keys.map((k) => [k, value(k)])), { requiredKeys: [] });
  const extra = fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'id', 'admin', 'role', 'x', ' name', 'NAME', hostileStringKey()), hostileJson(), { maxKeys: 2 });
  return fc.tuple(known, fc.oneof({ weight: 4, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: extra })).map(([a, b]) => {
    // JSON.parse makes "__proto__" an own key; so does defineProperty here.
    const out: Record<string, unknown> = {};
    for (const [k, v] of [...Object.entries(a), ...Object.entries(b)]) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    return out;
  });
}

function hostileStringKey(): string {
  return 'k\u0000\u202e';
}
