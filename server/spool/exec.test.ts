// `jobscope exec` and `jobscope report` end to end: the built command line, real
// commands, a real spool in a temporary data folder, no daemon running.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpoolEvent } from '../domain/events';
import { JOBSCOPE, run, waitUntil, type RunResult } from '../testing/test-host';
import { openSpool } from './spool';

let dir: string;
let env: NodeJS.ProcessEnv;

function spoolOf(host: string): string {
  return path.join(dir, host, 'spool.db');
}

async function setUp(host: string, init = true): Promise<void> {
  const args = ['setup', '-h', host, '--address', '127.0.0.1', '--data', path.join(dir, host), ...(init ? ['--init'] : [])];
  const result = await run(args, env);
  expect(result.code, result.stderr).toBe(0);
}

/** All events of a host's spool, read back through the spool's own validating reader. */
function eventsOf(host: string): SpoolEvent[] {
  const reader = openSpool(spoolOf(host));
  try {
    return reader.eventsAfter(0, 5000).events;
  } finally {
    reader.close();
  }
}

/** Runs a command through `jobscope exec` and returns its result with the events it added. */
async function exec(unit: string, command: string[], options: string[] = [], input?: string): Promise<RunResult & { events: SpoolEvent[] }> {
  const before = eventsOf('testhost').length;
  const result = await run(['exec', '-h', 'testhost', '--unit', unit, ...options, '--', ...command], env, input);
  return { ...result, events: eventsOf('testhost').slice(before) };
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobscope-exec-'));
  env = { ...process.env, JOBSCOPE_CONFIG_DIR: path.join(dir, 'config'), JOBSCOPE_HOSTNAME: '', JOBSCOPE_RUN_ID: '' };
  await setUp('testhost');
});

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('jobscope exec', () => {
  it('records start and end of a command that ends normally, passing its output and exit code through', async () => {
    const r = await exec('/Billing/Daily/extract', ['sh', '-c', 'echo extracted; echo note >&2'], ['--run', 'R1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('extracted\n');
    expect(r.stderr).toBe('note\n');
    expect(r.events.map((e) => [e.kind, e.status])).toEqual([['start', 'RUNNING'], ['end', 'NORMAL']]);
    const [start, end] = r.events;
    expect(start).toMatchObject({ host: 'testhost', unit: '/Billing/Daily/extract', runId: 'R1', node: os.hostname(), exitCode: null });
    expect(start.pid).toBeGreaterThan(0);
    expect(end).toMatchObject({ execId: start.execId, pid: start.pid, exitCode: 0, signal: null, outputTail: 'extracted\nnote\n' });
    expect(end.seq).toBe(start.seq + 1);
  });

  it('judges exit codes against the thresholds and exits with the command\'s own code', async () => {
    const thresholds = ['--warning-above', '2', '--abend-above', '10'];
    const warning = await exec('/Net/judge', ['sh', '-c', 'exit 3'], thresholds);
    expect(warning.code).toBe(3);
    expect(warning.events.at(-1)).toMatchObject({ status: 'WARNING', exitCode: 3 });
    const abnormal = await exec('/Net/judge', ['sh', '-c', 'exit 12'], thresholds);
    expect(abnormal.code).toBe(12);
    expect(abnormal.events.at(-1)).toMatchObject({ status: 'ABNORMAL', exitCode: 12 });
    const low = await exec('/Net/judge', ['sh', '-c', 'exit 2'], thresholds);
    expect(low.code).toBe(2);
    expect(low.events.at(-1)).toMatchObject({ status: 'NORMAL', exitCode: 2 });
    const plain = await exec('/Net/judge', ['sh', '-c', 'exit 42']);
    expect(plain.code).toBe(42);
    expect(plain.events.at(-1)).toMatchObject({ status: 'ABNORMAL', exitCode: 42 });
  });

  it('passes options after -- to the command, not to exec', async () => {
    const r = await exec('/Net/args', ['sh', '-c', 'echo "$@"; exit 3', 'sh', '--warning-above', '2']);
    expect(r.stdout).toBe('--warning-above 2\n');
    expect(r.events.at(-1)).toMatchObject({ status: 'ABNORMAL', exitCode: 3 });
  });

  it('passes standard input through to the command', async () => {
    const r = await exec('/Net/stdin', ['cat'], [], 'fed through\n');
    expect(r.stdout).toBe('fed through\n');
    expect(r.events.at(-1)?.status).toBe('NORMAL');
  });

  it('keeps the last 4 KiB of the combined output as the tail, and passes all of it through', async () => {
    const r = await exec('/Net/chatty', ['sh', '-c', 'i=0; while [ $i -lt 2000 ]; do echo "line $i"; i=$((i+1)); done; echo last-words >&2']);
    expect(r.stdout.split('\n')).toHaveLength(2001);
    const tail = r.events.at(-1)!.outputTail!;
    expect(Buffer.byteLength(tail)).toBeLessThanOrEqual(4096);
    expect(Buffer.byteLength(tail)).toBeGreaterThan(4000);
    expect(tail.endsWith('line 1999\nlast-words\n')).toBe(true);
    expect((r.stdout + 'last-words\n').endsWith(tail)).toBe(true);
  });

  it('records a command killed by a signal as Killed, exiting 128 + the signal number', async () => {
    const r = await exec('/Net/killed', ['sh', '-c', 'kill -TERM $$']);
    expect(r.code).toBe(128 + os.constants.signals.SIGTERM);
    expect(r.events.at(-1)).toMatchObject({ kind: 'end', status: 'KILL', signal: 'SIGTERM', exitCode: null });
  });

  it('forwards SIGTERM it receives to the command, which is then recorded as Killed', async () => {
    const before = eventsOf('testhost').length;
    const child = spawn(JOBSCOPE, ['exec', '-h', 'testhost', '--unit', '/Net/stopped', '--', 'sleep', '30'], { env, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const start = await waitUntil('the start event', () => eventsOf('testhost').slice(before).find((e) => e.unit === '/Net/stopped'));
    expect(() => process.kill(start.pid!, 0)).not.toThrow();
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    const end = eventsOf('testhost').slice(before).find((e) => e.kind === 'end' && e.execId === start.execId);
    expect(end).toMatchObject({ status: 'KILL', signal: 'SIGTERM', pid: start.pid });
    expect(() => process.kill(start.pid!, 0)).toThrow();
  });

  it('records a program that cannot be started as Failed to start, exiting 127 or 126 like a shell', async () => {
    const missing = await exec('/Net/missing', ['no-such-program-here', 'x']);
    expect(missing.code).toBe(127);
    expect(missing.stderr).toContain('command not found: no-such-program-here');
    expect(missing.events).toEqual([expect.objectContaining({ kind: 'end', status: 'FAIL', pid: null, reason: 'command not found: no-such-program-here' })]);

    const notExecutable = path.join(dir, 'plain.txt');
    fs.writeFileSync(notExecutable, 'echo never\n', { mode: 0o644 });
    const denied = await exec('/Net/denied', [notExecutable]);
    expect(denied.code).toBe(126);
    expect(denied.events).toEqual([expect.objectContaining({ status: 'FAIL', reason: `permission denied: ${notExecutable}` })]);
  });

  it('refuses bad input with exit 2 and records nothing', async () => {
    for (const [options, message] of [
      [['--unit', 'Billing/x'], 'unit path must start with /'],
      [['--unit', '/Net/x', '--warning-above', '10', '--abend-above', '5'], '--warning-above must be lower than --abend-above'],
      [['--unit', '/Net/x', '--run', 'has space'], 'run id must be printable ASCII'],
    ] as const) {
      const before = eventsOf('testhost').length;
      const r = await run(['exec', '-h', 'testhost', ...options, '--', 'true'], env);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(message);
      expect(eventsOf('testhost')).toHaveLength(before);
    }
  });

  it('does not run the command when its status could not be recorded, and exits 125', async () => {
    const marker = path.join(dir, 'ran');
    const noConfig = await run(['exec', '-h', 'nohost', '--unit', '/Net/x', '--', 'touch', marker], env);
    expect(noConfig.code).toBe(125);
    expect(noConfig.stderr).toContain('no configuration for host "nohost"');

    await setUp('nospool', false);
    const noSpool = await run(['exec', '-h', 'nospool', '--unit', '/Net/x', '--', 'touch', marker], env);
    expect(noSpool.code).toBe(125);
    expect(noSpool.stderr).toContain(`no spool at ${spoolOf('nospool')}: is the shared disk mounted? create it with jobscope setup -h nospool --init`);
    expect(noSpool.stderr).toContain('the command was not run');
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('acts for -h, else for JOBSCOPE_HOSTNAME, else refuses when neither is set up', async () => {
    const before = eventsOf('testhost').length;
    const fromEnv = await run(['exec', '--unit', '/Net/env', '--', 'true'], { ...env, JOBSCOPE_HOSTNAME: 'testhost' });
    expect(fromEnv.code).toBe(0);
    expect(eventsOf('testhost').slice(before).map((e) => e.unit)).toEqual(['/Net/env', '/Net/env']);

    const optionWins = await run(['exec', '-h', 'elsewhere', '--unit', '/Net/env', '--', 'true'], { ...env, JOBSCOPE_HOSTNAME: 'testhost' });
    expect(optionWins.code).toBe(125);
    expect(optionWins.stderr).toContain('no configuration for host "elsewhere"');
  });

  it('takes the run id from JOBSCOPE_RUN_ID when --run is not given', async () => {
    const r = await run(['exec', '-h', 'testhost', '--unit', '/Net/runid', '--', 'true'], { ...env, JOBSCOPE_RUN_ID: 'nightly-42' });
    expect(r.code).toBe(0);
    expect(eventsOf('testhost').filter((e) => e.unit === '/Net/runid').map((e) => e.runId)).toEqual(['nightly-42', 'nightly-42']);
  });

  it('records every start and end when 50 run at once, with no daemon running', async () => {
    await setUp('busyhost');
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        run(['exec', '-h', 'busyhost', '--unit', `/Load/job${i}`, '--', 'sh', '-c', `echo job ${i}; exit ${i % 3}`], env),
      ),
    );
    expect(results.map((r) => r.code)).toEqual(Array.from({ length: 50 }, (_, i) => i % 3));
    const events = eventsOf('busyhost');
    expect(events).toHaveLength(100);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    for (let i = 0; i < 50; i++) {
      const mine = events.filter((e) => e.unit === `/Load/job${i}`);
      expect(mine.map((e) => e.kind)).toEqual(['start', 'end']);
      expect(mine[1]).toMatchObject({ execId: mine[0].execId, exitCode: i % 3, status: i % 3 === 0 ? 'NORMAL' : 'ABNORMAL', outputTail: `job ${i}\n` });
    }
    const reader = openSpool(spoolOf('busyhost'));
    const snapshot = reader.snapshot();
    reader.close();
    expect(snapshot.lastSeq).toBe(100);
    expect(snapshot.runs).toHaveLength(50);
  });
});

describe('jobscope report', () => {
  it('records one status event of a new execution', async () => {
    const before = eventsOf('testhost').length;
    const r = await run(['report', '-h', 'testhost', '--unit', 'AJSROOT1:/Other/net', '--status', 'HOLDING', '--run', 'R9', '--exit-code', '4', '--message', 'held by operator'], env);
    expect(r.code, r.stderr).toBe(0);
    const added = eventsOf('testhost').slice(before);
    expect(added).toEqual([
      expect.objectContaining({ kind: 'status', unit: 'AJSROOT1:/Other/net', status: 'HOLDING', runId: 'R9', exitCode: 4, reason: 'held by operator', pid: null }),
    ]);
    const again = await run(['report', '-h', 'testhost', '--unit', 'AJSROOT1:/Other/net', '--status', 'NORMAL'], env);
    expect(again.code).toBe(0);
    expect(eventsOf('testhost').at(-1)!.execId).not.toBe(added[0].execId);
  });

  it('refuses an unknown status, listing the valid ones, and records nothing', async () => {
    const before = eventsOf('testhost').length;
    const r = await run(['report', '-h', 'testhost', '--unit', '/Net/x', '--status', 'DONE'], env);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('unknown status "DONE"; use one of: ABNORMAL, KILL, FAIL');
    expect(r.stderr).toContain('HOLDING');
    expect(r.stderr).not.toMatch(/\bNONE\b/);
    const badUnit = await run(['report', '-h', 'testhost', '--unit', '/Net/../x', '--status', 'NORMAL'], env);
    expect(badUnit.code).not.toBe(0);
    expect(badUnit.stderr).toContain('unit path may not contain . or ..');
    expect(eventsOf('testhost')).toHaveLength(before);
  });
});
