// `jobscope setup` through the built command line, in a temporary configuration folder.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../testing/test-host';
import { postgresUrl } from '../testing/postgres';
import { openSpool } from '../spool/spool';
import { configPath, hostConfigSchema, sha256 } from './config';

let dir: string;
let env: NodeJS.ProcessEnv;

const configOf = (host: string) => hostConfigSchema.parse(JSON.parse(fs.readFileSync(configPath(host, env), 'utf8')));
const spoolIdOf = (file: string) => {
  const reader = openSpool(file);
  try {
    return reader.spoolId;
  } finally {
    reader.close();
  }
};

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobscope-setup-'));
  env = { ...process.env, JOBSCOPE_CONFIG_DIR: path.join(dir, 'config'), JOBSCOPE_HOSTNAME: '', JOBSCOPE_AGENT_TOKEN: '' };
});

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('jobscope setup', () => {
  it('writes the configuration, prints a new token once, and with --init creates spool and store', async () => {
    const data = path.join(dir, 'lh1');
    const first = await run(['setup', '-h', 'lh1', '--address', '127.0.0.1', '--agent-port', '17421', '--data', data, '--init'], env);
    expect(first.code, first.stderr).toBe(0);
    const token = /agent feed token for lh1 \(give it to the console with jobscope host add\): (\S+)\n/.exec(first.stdout)?.[1];
    expect(token).toBeDefined();
    expect(configOf('lh1')).toEqual({
      version: 1, host: 'lh1', address: '127.0.0.1', managerPort: 7420, agentPort: 17421, dataDir: data, agentTokenSha256: sha256(token!),
    });
    const spoolId = spoolIdOf(path.join(data, 'spool.db'));
    expect(first.stdout).toContain(`created spool ${path.join(data, 'spool.db')} (id ${spoolId})`);
    const store = new Database(path.join(data, 'console.db'), { readonly: true });
    expect(store.prepare(`SELECT COUNT(*) AS n FROM "_prisma_migrations"`).get()).toEqual({ n: expect.any(Number) });
    store.close();

    // Again: same token, same spool id, nothing new printed; options not given keep their values.
    const again = await run(['setup', '-h', 'lh1', '--init'], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).not.toContain('agent feed token');
    expect(again.stdout).toContain(`kept spool ${path.join(data, 'spool.db')} (id ${spoolId})`);
    expect(again.stdout).toContain('up to date');
    expect(configOf('lh1')).toMatchObject({ agentPort: 17421, dataDir: data, agentTokenSha256: sha256(token!) });
    expect(spoolIdOf(path.join(data, 'spool.db'))).toBe(spoolId);
  });

  it('takes the token from JOBSCOPE_AGENT_TOKEN, also over an existing one', async () => {
    const given = 'mK3_bn5O_6CXgkCI0Ou5W3BO9OW_VmfK';
    const r = await run(['setup', '-h', 'lh1'], { ...env, JOBSCOPE_AGENT_TOKEN: given });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain(given);
    expect(configOf('lh1').agentTokenSha256).toBe(sha256(given));
    const short = await run(['setup', '-h', 'lh1'], { ...env, JOBSCOPE_AGENT_TOKEN: 'a-token-chosen-by-the-admin-1' });
    expect(short.code).not.toBe(0);
    expect(short.stderr).toContain('JOBSCOPE_AGENT_TOKEN: the token must have at least 32 characters (it has 29)');
    const guessable = await run(['setup', '-h', 'lh1'], { ...env, JOBSCOPE_AGENT_TOKEN: 'abcdefghijklmnopqrstuvwxyz0123456789' });
    expect(guessable.code).not.toBe(0);
    expect(guessable.stderr).toContain('JOBSCOPE_AGENT_TOKEN: the token looks guessable');
    expect(guessable.stderr).not.toContain('abcdefghijklmnopqrstuvwxyz0123456789');
    expect(configOf('lh1').agentTokenSha256).toBe(sha256(given));
    // A token set before the rule stays (setup without JOBSCOPE_AGENT_TOKEN keeps it).
    fs.writeFileSync(configPath('lh1', env), JSON.stringify({ ...configOf('lh1'), agentTokenSha256: sha256('an-old-token-of-16+') }));
    const kept = await run(['setup', '-h', 'lh1'], env);
    expect(kept.code, kept.stderr).toBe(0);
    expect(configOf('lh1').agentTokenSha256).toBe(sha256('an-old-token-of-16+'));
    fs.writeFileSync(configPath('lh1', env), JSON.stringify({ ...configOf('lh1'), agentTokenSha256: sha256(given) }));
  });

  it('resolves a relative --data folder to an absolute one', async () => {
    const r = await run(['setup', '-h', 'lh2', '--address', '127.0.0.2', '--data', 'relative/lh2'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(configOf('lh2').dataDir).toBe(path.resolve('relative/lh2'));
  });

  it('refuses a wildcard address, an address that is not one, a name that does not resolve, and shared ports', async () => {
    for (const [args, message] of [
      [['--address', '0.0.0.0'], '--address 0.0.0.0 is a wildcard'],
      [['--address', '::'], '--address :: is a wildcard'],
      [['--address', 'example'], 'is not an IPv4 or IPv6 address'],
      [['--address', '127.0.0.1', '--manager-port', '9000', '--agent-port', '9000'], 'cannot share port 9000'],
    ] as const) {
      const r = await run(['setup', '-h', 'lh3', ...args, '--data', path.join(dir, 'lh3')], env);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr).toContain(message);
    }
    const unresolvable = await run(['setup', '-h', 'no-such-host.invalid', '--data', path.join(dir, 'x')], env);
    expect(unresolvable.code).not.toBe(0);
    expect(unresolvable.stderr).toContain('host name "no-such-host.invalid" does not resolve to any address; give --address');
    expect(fs.existsSync(configPath('lh3', env))).toBe(false);
  });

  it('keeps a password given in the store URL only in the password file, and never shows it', async () => {
    const password = 'p@ss:w/rd?#%zz';
    const r = await run(['setup', '-h', 'clh9', '--address', '127.0.0.1', '--data', path.join(dir, 'clh9'), '--store-url', `postgresql://jobscope:${password}@db.example:5433/console`], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('console store postgresql://jobscope@db.example:5433/console\n');
    const passwordFile = path.join(dir, 'config', 'clh9.store-password');
    expect(r.stdout).toContain(`console store password (taken out of the URL) kept in ${passwordFile}`);
    expect(configOf('clh9').consoleStore).toBe('postgresql://jobscope@db.example:5433/console');
    expect(fs.readFileSync(configPath('clh9', env), 'utf8')).not.toContain('rd?#');
    expect(fs.readFileSync(passwordFile, 'utf8')).toBe(`${password}\n`);
    expect(fs.statSync(passwordFile).mode & 0o777).toBe(0o600);
    for (const part of ['p@ss', 'w/rd', '%zz']) expect(r.stdout + r.stderr).not.toContain(part);

    // Refusals show the URL masked too: a bad parameter, not a URL, two passwords.
    for (const [url, message, extra] of [
      [`postgresql://jobscope:${password}@db.example/console?application_name=x`, 'console store URL postgresql://jobscope:***@db.example/console?application_name=x: unsupported parameter', {}],
      [`postgresql://jobscope:${password}@db example/console`, 'console store URL postgresql://jobscope:***@db example/console is not a valid URL', {}],
      [`postgresql://jobscope:${password}@db.example/console`, 'the console store URL carries a password and JOBSCOPE_STORE_PASSWORD another one', { JOBSCOPE_STORE_PASSWORD: 'something-else' }],
    ] as const) {
      const refused = await run(['setup', '-h', 'clh9', '--store-url', url], { ...env, ...extra });
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain(message);
      for (const part of ['p@ss', 'w/rd', '%zz']) expect(refused.stdout + refused.stderr).not.toContain(part);
    }
    expect(configOf('clh9').consoleStore).toBe('postgresql://jobscope@db.example:5433/console');

    // A configuration written with the password in its URL loses it to the password file at the next setup.
    fs.writeFileSync(configPath('clh9', env), JSON.stringify({ ...configOf('clh9'), consoleStore: 'postgresql://jobscope:old%40one@db.example/console' }));
    const again = await run(['setup', '-h', 'clh9'], env);
    expect(again.code, again.stderr).toBe(0);
    expect(configOf('clh9').consoleStore).toBe('postgresql://jobscope@db.example/console');
    expect(fs.readFileSync(passwordFile, 'utf8')).toBe('old@one\n');
    expect(again.stdout).not.toContain('old');
  });

  it('creates a PostgreSQL store with a password of any characters given in the URL, connecting with the password file', async () => {
    const admin = new pg.Client({ connectionString: postgresUrl() });
    await admin.connect();
    const role = `odd_${crypto.randomBytes(4).toString('hex')}`;
    const password = `p@ss:w/rd?#%zz'"${crypto.randomBytes(4).toString('hex')}`;
    try {
      await admin.query(`CREATE ROLE ${role} LOGIN CREATEDB PASSWORD '${password.replace(/'/g, "''")}'`);
    } finally {
      await admin.end();
    }
    const server = new URL(postgresUrl());
    const url = `postgresql://${role}:${password}@${server.host}/${role}_db`;
    const r = await run(['setup', '-h', 'clh8', '--address', '127.0.0.1', '--data', path.join(dir, 'clh8'), '--store-url', url, '--init'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`console store postgresql://${role}@${server.host}/${role}_db: applied \\d+_init`));
    expect(r.stdout + r.stderr).not.toContain('w/rd');
    expect(fs.readFileSync(configPath('clh8', env), 'utf8')).not.toContain('w/rd');
    // Without the password anywhere but its file, the store is reached again (as the manager reaches it).
    const again = await run(['setup', '-h', 'clh8', '--init'], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('up to date');
    // A wrong one is refused, saying where the password comes from, without showing it.
    fs.writeFileSync(path.join(dir, 'config', 'clh8.store-password'), 'wrong-password\n');
    const wrong = await run(['setup', '-h', 'clh8', '--init'], env);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain(`the server refused user "${role}"`);
    expect(wrong.stderr).not.toContain('wrong-password');
  });

  it('refuses to overwrite a broken configuration, so that its token is not lost silently', async () => {
    fs.writeFileSync(configPath('lh4', env), '{"version": 1, "host": "lh4"');
    const r = await run(['setup', '-h', 'lh4', '--address', '127.0.0.1'], env);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('is not valid JSON');
    expect(r.stderr).toContain('fix or remove it');
  });
});
