// The processes of jobs on this node, seen through /proc (Linux): whether the pid
// a run recorded is still that job's process, and the processes it started.
// A process is named by its pid and its start time, so that a pid the kernel has
// since given to another process is never taken for the job, nor signalled.
import fs from 'node:fs';

/** One process: pid plus start time in clock ticks since boot. */
export interface Proc {
  pid: number;
  startTicks: number;
}

interface Stat extends Proc {
  ppid: number;
  state: string;
}

// USER_HZ: the unit of /proc's start times. It is 100 on every architecture Jobscope runs on.
const TICKS_PER_SECOND = 100;
/**
 * A job's process starts just before `jobscope exec` records its start. Boot time
 * is known to the second only, and the wall clock may have been adjusted since
 * boot, so a process counts as the job's if it started no later than this after
 * the recorded start. A pid reused by a later process starts well after that.
 */
const START_TOLERANCE_MS = 10_000;

const hasProc = fs.existsSync('/proc/self/stat');

function readStat(pid: number): Stat | null {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const ppid = Number(fields[1]);
  const startTicks = Number(fields[19]);
  if (!state || !Number.isFinite(ppid) || !Number.isFinite(startTicks)) return null;
  return { pid, ppid, state, startTicks };
}

let bootMs: number | undefined;
function bootTimeMs(): number {
  if (bootMs === undefined) {
    const line = /^btime (\d+)$/m.exec(fs.readFileSync('/proc/stat', 'utf8'));
    if (!line) throw new Error('/proc/stat has no btime line');
    bootMs = Number(line[1]) * 1000;
  }
  return bootMs;
}

/** Still running (a zombie has ended: it only waits for its parent to collect it). */
function running(stat: Stat | null): stat is Stat {
  return stat !== null && stat.state !== 'Z' && stat.state !== 'X';
}

function existsBySignal(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The process a run recorded, if it still runs: its pid exists and started no
 * later than the run did. Null when the process is gone or the pid now belongs
 * to a newer process (after a restart of the node, every pid does).
 */
export function jobProcess(pid: number, startedAt: string | null): Proc | null {
  if (!Number.isSafeInteger(pid) || pid <= 1) return null;
  if (!hasProc) return existsBySignal(pid) ? { pid, startTicks: 0 } : null;
  const stat = readStat(pid);
  if (!running(stat)) return null;
  if (startedAt !== null) {
    const startedMs = bootTimeMs() + (stat.startTicks * 1000) / TICKS_PER_SECOND;
    if (startedMs > Date.parse(startedAt) + START_TOLERANCE_MS) return null;
  }
  return { pid, startTicks: stat.startTicks };
}

/** True while this very process (same pid, same start) runs. */
export function isAlive(p: Proc): boolean {
  if (!hasProc) return existsBySignal(p.pid);
  const stat = readStat(p.pid);
  return running(stat) && stat.startTicks === p.startTicks;
}

/** The parent of a process, if it still runs. */
export function parentOf(p: Proc): Proc | null {
  if (!hasProc) return null;
  const stat = readStat(p.pid);
  if (!running(stat) || stat.startTicks !== p.startTicks || stat.ppid <= 1) return null;
  const parent = readStat(stat.ppid);
  return running(parent) ? { pid: parent.pid, startTicks: parent.startTicks } : null;
}

/** The command line of a process, as its arguments. */
export function commandLine(pid: number): string[] {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/** Which running process started which: children by parent pid, read once from /proc. */
export type ProcessTable = Map<number, Proc[]>;

export function processTable(): ProcessTable {
  const children: ProcessTable = new Map();
  if (!hasProc) return children;
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (!running(stat)) continue;
    const child = { pid: stat.pid, startTicks: stat.startTicks };
    const siblings = children.get(stat.ppid);
    if (siblings) siblings.push(child);
    else children.set(stat.ppid, [child]);
  }
  return children;
}

/** Every running process below `root`: its children, their children, and so on. */
export function descendants(root: Proc, table: ProcessTable = processTable()): Proc[] {
  if (!isAlive(root)) return [];
  const found: Proc[] = [];
  const queue = [root.pid];
  while (queue.length > 0) {
    for (const child of table.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

/** Sends a signal to a process if it is still the same process; false if it was gone or is not ours to signal. */
export function signal(p: Proc, sig: NodeJS.Signals): boolean {
  if (!isAlive(p)) return false;
  try {
    process.kill(p.pid, sig);
    return true;
  } catch (e) {
    // ESRCH: it ended meanwhile. EPERM: another user's process; the caller sees it still running.
    if ((e as NodeJS.ErrnoException).code === 'ESRCH' || (e as NodeJS.ErrnoException).code === 'EPERM') return false;
    throw e;
  }
}
