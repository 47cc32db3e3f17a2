// `jobscope exec`: runs a command as a job unit and records its start and end in
// the host's spool. Works with no daemon and no network: the spool is a local file.
//
// Order of work: everything that can make the recording impossible (bad input, no
// configuration, no spool) is checked before the command runs; then the command is
// spawned and its start appended in the same tick, so the start carries the real
// pid and is on disk before this process handles any output or exit of the child.
// Should that append still fail, the child is killed at once and nothing runs
// unrecorded.
//
// It runs around every job, so it loads only what it uses: no zod, no commander (see
// server/cli/exec-main.ts). The events it records are valid as made, from checked parts.
import os from 'node:os';
import fs from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { checkThresholds, judge, type Outcome, type Thresholds } from '../domain/judge';
import type { NewSpoolEvent } from '../domain/events';
import { runIdProblem } from '../domain/names';
import { formatUnitName, parseUnitName } from '../domain/unit-path';
import { runReasons } from '../domain/reasons';
import { dataDirOf, spoolPath } from '../host/config-file';
import { appendToSpool, openSpoolWriter, type SpoolWriter } from './spool-file';
import { oneLine } from '../cli/one-line';

/** Exit codes of the wrapper itself, as `env` and `nohup` use them. */
export const EXIT_USAGE = 2;
export const EXIT_NOT_RECORDED = 125;
export const EXIT_CANNOT_EXECUTE = 126;
export const EXIT_NOT_FOUND = 127;

const TAIL_BYTES = 4096;
const FORWARDED_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;
/** After the command exits, how long to wait for its output pipes to drain (a background child may hold them). */
const OUTPUT_GRACE_MS = 500;

function refuse(code: number, message: string): number {
  process.stderr.write(`jobscope exec: ${oneLine(message)}\n`);
  return code;
}

/** Keeps the last bytes of the combined output. */
class OutputTail {
  private chunks: Buffer[] = [];
  private size = 0;

  add(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size - this.chunks[0].length >= TAIL_BYTES) this.size -= this.chunks.shift()!.length;
  }

  text(): string | null {
    if (this.size === 0) return null;
    const bytes = Buffer.concat(this.chunks).subarray(-TAIL_BYTES);
    // Cut at a character boundary: skip UTF-8 continuation bytes left by the cut.
    let start = 0;
    while (start < bytes.length && start < 4 && (bytes[start] & 0xc0) === 0x80) start++;
    return bytes.subarray(start).toString('utf8');
  }
}

/** Copies the child's output to ours, keeping its tail; a reader that went away (EPIPE) only stops the copy. */
function passThrough(from: NodeJS.ReadableStream, to: NodeJS.WriteStream, tail: OutputTail): void {
  let broken = false;
  to.on('error', () => {
    broken = true;
    from.resume();
  });
  from.on('data', (chunk: Buffer) => {
    tail.add(chunk);
    if (!broken && !to.write(chunk)) {
      from.pause();
      to.once('drain', () => from.resume());
    }
  });
}

