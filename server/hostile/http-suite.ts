// Every route of the REST API, as anonymous, guest, operator and admin, fed
// wrong methods, bodies no form sends, hostile ids and query strings, hostile
// strings in every field (and bodies fast-check builds from the schemas' shapes),
// hostile Host and Origin headers and raw requests; then the View's own paths.
// After each group of cases: the manager still runs and answers its health
// check, and where every request was refused the store holds what it held.
import crypto from 'node:crypto';
import fs from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type ApiDeps } from '../http/api';
import { allows } from '../auth/roles';
import type { Permission } from '../auth/roles';
import { appendEvent } from '../spool/spool';
import { IMAGES } from '../testing/images';
import { rawRequest, type RawResponse } from '../testing/raw-http';
import { waitUntil } from '../testing/test-host';
import type { StoreProvider } from '../testing/stores';
import { newScopeSchema, newObjectSchema, scopeChangesSchema, objectChangesSchema, webhookSchema, positionsSchema } from '../definitions/scopes';
import { newHostSchema } from '../definitions/hosts';
import { displayChangesSchema, newDisplaySchema } from '../displays/displays';
import { expectationSchema, overrideSchema } from '../domain/expectations';
import { flagAckSchema } from '../expectations/acknowledge-flag';
import { describeHit, notRefused, send, WHO, type Answer, type Hit, type Who } from './http-client';
import { Rig, pool, show } from './rig';
import { BAD_BODIES, HOSTILE_STRINGS, NAME_REFUSED, bodyFrom, hostileJson, hostileString, wellFormed } from './values';
import { printTally, tally } from './tally';
import { importCases, type ImportCase } from './import-cases';

const ROUTES = createApi({} as ApiDeps).table();
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'PROPFIND'];
const MAX_LISTED = 40;
/**
 * Longest a request may keep the manager from answering its health check: its PostgreSQL lease
 * lasts 8 s and is renewed every 2 s, so a longer stall can lose it (and stalls every feed and socket).
 */
const STALL_LIMIT_MS = 6000;

/** Whether a role may use a route (anonymous: public routes only). */
const may = (who: Who, permission: Permission | null) => permission === null || (who !== 'anonymous' && allows(who, permission));

