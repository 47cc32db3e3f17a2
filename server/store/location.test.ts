import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostConfigSchema, type HostConfig } from '../host/config';
import { maskPassword, parsePostgresUrl, redactUrl, storeConnectionError, storeLocation, storePasswordFile, takeUrlPassword } from './location';

const base: HostConfig = {
  version: 1,
  host: 'c1',
  address: '127.0.0.1',
  managerPort: 7420,
  agentPort: 7421,
  dataDir: '/srv/jobscope/c1',
  agentTokenSha256: 'a'.repeat(64),
};

describe('console store location', () => {
  it('is SQLite in the data folder unless the configuration names a PostgreSQL URL', () => {
    expect(storeLocation(base)).toEqual({ provider: 'sqlite', file: '/srv/jobscope/c1/console.db', display: '/srv/jobscope/c1/console.db' });
  });

  it('takes the password from the URL, else JOBSCOPE_STORE_PASSWORD, else the password file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobscope-location-'));
    const env: NodeJS.ProcessEnv = { ...process.env, JOBSCOPE_CONFIG_DIR: dir, JOBSCOPE_STORE_PASSWORD: undefined };
    const config = { ...base, consoleStore: 'postgresql://jobscope@db.example:5433/console' };
    const password = (c: HostConfig, e: NodeJS.ProcessEnv) => {
      const l = storeLocation(c, e);
      return l.provider === 'postgresql' ? l.connection.password : 'not postgresql';
    };
    expect(password(config, env)).toBeUndefined();
    fs.writeFileSync(storePasswordFile('c1', env), 'from-file\n', { mode: 0o600 });
    expect(password(config, env)).toBe('from-file');
    expect(password(config, { ...env, JOBSCOPE_STORE_PASSWORD: 'from-env' })).toBe('from-env');
    expect(password({ ...config, consoleStore: 'postgresql://jobscope:in%40url@db.example/console' }, { ...env, JOBSCOPE_STORE_PASSWORD: 'from-env' })).toBe('in@url');
    const l = storeLocation(config, env);
    expect(l).toMatchObject({ provider: 'postgresql', connection: { host: 'db.example', port: 5433, user: 'jobscope', database: 'console' } });
    expect(l.display).not.toContain('from-file');
  });

  it('masks the password wherever a URL is shown', () => {
    expect(redactUrl('postgresql://jobscope:s3cret@db/console')).toBe('postgresql://jobscope:***@db/console');
    expect(redactUrl('postgresql://jobscope@db/console')).toBe('postgresql://jobscope@db/console');
    expect(() => parsePostgresUrl('postgresql://jobscope:s3cret@db/console?application_name=x')).toThrow(/jobscope:\*\*\*@db.*unsupported parameter application_name/);
    expect(() => parsePostgresUrl('postgresql://jobscope:s3cret@db/')).toThrow(/names no database/);
    try {
      parsePostgresUrl('postgresql://jobscope:s3cret@db/?x=1');
    } catch (err) {
      expect((err as Error).message).not.toContain('s3cret');
    }
  });

  it('masks a password holding @, :, / and the like, and reads it as typed', () => {
    expect(redactUrl('postgresql://user:p@ss@server/db')).toBe('postgresql://user:***@server/db');
    expect(redactUrl('postgresql://user:a:b/c?d#e@server:5433/db?sslmode=require')).toBe('postgresql://user:***@server:5433/db?sslmode=require');
    expect(redactUrl('postgres://user:p%40ss@server/db')).toBe('postgres://user:***@server/db');
    expect(redactUrl('postgresql://user:@server/db')).toBe('postgresql://user:***@server/db');
    expect(redactUrl('postgresql://server:5432/db')).toBe('postgresql://server:5432/db');
    expect(redactUrl('postgresql://server/my%40db')).toBe('postgresql://server/my%40db');
    expect(parsePostgresUrl('postgresql://user:p@ss@server/db')).toEqual({ host: 'server', port: 5432, user: 'user', password: 'p@ss', database: 'db' });
    expect(parsePostgresUrl('postgresql://user:a:b/c?d#e@server:5433/db?sslmode=disable')).toMatchObject({ host: 'server', port: 5433, password: 'a:b/c?d#e', ssl: false });
    expect(parsePostgresUrl('postgresql://user:p%40ss%2F@server/db').password).toBe('p@ss/');
    expect(parsePostgresUrl('postgresql://user:100%@server/db').password).toBe('100%'); // not an escape: as typed
    expect(parsePostgresUrl('postgresql://user@server/my%40db')).toEqual({ host: 'server', port: 5432, user: 'user', database: 'my@db' });
    expect(takeUrlPassword('postgresql://user:p@ss@server/db')).toEqual({ url: 'postgresql://user@server/db', password: 'p@ss' });
    expect(takeUrlPassword('postgresql://user@server/db')).toEqual({ url: 'postgresql://user@server/db', password: null });
  });

  it('for any password, as typed or percent-encoded: the URL shows *** in its place, and no message shows it', () => {
    const special = fc.string({ unit: fc.constantFrom('@', ':', '/', '?', '#', '%', '[', ']', ' ', '\\', '"', "'", 'a', 'Z', '9', '=', '&', '+'), minLength: 1, maxLength: 40 });
    const password = fc.oneof(special, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }));
    fc.assert(
      fc.property(password, fc.boolean(), (p, encode) => {
        const typed = encode ? encodeURIComponent(p) : p;
        const url = `postgresql://jobscope:${typed}@db.example:5433/console`;
        expect(redactUrl(url)).toBe('postgresql://jobscope:***@db.example:5433/console');
        const c = parsePostgresUrl(url);
        expect(c).toMatchObject({ host: 'db.example', port: 5433, user: 'jobscope', database: 'console' });
        if (encode || !/%[0-9a-fA-F]{2}/.test(p)) expect(c.password).toBe(p);
        expect(takeUrlPassword(url).url).toBe('postgresql://jobscope@db.example:5433/console');
        // Every refusal of a URL carrying it (a bad parameter, no database, not a URL at all) says
        // exactly what it says for another password: nothing of it shows.
        const refusal = (pw: string) =>
          [`?application_name=x`, '@db.example/', '@bad host/console', '@db.example:99999/console'].map((tail) => {
            const bad = tail.startsWith('?') ? `postgresql://jobscope:${pw}@db.example:5433/console${tail}` : `postgresql://jobscope:${pw}${tail}`;
            try {
              parsePostgresUrl(bad);
              return 'accepted';
            } catch (err) {
              return (err as Error).message;
            }
          });
        const said = refusal(typed);
        expect(said).toEqual(refusal('x'));
        for (const message of said) {
          expect(message).toMatch(/^console store URL postgresql:\/\/jobscope:\*\*\*@/);
          if (!refusal('x').join().includes(p)) expect(message).not.toContain(p);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('masks the password in what the driver says when a connection fails', () => {
    const env = { ...process.env, JOBSCOPE_CONFIG_DIR: '/nowhere', JOBSCOPE_STORE_PASSWORD: undefined };
    const location = storeLocation({ ...base, consoleStore: 'postgresql://jobscope:Tr0ub4dor&3@db.example/console' }, env);
    const err = (message: string, code: string) => Object.assign(new Error(message), { code });
    const refused = storeConnectionError(err('password authentication failed for user "jobscope"', '28P01'), location, 'c1');
    expect(refused.message).toBe(
      `the console store postgresql://jobscope:***@db.example/console: the server refused user "jobscope" (password authentication failed for user "jobscope"); the password comes from the URL, else JOBSCOPE_STORE_PASSWORD, else ${storePasswordFile('c1')}`,
    );
    const chatty = storeConnectionError(err('connect failed with Tr0ub4dor&3 and Tr0ub4dor%263', 'XX000'), location, 'c1');
    expect(chatty.message).toBe('connect failed with *** and ***');
    expect(chatty.stack).not.toContain('Tr0ub4dor');
    expect((chatty as NodeJS.ErrnoException).code).toBe('XX000');
    const plain = err('something else', 'XX000');
    expect(storeConnectionError(plain, location, 'c1')).toBe(plain);
    expect(maskPassword('a secret here', 'secret')).toBe('a *** here');
    expect(maskPassword('abc', 'b')).toBe('abc'); // too short to look for
  });

  it('the configuration accepts a PostgreSQL URL and nothing else there', () => {
    expect(hostConfigSchema.safeParse({ ...base, consoleStore: 'postgresql://jobscope@db/console' }).success).toBe(true);
    const wrong = hostConfigSchema.safeParse({ ...base, consoleStore: 'mysql://jobscope@db/console' });
    expect(wrong.success).toBe(false);
    expect(wrong.error?.issues[0].message).toMatch(/postgresql:\/\/ URL/);
  });
});
