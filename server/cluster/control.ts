// Start, stop and monitor of a host's manager or agent for cluster software
// (Pacemaker through cluster/ocf/jobscope, or any script), with OCF exit codes.
//
// start   spawns the foreground daemon (`jobscope <part> -h HOST`) detached, in its
//         own session, its output appended to a log file; records its pid in a pid
//         file on this node's local disk; waits until it answers its health check.
// stop    SIGTERM, a grace period (the agent ends its jobs), then SIGKILL; only ever
//         signals a process whose command line is this host's daemon.
// monitor 0 running and answering, 7 cleanly stopped, 1 failed.
//
// The pid file lives next to the configuration (<configDir>/run, or $JOBSCOPE_RUN_DIR),
// never on the shared disk: it says what runs on this node, and must not follow the disk.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, configDir, loadHostConfig, projectRoot, type HostConfig } from '../host/config';
import { OCF, type OcfCode } from './ocf-codes';
import { getFromOwnDaemon, loadTlsPair, TlsFilesError, UntrustedCertificateError } from '../host/tls';

export type Part = 'manager' | 'agent';
export const PARTS: readonly Part[] = ['manager', 'agent'];
export type Env = Record<string, string | undefined>;

export interface Outcome {
  code: OcfCode;
  message: string;
}

export interface ControlOptions {
  part: Part;
  host: string;
  env?: Env;
  /** start: how long to wait for readiness; stop: how long to wait after SIGTERM. */
  timeoutMs?: number;
}

export const START_TIMEOUT_MS = 60_000;
export const STOP_TIMEOUT_MS = 30_000;
/** A running daemon whose health check does not answer within this is failed. */
export const HEALTH_TIMEOUT_MS = 5_000;
const KILL_WAIT_MS = 5_000;
const POLL_MS = 200;
const LOG_TAIL_LINES = 20;

export function runDir(env: Env = process.env): string {
  return env.JOBSCOPE_RUN_DIR || path.join(configDir(env as NodeJS.ProcessEnv), 'run');
}
export function pidFilePath(part: Part, host: string, env: Env = process.env): string {
  return path.join(runDir(env), `${host}-${part}.pid`);
}
export function logFilePath(part: Part, host: string, env: Env = process.env): string {
  return path.join(runDir(env), `${host}-${part}.log`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const name = (part: Part, host: string) => `${part} of ${host}`;

// ---- processes ------------------------------------------------------------

interface ProcInfo {
  argv: string[];
  /** Process group: a daemon that start spawned leads its own. */
  pgid: number;
}

/** A live process's command line, or null if it is gone (a zombie counts as gone: it holds nothing). */
export function readProc(pid: number): ProcInfo | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name in parentheses may hold spaces and parentheses: fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z' || fields[0] === 'X') return null;
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    if (argv.at(-1) === '') argv.pop();
    return { argv, pgid: Number(fields[2]) };
  } catch {
    return null;
  }
}

/**
 * Whether a command line is the foreground daemon `jobscope <part> -h <host>` (as
 * `node …/jobscope.mjs manager -h H`, or the shell wrapper before it execs node). A
 * control command (`jobscope manager stop -h H`) or any other program is not.
 */
export function isDaemonCommand(argv: string[], part: Part, host: string): boolean {
  const i = argv.findIndex((a) => /^jobscope(\.m?js)?$/.test(path.basename(a)));
  if (i < 0) return false;
  const [cmd, ...rest] = argv.slice(i + 1);
  if (cmd !== part) return false;
  if (rest.length === 2) return (rest[0] === '-h' || rest[0] === '--host') && rest[1] === host;
  if (rest.length === 1) return rest[0] === `--host=${host}` || rest[0] === `-h${host}`;
  return false;
}

function netNamespace(pid: number | 'self'): string | null {
  try {
    return fs.readlinkSync(`/proc/${pid}/ns/net`);
  } catch {
    return null;
  }
}

function configDirOf(pid: number): string | null {
  try {
    const vars = fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    return vars.find((v) => v.startsWith('JOBSCOPE_CONFIG_DIR='))?.slice('JOBSCOPE_CONFIG_DIR='.length) ?? '';
  } catch {
    return null;
  }
}

