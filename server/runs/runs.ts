// Runs as operators look at them: a unit's history, one run's details, and
// acknowledging an abnormal end. An acknowledgement raises the store version like
// a feed batch does, so every browser gets it through the same live deltas.
import { z } from 'zod';
import { plainText } from '../domain/text';
import type { Store } from '../store/db';
import { HOST_NAME, hostNameSchema, unitNameSchema } from '../domain/events';
import { canonicalUnit } from '../domain/unit-path';
import { summaryOf, type Status } from '../domain/status';
import type { UnitsDelta } from '../domain/live';
import { InputError, parseInput, says, words } from '../input';
import { nextVersion, unitStateFromRow } from '../feed/apply';
import { recordAudit } from '../audit/audit';

export const HISTORY_PAGE_MAX = 100;

const historyQuerySchema = z
  .object({
    host: hostNameSchema,
    unit: unitNameSchema,
    /** Also the runs of every unit below (a jobnet's jobs). */
    below: z.enum(['0', '1']).default('0'),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
    limit: z.coerce.number().int().min(1).max(HISTORY_PAGE_MAX).default(20),
  })
  .strict();

export const ackSchema = z
  .object({ comment: plainText(z.string(says('comment must be text', 'コメントは文字列です'))).trim().max(500, says('comment is longer than 500 characters', 'コメントが 500 文字を超えています')).default('') })
  .strict();

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const noRun = (execId: string, host: string) => new InputError(words(`no run ${execId} on host ${host}`, `ホスト ${host} に実行 ${execId} はありません`), {}, 404);

/** What the View shows of a run; the output tail only on its own page (it can be long). */
function runView(r: {
  host: string; execId: string; unit: string; runId: string | null; status: string; startedAt: Date | null; endedAt: Date | null;
  exitCode: number | null; signal: string | null; node: string | null; reason: string | null; ackBy: string | null; ackAt: Date | null; ackComment: string | null;
}) {
  return {
    host: r.host, execId: r.execId, unit: r.unit, runId: r.runId, status: r.status as Status,
    startedAt: iso(r.startedAt), endedAt: iso(r.endedAt), exitCode: r.exitCode, signal: r.signal, node: r.node, reason: r.reason,
    ack: r.ackBy ? { by: r.ackBy, at: iso(r.ackAt)!, comment: r.ackComment ?? '' } : null,
  };
}
export type RunView = ReturnType<typeof runView>;

/** A unit's runs, newest first, a page at a time. */
export async function runHistory(store: Store, query: Record<string, string>) {
  const q = parseInput(historyQuerySchema, query);
  const unit = canonicalUnit(q.unit);
  const where = q.below === '1' ? { host: q.host, OR: [{ unit }, { unit: { startsWith: `${unit}/` } }] } : { host: q.host, unit };
  const [total, rows] = await Promise.all([
    store.run.count({ where }),
    store.run.findMany({ where, orderBy: [{ startedAt: 'desc' }, { startSeq: 'desc' }], skip: q.offset, take: q.limit }),
  ]);
  return { total, offset: q.offset, runs: rows.map(runView) };
}

/** A run's address as a path names it: anything a run could not be is no run (and never reaches the store). */
function isRunAddress(host: string, execId: string): boolean {
  return HOST_NAME.test(host) && host.length <= 253 && /^[\x21-\x7e]{1,64}$/.test(execId);
}

export async function runDetail(store: Store, host: string, execId: string) {
  if (!isRunAddress(host, execId)) throw noRun(execId, host);
  const row = await store.run.findUnique({ where: { host_execId: { host, execId } } });
  if (!row) throw noRun(execId, host);
  return { ...runView(row), pid: row.pid, outputTail: row.outputTail };
}

/**
 * Records who acknowledged an abnormal end. Returns the live delta when the run
 * is its unit's latest (older runs change only in the history).
 */
export async function acknowledge(
  store: Store,
  epoch: number,
  run: { host: string; execId: string },
  by: string,
  input: unknown,
): Promise<{ ack: NonNullable<RunView['ack']>; delta: UnitsDelta | null }> {
  const { comment } = parseInput(ackSchema, input ?? {});
  if (!isRunAddress(run.host, run.execId)) throw noRun(run.execId, run.host);
  return store.$transaction(async (tx) => {
    const row = await tx.run.findUnique({ where: { host_execId: run } });
    if (!row) throw noRun(run.execId, run.host);
    if (summaryOf(row.status as Status) !== 'abnormal') throw new InputError(words('only an abnormal end can be acknowledged', '確認できるのは異常終了だけです'), {}, 409);
    if (row.ackBy) throw new InputError(words(`already acknowledged by ${row.ackBy}`, `${row.ackBy} がすでに確認済みです`), {}, 409);
    const ack = { ackBy: by, ackAt: new Date(), ackComment: comment };
    await tx.run.update({ where: { host_execId: run }, data: ack });
    await recordAudit(tx, { user: by, action: 'ack', target: `${run.host} ${row.unit}`, detail: { comment: comment || undefined } });
    const unit = await tx.unit.findUnique({ where: { host_path: { host: run.host, path: row.unit } } });
    let delta: UnitsDelta | null = null;
    if (unit?.execId === run.execId) {
      const version = await nextVersion(tx, epoch);
      const updated = await tx.unit.update({ where: { host_path: { host: run.host, path: row.unit } }, data: { ...ack, version } });
      delta = { version, prevVersion: version - 1, units: [unitStateFromRow(updated)] };
    }
    return { ack: { by, at: ack.ackAt.toISOString(), comment }, delta };
  });
}
