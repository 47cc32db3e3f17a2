// Hostile definitions documents for POST /api/v1/definitions/import. Each is
// refused whole, with a JSON path for each problem, and changes nothing; or,
// where the document is odd but valid (`either`), imported whole. fast-check
// adds documents built from the document's shape with hostile leaves.
import fc from 'fast-check';
import { FORMAT, VERSION } from '../definitions/transfer';
import { IMAGES } from '../testing/images';
import { NAME_REFUSED, hostileJson, hostileString } from './values';

export interface ImportContext {
  /** A registered monitored host. */
  host: string;
}

export interface ImportCase {
  name: string;
  expect: 'refused' | 'either';
  build: (ctx: ImportContext) => unknown;
  /** A JSON path the refusal must name (a prefix of one of its fields); '': none (the body is not JSON at all). */
  path?: string;
  /** The status a refusal must have when not 400. */
  status?: number;
}

const doc = (o: Record<string, unknown> = {}) => ({ format: FORMAT, version: VERSION, hosts: [], scopes: [], ...o });
const scope = (o: Record<string, unknown> = {}) => ({ name: 'Imported', ...o });
const object = (ctx: ImportContext, o: Record<string, unknown> = {}) => ({ name: 'Obj', host: ctx.host, unit: '/Imported/job', ...o });
const host = (o: Record<string, unknown> = {}) => ({ name: 'imported-host', address: '127.0.0.1', feedPort: 7421, token: 'i'.repeat(24), ...o });

function nested(depth: number): Record<string, unknown> {
  let s: Record<string, unknown> = scope({ name: `level ${depth}` });
  for (let d = depth - 1; d >= 1; d--) s = scope({ name: `level ${d}`, scopes: [s] });
  return s;
}

/** A raw document: nested `depth` deep without building it as objects first. */
function deepRaw(depth: number): string {
  return `{"format":"${FORMAT}","version":${VERSION},"scopes":[` + '{"name":"d","scopes":['.repeat(depth) + ']}'.repeat(depth) + ']}';
}