/**
 * A daemon of this host and part that no pid file records (the pid file was lost, or
 * someone ran it in the foreground): monitor must not call it stopped, nor stop leave it.
 * Only one that shares this node's network namespace and configuration folder is it:
 * nodes simulated as namespaces on one machine share the process table.
 */
function findUnrecorded(part: Part, host: string, env: Env): number | null {
  const ns = netNamespace('self');
  const ours = env.JOBSCOPE_CONFIG_DIR ?? '';
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return null;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    const info = readProc(pid);
    if (!info || !isDaemonCommand(info.argv, part, host)) continue;
    if (netNamespace(pid) === ns && configDirOf(pid) === ours) return pid;
  }
  return null;
}

type Located =
  | { state: 'running'; pid: number; recorded: boolean }
  | { state: 'stopped' }
  | { state: 'failed'; why: string };

function readPidFile(file: string): number | 'unreadable' | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : 'unreadable';
  }
  return /^\d+\s*$/.test(text) && Number(text) > 0 ? Number(text) : 'unreadable';
}

function writtenBeforeBoot(file: string): boolean {
  const btime = /^btime (\d+)$/m.exec(fs.readFileSync('/proc/stat', 'utf8'));
  return btime !== null && fs.statSync(file).mtimeMs < Number(btime[1]) * 1000;
}

function locate(part: Part, host: string, env: Env): Located {
  const file = pidFilePath(part, host, env);
  const recorded = readPidFile(file);
  let why: string | undefined;
  if (recorded !== undefined && writtenBeforeBoot(file)) {
    // Left by a run before this node last booted: a record of the past, not a failure now.
    fs.rmSync(file, { force: true });
  } else if (typeof recorded === 'number') {
    const info = readProc(recorded);
    if (info && isDaemonCommand(info.argv, part, host)) return { state: 'running', pid: recorded, recorded: true };
    why = info
      ? `its pid file ${file} names pid ${recorded}, which is now another program (${info.argv.join(' ')})`
      : `its pid file ${file} names pid ${recorded}, which is gone`;
  } else if (recorded === 'unreadable') {
    why = `its pid file ${file} cannot be read as a pid`;
  }
  const other = findUnrecorded(part, host, env);
  if (other !== null) return { state: 'running', pid: other, recorded: false };
  return why ? { state: 'failed', why } : { state: 'stopped' };
}

function removePidFile(part: Part, host: string, env: Env, onlyIf?: number): void {
  const file = pidFilePath(part, host, env);
  if (onlyIf !== undefined && readPidFile(file) !== onlyIf) return;
  fs.rmSync(file, { force: true });
}

function writePidFile(part: Part, host: string, env: Env, pid: number): void {
  const file = pidFilePath(part, host, env);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${pid}\n`);
  fs.renameSync(tmp, file);
}

// ---- checks ---------------------------------------------------------------

function urlHost(address: string): string {
  return net.isIPv6(address) ? `[${address}]` : address;
}

export function healthUrl(part: Part, config: HostConfig): string {
  const scheme = config.tls ? 'https' : 'http';
  return part === 'manager'
    ? `${scheme}://${urlHost(config.address)}:${config.managerPort}/api/v1/health`
    : `${scheme}://${urlHost(config.address)}:${config.agentPort}/feed/health`;
}

/**
 * The health check's request: plain http, or with TLS configured https that trusts
 * exactly the configured certificate (server/host/tls.ts), so that a daemon serving
 * another certificate than the files say, or an expired one, is not healthy.
 */
async function getHealth(url: string, config: HostConfig, signal: AbortSignal): Promise<{ status: number; body: { host?: unknown } }> {
  if (config.tls) {
    const res = await getFromOwnDaemon(url, { certFile: config.tls.cert, servername: config.host, signal });
    return { status: res.status, body: (res.body ?? {}) as { host?: unknown } };
  }
  const res = await fetch(url, { signal, redirect: 'error' });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as { host?: unknown } };
}

