// `jobscope setup` through the built command line, in a temporary configuration folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../testing/test-host';
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
    const given = 'a-token-chosen-by-the-admin-1';
    const r = await run(['setup', '-h', 'lh1'], { ...env, JOBSCOPE_AGENT_TOKEN: given });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain(given);
    expect(configOf('lh1').agentTokenSha256).toBe(sha256(given));
    const short = await run(['setup', '-h', 'lh1'], { ...env, JOBSCOPE_AGENT_TOKEN: 'short' });
    expect(short.code).not.toBe(0);
    expect(short.stderr).toContain('JOBSCOPE_AGENT_TOKEN must be at least 16 printable characters');
    expect(configOf('lh1').agentTokenSha256).toBe(sha256(given));
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

  it('refuses to overwrite a broken configuration, so that its token is not lost silently', async () => {
    fs.writeFileSync(configPath('lh4', env), '{"version": 1, "host": "lh4"');
    const r = await run(['setup', '-h', 'lh4', '--address', '127.0.0.1'], env);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('is not valid JSON');
    expect(r.stderr).toContain('fix or remove it');
  });
});
