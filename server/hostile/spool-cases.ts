// Rows written straight into a real agent's spool, past every check `jobscope
// exec` and `report` make: values of the wrong type, out of range, of another
// host, with NUL and broken UTF-8. The agent must stay up (a row it cannot read
// is answered as an error of the feed), and so must the manager.
//   agent    the agent cannot serve the row: the manager marks the host stale
//            ("the feed answered HTTP 500") and commits nothing past it;
//   refused  the agent serves it, the manager must refuse it (nothing applied);
//   either   applied with its values kept exactly (`keeps`), or refused.

/** A column's value: bound as given (a string, a number, null), or SQL text put in the statement as is. */
export type Cell = string | number | null | { sql: string };

export interface SpoolCase {
  name: string;
  expect: 'agent' | 'refused' | 'either';
  /** The event row: replaces the columns of a valid status event of the lane's host. */
  row?: Record<string, Cell>;
  /** Also a damaged latest run (served by the snapshot), and the feed told to take the snapshot. */
  snapshotRun?: Record<string, Cell>;
  /** Fields of the stored run (as the API shows it) that must equal these, when applied. */
  keeps?: Record<string, unknown>;
}

export const SPOOL_CASES: SpoolCase[] = [
  { name: 'an unknown status', expect: 'agent', row: { status: 'BOGUS' } },
  { name: 'a unit path with ..', expect: 'agent', row: { unit: '/Spool/../../etc/passwd' } },
  { name: 'a unit path with NUL', expect: 'agent', row: { unit: '/Spool/a\u0000b' } },
  { name: 'an unknown kind', expect: 'agent', row: { kind: 'explode' } },
  { name: 'text in the pid column', expect: 'agent', row: { pid: 'abc' } },
  { name: 'a real number as exit code', expect: 'agent', row: { exit_code: { sql: '1.5' } } },
  { name: 'text as exit code', expect: 'agent', row: { exit_code: 'x' } },
  { name: 'a blob as exit code', expect: 'agent', row: { exit_code: { sql: "x'00ff'" } } },
  { name: 'a date that is not a date', expect: 'agent', row: { at: 'not a date' } },
  { name: 'a date as a number', expect: 'agent', row: { at: { sql: '1700000000' } } },
  { name: 'an empty exec id', expect: 'agent', row: { exec_id: '' } },
  { name: 'an exec id of 65 characters', expect: 'agent', row: { exec_id: 'e'.repeat(65) } },
  { name: 'an output tail of 9000 characters', expect: 'agent', row: { output_tail: 'x'.repeat(9000) } },
  { name: 'a run id with a space', expect: 'agent', row: { run_id: 'run 1' } },
  { name: 'an empty host', expect: 'agent', row: { host: '' } },
  { name: 'a seq past 2^53', expect: 'agent', row: { seq: { sql: '9007199254740993' } } },
  { name: 'a damaged run served by the snapshot', expect: 'agent', snapshotRun: { status: 'BOGUS' } },
  { name: 'a run whose seq is text, served by the snapshot', expect: 'agent', snapshotRun: { start_seq: 'abc' } },
  { name: 'a run whose seq is a real number, served by the snapshot', expect: 'agent', snapshotRun: { last_seq: { sql: '1.5' } } },
  { name: 'an event of another host', expect: 'refused', row: { host: 'otherhost' } },
  { name: 'NUL bytes in the output tail', expect: 'either', row: { output_tail: 'out\u0000put\u0000' }, keeps: { outputTail: 'out\u0000put\u0000' } },
  { name: 'exit code 3000000000', expect: 'either', row: { exit_code: { sql: '3000000000' } }, keeps: { exitCode: 3_000_000_000 } },
  { name: 'exit code -2147483649', expect: 'either', row: { exit_code: { sql: '-2147483649' } }, keeps: { exitCode: -2_147_483_649 } },
  { name: 'pid 3000000000', expect: 'either', row: { pid: { sql: '3000000000' } }, keeps: { pid: 3_000_000_000 } },
  { name: 'a start in year 0', expect: 'either', row: { kind: 'start', status: 'RUNNING', at: '0000-01-01T00:00:00Z' } },
  { name: 'NUL in the node name', expect: 'either', row: { node: 'node\u0000b' }, keeps: { node: 'node\u0000b' } },
  { name: 'NUL in the reason', expect: 'either', row: { reason: 'why\u0000not' }, keeps: { reason: 'why\u0000not' } },
  { name: 'NUL in the signal', expect: 'either', row: { signal: 'SIG\u0000X' }, keeps: { signal: 'SIG\u0000X' } },
  { name: 'broken UTF-8 in the output tail', expect: 'either', row: { output_tail: { sql: "CAST(x'61eda080ff62' AS TEXT)" } } },
  { name: 'bidi overrides and zero-width characters in the output tail', expect: 'either', row: { output_tail: 'ok\u202eko\u200b\u2028' }, keeps: { outputTail: 'ok\u202eko\u200b\u2028' } },
];