/** Undefined when the daemon answers its health check as this host; else why not. */
export async function healthProblem(part: Part, config: HostConfig, timeoutMs = HEALTH_TIMEOUT_MS): Promise<string | undefined> {
  const url = healthUrl(part, config);
  // A timer that holds the event loop (AbortSignal.timeout's does not): a request left
  // hanging on a reset socket must end in an answer, never in the process just exiting.
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  try {
    const { status, body } = await getHealth(url, config, controller.signal);
    if (status !== 200) return `${url} answered ${status}`;
    // Something else listening there (another host's daemon) is not this one.
    if (body.host !== config.host) return `${url} answers for host ${JSON.stringify(body.host)}, not ${config.host}`;
    return undefined;
  } catch (e) {
    if (timedOut) return `${url} did not answer within ${timeoutMs / 1000} s`;
    if (e instanceof UntrustedCertificateError) return e.message;
    if (e instanceof TlsFilesError) return `${url} cannot be checked: ${e.message}`;
    const err = e as Error & { code?: string; cause?: { code?: string } };
    return `${url} does not answer (${err.cause?.code ?? err.code ?? err.message})`;
  } finally {
    clearTimeout(timer);
  }
}

function normalizeAddress(address: string): string {
  // The URL parser writes an IPv6 address in one canonical form.
  return net.isIPv6(address) ? new URL(`http://[${address}]/`).hostname.slice(1, -1) : address;
}

/** Whether an address is assigned to one of this node's interfaces (in this network namespace). */
export function addressAssigned(address: string, interfaces = os.networkInterfaces()): boolean {
  // Every 127.x address (and ::1) binds on Linux without being assigned to an
  // interface, and loopback never moves between nodes: it always counts as assigned.
  // Tests check the real case with network namespaces, where loopback is not used.
  if ((net.isIPv4(address) && address.startsWith('127.')) || normalizeAddress(address) === '::1') return true;
  const wanted = normalizeAddress(address);
  return Object.values(interfaces).some((list) => list?.some((i) => normalizeAddress(i.address) === wanted));
}

/** The command that runs the foreground daemon: this build's bundle. */
function daemonCommand(part: Part, host: string): { file: string; args: string[] } {
  const bundle = path.join(projectRoot(), 'dist', 'jobscope.mjs');
  return { file: process.execPath, args: ['--enable-source-maps', bundle, part, '-h', host] };
}

/** What must hold before a start: configuration, build, shared disk, address. */
export function startProblem(part: Part, host: string, env: Env): Outcome | { config: HostConfig } {
  let config: HostConfig;
  try {
    config = loadHostConfig(host, env as NodeJS.ProcessEnv);
  } catch (e) {
    // This node's own configuration: another node may have a good one, so "not installed here".
    if (e instanceof ConfigError) return { code: OCF.ERR_INSTALLED, message: e.message };
    throw e;
  }
  if (config.tls) {
    // The files are on this node's local disk: another node may have a good pair, so "not installed here".
    try {
      loadTlsPair(config.tls);
    } catch (e) {
      if (e instanceof TlsFilesError) return { code: OCF.ERR_INSTALLED, message: e.message };
      throw e;
    }
  }
  const bundle = daemonCommand(part, host).args[1];
  if (!fs.existsSync(bundle)) {
    return { code: OCF.ERR_INSTALLED, message: `Jobscope is not built on this node: ${bundle} is missing (node scripts/build.mjs)` };
  }
  let isDir = false;
  try {
    isDir = fs.statSync(config.dataDir).isDirectory();
  } catch {
    /* missing: said below */
  }
  if (!isDir) {
    return {
      code: OCF.ERR_GENERIC,
      message: `data folder ${config.dataDir} of ${host} does not exist: is the shared disk mounted on this node?`,
    };
  }
  if (!addressAssigned(config.address)) {
    return {
      code: OCF.ERR_GENERIC,
      message: `address ${config.address} of ${host} is not assigned to this node: is the floating address up here (ip addr)?`,
    };
  }
  return { config };
}

function logTail(file: string, from: number): string {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const start = Math.max(from, size - 64 * 1024);
      const buf = Buffer.alloc(size - start);
      fs.readSync(fd, buf, 0, buf.length, start);
      const lines = buf.toString('utf8').split('\n').filter((l) => l.trim() !== '');
      return lines.slice(-LOG_TAIL_LINES).join('\n');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return '';
  }
}

