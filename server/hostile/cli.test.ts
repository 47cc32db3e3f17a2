// The command line and the configuration files from outside: unknown commands
// and options, bad ports and host names, oversized and control-character
// arguments, out-of-range exit codes; a host's configuration corrupt, of the
// wrong types, with unknown keys, huge, a directory, unreadable. Each gives a
// clear message and a non-zero exit: 2 for a wrong command line (with the help),
// else one line; never a stack trace, never a daemon started, nothing recorded.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOBSCOPE, TestHost, type Env, type RunResult } from '../testing/test-host';
import { openSpool } from '../spool/spool';
import { pool, show } from './rig';
import { printTally, tally } from './tally';

const TIMEOUT_MS = 15_000;
const started = Date.now();
let host: TestHost;

interface Ran extends RunResult {
  timedOut: boolean;
}

/** Runs bin/jobscope; one that has not exited after 15 s (a daemon that started, or a hang) is killed. */
function jobscope(args: string[], env: Env, o: { uid?: number } = {}): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(JOBSCOPE, args, { env: env as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe'], ...(o.uid !== undefined ? { uid: o.uid, gid: o.uid } : {}) });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => ((timedOut = true), child.kill('SIGKILL')), TIMEOUT_MS);
    // A daemon that says it listens has started: stopped at once.
    const started = () => /listening on|agent ready/.test(stdout + stderr) && child.kill('SIGKILL');
    child.stdout.on('data', (d) => ((stdout += d), started()));
    child.stderr.on('data', (d) => ((stderr += d), started()));
    child.stdin.on('error', () => {});
    child.stdin.end('');
    child.on('close', (code, signal) => (clearTimeout(timer), resolve({ code, signal, stdout, stderr, timedOut })));
  });
}

/**
 * What is wrong with how a refused command ended: `rule` breaks the product's rule (it exited 0,
 * hung, started a daemon, printed a stack trace, gave no message, or a code of the wrong kind);
 * `message` makes the message unclear (several lines, unbounded, raw control characters).
 */
function judge(r: Ran, codes: number[]): { rule: string | null; message: string | null } {
  const out = `${r.stderr}${r.stdout}`;
  const rule = (why: string) => ({ rule: why, message: null });
  if (r.timedOut) return rule(`did not exit within ${TIMEOUT_MS / 1000} s (a daemon started, or it hangs): ${show(out.slice(-300), 300)}`);
  if (/listening on|agent ready/.test(out)) return rule(`a daemon started: ${show(out.slice(-400), 400)}`);
  if (r.signal) return rule(`ended by ${r.signal}`);
  if (r.code === 0) return rule(`exited 0: ${show(out, 200)}`);
  if (!codes.includes(r.code!)) return rule(`exited ${r.code}, not ${codes.join(' or ')}: ${show(out, 300)}`);
  if (/^\s+at .+:\d+:\d+\)?$/m.test(out) || out.includes('node:internal')) return rule(`printed a stack trace: ${show(out, 400)}`);
  if (/"level":\s*(50|60)/.test(out)) return rule(`a daemon's fatal log line: ${show(out, 300)}`);
  // A cluster probe answers on standard output (monitor: 7 "not running").
  const text = r.stderr.trim() === '' && r.code === 7 ? r.stdout : r.stderr;
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length === 0) return rule(`no message (stdout ${show(r.stdout, 200)})`);
  let message: string | null = null;
  // A wrong command line (2) may add the help after its first line.
  if (r.code !== 2 && lines.length > 1) message = `a message of ${lines.length} lines: ${show(text, 300)}`;
  else if (lines[0].length > 2000) message = `a message line of ${lines[0].length} characters: ${show(lines[0], 160)}`;
  else if (/[\u0000-\u0008\u000b-\u001f\u007f\u009b]/.test(text)) message = `raw control characters in the message: ${show(text, 200)}`;
  return { rule: null, message };
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

beforeAll(async () => {
  host = await TestHost.create('clihost');
}, 60_000);

afterAll(async () => {
  printTally('cli+config', Date.now() - started);
  await host?.stop();
});

