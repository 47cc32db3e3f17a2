import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostConfigSchema, type HostConfig } from '../host/config';
import { parsePostgresUrl, redactUrl, storeLocation, storePasswordFile } from './location';

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

  it('the configuration accepts a PostgreSQL URL and nothing else there', () => {
    expect(hostConfigSchema.safeParse({ ...base, consoleStore: 'postgresql://jobscope@db/console' }).success).toBe(true);
    const wrong = hostConfigSchema.safeParse({ ...base, consoleStore: 'mysql://jobscope@db/console' });
    expect(wrong.success).toBe(false);
    expect(wrong.error?.issues[0].message).toMatch(/postgresql:\/\/ URL/);
  });
});