// ---- actions --------------------------------------------------------------

export async function monitor(o: ControlOptions): Promise<Outcome> {
  const env = o.env ?? process.env;
  const found = locate(o.part, o.host, env);
  if (found.state === 'stopped') return { code: OCF.NOT_RUNNING, message: `${name(o.part, o.host)} is not running` };
  if (found.state === 'failed') return { code: OCF.ERR_GENERIC, message: `${name(o.part, o.host)} failed: ${found.why}` };
  let config: HostConfig;
  try {
    config = loadHostConfig(o.host, env as NodeJS.ProcessEnv);
  } catch (e) {
    return { code: OCF.ERR_GENERIC, message: `${name(o.part, o.host)} runs (pid ${found.pid}) but cannot be checked: ${(e as Error).message}` };
  }
  const problem = await healthProblem(o.part, config);
  if (problem) return { code: OCF.ERR_GENERIC, message: `${name(o.part, o.host)} runs (pid ${found.pid}) but is not healthy: ${problem}` };
  const how = found.recorded ? '' : ` (not started by "jobscope ${o.part} start": no pid file)`;
  return { code: OCF.SUCCESS, message: `${name(o.part, o.host)} is running (pid ${found.pid}) and answers on ${healthUrl(o.part, config)}${how}` };
}

/** Waits until the daemon answers, exits (exited() returns a value, or onExit settles) or the deadline passes. */
async function waitReady(
  part: Part,
  config: HostConfig,
  deadline: number,
  exited: () => string | undefined,
  onExit: Promise<unknown> = new Promise(() => {}),
): Promise<'ready' | 'exited' | 'timeout'> {
  const exit = onExit.then(() => 'exited' as const);
  for (;;) {
    if (exited() !== undefined) return 'exited';
    const left = deadline - Date.now();
    if (left <= 0) return 'timeout';
    // A daemon that exits is reported at once, not after a hanging health check.
    const check = healthProblem(part, config, Math.min(HEALTH_TIMEOUT_MS, Math.max(left, 1))).then((p) => (p === undefined ? ('ready' as const) : ('retry' as const)));
    const outcome = await Promise.race([check, exit]);
    if (outcome !== 'retry') return outcome;
    await Promise.race([sleep(POLL_MS), exit]);
  }
}

export async function start(o: ControlOptions): Promise<Outcome> {
  const env = o.env ?? process.env;
  const timeoutMs = o.timeoutMs ?? START_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  const what = name(o.part, o.host);

  const found = locate(o.part, o.host, env);
  const checked = startProblem(o.part, o.host, env);

  if (found.state === 'running') {
    // Already running: idempotent. Adopt a daemon without pid file so stop finds it the same way.
    if (!found.recorded) writePidFile(o.part, o.host, env, found.pid);
    if (!('config' in checked)) return { code: checked.code, message: `${what} runs (pid ${found.pid}) but ${checked.message}` };
    const ready = await waitReady(o.part, checked.config, deadline, () => (readProc(found.pid) ? undefined : 'gone'));
    if (ready === 'ready') return { code: OCF.SUCCESS, message: `${what} is already running (pid ${found.pid})` };
    return { code: OCF.ERR_GENERIC, message: `${what} runs (pid ${found.pid}) but did not become ready within ${timeoutMs / 1000} s` };
  }
  if (!('config' in checked)) return { code: checked.code, message: `cannot start the ${what}: ${checked.message}` };
  // A stale pid file (crash, reboot) is only a record: its process, if any, is not ours to touch.
  if (found.state === 'failed') removePidFile(o.part, o.host, env);

  const logFile = logFilePath(o.part, o.host, env);
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const log = fs.openSync(logFile, 'a');
  const from = fs.fstatSync(log).size;
  fs.writeSync(log, `--- ${new Date().toISOString()} jobscope ${o.part} start -h ${o.host}\n`);
  const { file, args } = daemonCommand(o.part, o.host);
  // Own session: the daemon outlives this command and is not hit by signals meant for its caller.
  const child = spawn(file, args, { detached: true, stdio: ['ignore', log, log], env: env as NodeJS.ProcessEnv, cwd: '/' });
  fs.closeSync(log);
  let exit: string | undefined;
  const onExit = new Promise<void>((resolve) =>
    child.on('exit', (code, signal) => {
      exit = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      resolve();
    }),
  );
  const spawnError = await new Promise<Error | undefined>((resolve) => {
    child.once('error', resolve);
    child.once('spawn', () => resolve(undefined));
  });
  if (spawnError || child.pid === undefined) {
    return { code: OCF.ERR_INSTALLED, message: `cannot start the ${what}: ${spawnError?.message ?? 'no pid'}` };
  }
  const pid = child.pid;
  writePidFile(o.part, o.host, env, pid);

  const ready = await waitReady(o.part, checked.config, deadline, () => exit, onExit);
  // Held until now so that its exit is seen; the daemon outlives this command.
  child.unref();
  if (ready === 'ready') {
    return { code: OCF.SUCCESS, message: `${what} started (pid ${pid}), answering on ${healthUrl(o.part, checked.config)}; log: ${logFile}` };
  }
  if (ready === 'exited') {
    removePidFile(o.part, o.host, env, pid);
    const tail = logTail(logFile, from);
    return { code: OCF.ERR_GENERIC, message: `${what} ${exit} while starting; last lines of ${logFile}:\n${tail}` };
  }
  await terminate(pid, o.part, o.host, KILL_WAIT_MS);
  removePidFile(o.part, o.host, env, pid);
  const tail = logTail(logFile, from);
  return {
    code: OCF.ERR_GENERIC,
    message: `${what} did not become ready within ${timeoutMs / 1000} s and was stopped; last lines of ${logFile}:\n${tail}`,
  };
}