describe('the command line', () => {
  const H = () => host.name;
  const big = 'x'.repeat(100_000);
  const cases: [string, () => string[], number[]][] = [
    ['no command', () => [], [1, 2]],
    ['an unknown command', () => ['nosuchcommand'], [2]],
    ['an unknown command with an escape sequence', () => ['\u001b]0;pwned\u0007\u001b[2J'], [2]],
    ['an unknown option', () => ['--nosuchoption'], [2]],
    ['an unknown option of a command', () => ['manager', '--nosuch', '-h', H()], [2]],
    ['an unknown cluster action', () => ['manager', 'restart', '-h', H()], [2]],
    ['an extra argument', () => ['agent', 'start', 'extra', '-h', H()], [2]],
    ['-h without a value', () => ['manager', '-h'], [2]],
    ['an empty host name', () => ['manager', '-h', ''], [1, 2, 6]],
    ['a host name with a space', () => ['manager', '-h', 'a b'], [1, 2, 6]],
    ['a host name that is a path', () => ['agent', '-h', '../../etc'], [1, 2, 6]],
    ['a host name of 300 characters', () => ['manager', '-h', 'h'.repeat(300)], [1, 2, 6]],
    ['a host name with an escape sequence', () => ['manager', '-h', '\u001b[31mred'], [1, 2, 6]],
    ['a host name with a newline', () => ['agent', '-h', 'a\nb'], [1, 2, 6]],
    ['a host name with a bidi override', () => ['manager', '-h', '\u202eevil'], [1, 2, 6]],
    ['a host name of 100 KB', () => ['manager', '-h', big], [1, 2, 6]],
    ['a host with no configuration', () => ['manager', '-h', 'nosuchhost'], [1]],
    ['start for a host with no configuration', () => ['manager', 'start', '-h', 'nosuchhost'], [5]],
    ['monitor with an invalid host name', () => ['agent', 'monitor', '-h', 'a b'], [2, 6]],
    ['--timeout without start or stop', () => ['manager', '--timeout', '5', '-h', H()], [1, 2]],
    ['--timeout 0', () => ['manager', 'stop', '--timeout', '0', '-h', 'nosuchhost'], [2]],
    ['--timeout abc', () => ['agent', 'stop', '--timeout', 'abc', '-h', 'nosuchhost'], [2]],
    ['--timeout 10^20', () => ['manager', 'start', '--timeout', '99999999999999999999', '-h', 'nosuchhost'], [1, 2, 5]],
    ...(['0', '65536', '-1', 'abc', '1e3', '80.5', '99999999999999999999', '', ' 80', '0x50'] as const).map(
      (p): [string, () => string[], number[]] => [`setup --manager-port ${JSON.stringify(p)}`, () => ['setup', '-h', 'scratch', '--address', '127.0.0.1', '--manager-port', p], [2]],
    ),
    ['setup --agent-port 70000', () => ['setup', '-h', 'scratch', '--address', '127.0.0.1', '--agent-port', '70000'], [2]],
    ['setup with one port for both', () => ['setup', '-h', 'scratch', '--address', '127.0.0.1', '--manager-port', '7000', '--agent-port', '7000'], [1]],
    ['setup --address 999.1.1.1', () => ['setup', '-h', 'scratch', '--address', '999.1.1.1'], [1, 2]],
    ['setup --address 0.0.0.0', () => ['setup', '-h', 'scratch', '--address', '0.0.0.0'], [1, 2]],
    ['setup --address ::', () => ['setup', '-h', 'scratch', '--address', '::'], [1, 2]],
    ['setup --address of 100 KB', () => ['setup', '-h', 'scratch', '--address', big], [1, 2]],
    ['setup --store-url mysql://', () => ['setup', '-h', 'scratch', '--address', '127.0.0.1', '--store-url', 'mysql://u@h/db'], [1]],
    ['setup --store-url with an unknown parameter', () => ['setup', '-h', 'scratch', '--address', '127.0.0.1', '--store-url', 'postgresql://u@h/db?sslmode=bogus&x=1'], [1]],
    ['setup --store-url without a database', () => ['setup', '-h', 'scratch', '--address', '127.0.0.1', '--store-url', 'postgresql://u@h'], [1]],
    ['setup --store-url that is not a URL', () => ['setup', '-h', 'scratch', '--address', '127.0.0.1', '--store-url', 'postgresql://[::1'], [1]],
    ['setup --aliases with a space', () => ['setup', '-h', 'scratch', '--address', '127.0.0.1', '--aliases', 'a b,c'], [1]],
    ['setup --trusted-proxies 999.0.0.0/8', () => ['setup', '-h', 'scratch', '--address', '127.0.0.1', '--trusted-proxies', '999.0.0.0/8'], [1]],
    ['setup --webhook-networks that is no network', () => ['setup', '-h', 'scratch', '--address', '127.0.0.1', '--webhook-networks', '\u001b[2J'], [1]],
    ['setup --console-peers with a path', () => ['setup', '-h', 'scratch', '--address', '127.0.0.1', '--console-peers', 'a/b:1'], [1]],
    ['setup --tls-cert without --tls-key', () => ['setup', '-h', 'scratch', '--address', '127.0.0.1', '--tls-cert', '/etc/hostname'], [1]],
    ['setup --tls-cert that does not exist', () => ['setup', '-h', 'scratch', '--address', '127.0.0.1', '--tls-cert', '/nonexistent/cert.pem', '--tls-key', '/nonexistent/key.pem'], [1]],
    ['exec without a command', () => ['exec', '-h', H(), '--unit', '/Cli/job'], [2]],
    ['exec without --unit', () => ['exec', '-h', H(), '--', 'true'], [2]],
    ['exec --unit with ..', () => ['exec', '-h', H(), '--unit', '/Cli/../x', '--', 'echo', 'must-not-run'], [1, 2, 125]],
    ['exec --unit with an escape sequence', () => ['exec', '-h', H(), '--unit', '/Cli/\u001b[2J', '--', 'echo', 'must-not-run'], [1, 2, 125]],
    ['exec --unit of 100 KB', () => ['exec', '-h', H(), '--unit', `/${big}`, '--', 'echo', 'must-not-run'], [1, 2, 125]],
    ['exec --warning-above abc', () => ['exec', '-h', H(), '--unit', '/Cli/job', '--warning-above', 'abc', '--', 'echo', 'must-not-run'], [2]],
    ['exec --abend-above -1', () => ['exec', '-h', H(), '--unit', '/Cli/job', '--abend-above', '-1', '--', 'echo', 'must-not-run'], [2]],
    ['exec --run with a space', () => ['exec', '-h', H(), '--unit', '/Cli/job', '--run', 'a b', '--', 'echo', 'must-not-run'], [1, 2, 125]],
    // 3000000000 is a Windows code, kept as its signed twin (server/daemons/containment.test.ts); past 32 bits is refused.
    ['report --exit-code 4294967296', () => ['report', '-h', H(), '--unit', '/Cli/job', '--status', 'ABNORMAL', '--exit-code', '4294967296'], [1, 2]],
    ['report --exit-code -2147483649', () => ['report', '-h', H(), '--unit', '/Cli/job', '--status', 'ABNORMAL', '--exit-code', '-2147483649'], [1, 2]],
    ['report --exit-code 10^20', () => ['report', '-h', H(), '--unit', '/Cli/job', '--status', 'ABNORMAL', '--exit-code', '99999999999999999999'], [1, 2]],
    ['report --exit-code 1e3', () => ['report', '-h', H(), '--unit', '/Cli/job', '--status', 'ABNORMAL', '--exit-code', '1e3'], [2]],
    ['report --exit-code 0x10', () => ['report', '-h', H(), '--unit', '/Cli/job', '--status', 'ABNORMAL', '--exit-code', '0x10'], [2]],
    ['report --status BOGUS', () => ['report', '-h', H(), '--unit', '/Cli/job', '--status', 'BOGUS'], [1, 2]],
    ['report --status NONE', () => ['report', '-h', H(), '--unit', '/Cli/job', '--status', 'NONE'], [1, 2]],
    ['report --status in lower case', () => ['report', '-h', H(), '--unit', '/Cli/job', '--status', 'normal'], [1, 2]],
    ['report --status with an escape sequence', () => ['report', '-h', H(), '--unit', '/Cli/job', '--status', '\u001b[2JNORMAL'], [1, 2]],
    ['report --message of 100 KB', () => ['report', '-h', H(), '--unit', '/Cli/job', '--status', 'NORMAL', '--message', big], [1, 2]],
    ['report --unit that is not a path', () => ['report', '-h', H(), '--unit', 'Cli job', '--status', 'NORMAL'], [1, 2]],
    ['report --run with a space', () => ['report', '-h', H(), '--unit', '/Cli/job', '--status', 'NORMAL', '--run', 'a b'], [1, 2]],
    ['host add with a bad address', () => ['host', 'add', 'newhost', '--address', 'a b', '--port', '7421', '-h', H()], [1, 2]],
    ['host add --port 0', () => ['host', 'add', 'newhost', '--address', '127.0.0.1', '--port', '0', '-h', H()], [2]],
    ['host add with a name that is a path', () => ['host', 'add', '../x', '--address', '127.0.0.1', '-h', H()], [1, 2]],
    ['user add with a space in the name', () => ['user', 'add', 'bad name', '--role', 'guest', '-h', H()], [1, 2]],
    ['user add --role root', () => ['user', 'add', 'newuser', '--role', 'root', '-h', H()], [2]],
    ['user add without --role', () => ['user', 'add', 'newuser', '-h', H()], [2]],
    ['demo --port 0', () => ['demo', '--port', '0'], [2]],
  ];

  const ruleProblems: string[] = [];
  const messageProblems: string[] = [];

  it('refuses every bad command line with a non-zero exit, never a stack trace, a daemon or a record', async () => {
    const spool = openSpool(host.spoolFile);
    const recorded = spool.lastSeq();
    const env: Env = { ...host.env, JOBSCOPE_HOST_TOKEN: 'short', JOBSCOPE_PASSWORD: 'pw' };
    await pool(cases, 3, async ([label, args, codes]) => {
      const { rule, message } = judge(await jobscope(args(), env), codes);
      const what = `${label} (jobscope ${show(args().join(' '), 120)})`;
      if (rule) ruleProblems.push(`${what}: ${rule}`);
      if (message) messageProblems.push(`${what}: ${message}`);
    });
    tally('cli', cases.length);
    if (spool.lastSeq() !== recorded) ruleProblems.push(`refused commands recorded ${spool.lastSeq() - recorded} event(s) in the spool: ${show(spool.eventsAfter(recorded, 10).events.map((e) => `${e.unit} ${e.status} ${e.exitCode}`))}`);
    spool.close();
    for (const port of [host.managerPort, host.agentPort]) if (await listening(port)) ruleProblems.push(`something listens on port ${port} of ${host.name}`);
    const scratch = path.join(host.env.JOBSCOPE_CONFIG_DIR!, 'scratch.json');
    if (fs.existsSync(scratch)) ruleProblems.push(`a refused setup wrote ${scratch}`);
    expect(ruleProblems).toEqual([]);
  }, 120_000);

  it('says why in one readable line: no raw control characters, no unbounded echo, no dump of a schema', () => {
    expect(messageProblems).toEqual([]);
  });

  it('refuses hostile environment variables the same way', async () => {
    const runs: [string, string[], Env, number[]][] = [
      ['JOBSCOPE_HOSTNAME with a space', ['host', 'list'], { ...host.env, JOBSCOPE_HOSTNAME: 'a b' }, [1, 6]],
      ['JOBSCOPE_HOSTNAME of 100 KB', ['host', 'list'], { ...host.env, JOBSCOPE_HOSTNAME: 'h'.repeat(100_000) }, [1, 6]],
      ['JOBSCOPE_LOG_LEVEL bogus', ['manager', '-h', host.name], { ...host.env, JOBSCOPE_LOG_LEVEL: 'bogus' }, [1]],
      ['JOBSCOPE_STOP_GRACE_MS abc', ['agent', '-h', host.name], { ...host.env, JOBSCOPE_STOP_GRACE_MS: 'abc' }, [1]],
      ['JOBSCOPE_CONFIG_DIR that is a file', ['manager', '-h', host.name], { ...host.env, JOBSCOPE_CONFIG_DIR: '/etc/hostname' }, [1]],
      ['JOBSCOPE_AGENT_TOKEN too short', ['setup', '-h', 'scratch', '--address', '127.0.0.1'], { ...host.env, JOBSCOPE_AGENT_TOKEN: 'short' }, [1]],
      ['JOBSCOPE_HOST_TOKEN too short', ['host', 'add', 'newhost', '--address', '127.0.0.1', '-h', host.name], { ...host.env, JOBSCOPE_HOST_TOKEN: 'short' }, [1]],
      ['JOBSCOPE_PASSWORD too short', ['user', 'add', 'newuser', '--role', 'guest', '-h', host.name], { ...host.env, JOBSCOPE_PASSWORD: 'pw' }, [1]],
      ['JOBSCOPE_RUN_ID with a space', ['report', '-h', host.name, '--unit', '/Cli/job', '--status', 'NORMAL'], { ...host.env, JOBSCOPE_RUN_ID: 'a b' }, [1, 2]],
    ];
    const problems: string[] = [];
    for (const [label, args, env, codes] of runs) {
      const { rule, message } = judge(await jobscope(args, env), codes);
      if (rule ?? message) problems.push(`${label}: ${rule ?? message}`);
    }
    tally('cli', runs.length);
    for (const port of [host.managerPort, host.agentPort]) if (await listening(port)) problems.push(`something listens on port ${port} of ${host.name}`);
    expect(problems).toEqual([]);
  }, 120_000);
});

