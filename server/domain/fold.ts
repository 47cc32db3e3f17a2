// How a run follows from its events. Apart from the zod schemas in events.ts: the spool's
// append folds with it in `jobscope exec`, which loads no zod.
import type { Run, SpoolEvent } from './events';

/** Folds one event into the run it belongs to. Replaying an event already folded changes nothing. */
export function foldEvent(run: Run | null, e: SpoolEvent): Run {
  if (run && e.seq <= run.lastSeq) return run;
  const base: Run = run ?? {
    host: e.host, unit: e.unit, execId: e.execId, runId: e.runId, status: e.status,
    startSeq: e.seq, lastSeq: e.seq, startedAt: null, endedAt: null, node: e.node, pid: e.pid,
    exitCode: null, signal: null, outputTail: null, reason: null,
  };
  return {
    ...base,
    status: e.status,
    lastSeq: e.seq,
    runId: e.runId ?? base.runId,
    node: e.node ?? base.node,
    pid: e.pid ?? base.pid,
    startedAt: e.kind === 'start' ? e.at : base.startedAt ?? (e.kind === 'status' ? e.at : null),
    endedAt: e.kind === 'start' ? null : e.kind === 'end' ? e.at : base.endedAt,
    exitCode: e.exitCode ?? base.exitCode,
    signal: e.signal ?? base.signal,
    outputTail: e.outputTail ?? base.outputTail,
    reason: e.reason ?? base.reason,
  };
}