export function importCases(): ImportCase[] {
  const cases: ImportCase[] = [
    { name: 'a JSON null', expect: 'refused', build: () => null, path: '$.format' },
    { name: 'an array', expect: 'refused', build: () => [doc()], path: '$.format' },
    { name: 'a string', expect: 'refused', build: () => JSON.stringify('jobscope-definitions'), path: '$.format' },
    { name: 'another format', expect: 'refused', build: () => doc({ format: 'jobscope-definitions2' }), path: '$.format' },
    { name: 'version 2', expect: 'refused', build: () => doc({ version: 2 }), path: '$.version' },
    { name: 'version "1"', expect: 'refused', build: () => doc({ version: '1' }), path: '$.version' },
    { name: 'scopes nested 9 deep', expect: 'refused', build: () => doc({ scopes: [nested(9)] }), path: '$.scopes[0]' },
    { name: 'scopes nested 200 000 deep', expect: 'refused', build: () => deepRaw(200_000), path: '$.scopes[0]' },
    { name: 'scopes that are an object', expect: 'refused', build: () => doc({ scopes: { 0: scope() } }), path: '$.scopes' },
    { name: 'a scope that is null', expect: 'refused', build: () => doc({ scopes: [null] }), path: '$.scopes[0]' },
    { name: 'an object of an unknown host', expect: 'refused', build: (ctx) => doc({ scopes: [scope({ objects: [object(ctx, { host: 'nosuchhost' })] })] }), path: '$.scopes[0].objects[0].host' },
    { name: 'an object with a unit path with ..', expect: 'refused', build: (ctx) => doc({ scopes: [scope({ objects: [object(ctx, { unit: '/a/../b' })] })] }), path: '$.scopes[0].objects[0].unit' },
    { name: 'a host listed twice', expect: 'refused', build: () => doc({ hosts: [host(), host()] }), path: '$.hosts[1].name' },
    { name: 'x without y', expect: 'refused', build: () => doc({ scopes: [scope({ x: 3 })] }), path: '$.scopes[0].x' },
    { name: 'a cell past the map', expect: 'refused', build: () => doc({ scopes: [scope({ x: 200, y: 0 })] }), path: '$.scopes[0].x' },
    { name: 'a fractional cell', expect: 'refused', build: () => doc({ scopes: [scope({ x: 1.5, y: 0 })] }), path: '$.scopes[0].x' },
    { name: 'an SVG background', expect: 'refused', build: () => doc({ scopes: [scope({ background: { mime: 'image/svg+xml', base64: IMAGES.svg.toString('base64') } })] }), path: '$.scopes[0].background' },
    { name: 'a PNG background said to be a GIF', expect: 'refused', build: () => doc({ scopes: [scope({ background: { mime: 'image/gif', base64: IMAGES.png.toString('base64') } })] }), path: '$.scopes[0].background' },
    { name: 'a background that is not base64', expect: 'refused', build: () => doc({ scopes: [scope({ background: { mime: 'image/png', base64: '!!!not base64!!!' } })] }), path: '$.scopes[0].background' },
    { name: 'a background of 3 MB', expect: 'refused', build: () => doc({ scopes: [scope({ background: { mime: 'image/png', base64: Buffer.concat([IMAGES.png, Buffer.alloc(3 * 1024 * 1024)]).toString('base64') } })] }), path: '$.scopes[0].background' },
    { name: 'a javascript: webhook', expect: 'refused', build: () => doc({ scopes: [scope({ webhook: { url: 'javascript:alert(1)' } })] }), path: '$.scopes[0].webhook' },
    { name: 'a mail recipient with a header after a line break', expect: 'refused', build: () => doc({ scopes: [scope({ mail: { to: ['ops@example.com\r\nBcc: all@evil.example'] } })] }), path: '$.scopes[0].mail.to[0]' },
    { name: '21 mail recipients', expect: 'refused', build: () => doc({ scopes: [scope({ mail: { to: Array.from({ length: 21 }, (_, i) => `o${i}@example.com`) } })] }), path: '$.scopes[0].mail.to' },
    { name: 'a host with port 0', expect: 'refused', build: () => doc({ hosts: [host({ feedPort: 0 })] }), path: '$.hosts[0].feedPort' },
    { name: 'a host with a name that is a path', expect: 'refused', build: () => doc({ hosts: [host({ name: '../../etc' })] }), path: '$.hosts[0].name' },
    { name: '10 001 hosts', expect: 'refused', build: () => doc({ hosts: Array.from({ length: 10_001 }, (_, i) => host({ name: `h${i}` })) }), path: '$.hosts' },
    { name: 'an icon named __proto__', expect: 'refused', build: () => doc({ scopes: [scope({ icon: '__proto__' })] }), path: '$.scopes[0].icon' },
    { name: '__proto__ keys in a scope', expect: 'refused', build: () => `{"format":"${FORMAT}","version":1,"scopes":[{"name":"p","__proto__":{"name":"polluted"}}]}`, path: '$.scopes[0]' },
    { name: 'an exportedAt of 30 MB', expect: 'refused', build: () => doc({ exportedAt: 'x'.repeat(30 * 1024 * 1024) }), path: '$.exportedAt' },
    { name: 'a body of 33 MB', expect: 'refused', build: () => Buffer.alloc(33 * 1024 * 1024, 0x20), status: 413, path: '' },
    { name: 'truncated JSON', expect: 'refused', build: () => JSON.stringify(doc()).slice(0, 30), path: '' },
    // Odd but valid: imported whole, or refused whole.
    { name: 'NUL in exportedFrom', expect: 'either', build: (ctx) => doc({ exportedFrom: 'clh\u0000x', scopes: [scope({ objects: [object(ctx)] })] }) },
    { name: 'NUL in a feed token', expect: 'either', build: () => doc({ hosts: [host({ name: 'nul-token-host', token: `tok\u0000${'t'.repeat(20)}` })] }) },
    { name: 'NUL in a comment', expect: 'either', build: () => doc({ scopes: [scope({ comment: 'a\u0000b' })] }) },
    { name: 'a webhook to a link-local address', expect: 'either', build: () => doc({ scopes: [scope({ webhook: { url: 'http://169.254.169.254/latest/meta-data' } })] }) },
    { name: '60 000 objects in one scope', expect: 'either', build: (ctx) => doc({ scopes: [scope({ objects: Array.from({ length: 60_000 }, (_, i) => object(ctx, { name: `o${i}`, unit: `/Bulk/u${i}` })) })] }) },
  ];
  for (const [what, name] of Object.entries(NAME_REFUSED)) {
    cases.push({ name: `a scope name with ${what}`, expect: 'refused', build: () => doc({ scopes: [scope({ name })] }), path: '$.scopes[0].name' });
  }
  cases.push({ name: `an object name with a bidi override`, expect: 'refused', build: (ctx) => doc({ scopes: [scope({ objects: [object(ctx, { name: 'Obj\u202ejbo' })] })] }), path: '$.scopes[0].objects[0].name' });
  // fast-check: documents of the right shape, hostile leaves; each must be refused (a leaf is always wrong).
  const samples = fc.sample(
    fc.record({
      format: fc.oneof(fc.constant(FORMAT), hostileString()),
      version: fc.oneof(fc.constant(VERSION), hostileJson()),
      hosts: fc.oneof(fc.array(fc.record({ name: hostileString(), address: hostileString(), feedPort: hostileJson(), token: hostileString() }, { requiredKeys: [] }), { maxLength: 2 }), hostileJson()),
      scopes: fc.oneof(
        fc.array(
          fc.record(
            { name: hostileString(), comment: hostileString(), icon: hostileString(), x: hostileJson(), y: hostileJson(), webhook: hostileJson(), background: hostileJson(), scopes: hostileJson(), objects: fc.array(fc.dictionary(fc.constantFrom('name', 'host', 'unit', 'icon', 'x', 'y', 'comment'), hostileJson()), { maxLength: 2 }) },
            { requiredKeys: ['name'] },
          ),
          { minLength: 1, maxLength: 2 },
        ),
        hostileJson(),
      ),
    }),
    { numRuns: 30, seed: 20261206 },
  );
  samples.forEach((sample, i) => cases.push({ name: `fast-check document ${i + 1}`, expect: 'either', build: () => sample }));
  return cases;
}