/** A random (version 4) UUID from the kernel's random source: loading node:crypto for it would cost more than all of exec's own code. */
function randomUUID(): string {
  const bytes = Buffer.alloc(16);
  const fd = fs.openSync('/dev/urandom', 'r');
  try {
    fs.readSync(fd, bytes);
  } finally {
    fs.closeSync(fd);
  }
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function signalNumber(signal: string): number {
  return (os.constants.signals as Record<string, number>)[signal] ?? 0;
}

/** Why a command could not be started, as a shell would say it, and the shell's exit code for it. */
function startFailure(program: string, err: NodeJS.ErrnoException): { reason: string; code: number } {
  if (err.code === 'ENOENT') return { reason: runReasons.notFound(program), code: EXIT_NOT_FOUND };
  if (err.code === 'EACCES') return { reason: runReasons.denied(program), code: EXIT_CANNOT_EXECUTE };
  return { reason: runReasons.cannotRun(program, err.message), code: EXIT_CANNOT_EXECUTE };
}

/** Resolves how the child ended: its exit, or the error that kept it from starting. */
function endOf(child: ChildProcess): Promise<{ exited: true; code: number | null; signal: NodeJS.Signals | null } | { exited: false; error: NodeJS.ErrnoException }> {
  return new Promise((resolve) => {
    // Errors after a successful start (a failed kill) are not the end of the command.
    child.on('error', (error) => {
      if (child.pid === undefined) resolve({ exited: false, error });
    });
    child.once('exit', (code, signal) => {
      // 'close' waits for the pipes too; a background grandchild may hold them open for ever.
      const timer = setTimeout(() => resolve({ exited: true, code, signal }), OUTPUT_GRACE_MS);
      child.once('close', () => {
        clearTimeout(timer);
        resolve({ exited: true, code, signal });
      });
    });
  });
}

export async function runExec(o: { host: string; unit: string; runId: string | null; thresholds: Thresholds; command: string[] }): Promise<number> {
  const unit = parseUnitName(o.unit);
  if (!unit.ok) return refuse(EXIT_USAGE, `--unit ${JSON.stringify(o.unit)}: ${unit.error.en}`);
  const thresholdProblem = checkThresholds(o.thresholds);
  if (thresholdProblem) return refuse(EXIT_USAGE, thresholdProblem);
  const runIdWrong = o.runId === null ? null : runIdProblem(o.runId);
  if (runIdWrong) return refuse(EXIT_USAGE, `--run ${JSON.stringify(o.runId)}: ${runIdWrong}`);
  if (o.command.length === 0 || o.command[0] === '') return refuse(EXIT_USAGE, 'no command given; put it after --');

  // A status that cannot be recorded must not vanish: refuse to run the command at all.
  // The spool stays open for the start, appended right after the spawn.
  let file: string;
  let spool: SpoolWriter;
  try {
    file = spoolPath({ dataDir: dataDirOf(o.host) });
    spool = openSpoolWriter(file, o.host);
  } catch (e) {
    return refuse(EXIT_NOT_RECORDED, `${(e as Error).message}; the command was not run`);
  }

  const base = {
    host: o.host,
    unit: formatUnitName(unit.value),
    execId: randomUUID(),
    runId: o.runId,
    node: os.hostname(),
    signal: null,
    outputTail: null,
    reason: null,
  } satisfies Partial<NewSpoolEvent>;
  const now = () => new Date().toISOString();

  const [program, ...args] = o.command;
  const child = spawn(program, args, { stdio: ['inherit', 'pipe', 'pipe'] });
  const end = endOf(child);
  const pid = child.pid ?? null;

  if (pid === null) {
    // Nothing ran: record one end event that says why.
    spool.close();
    const result = await end;
    const failure = result.exited ? { reason: runReasons.cannotRun(program), code: EXIT_CANNOT_EXECUTE } : startFailure(program, result.error);
    const outcome: Outcome = { kind: 'not-started', error: failure.reason };
    process.stderr.write(`jobscope exec: ${oneLine(failure.reason)}\n`);
    try {
      appendToSpool(file, [{ ...base, kind: 'end', status: judge(outcome), at: now(), pid: null, exitCode: null, reason: failure.reason.slice(0, 256) }]);
    } catch (e) {
      return refuse(EXIT_NOT_RECORDED, (e as Error).message);
    }
    return failure.code;
  }

  // From now on a signal to this process is meant for the command.
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  for (const s of FORWARDED_SIGNALS) process.on(s, forward);
  try {
    spool.append([{ ...base, kind: 'start', status: 'RUNNING', at: now(), pid, exitCode: null }]);
  } catch (e) {
    child.kill('SIGKILL');
    await end;
    return refuse(EXIT_NOT_RECORDED, `${(e as Error).message}; the command was stopped`);
  } finally {
    spool.close();
  }

  const tail = new OutputTail();
  passThrough(child.stdout!, process.stdout, tail);
  passThrough(child.stderr!, process.stderr, tail);

  const result = await end;
  for (const s of FORWARDED_SIGNALS) process.off(s, forward);
  const outcome: Outcome = !result.exited
    ? { kind: 'not-started', error: result.error.message }
    : result.signal
      ? { kind: 'signalled', signal: result.signal }
      : { kind: 'exited', code: result.code ?? 0 };

  try {
    appendToSpool(file, [{
      ...base,
      kind: 'end',
      status: judge(outcome, o.thresholds),
      at: now(),
      pid,
      exitCode: outcome.kind === 'exited' ? outcome.code : null,
      signal: outcome.kind === 'signalled' ? outcome.signal : null,
      outputTail: tail.text(),
    }]);
  } catch (e) {
    // The command did run: keep its exit code for the scheduler, but say loudly that its end is not recorded.
    process.stderr.write(`jobscope exec: ${oneLine(`the end of ${base.unit} was not recorded: ${(e as Error).message}`)}\n`);
  }
  if (outcome.kind === 'signalled') return 128 + signalNumber(outcome.signal);
  return outcome.kind === 'exited' ? outcome.code : EXIT_CANNOT_EXECUTE;
}