describe('configuration files', () => {
  const NAME = 'cfghost';
  let dir: string;
  let good: Record<string, unknown> = {};
  const file = () => path.join(dir, `${NAME}.json`);
  const env = (): Env => ({ ...host.env, JOBSCOPE_CONFIG_DIR: dir, JOBSCOPE_STORE_PASSWORD: '' });

  beforeAll(async () => {
    // A configuration folder nobody but root may write, readable by all (for the unreadable case, run as nobody).
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobscope-hostile-config-'));
    fs.chmodSync(dir, 0o755);
    const set = await jobscope(['setup', '-h', NAME, '--address', '127.0.0.1', '--manager-port', String(host.managerPort), '--agent-port', String(host.agentPort), '--data', path.join(dir, 'data'), '--init'], env());
    expect(set.code, set.stderr).toBe(0);
    good = JSON.parse(fs.readFileSync(file(), 'utf8'));
  }, 60_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const json = (o: Record<string, unknown>) => () => fs.writeFileSync(file(), JSON.stringify({ ...good, ...o }, null, 2));
  const without = (key: string) => () => fs.writeFileSync(file(), JSON.stringify(Object.fromEntries(Object.entries(good).filter(([k]) => k !== key))));
  const text = (t: string | Buffer) => () => fs.writeFileSync(file(), t);
  // Which commands must refuse a case (default: all); a setting only the manager reads concerns only it.
  const MANAGER_ONLY = ['manager'];
  const cases: { label: string; make: () => void; uid?: number; notNoConfiguration?: boolean; refusedBy?: string[] }[] = [
    { label: 'truncated JSON', make: () => fs.writeFileSync(file(), JSON.stringify(good).slice(0, 40)) },
    { label: 'an empty file', make: text('') },
    { label: 'JSON null', make: text('null') },
    { label: 'a JSON array', make: text('[]') },
    { label: 'a byte order mark before the JSON', make: () => fs.writeFileSync(file(), `\ufeff${JSON.stringify(good)}`) },
    { label: 'bytes that are not UTF-8', make: text(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])) },
    { label: 'a port that is text', make: json({ managerPort: '7420' }) },
    { label: 'a port of 70000', make: json({ agentPort: 70_000 }) },
    { label: 'version 2', make: json({ version: 2 }) },
    { label: 'a host name that is a number', make: json({ host: 123 }) },
    { label: 'an address that is a name', make: json({ address: 'localhost' }) },
    { label: 'a wildcard address', make: json({ address: '0.0.0.0' }), refusedBy: ['manager', 'agent'] },
    { label: 'an IPv6 wildcard address', make: json({ address: '::' }), refusedBy: ['manager', 'agent'] },
    { label: 'a relative data folder', make: json({ dataDir: 'data/here' }) },
    { label: 'a token hash that is not hex', make: json({ agentTokenSha256: 'z'.repeat(64) }) },
    { label: 'an unknown key', make: json({ managerPrt: 7420 }) },
    { label: 'a __proto__ key', make: () => text(JSON.stringify(good).replace('{', '{"__proto__":{"managerPort":1},'))() },
    { label: 'the configuration of another host', make: json({ host: 'otherhost' }) },
    { label: 'a NUL in the host name', make: json({ host: `${NAME}\u0000` }) },
    { label: 'aliases with hostile names', make: json({ aliases: ['\u202eevil', 'a b'] }) },
    { label: 'a trusted proxy that is not a network', make: json({ trustedProxies: ['999.0.0.0/99'] }) },
    { label: 'TLS files that are relative', make: json({ tls: { cert: 'cert.pem', key: 'key.pem' } }) },
    { label: 'a console store that is not PostgreSQL', make: json({ consoleStore: 'mysql://u@h/db' }) },
    { label: 'a console store with no server to answer', make: json({ consoleStore: 'postgresql://jobscope@127.0.0.1:1/jobscope' }), refusedBy: MANAGER_ONLY },
    {
      label: 'a store password file that is a folder',
      make: () => {
        json({ consoleStore: 'postgresql://jobscope@127.0.0.1:1/jobscope' })();
        fs.mkdirSync(path.join(dir, `${NAME}.store-password`), { recursive: true });
      },
      refusedBy: MANAGER_ONLY,
    },
    { label: 'a data folder that is a file', make: json({ dataDir: '/etc/hostname' }) },
    { label: 'a data folder that does not exist', make: json({ dataDir: '/nonexistent/jobscope' }) },
    { label: '10 MB of JSON', make: () => fs.writeFileSync(file(), JSON.stringify({ ...good, padding: 'p'.repeat(10 * 1024 * 1024) })) },
    { label: 'version missing', make: without('version') },
    { label: 'a folder instead of a file', make: () => fs.mkdirSync(file()), notNoConfiguration: true },
    { label: 'a symbolic link to itself', make: () => fs.symlinkSync(file(), file()), notNoConfiguration: true },
    { label: 'a file its user may not read', make: () => (json({})(), fs.chmodSync(file(), 0o000)), uid: 65534, notNoConfiguration: true },
  ];
  const commands: [string, string[], number[]][] = [
    ['manager', ['manager', '-h', NAME], [1]],
    ['agent', ['agent', '-h', NAME], [1]],
    ['report', ['report', '-h', NAME, '--unit', '/Cfg/job', '--status', 'NORMAL'], [1]],
    ['manager monitor', ['manager', 'monitor', '-h', NAME], [1, 5, 7]],
  ];

  for (const c of cases) {
    it(`refuses ${c.label} with a clear message and a non-zero exit`, async () => {
      fs.rmSync(file(), { recursive: true, force: true });
      fs.rmSync(path.join(dir, `${NAME}.store-password`), { recursive: true, force: true });
      c.make();
      const problems: string[] = [];
      for (const [label, args, codes] of commands.filter(([l]) => !c.refusedBy || c.refusedBy.includes(l))) {
        // The unreadable case runs as nobody (as root, permissions do not stop a read).
        const r = await jobscope(args, env(), { uid: c.uid });
        const { rule, message } = judge(r, codes);
        const why = rule ?? message;
        if (why) problems.push(`${label}: ${why}`);
        else if (c.notNoConfiguration && /no configuration for host/.test(r.stderr)) problems.push(`${label}: says there is no configuration, yet there is one it cannot read: ${show(r.stderr.trim(), 300)}`);
      }
      tally('config', commands.length);
      fs.rmSync(file(), { recursive: true, force: true });
      if (process.env.HOSTILE_DUMP && problems.length) fs.appendFileSync(`${process.env.HOSTILE_DUMP}/config.txt`, `== ${c.label}\n${problems.join('\n')}\n`);
      expect(problems).toEqual([]);
    }, 120_000);
  }
});
