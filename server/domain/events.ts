// What job hosts report, as it travels: spool events, runs folded from them, and
// the feed messages between agent and manager. Validated at every edge with zod.
import { z } from 'zod';
import { isStatus, type Status } from './status';
import { parseUnitName } from './unit-path';
import { HOST_NAME, runIdProblem } from './names';
import { inRenderingLang, says } from '../input';

export { HOST_NAME };
export { foldEvent } from './fold';
export const hostNameSchema = z.string().max(253).regex(HOST_NAME, says('host name must be letters, digits, - and . (like a DNS name)', 'ホスト名は英字、数字、- と . でできた名前です (DNS 名と同じ)'));
export const unitNameSchema = z.string().superRefine((value, ctx) => {
  const parsed = parseUnitName(value);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: inRenderingLang(parsed.error) });
});
export const statusSchema = z.custom<Status>(isStatus, 'unknown status');
export const runIdSchema = z.string().superRefine((value, ctx) => {
  const problem = runIdProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
/** Ids the command line and the agent make (UUIDs): printable ASCII, whatever a feed claims. */
const idSchema = z.string().min(1).max(64).regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

/**
 * Whole numbers as the console store keeps them (32-bit on PostgreSQL): a
 * sequence, a pid or an exit code beyond that is refused at the edge rather
 * than by the store. Exit codes are signed, as Windows' %ERRORLEVEL% shows them.
 */
export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;
const seqSchema = z.number().int().positive().max(INT32_MAX);
const pidSchema = z.number().int().positive().max(INT32_MAX);
export const exitCodeSchema = z.number().int().min(INT32_MIN).max(INT32_MAX);
/** An ISO 8601 time that is also a real date (not 2026-02-31), from 1970 to 9999 as every store keeps it. */
const timeSchema = z.iso.datetime().refine((s) => {
  const t = Date.parse(s);
  return t >= 0 && t < Date.UTC(10000, 0, 1);
}, 'not a real date and time from 1970 to 9999');

export const EVENT_KINDS = ['start', 'end', 'status'] as const;

/** One record of a host's spool: the start or end of a run, or a status reported as is. */
export const spoolEventSchema = z.object({
  seq: seqSchema,
  host: hostNameSchema,
  unit: unitNameSchema,
  execId: idSchema,
  runId: runIdSchema.nullable(),
  kind: z.enum(EVENT_KINDS),
  status: statusSchema,
  at: timeSchema,
  node: z.string().max(253).nullable(),
  pid: pidSchema.nullable(),
  exitCode: exitCodeSchema.nullable(),
  signal: z.string().max(16).nullable(),
  outputTail: z.string().max(8192).nullable(),
  reason: z.string().max(256).nullable(),
});
export type SpoolEvent = z.infer<typeof spoolEventSchema>;
export type NewSpoolEvent = Omit<SpoolEvent, 'seq'>;

/** One execution (generation) of a unit, folded from its events. */
export const runSchema = z.object({
  host: hostNameSchema,
  unit: unitNameSchema,
  execId: idSchema,
  runId: runIdSchema.nullable(),
  status: statusSchema,
  startSeq: seqSchema,
  lastSeq: seqSchema,
  startedAt: timeSchema.nullable(),
  endedAt: timeSchema.nullable(),
  node: z.string().max(253).nullable(),
  pid: pidSchema.nullable(),
  exitCode: exitCodeSchema.nullable(),
  signal: z.string().max(16).nullable(),
  outputTail: z.string().max(8192).nullable(),
  reason: z.string().max(256).nullable(),
});
export type Run = z.infer<typeof runSchema>;

export const FEED_PROTOCOL = 1;

/** Every event or run of a feed message must be of the host the message is from. */
function ofOneHost(message: { host: string }, items: { host: string }[], what: string, ctx: z.RefinementCtx) {
  items.forEach((item, i) => {
    if (item.host !== message.host) ctx.addIssue({ code: 'custom', path: [what, i, 'host'], message: `${what} ${i} is of host ${item.host}, not ${message.host}` });
  });
}

/** What every feed message starts with: whose spool, as of when and of which sequence. */
const feedMessage = {
  protocol: z.literal(FEED_PROTOCOL),
  host: hostNameSchema,
  spoolId: idSchema,
  now: timeSchema,
  lastSeq: z.number().int().nonnegative().max(INT32_MAX),
};

/** GET /feed/events?after=N: events in sequence order after N. */
export const feedEventsSchema = z
  .object({
    ...feedMessage,
    /** True when events after N are gone from the spool: the consumer must take the snapshot. */
    resync: z.boolean(),
    events: z.array(spoolEventSchema).max(5000),
  })
  .superRefine((m, ctx) => ofOneHost(m, m.events, 'events', ctx));
export type FeedEvents = z.infer<typeof feedEventsSchema>;

/** GET /feed/snapshot: the latest run of every unit, as of lastSeq. */
export const feedSnapshotSchema = z
  .object({
    ...feedMessage,
    runs: z.array(runSchema).max(1_000_000),
  })
  .superRefine((m, ctx) => ofOneHost(m, m.runs, 'runs', ctx));
export type FeedSnapshot = z.infer<typeof feedSnapshotSchema>;
