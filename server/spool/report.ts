// `jobscope report`: records a status that another scheduler already knows, as one
// 'status' event of a new execution in the host's spool.
import os from 'node:os';
import crypto from 'node:crypto';
import { runIdSchema, type SpoolEvent } from '../domain/events';
import { STATUSES, isStatus } from '../domain/status';
import { formatUnitName, parseUnitName } from '../domain/unit-path';
import { loadHostConfig, spoolPath } from '../host/config';
import { appendEvent } from './spool';

const MAX_MESSAGE = 256;
/** "No status" is the console's own word for "nothing received yet", never something to report. */
export const REPORTABLE_STATUSES = STATUSES.filter((s) => s !== 'NONE');

export async function runReport(o: {
  host: string;
  unit: string;
  status: string;
  runId: string | null;
  exitCode: number | null;
  message: string | null;
}): Promise<SpoolEvent> {
  const unit = parseUnitName(o.unit);
  if (!unit.ok) throw new Error(`--unit ${JSON.stringify(o.unit)}: ${unit.error.en}`);
  if (!isStatus(o.status) || o.status === 'NONE') {
    throw new Error(`unknown status "${o.status}"; use one of: ${REPORTABLE_STATUSES.join(', ')}`);
  }
  if (o.runId !== null) {
    const runId = runIdSchema.safeParse(o.runId);
    if (!runId.success) throw new Error(`--run ${JSON.stringify(o.runId)}: ${runId.error.issues[0].message}`);
  }
  if (o.exitCode !== null && !Number.isSafeInteger(o.exitCode)) throw new Error('--exit-code must be a whole number');
  if (o.message !== null && o.message.length > MAX_MESSAGE) throw new Error(`--message is longer than ${MAX_MESSAGE} characters`);

  return appendEvent(spoolPath(loadHostConfig(o.host)), {
    host: o.host,
    unit: formatUnitName(unit.value),
    execId: crypto.randomUUID(),
    runId: o.runId,
    kind: 'status',
    status: o.status,
    at: new Date().toISOString(),
    node: os.hostname(),
    pid: null,
    exitCode: o.exitCode,
    signal: null,
    outputTail: null,
    reason: o.message || null,
  });
}
