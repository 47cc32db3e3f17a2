// What the agent of a host does with the jobs still running under it (docs/architecture.md,
// "Logical hosts, holds and failover"):
// - at start, after a failover or a restart of the node, it marks Killed the runs
//   whose process did not survive, at once, instead of leaving them "running";
// - at stop, it ends the jobs of this node and records them Killed (reason:
//   stop), so that nothing keeps the shared disk busy when it is unmounted.
// Every record it writes is fenced: it is written only while the agent's epoch
// still holds the spool.
import os from 'node:os';
import type { NewSpoolEvent, Run } from '../domain/events';
import { runReasons } from '../domain/reasons';
import { commandLine, descendants, isAlive, jobProcess, parentOf, processTable, signal, type Proc, type ProcessTable } from './processes';
import { appendEvent, type Fence, type SpoolReader } from './spool';

export const DEFAULT_STOP_GRACE_MS = 10_000;
/** After its job is gone, how long a `jobscope exec` wrapper gets to record its own end. */
const WRAPPER_GRACE_MS = 3000;
/** After SIGKILL, how long to wait for the kernel to take the processes down. */
const KILL_WAIT_MS = 2000;
const POLL_MS = 100;
const REASON_MAX = 256;

export const STOP_REASON = runReasons.stop();

export interface Context {
  file: string;
  reader: SpoolReader;
  fence: Fence;
  /** This node's name, as `jobscope exec` records it. */
  node?: string;
}

export interface Marked {
  execId: string;
  unit: string;
  reason: string;
}

/** The agent's own end of a run: Killed with a reason; node, pid and signal stay the run's (null does not overwrite). */
function killedEvent(run: Run, reason: string): NewSpoolEvent {
  return {
    host: run.host, unit: run.unit, execId: run.execId, runId: run.runId, kind: 'end', status: 'KILL',
    at: new Date().toISOString(), node: null, pid: null, exitCode: null, signal: null, outputTail: null,
    reason: reason.slice(0, REASON_MAX),
  };
}

/**
 * At start: marks Killed every run still "running" whose process cannot be
 * running any more. A run of another node did not survive the failover; a run
 * of this node whose process is gone did not survive a restart. A run of this
 * node whose process runs is left alone: its wrapper will record its end.
 */
export function markOrphanedRuns(ctx: Context): { marked: Marked[]; stillRunning: number } {
  const node = ctx.node ?? os.hostname();
  const marked: Marked[] = [];
  let stillRunning = 0;
  for (const run of ctx.reader.runningRuns()) {
    let reason: string;
    if (run.node !== node) reason = runReasons.failover(run.node ?? '(unknown)');
    else if (jobProcess(run.pid!, run.startedAt) === null) reason = runReasons.nodeRestart(run.pid!);
    else {
      stillRunning++;
      continue;
    }
    appendEvent(ctx.file, killedEvent(run, reason), ctx.fence);
    marked.push({ execId: run.execId, unit: run.unit, reason });
  }
  return { marked, stillRunning };
}

interface Job {
  run: Run;
  proc: Proc;
  /** Its processes as last seen, so that children orphaned by its end are still found. */
  tree: Proc[];
  /** The `jobscope exec` wrapper waiting for it, if it still runs. */
  wrapper: Proc | null;
}

function isExecWrapper(p: Proc): boolean {
  const args = commandLine(p.pid);
  return args.some((a) => /jobscope(\.mjs|-exec\.cjs)?$/.test(a)) && args.includes('exec');
}

/**
 * The job's processes still running, its own process first (signalled first, so
 * that it dies of the signal rather than of its children's end): those seen
 * before, and whatever its process has started since.
 */
function treeOf(job: Job, table: ProcessTable): Proc[] {
  const seen = new Map<number, Proc>();
  if (isAlive(job.proc)) seen.set(job.proc.pid, job.proc);
  for (const p of job.tree) if (!seen.has(p.pid) && isAlive(p)) seen.set(p.pid, p);
  for (const p of descendants(job.proc, table)) seen.set(p.pid, p);
  job.tree = [...seen.values()];
  return job.tree;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface StopResult {
  /** Jobs recorded Killed (reason: stop). */
  stopped: number;
  /** Of those, the ones still there after the grace, sent SIGKILL. */
  forced: number;
  /** Jobs with processes still running at the end (not ours to signal, or stuck in the kernel). */
  survivors: number;
  /** Wrappers that had not recorded their end when the agent gave up waiting for them. */
  wrappersLeft: number;
}

/**
 * At stop: ends the jobs of this node still running under the host. For each,
 * first records it Killed (reason: stop), then sends SIGTERM to its process
 * and every process below it (as systemd stops a unit); what is left after
 * the grace gets SIGKILL. Then gives the wrappers a moment to record their own
 * end (Killed, with the signal; the reason stays). Runs that start meanwhile
 * are found by scanning again until the grace is up.
 */
export async function stopRunningJobs(ctx: Context & { graceMs: number; onStopping?: (run: Run) => void }): Promise<StopResult> {
  const node = ctx.node ?? os.hostname();
  const jobs = new Map<string, Job>();
  const deadline = Date.now() + ctx.graceMs;

  const scan = () => {
    for (const run of ctx.reader.runningRuns()) {
      if (run.node !== node || jobs.has(run.execId)) continue;
      const proc = jobProcess(run.pid!, run.startedAt);
      if (proc === null) continue;
      const wrapper = parentOf(proc);
      const job: Job = { run, proc, tree: [], wrapper: wrapper && isExecWrapper(wrapper) ? wrapper : null };
      treeOf(job, processTable());
      // Recorded before the signal: whatever happens next, the run says why it ended.
      appendEvent(ctx.file, killedEvent(run, STOP_REASON), ctx.fence);
      ctx.onStopping?.(run);
      jobs.set(run.execId, job);
      for (const p of job.tree) signal(p, 'SIGTERM');
    }
  };
  const remaining = () => {
    const table = processTable();
    return [...jobs.values()].filter((j) => treeOf(j, table).length > 0);
  };

  scan();
  let left = remaining();
  while (left.length > 0 && Date.now() < deadline) {
    await sleep(POLL_MS);
    scan();
    left = remaining();
  }
  const forced = left.length;
  for (const job of left) for (const p of job.tree) signal(p, 'SIGKILL');
  const killDeadline = Date.now() + KILL_WAIT_MS;
  while (remaining().length > 0 && Date.now() < killDeadline) await sleep(POLL_MS);

  const wrappers = () => [...jobs.values()].filter((j) => j.wrapper !== null && isAlive(j.wrapper));
  const wrapperDeadline = Date.now() + WRAPPER_GRACE_MS;
  while (wrappers().length > 0 && Date.now() < wrapperDeadline) await sleep(POLL_MS);

  return { stopped: jobs.size, forced, survivors: remaining().length, wrappersLeft: wrappers().length };
}

/** Checks the fence every interval, so that a superseded agent notices even when idle. */
export function watchFence(reader: SpoolReader, fence: Fence, onSuperseded: (err: Error) => void, intervalMs = 2000): { close(): void } {
  const timer = setInterval(() => {
    try {
      reader.checkFence(fence);
    } catch (err) {
      clearInterval(timer);
      onSuperseded(err as Error);
    }
  }, intervalMs);
  timer.unref();
  return { close: () => clearInterval(timer) };
}