export function httpSuite(store: StoreProvider): void {
  const started = Date.now();
  let rig: Rig;
  const fx = { scope: 0, scope2: 0, object: 0, victim: 0, host: '', readRun: '', ackRuns: [] as string[] };
  let baseline: unknown;

  /** A route's path with the fixtures' ids in it; `over` replaces one parameter with a value as sent. */
  function concrete(path: string, over: Record<string, string> = {}): string {
    return path.replace(/:(\w+)/g, (_, key: string) => {
      if (key in over) return over[key];
      if (key === 'host' || key === 'name') return path.includes('/hosts/') ? 'nosuchhost' : fx.host;
      if (key === 'execId') return fx.readRun;
      if (path.includes('/sessions/')) return 'f'.repeat(64);
      if (path.includes('/users/')) return String(fx.victim);
      if (path.includes('/objects/')) return String(fx.object);
      return String(path.endsWith('/background') ? fx.scope2 : fx.scope);
    });
  }

  /**
   * Sends the cases (a few at a time), then checks each answer, the daemons, and —
   * when every case was refused — that the store holds what it held before.
   * A group during which the manager exits is replayed one case at a time, to name the case.
   */
  async function group(label: string, cases: { hit: Hit; check?: (a: Answer) => string | null }[], o: { parallel?: number; edge?: 'http' | 'import' } = {}): Promise<string[]> {
    const problems: string[] = [];
    await sessionsKept();
    lastGroup = label;
    const before = await rig.fingerprint();
    rig.mark();
    const answers = await pool(cases, o.parallel ?? 6, async (c) => {
      const t0 = Date.now();
      const a = await send(rig, c.hit);
      if (process.env.HOSTILE_SLOW && Date.now() - t0 > 1500) console.error(`slow ${Date.now() - t0} ms: ${describeHit(c.hit)} → ${a.status} ${a.error ?? ''}`);
      return a;
    });
    tally(o.edge ?? 'http', cases.length, store);
    const crashed = await rig.recover(label);
    if (crashed.length > 0) {
      problems.push(...crashed.map((x) => `the ${x.part} exited (code ${x.code}) during "${label}": ${x.log}`));
      for (const c of cases) {
        rig.mark();
        await send(rig, c.hit);
        const again = await rig.recover(label);
        if (again.length > 0) {
          problems.push(`stopped by: ${describeHit(c.hit)}`);
          break;
        }
      }
      return problems;
    }
    answers.forEach((a, i) => {
      const c = cases[i];
      const why = (c.check ?? ((x: Answer) => notRefused(c.hit, x)))(a);
      if (why) problems.push(`${describeHit(c.hit)} → ${why}`);
    });
    if (answers.every((a) => a.status < 200 || a.status >= 300)) {
      const after = await rig.fingerprint();
      if (after !== before) problems.push(`every request of "${label}" was refused, yet the store changed`);
    }
    problems.push(...(await rig.problems()));
    return problems;
  }

  // A refused request must not end anyone's session: a session found ended is logged in again and noted.
  const lostSessions: string[] = [];
  let lastGroup = '(setup)';
  const sessionsKept = async () => {
    const renewed = await rig.ensureSessions();
    if (renewed.length) lostSessions.push(`the sessions of ${renewed.join(', ')} ended during "${lastGroup}"`);
  };

  const expectNone = (problems: string[]) => {
    if (process.env.HOSTILE_DUMP && problems.length) {
      const name = (expect.getState().currentTestName ?? 'test').replace(/[^A-Za-z0-9]+/g, '-').slice(0, 100);
      fs.writeFileSync(`${process.env.HOSTILE_DUMP}/http-${store}-${name}.txt`, problems.join('\n') + '\n');
    }
    const listed = problems.length > MAX_LISTED ? [...problems.slice(0, MAX_LISTED), `…and ${problems.length - MAX_LISTED} more`] : problems;
    expect(listed).toEqual([]);
  };

  beforeAll(async () => {
    rig = await Rig.start(`http${store.slice(0, 2)}`, store, { agent: true });
    fx.host = rig.host.name;
    const admin = rig.clients.admin;
    fx.scope = (await admin.call('POST', '/scopes', { name: 'Fixtures' })).body.scope.id;
    fx.scope2 = (await admin.call('POST', '/scopes', { name: 'Backgrounds', parentId: fx.scope })).body.scope.id;
    fx.object = (await admin.call('POST', '/objects', { name: 'Fixture', scopeId: fx.scope, host: fx.host, unit: '/Fix' })).body.object.id;
    fx.victim = (await admin.call('POST', '/users', { name: 'victim', password: 'victim-password-1', role: 'guest' })).body.user.id;
    // Abnormal runs to acknowledge (one per case that may succeed) and one to read.
    const execIds = Array.from({ length: 80 }, () => crypto.randomUUID());
    for (const [i, execId] of execIds.entries()) {
      appendEvent(rig.host.spoolFile, {
        host: fx.host, unit: `/Fix/ack${i}`, execId, runId: null, kind: 'status', status: 'ABNORMAL', at: new Date().toISOString(),
        node: 'fixnode', pid: null, exitCode: 9, signal: null, outputTail: 'fixture output', reason: null,
      });
    }
    await waitUntil('the fixture runs', async () => (await rig.probe.count('Run', `host = '${fx.host}'`)) >= execIds.length || undefined, 30_000);
    [fx.readRun, ...fx.ackRuns] = execIds;
    baseline = (await admin.call('GET', '/definitions/export')).body;
  }, 120_000);

  afterAll(async () => {
    printTally(`http+import (${store})`, Date.now() - started);
    await rig?.stop();
  });

  describe(`REST API on ${store}`, () => {
    it('has the routes of the API to try', () => {
      expect(ROUTES.length).toBeGreaterThan(25);
    });

    it('answers a method a path does not take with a 4xx, for every role', async () => {
      const cases: { hit: Hit }[] = [];
      const paths = [...new Set(ROUTES.map((r) => r.path))];
      for (const path of paths) {
        const taken = new Set(ROUTES.filter((r) => r.path === path).map((r) => r.method));
        for (const method of METHODS.filter((m) => !taken.has(m))) {
          for (const who of WHO) cases.push({ hit: { method, path: concrete(path), who, body: MUTATING.has(method) ? '{}' : undefined } });
        }
      }
      expectNone(await group('wrong methods', cases, { parallel: 8 }));
    });

    it('refuses malformed, non-JSON, oversized and deeply nested bodies on every route that takes one', async () => {
      const cases: { hit: Hit; check?: (a: Answer) => string | null }[] = [];
      for (const route of ROUTES.filter((r) => MUTATING.has(r.method))) {
        // A route that would act on an empty or ignored body gets ids that do not exist (or throwaway sessions: below).
        const safePath = route.method === 'DELETE' || route.path.endsWith('/ack') ? concrete(route.path, { id: '99999', execId: 'nosuchrun' }) : concrete(route.path);
        for (const who of WHO) {
          for (const [label, contentType, body] of BAD_BODIES) {
            // Logging out ignores its body: only bodies refused before it runs (the rest would end the session).
            const unparsable = ['truncated JSON', 'trailing garbage', 'single quotes', 'NaN literal', 'comment in JSON', 'BOM before JSON', 'UTF-16 body'];
            const parsable = !!contentType?.startsWith('application/json') && !unparsable.includes(label);
            if (route.path === '/api/v1/logout' && who !== 'anonymous' && parsable) continue;
            cases.push({ hit: { method: route.method, path: safePath, who, body, contentType } });
          }
          cases.push({ hit: { method: route.method, path: safePath, who, body: JSON.stringify({ name: 'x'.repeat(64 * 1024) }) } });
          cases.push({ hit: { method: route.method, path: safePath, who, body: Buffer.alloc(1024 * 1024, 0x41), contentType: 'application/json' } });
          cases.push({ hit: { method: route.method, path: safePath, who, body: '{}', headers: { 'content-length': '99999999999' }, timeoutMs: 5000 }, check: (a) => (a.status >= 500 ? `${a.status}` : null) });
        }
        // A flood far past the limit, on a few routes: cut off, not read to its end.
        if (['/api/v1/scopes', '/api/v1/login', '/api/v1/scopes/:id/background', '/api/v1/definitions/import'].includes(route.path) && route.method !== 'DELETE') {
          const hit: Hit = { method: route.method, path: safePath, who: route.path === '/api/v1/login' ? 'anonymous' : 'admin', body: Buffer.alloc(20 * 1024 * 1024, 0x20), contentType: 'application/json' };
          // Cut off: the refusal, or a connection closed while the client still sends.
          cases.push({ hit, check: (a) => (a.status === 0 ? null : notRefused(hit, a)) });
        }
      }
      expectNone(await group('bad bodies', cases, { parallel: 6 }));
    });

    it('refuses a change without the same-origin and CSRF proof, whatever the role', async () => {
      const cases: { hit: Hit }[] = [];
      const origins: (string | null)[] = [null, 'null', 'http://evil.example', `${'http://'}127.0.0.1:${1}`, `http://127.0.0.1:${0}@evil.example`, 'javascript:alert(1)', '%', 'x'.repeat(10_000)];
      for (const route of ROUTES.filter((r) => MUTATING.has(r.method))) {
        const path = concrete(route.path, { id: '99999', execId: 'nosuchrun' });
        // A screen asks for a pairing with neither a session nor its token: only its origin counts there.
        const needsNoToken = route.path === '/api/v1/display/pairing';
        for (const who of WHO) {
          for (const origin of origins) cases.push({ hit: { method: route.method, path, who, body: '{}', origin } });
          if (who !== 'anonymous' && !needsNoToken) {
            for (const csrf of [false, '', 'wrong', rig.clients[who === 'admin' ? 'guest' : 'admin'].csrfToken, `${rig.clients[who].csrfToken}x`, '\u0000']) {
              if (csrf === '\u0000') continue; // not a header value Node sends
              cases.push({ hit: { method: route.method, path, who, body: '{}', csrf } });
            }
          }
        }
      }
      // A wrong port in the Origin, and the console's own origin spelled differently.
      for (const o of [`http://127.0.0.1:${1}`, `HTTP://127.0.0.1`, `http://127.0.0.1:${rig.host.managerPort}.evil.example`]) {
        cases.push({ hit: { method: 'POST', path: '/api/v1/scopes', who: 'admin', body: JSON.stringify({ name: 'cross-origin' }), origin: o } });
      }
      expectNone(await group('same-origin and CSRF', cases, { parallel: 8 }));
    });

    const ID_VALUES = [
      '-1', '0', '1.5', '1e3', '0x10', '99999999999999999999', '9'.repeat(4000), 'abc', '%00', 'a%00b', '%2e%2e', '..%2f..%2fetc%2fpasswd', '%2F', '%',
      '%ZZ', '%u0041', '%C0%AE', '%FF', '%201', '1%20', '+1', '%EF%BC%91', '%D9%A1', 'null', '__proto__', 'constructor', "1'%20OR%20'1'='1",
      '%0A1', '%E2%80%AE1', '%ED%A0%80', '%F0%9F%98%80', '%E0%A4%A',
    ];
    const MALFORMED = new Set(['%', '%ZZ', '%u0041', '%C0%AE', '%FF', '%ED%A0%80', '%E0%A4%A']);

    it('refuses hostile ids in paths with a 4xx, and malformed percent-encoding with a 400', async () => {
      const cases: { hit: Hit; check?: (a: Answer) => string | null }[] = [];
      for (const route of ROUTES.filter((r) => r.path.includes(':'))) {
        for (const key of [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1])) {
          for (const value of ID_VALUES) {
            for (const who of WHO) {
              const hit: Hit = { method: route.method, path: concrete(route.path, { [key]: value }), who, body: MUTATING.has(route.method) ? '{}' : undefined };
              const malformed = MALFORMED.has(value);
              cases.push({
                hit,
                check: (a) => {
                  const refused = notRefused(hit, a);
                  if (refused) return refused;
                  if (malformed && may(who, route.permission) && a.status !== 400) return `${a.status} for malformed percent-encoding, not 400`;
                  return null;
                },
              });
            }
          }
        }
      }
      expectNone(await group('hostile ids', cases, { parallel: 8 }));
    });

    it('refuses hostile query strings, or ignores them, never with a 5xx', async () => {
      const values = ['', '-1', '0', '1e400', '1.5', '201', '99999999999999999999', 'abc', '%00', '%E0%A4%A', '%', '__proto__', 'login%00', '..%2F..%2F', 'x'.repeat(6000), '%E2%80%AE', '%0D%0ASet-Cookie:%20x=1'];
      const params: Record<string, string[]> = {
        '/api/v1/audit': ['before', 'limit', 'action'],
        '/api/v1/runs': ['host', 'unit', 'below', 'offset', 'limit'],
        '/api/v1/connect': ['host'],
        '/api/v1/definitions': ['x'],
        '/api/v1/hosts': ['x'],
        '/api/v1/users': ['x'],
        '/api/v1/session': ['x'],
        '/api/v1/schedule': ['scope'],
        '/api/v1/learned': ['host', 'unit'],
      };
      const cases: { hit: Hit; check?: (a: Answer) => string | null }[] = [];
      // Ignored parameters may be answered 200; a console that cannot reach a named host answers 502 by design.
      const noServerError = (path: string) => (a: Answer) => (a.status === 0 || (a.status >= 500 && !(path === '/api/v1/connect' && a.status === 502)) ? `${a.status || a.error} ${a.text.slice(0, 200)}` : null);
      for (const [path, names] of Object.entries(params)) {
        const valid = path === '/api/v1/runs' || path === '/api/v1/learned' ? `host=${fx.host}&unit=%2FFix&` : '';
        for (const who of WHO) {
          for (const name of names) for (const v of values) cases.push({ hit: { method: 'GET', path: `${path}?${valid}${name}=${v}`, who }, check: noServerError(path) });
          for (const q of ['a=1&a=2&limit=1&limit=2', '__proto__[x]=1&constructor=1', '%E0%A4%A=1', '=&=&&', `${'p'.repeat(100)}=1&`.repeat(60), 'unit=/a&unit=/b&host=a&host=b'])
            cases.push({ hit: { method: 'GET', path: `${path}?${valid}${q}`, who }, check: noServerError(path) });
        }
      }
      expectNone(await group('query strings', cases, { parallel: 8 }));
    });

    // Names: refused with a 400 when they hold what people cannot see or what rewrites the text around it.
    const nameTargets: { label: string; method: string; path: () => string; body: (name: string) => Record<string, unknown> }[] = [
      { label: 'POST /scopes name', method: 'POST', path: () => '/api/v1/scopes', body: (name) => ({ name }) },
      { label: 'PATCH /scopes/:id name', method: 'PATCH', path: () => `/api/v1/scopes/${fx.scope}`, body: (name) => ({ name }) },
      { label: 'POST /objects name', method: 'POST', path: () => '/api/v1/objects', body: (name) => ({ name, scopeId: fx.scope, host: fx.host, unit: '/Fix/named' }) },
      { label: 'PATCH /objects/:id name', method: 'PATCH', path: () => `/api/v1/objects/${fx.object}`, body: (name) => ({ name }) },
    ];
    for (const t of nameTargets) {
      it(`refuses a ${t.label} holding NUL, controls, bidi overrides, zero-width characters or line separators, with a 400 that changes nothing`, async () => {
        const cases = Object.entries(NAME_REFUSED).map(([what, name]) => {
          const hit: Hit = { method: t.method, path: t.path(), who: 'operator', body: JSON.stringify(t.body(name)) };
          return { hit, check: (a: Answer) => (a.status === 400 ? null : `${what}: ${a.status} ${a.text.slice(0, 160)}`) };
        });
        expectNone(await group(t.label, cases, { parallel: 1 }));
      });
    }

    /** String fields of each route, with a valid body the hostile value goes into. */
    const stringFields = (): { method: string; path: string; who: Who; valid: Record<string, unknown> | ((n: number) => Record<string, unknown>); fields: string[]; echo?: (body: any) => Record<string, unknown> }[] => [
      { method: 'POST', path: '/api/v1/scopes', who: 'operator', valid: { name: 'S' }, fields: ['comment', 'icon', 'webhookUrl', 'webhookFilter', 'mailTo', 'parentId'], echo: (b) => b.scope },
      { method: 'PATCH', path: `/api/v1/scopes/${fx.scope}`, who: 'operator', valid: {}, fields: ['comment', 'icon', 'parentId'], echo: (b) => b.scope },
      { method: 'PUT', path: `/api/v1/scopes/${fx.scope2}/webhook`, who: 'operator', valid: { webhookUrl: null }, fields: ['webhookUrl', 'webhookFilter', 'mailTo'] },
      { method: 'POST', path: '/api/v1/objects', who: 'operator', valid: { name: 'O', scopeId: fx.scope, host: fx.host, unit: '/Fix/o' }, fields: ['comment', 'icon', 'host', 'unit', 'scopeId'], echo: (b) => b.object },
      { method: 'PATCH', path: `/api/v1/objects/${fx.object}`, who: 'operator', valid: {}, fields: ['comment', 'icon', 'host', 'unit'], echo: (b) => b.object },
      { method: 'PUT', path: '/api/v1/positions', who: 'operator', valid: {}, fields: ['scopes', 'objects'] },
      { method: 'POST', path: '/api/v1/users', who: 'admin', valid: (n) => ({ name: `u${n}`, password: 'password-123', role: 'guest' }), fields: ['name', 'password', 'role'] },
      { method: 'PATCH', path: `/api/v1/users/${fx.victim}`, who: 'admin', valid: {}, fields: ['role', 'disabled'] },
      { method: 'POST', path: `/api/v1/users/${fx.victim}/password`, who: 'admin', valid: {}, fields: ['password'] },
      { method: 'POST', path: '/api/v1/hosts', who: 'admin', valid: (n) => ({ name: `h${n}`, address: '127.0.0.1', feedPort: 7421, token: 't'.repeat(20) }), fields: ['name', 'address', 'token', 'feedPort'] },
    ];

    it('keeps or refuses hostile strings in every other string field: never a 5xx, never changed on the way', async () => {
      const problems: string[] = [];
      let n = 0;
      for (const target of stringFields()) {
        for (const field of target.fields) {
          const cases = Object.entries(HOSTILE_STRINGS).map(([what, value]) => {
            // A new user or host gets a name of its own, so that a kept value is not refused for a name taken.
            const unique = value;
            const body = { ...(typeof target.valid === 'function' ? target.valid(n++) : target.valid), [field]: unique };
            const hit: Hit = { method: target.method, path: target.path, who: target.who, body: JSON.stringify(body) };
            return {
              hit,
              check: (a: Answer) => {
                if (a.status >= 400 && a.status < 500) return notRefused(hit, a);
                if (a.status < 200 || a.status >= 300) return `${what}: ${a.status || a.error} ${a.text.slice(0, 200)}`;
                if (!target.echo) return null;
                const stored = target.echo(JSON.parse(a.text))?.[field];
                const sent = typeof unique === 'string' && field !== 'comment' ? unique.trim() : unique;
                return stored === sent || stored === wellFormed(String(sent)) || (typeof stored === 'string' && /\ufffd/.test(stored)) ? null : `${what}: kept as ${show(stored)}, sent ${show(sent)}`;
              },
            };
          });
          problems.push(...(await group(`${target.method} ${target.path} ${field}`, cases, { parallel: 4 })));
        }
      }
      // An acknowledgement's comment: each case on a run of its own.
      const ackCases = Object.entries(HOSTILE_STRINGS).map(([what, comment], i) => {
        const hit: Hit = { method: 'POST', path: `/api/v1/runs/${fx.host}/${fx.ackRuns[i]}/ack`, who: 'operator', body: JSON.stringify({ comment }) };
        return {
          hit,
          check: (a: Answer) => {
            if (a.status >= 400 && a.status < 500) return notRefused(hit, a);
            if (a.status !== 200) return `${what}: ${a.status || a.error} ${a.text.slice(0, 200)}`;
            const kept = (JSON.parse(a.text) as { ack: { comment: string } }).ack.comment;
            return kept === comment.trim() || kept === wellFormed(comment.trim()) ? null : `${what}: comment kept as ${show(kept)}`;
          },
        };
      });
      problems.push(...(await group('ack comments', ackCases, { parallel: 4 })));
      // Logging in with hostile names and passwords, from an address of its own (failures count per address).
      const loginCases = Object.values(HOSTILE_STRINGS).flatMap((value) =>
        [{ user: value, password: 'whatever-1' }, { user: 'admin', password: value }, { user: value, password: value }].map((b) => ({
          hit: { method: 'POST', path: '/api/v1/login', who: 'anonymous' as Who, body: JSON.stringify(b), localAddress: '127.0.0.2' },
          check: (a: Answer) => ([400, 401, 413, 429].includes(a.status) ? null : `${a.status || a.error} ${a.text.slice(0, 200)}`),
        })),
      );
      problems.push(...(await group('login with hostile strings', loginCases, { parallel: 4 })));
      expectNone(problems);
    });

    it('never answers a fast-check body built from the schemas with a 5xx, and a refused one changes nothing', async () => {
      const problems: string[] = [];
      const scopeKeys = Object.keys(newScopeSchema.shape);
      const valid: Record<string, () => fc.Arbitrary<unknown>> = {
        name: () => fc.oneof(fc.constantFrom('Nightly', 'x'.repeat(80), 'x'.repeat(81), ' padded '), hostileString()),
        comment: () => fc.oneof(fc.constantFrom('', 'c'.repeat(500), 'c'.repeat(501)), hostileString()),
        icon: () => fc.oneof(fc.constantFrom('scope', 'job', 'cloud', 'SCOPE', '__proto__'), hostileString()),
        parentId: () => fc.oneof(fc.constantFrom(fx.scope, fx.scope2, null, 0, -1, 99999, 1.5, '1'), hostileJson()),
        scopeId: () => fc.oneof(fc.constantFrom(fx.scope, fx.scope2, 99999, 0, '1', null), hostileJson()),
        host: () => fc.oneof(fc.constantFrom(fx.host, '127.0.0.1', '::1', 'nosuchhost', fx.host.toUpperCase()), hostileString()),
        unit: () => fc.oneof(fc.constantFrom('/Fix/a', 'AJSROOT1:/Fix', '/a//b', '/..', 'x:/y'), hostileString()),
        webhookUrl: () => fc.oneof(fc.constantFrom('https://hooks.example/x', 'http://127.0.0.1:1/', 'file:///etc/passwd', 'javascript:alert(1)', null), hostileString()),
        webhookFilter: () => fc.oneof(fc.constantFrom('abnormal', 'warning', 'abnormal,warning', 'abnormal,abnormal', 'flags', 'warning,flags,abnormal', 'flag'), hostileString()),
        mailTo: () =>
          fc.oneof(
            fc.constantFrom(['ops@example.com'], [], null, ['ops@example.com', 'ops@example.com'], ['a@b.example\r\nBcc: x@evil.example'], ['<a@b.example>'], ['a@b.example,c@d.example'], Array.from({ length: 21 }, (_, i) => `o${i}@example.com`)),
            fc.array(hostileString(), { maxLength: 3 }),
            hostileJson(),
          ),
        scopes: () => fc.oneof(fc.array(fc.record({ id: fc.oneof(fc.constant(fx.scope2), hostileJson()), x: fc.oneof(fc.integer({ min: -5, max: 205 }), hostileJson()), y: fc.oneof(fc.integer({ min: -5, max: 205 }), hostileJson()) }), { maxLength: 3 }), hostileJson()),
        objects: () => fc.oneof(fc.array(fc.record({ id: fc.oneof(fc.constant(fx.object), hostileJson()), x: fc.oneof(fc.integer({ min: -5, max: 205 }), fc.constant(null)), y: fc.oneof(fc.integer({ min: -5, max: 205 }), fc.constant(null)) }), { maxLength: 3 }), hostileJson()),
        password: () => fc.oneof(fc.constantFrom('password-123', 'short', 'p'.repeat(1025)), hostileString()),
        role: () => fc.oneof(fc.constantFrom('guest', 'operator', 'admin', 'root', 'Admin'), hostileString()),
        disabled: () => fc.oneof(fc.boolean(), hostileJson()),
        address: () => fc.oneof(fc.constantFrom('127.0.0.1', '::1', 'job-host.example', '999.1.1.1', '[::1]'), hostileString()),
        feedPort: () => fc.oneof(fc.constantFrom(1, 65535, 0, 65536, 7421.5, '7421'), hostileJson()),
        token: () => fc.oneof(fc.constantFrom('t'.repeat(16), 't'.repeat(15), 't'.repeat(257)), hostileString()),
        comment_: () => hostileString(),
        code: () => fc.oneof(fc.constantFrom('BBBBBBBB', 'bbbb-bbbb', 'AEIOU123', '', 'B'.repeat(65), 12345678), hostileString()),
        settings: () =>
          fc.oneof(
            fc.record(
              {
                timeZone: fc.oneof(fc.constantFrom('Asia/Tokyo', 'Mars/Olympus', '../../etc/passwd', 'UTC', null), hostileJson()),
                classes: fc.oneof(fc.constantFrom(['abnormal'], [], ['abnormal', 'abnormal'], ['__proto__']), hostileJson()),
                pageSeconds: fc.oneof(fc.constantFrom(5, 3600, 4, 3601, 1e9, '15'), hostileJson()),
                density: fc.oneof(fc.constantFrom('compact', 'dense'), hostileJson()),
                language: fc.oneof(fc.constantFrom('ja', 'fr', 'JA'), hostileJson()),
              },
              { requiredKeys: [] },
            ),
            hostileJson(),
          ),
      };
      const arb = (key: string) => (valid[key] ?? hostileJson)();
      const targets: { label: string; method: string; path: () => string; who: Who; keys: string[] }[] = [
        { label: 'POST /scopes', method: 'POST', path: () => '/api/v1/scopes', who: 'operator', keys: scopeKeys },
        { label: 'PATCH /scopes/:id', method: 'PATCH', path: () => `/api/v1/scopes/${fx.scope2}`, who: 'operator', keys: Object.keys(scopeChangesSchema.shape) },
        { label: 'PUT /scopes/:id/webhook', method: 'PUT', path: () => `/api/v1/scopes/${fx.scope2}/webhook`, who: 'operator', keys: Object.keys(webhookSchema.shape) },
        { label: 'POST /objects', method: 'POST', path: () => '/api/v1/objects', who: 'operator', keys: Object.keys(newObjectSchema.shape) },
        { label: 'PATCH /objects/:id', method: 'PATCH', path: () => `/api/v1/objects/${fx.object}`, who: 'operator', keys: Object.keys(objectChangesSchema.shape) },
        { label: 'PUT /positions', method: 'PUT', path: () => '/api/v1/positions', who: 'operator', keys: Object.keys(positionsSchema.shape) },
        { label: 'PUT /objects/:id/expectation', method: 'PUT', path: () => `/api/v1/objects/${fx.object}/expectation`, who: 'operator', keys: Object.keys(expectationSchema.shape) },
        { label: 'PUT /objects/:id/expectation/overrides/:date', method: 'PUT', path: () => `/api/v1/objects/${fx.object}/expectation/overrides/2099-01-01`, who: 'operator', keys: Object.keys(overrideSchema.shape) },
        { label: 'POST /hosts', method: 'POST', path: () => '/api/v1/hosts', who: 'admin', keys: Object.keys(newHostSchema.shape) },
        { label: 'POST /users', method: 'POST', path: () => '/api/v1/users', who: 'admin', keys: ['name', 'password', 'role'] },
        { label: 'PATCH /users/:id', method: 'PATCH', path: () => `/api/v1/users/${fx.victim}`, who: 'admin', keys: ['role', 'disabled'] },
        { label: 'POST /users/:id/password', method: 'POST', path: () => `/api/v1/users/${fx.victim}/password`, who: 'admin', keys: ['password'] },
        { label: 'POST /runs/:host/:execId/ack', method: 'POST', path: () => `/api/v1/runs/${fx.host}/nosuchrun/ack`, who: 'operator', keys: ['comment'] },
        { label: 'POST /objects/:id/flags/ack', method: 'POST', path: () => `/api/v1/objects/${fx.object}/flags/ack`, who: 'operator', keys: Object.keys(flagAckSchema.shape) },
        { label: 'POST /login', method: 'POST', path: () => '/api/v1/login', who: 'anonymous', keys: ['user', 'password'] },
        // No screen waits with any of these codes, and no display has this id: every one is refused.
        { label: 'POST /displays', method: 'POST', path: () => '/api/v1/displays', who: 'admin', keys: Object.keys(newDisplaySchema.shape) },
        { label: 'PATCH /displays/:id', method: 'PATCH', path: () => '/api/v1/displays/99999', who: 'admin', keys: Object.keys(displayChangesSchema.shape) },
      ];
      for (const t of targets) {
        let runs = 0;
        await sessionsKept();
        lastGroup = `fast-check ${t.label}`;
        await fc.assert(
          fc.asyncProperty(bodyFrom(t.keys, arb), async (body) => {
            runs++;
            const hit: Hit = { method: t.method, path: t.path(), who: t.who, body: JSON.stringify(body), localAddress: t.who === 'anonymous' ? '127.0.0.3' : undefined };
            const before = await rig.fingerprint();
            const a = await send(rig, hit);
            if (a.status === 0 || a.status >= 500) problems.push(`${t.label}: ${describeHit(hit)} → ${a.status || a.error} ${a.text.slice(0, 200)}`);
            else if (a.status >= 400 && (await rig.fingerprint()) !== before) problems.push(`${t.label}: refused (${a.status}) yet the store changed: ${describeHit(hit)}`);
            const down = await rig.problems();
            if (down.length) {
              problems.push(`${t.label}: ${describeHit(hit)} → ${down.join('; ')}`);
              await rig.recover(t.label);
            }
          }),
          { numRuns: 30, seed: 20261206, endOnFailure: true },
        );
        tally('http', runs, store);
      }
      expectNone(problems);
    }, 240_000);

    it('refuses duplicate headers, hostile Host and Origin headers and odd request lines, and goes on', async () => {
      const problems: string[] = [];
      const own = `127.0.0.1:${rig.host.managerPort}`;
      const admin = rig.clients.admin;
      const raw = async (label: string, request: string | Buffer, check: (r: RawResponse) => string | null) => {
        const r = await rawRequest({ address: rig.host.address, port: rig.host.managerPort, request, timeoutMs: 8000 });
        tally('http', 1, store);
        const why = check(r);
        if (why) problems.push(`${label}: ${why} (request ${show(typeof request === 'string' ? request : request.toString('latin1'), 200)})`);
      };
      // Any answer but a 5xx, or a closed connection (Node's parser refuses some requests that way).
      const noServerError = (r: RawResponse) => (r.status !== null && r.status >= 500 ? `${r.status} ${r.body.toString().slice(0, 200)}` : r.timedOut ? 'no answer within 8 s' : null);
      const refusedHost = (r: RawResponse) => (r.status === 421 || r.status === 400 ? null : `${r.status ?? (r.closed ? 'closed' : 'no answer')} for a Host that is not the console's, not 421 or 400`);

      for (const [label, host] of [
        ['another name', 'evil.example'], ['another name with the port', `evil.example:${rig.host.managerPort}`], ['the address as a suffix', `127.0.0.1.evil.example:${rig.host.managerPort}`],
        ['the host name as a prefix', `${rig.host.name}.evil.example`], ['an IPv6 address', '[2001:db8::1]'], ['a user part', `evil@127.0.0.1:${rig.host.managerPort}`],
        ['8 KB', 'h'.repeat(8000)], ['a path in it', `127.0.0.1:${rig.host.managerPort}/x`],
      ] as const) {
        for (const path of ['/api/v1/health', '/api/v1/session', '/api/v1/definitions', '/login', '/socket.io/?EIO=4&transport=polling']) {
          await raw(`Host ${label} on ${path}`, `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nCookie: ${admin.cookie}\r\nConnection: close\r\n\r\n`, refusedHost);
        }
        await raw(`Host ${label} on POST /api/v1/scopes`, `POST /api/v1/scopes HTTP/1.1\r\nHost: ${host}\r\nOrigin: http://${host}\r\nCookie: ${admin.cookie}\r\nX-CSRF-Token: ${admin.csrfToken}\r\nContent-Type: application/json\r\nContent-Length: 15\r\nConnection: close\r\n\r\n{"name":"host"}`, refusedHost);
      }
      const requests: [string, string][] = [
        ['two Host headers', `GET /api/v1/health HTTP/1.1\r\nHost: ${own}\r\nHost: evil.example\r\nConnection: close\r\n\r\n`],
        ['two Cookie headers (admin and guest)', `GET /api/v1/users HTTP/1.1\r\nHost: ${own}\r\nCookie: ${rig.clients.guest.cookie}\r\nCookie: ${admin.cookie}\r\nConnection: close\r\n\r\n`],
        ['two Content-Length headers', `POST /api/v1/scopes HTTP/1.1\r\nHost: ${own}\r\nOrigin: http://${own}\r\nCookie: ${admin.cookie}\r\nX-CSRF-Token: ${admin.csrfToken}\r\nContent-Type: application/json\r\nContent-Length: 12\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{"name":"x"}`],
        ['Content-Length and chunked', `POST /api/v1/scopes HTTP/1.1\r\nHost: ${own}\r\nOrigin: http://${own}\r\nCookie: ${admin.cookie}\r\nX-CSRF-Token: ${admin.csrfToken}\r\nContent-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n`],
        ['two CSRF tokens', `POST /api/v1/scopes HTTP/1.1\r\nHost: ${own}\r\nOrigin: http://${own}\r\nCookie: ${admin.cookie}\r\nX-CSRF-Token: ${admin.csrfToken}\r\nX-CSRF-Token: ${admin.csrfToken}\r\nContent-Type: application/json\r\nContent-Length: 12\r\nConnection: close\r\n\r\n{"name":"x"}`],
        ['two Origin headers', `POST /api/v1/scopes HTTP/1.1\r\nHost: ${own}\r\nOrigin: http://evil.example\r\nOrigin: http://${own}\r\nCookie: ${admin.cookie}\r\nX-CSRF-Token: ${admin.csrfToken}\r\nContent-Type: application/json\r\nContent-Length: 12\r\nConnection: close\r\n\r\n{"name":"x"}`],
        ['a chunk size of 2^64 (the server may wait for it, as for any slow client)', `POST /api/v1/scopes HTTP/1.1\r\nHost: ${own}\r\nOrigin: http://${own}\r\nCookie: ${admin.cookie}\r\nX-CSRF-Token: ${admin.csrfToken}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nffffffffffffffff\r\n{}\r\n0\r\n\r\n`],
        ['a chunk size that is not hex', `POST /api/v1/scopes HTTP/1.1\r\nHost: ${own}\r\nOrigin: http://${own}\r\nCookie: ${admin.cookie}\r\nX-CSRF-Token: ${admin.csrfToken}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`],
        ['Expect: 100-continue with a body too large', `POST /api/v1/scopes HTTP/1.1\r\nHost: ${own}\r\nOrigin: http://${own}\r\nCookie: ${admin.cookie}\r\nX-CSRF-Token: ${admin.csrfToken}\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: 99999999\r\nConnection: close\r\n\r\n`],
        ['an absolute-form target of another host', `GET http://evil.example/api/v1/health HTTP/1.1\r\nHost: ${own}\r\nConnection: close\r\n\r\n`],
        ['an absolute-form target that is not a URL', `GET http://[/api/v1/health HTTP/1.1\r\nHost: ${own}\r\nConnection: close\r\n\r\n`],
        ['an asterisk target', `OPTIONS * HTTP/1.1\r\nHost: ${own}\r\nConnection: close\r\n\r\n`],
        ['a target without a slash', `GET api/v1/health HTTP/1.1\r\nHost: ${own}\r\nConnection: close\r\n\r\n`],
        ['a double-slash target', `GET //api/v1/health HTTP/1.1\r\nHost: ${own}\r\nConnection: close\r\n\r\n`],
        ['a target with raw high bytes', `GET /api/v1/scopes/\xff\xfe HTTP/1.1\r\nHost: ${own}\r\nConnection: close\r\n\r\n`],
        ['a target with a raw NUL', `GET /api/v1/\x00 HTTP/1.1\r\nHost: ${own}\r\nConnection: close\r\n\r\n`],
        ['a header with a raw NUL', `GET /api/v1/health HTTP/1.1\r\nHost: ${own}\r\nX-A: a\x00b\r\nConnection: close\r\n\r\n`],
        ['a folded header', `GET /api/v1/session HTTP/1.1\r\nHost: ${own}\r\nCookie: x=1;\r\n ${admin.cookie}\r\nConnection: close\r\n\r\n`],
        ['HTTP/1.0 without Host', `GET /api/v1/health HTTP/1.0\r\n\r\n`],
        ['HTTP/1.1 without Host', `GET /api/v1/health HTTP/1.1\r\nConnection: close\r\n\r\n`],
        ['an HTTP/2 preface', `PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n`],
        ['HTTP/9.9', `GET /api/v1/health HTTP/9.9\r\nHost: ${own}\r\n\r\n`],
        ['a CONNECT', `CONNECT ${own} HTTP/1.1\r\nHost: ${own}\r\n\r\n`],
        ['an unknown method', `BREW /api/v1/health HTTP/1.1\r\nHost: ${own}\r\nConnection: close\r\n\r\n`],
        ['a lower-case method', `get /api/v1/health HTTP/1.1\r\nHost: ${own}\r\nConnection: close\r\n\r\n`],
        ['a header of 20 KB', `GET /api/v1/health HTTP/1.1\r\nHost: ${own}\r\nX-Big: ${'b'.repeat(20_000)}\r\nConnection: close\r\n\r\n`],
        ['300 headers', `GET /api/v1/health HTTP/1.1\r\nHost: ${own}\r\n${Array.from({ length: 300 }, (_, i) => `X-H${i}: ${i}\r\n`).join('')}Connection: close\r\n\r\n`],
        ['a cookie of 12 KB', `GET /api/v1/session HTTP/1.1\r\nHost: ${own}\r\nCookie: jobscope_session=${'c'.repeat(12_000)}\r\nConnection: close\r\n\r\n`],
        ['a session cookie with hostile bytes', `GET /api/v1/session HTTP/1.1\r\nHost: ${own}\r\nCookie: jobscope_session=%E0%A4%A\xff; jobscope_session=${admin.cookie.split('=')[1]}\r\nConnection: close\r\n\r\n`],
        ['an Accept-Language of 8 KB', `GET /api/v1/users HTTP/1.1\r\nHost: ${own}\r\nAccept-Language: ${'ja;q=0.5,'.repeat(800)}\r\nConnection: close\r\n\r\n`],
        ['an Accept-Language with hostile weights', `GET /api/v1/users HTTP/1.1\r\nHost: ${own}\r\nAccept-Language: ja;q=NaN, en;q=-1, *;q=1e999, __proto__;q=1\r\nConnection: close\r\n\r\n`],
        ['an If-None-Match of 8 KB', `GET /api/v1/scopes/${fx.scope}/background HTTP/1.1\r\nHost: ${own}\r\nCookie: ${admin.cookie}\r\nIf-None-Match: ${'"x",'.repeat(2000)}\r\nConnection: close\r\n\r\n`],
        ['an If-Modified-Since that is not a date', `GET /api/v1/scopes/${fx.scope}/background HTTP/1.1\r\nHost: ${own}\r\nCookie: ${admin.cookie}\r\nIf-Modified-Since: yesterday, maybe\r\nConnection: close\r\n\r\n`],
        ['X-Forwarded-For from an untrusted peer', `POST /api/v1/login HTTP/1.1\r\nHost: ${own}\r\nOrigin: http://${own}\r\nX-Forwarded-For: 10.0.0.1, evil\r\nX-Forwarded-Proto: gopher\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`],
        ['a path traversal to the configuration', `GET /api/v1/../../data/config/${rig.host.name}.json HTTP/1.1\r\nHost: ${own}\r\nConnection: close\r\n\r\n`],
      ];
      for (const [label, request] of requests) await raw(label, request, label.includes('may wait') ? (r) => (r.status !== null && r.status >= 500 ? `${r.status}` : null) : noServerError);
      // The session found through the first of two cookies must not lend the second's role; either way no 5xx.
      await raw('fifty requests in one write', Buffer.from(`GET /api/v1/health HTTP/1.1\r\nHost: ${own}\r\n\r\n`.repeat(49) + `GET /api/v1/health HTTP/1.1\r\nHost: ${own}\r\nConnection: close\r\n\r\n`, 'latin1'), noServerError);
      problems.push(...(await rig.problems()));
      expectNone(problems);
    });

    it('refuses background images that are not the pictures they claim to be', async () => {
      const path = `/api/v1/scopes/${fx.scope2}/background`;
      const bodies: [string, string | null, Buffer][] = [
        ['SVG with script as image/png', 'image/png', IMAGES.svg],
        ['SVG as image/svg+xml', 'image/svg+xml', IMAGES.svg],
        ['PNG as image/jpeg', 'image/jpeg', IMAGES.png],
        ['no content type', null, IMAGES.png],
        ['text/html', 'text/html', Buffer.from('<script>alert(1)</script>')],
        ['empty', 'image/png', Buffer.alloc(0)],
        ['PNG magic and nothing else', 'image/gif', IMAGES.png.subarray(0, 8)],
        ['2 MiB + 1 byte', 'image/png', Buffer.concat([IMAGES.png, Buffer.alloc(2 * 1024 * 1024 + 1 - IMAGES.png.length)])],
        ['a content type of 4 KB', `image/png; ${'x'.repeat(4000)}`, Buffer.from('GIF89a')],
      ];
      const cases = WHO.flatMap((who) => bodies.map(([, contentType, body]) => ({ hit: { method: 'PUT', path, who, body, contentType } as Hit })));
      expectNone(await group('backgrounds', cases, { parallel: 4 }));
    });

    it('serves the View\u2019s own paths without a 5xx and without anything outside the build', async () => {
      const paths = [
        '/%E0%A4%A', '/monitor/%E0%A4%A', '/monitor?%E0%A4%A=1', '/login?next=%E0%A4%A', '/login?next=//evil.example', '/%00', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2f..%2fetc%2fpasswd',
        '/_next/static/..%2f..%2f..%2fpackage.json', '/_next/static/%2e%2e/%2e%2e/server/http/api.ts', '/_next/image?url=http://127.0.0.1:1/x&w=64&q=75', '/_next/image?url=%2F_next%2Fimage%3Furl%3D%252F&w=64&q=75',
        '/_next/image?url=file:///etc/passwd&w=64&q=75', '/.env', '/.git/config', '/server/http/api.ts', '/dist/jobscope.mjs', '/data/config/x.json', '/node_modules/.package-lock.json',
        `/${'a'.repeat(8000)}`, '/monitor?scope=%00&view=%E2%80%AE', '/api', '/api/v2/health', '/api/v1', '/api/v1/', '/socket.io', '/favicon.ico/..%00', '/monitor/../../../etc/passwd', '/%ED%A0%80',
      ];
      const secret = /root:x:0:0|agentTokenSha256|BEGIN [A-Z ]*PRIVATE KEY|"dependencies"|export function createApi/;
      const cases = (['anonymous', 'admin'] as Who[]).flatMap((who) =>
        paths.map((path) => {
          const hit: Hit = { method: 'GET', path, who };
          return { hit, check: (a: Answer) => (a.status === 0 || a.status >= 500 ? `${a.status || a.error} ${a.text.slice(0, 200)}` : secret.test(a.text) ? `served something outside the build: ${a.text.slice(0, 120)}` : null) };
        }),
      );
      expectNone(await group('view paths', cases, { parallel: 4 }));
    });
  });

  it(`ends no session with a refused request (${store})`, async () => {
    await sessionsKept();
    expect(lostSessions).toEqual([]);
  });

  describe(`definitions import on ${store}`, () => {
    for (const c of importCases()) {
      it(`${c.expect === 'refused' ? 'refuses whole, with JSON paths' : 'imports or refuses whole'}: ${c.name}`, async () => {
        expectNone(await importCase(c));
      }, 120_000);
    }
  });

  /** One import: refused with a JSON path for each problem and nothing changed, or (where allowed) imported whole. */
  async function importCase(c: ImportCase): Promise<string[]> {
    const problems: string[] = [];
    await sessionsKept();
    lastGroup = `import: ${c.name}`;
    const before = await rig.fingerprint();
    const counts = await rig.counts();
    const document = c.build({ host: fx.host });
    const body = typeof document === 'string' || Buffer.isBuffer(document) ? document : JSON.stringify(document);
    const hit: Hit = { method: 'POST', path: '/api/v1/definitions/import', who: 'admin', body, timeoutMs: 120_000 };
    rig.mark();
    // Meanwhile the manager must keep answering: a stall of its event loop also stalls its lease, its feeds and its sockets.
    let slowest = 0;
    let importing = true;
    const watch = (async () => {
      while (importing) {
        const t0 = Date.now();
        await fetch(`${rig.url}/api/v1/health`, { signal: AbortSignal.timeout(30_000) }).catch(() => undefined);
        slowest = Math.max(slowest, Date.now() - t0);
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    const a = await send(rig, hit);
    importing = false;
    await watch;
    if (process.env.HOSTILE_SLOW) console.error(`import ${c.name}: health answered within ${slowest} ms at worst`);
    if (slowest > STALL_LIMIT_MS) problems.push(`the manager did not answer its health check for ${(slowest / 1000).toFixed(1)} s during the import`);
    tally('import', 1, store);
    const crashed = await rig.recover(c.name);
    const restore = async () => {
      // Back to the console's own definitions for the next case.
      const restored = await send(rig, { method: 'POST', path: '/api/v1/definitions/import', who: 'admin', body: JSON.stringify(baseline) });
      if (restored.status !== 200) problems.push(`the baseline could not be imported again: ${restored.status} ${restored.text.slice(0, 200)}`);
      await refreshFixtures();
    };
    if (crashed.length) {
      problems.push(...crashed.map((x) => `the ${x.part} exited (code ${x.code}): ${x.log}`));
      if ((await rig.fingerprint()) !== before) await restore();
      return problems;
    }
    if (a.status >= 200 && a.status < 300) {
      if (c.expect === 'refused') problems.push(`imported (${a.status} ${a.text.slice(0, 200)})`);
      await restore();
    } else {
      if (a.status === 0 || a.status >= 500) problems.push(`${a.status || a.error} ${a.text.slice(0, 300)}`);
      else if (c.status !== undefined && a.status !== c.status) problems.push(`${a.status}, not ${c.status}: ${a.text.slice(0, 200)}`);
      else if (a.status === 400 && c.path !== '') {
        const fields = Object.keys((JSON.parse(a.text) as { fields?: Record<string, string> }).fields ?? {});
        if (fields.length === 0 || !fields.every((f) => f.startsWith('$'))) problems.push(`refused without a JSON path for each problem: fields ${show(fields)}`);
        if (c.path && !fields.some((f) => f.startsWith(c.path!))) problems.push(`no problem reported at ${c.path}: fields ${show(fields)}`);
      }
      if ((await rig.fingerprint()) !== before) problems.push(`refused, yet the store changed: rows ${show(counts)} → ${show(await rig.counts())}`);
    }
    problems.push(...(await rig.problems()));
    return problems;
  }

  /** After an import replaced every scope and object, the fixtures' ids are the new ones. */
  async function refreshFixtures(): Promise<void> {
    const defs = (await rig.clients.admin.call('GET', '/definitions')).body as { scopes: { id: number; name: string }[]; objects: { id: number; name: string }[] };
    fx.scope = defs.scopes.find((s) => s.name === 'Fixtures')!.id;
    fx.scope2 = defs.scopes.find((s) => s.name === 'Backgrounds')!.id;
    fx.object = defs.objects.find((o) => o.name === 'Fixture')!.id;
  }
}