/** True once pid no longer runs this host's daemon (exited, a zombie, or reused by another program). */
function gone(pid: number, part: Part, host: string): boolean {
  const info = readProc(pid);
  return !info || !isDaemonCommand(info.argv, part, host);
}

async function waitGone(pid: number, part: Part, host: string, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!gone(pid, part, host)) {
    if (Date.now() >= deadline) return false;
    await sleep(POLL_MS);
  }
  return true;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
  }
}

/** SIGTERM, then after graceMs SIGKILL. Every signal goes only to a verified daemon. */
async function terminate(pid: number, part: Part, host: string, graceMs: number): Promise<'stopped' | 'killed' | 'stuck'> {
  if (gone(pid, part, host)) return 'stopped';
  signal(pid, 'SIGTERM');
  if (await waitGone(pid, part, host, graceMs)) return 'stopped';
  const info = readProc(pid);
  if (!info || !isDaemonCommand(info.argv, part, host)) return 'stopped';
  // A daemon that start spawned leads its own process group: take anything it started with it.
  if (info.pgid === pid) signal(-pid, 'SIGKILL');
  else signal(pid, 'SIGKILL');
  return (await waitGone(pid, part, host, KILL_WAIT_MS)) ? 'killed' : 'stuck';
}

export async function stop(o: ControlOptions): Promise<Outcome> {
  const env = o.env ?? process.env;
  const what = name(o.part, o.host);
  const found = locate(o.part, o.host, env);
  if (found.state === 'stopped') return { code: OCF.SUCCESS, message: `${what} is not running` };
  if (found.state === 'failed') {
    removePidFile(o.part, o.host, env);
    return { code: OCF.SUCCESS, message: `${what} was not running (${found.why}); removed the stale pid file` };
  }
  const timeoutMs = o.timeoutMs ?? STOP_TIMEOUT_MS;
  const result = await terminate(found.pid, o.part, o.host, timeoutMs);
  if (result === 'stuck') {
    return { code: OCF.ERR_GENERIC, message: `${what} (pid ${found.pid}) did not end even after SIGKILL` };
  }
  removePidFile(o.part, o.host, env);
  return result === 'killed'
    ? { code: OCF.SUCCESS, message: `${what} (pid ${found.pid}) did not stop within ${timeoutMs / 1000} s of SIGTERM and was killed` }
    : { code: OCF.SUCCESS, message: `${what} stopped (pid ${found.pid})` };
}
