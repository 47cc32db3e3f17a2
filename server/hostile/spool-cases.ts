// Rows written straight into a real agent's spool, past every check `jobscope
// exec` and `report` make: values of the wrong type, out of range, of another
// host, with NUL and broken UTF-8. The agent must stay up and never stop its
// feed at a damaged record (docs/architecture.md, "Faults"), and so must the manager.
//   skipped   the record's identity (unit, kind, status, time, ids) does not read: the agent
//             leaves it out and logs it; nothing of it is stored, and the feed goes on;
//   repaired  a field the job supplied does not read: the agent serves the event without it
//             (null), the run's reason says so, and the manager stores it;
//   refused   the agent serves it, the manager must refuse it (nothing applied);
//   either    applied with its values kept (`keeps`), or refused.

/** A column's value: bound as given (a string, a number, null), or SQL text put in the statement as is. */
export type Cell = string | number | null | { sql: string };

export interface SpoolCase {
  name: string;
  expect: 'skipped' | 'repaired' | 'refused' | 'either';
  /** The event row: replaces the columns of a valid status event of the lane's host. */
  row?: Record<string, Cell>;
  /** Also a damaged latest run (served by the snapshot), and the feed told to take the snapshot. */
  snapshotRun?: Record<string, Cell>;
  /** Fields of the stored run (as the API shows it) that must equal these, when applied. */
  keeps?: Record<string, unknown>;
}

export const SPOOL_CASES: SpoolCase[] = [
  { name: 'an unknown status', expect: 'skipped', row: { status: 'BOGUS' } },
  { name: 'a unit path with ..', expect: 'skipped', row: { unit: '/Spool/../../etc/passwd' } },
  { name: 'a unit path with NUL', expect: 'skipped', row: { unit: '/Spool/a\u0000b' } },
  { name: 'an unknown kind', expect: 'skipped', row: { kind: 'explode' } },
  { name: 'text in the pid column', expect: 'repaired', row: { pid: 'abc' }, keeps: { pid: null } },
  { name: 'a real number as exit code', expect: 'repaired', row: { exit_code: { sql: '1.5' } }, keeps: { exitCode: null } },
  { name: 'text as exit code', expect: 'repaired', row: { exit_code: 'x' }, keeps: { exitCode: null } },
  { name: 'a blob as exit code', expect: 'repaired', row: { exit_code: { sql: "x'00ff'" } }, keeps: { exitCode: null } },
  { name: 'a date that is not a date', expect: 'skipped', row: { at: 'not a date' } },
  { name: 'a date as a number', expect: 'skipped', row: { at: { sql: '1700000000' } } },
  { name: 'an empty exec id', expect: 'skipped', row: { exec_id: '' } },
  { name: 'an exec id of 65 characters', expect: 'skipped', row: { exec_id: 'e'.repeat(65) } },
  { name: 'an output tail of 9000 characters', expect: 'repaired', row: { output_tail: 'x'.repeat(9000) }, keeps: { outputTail: null } },
  { name: 'a run id with a space', expect: 'repaired', row: { run_id: 'run 1' } },
  { name: 'an empty host', expect: 'skipped', row: { host: '' } },
  // The spool's sequence itself is then past what the console keeps (2^31 - 1): the host is marked, with the reason.
  { name: 'a seq past 2^53', expect: 'refused', row: { seq: { sql: '9007199254740993' } } },
  { name: 'a damaged run served by the snapshot', expect: 'skipped', snapshotRun: { status: 'BOGUS' } },
  { name: 'a run whose seq is text, served by the snapshot', expect: 'skipped', snapshotRun: { start_seq: 'abc' } },
  { name: 'a run whose seq is a real number, served by the snapshot', expect: 'skipped', snapshotRun: { last_seq: { sql: '1.5' } } },
  { name: 'an event of another host', expect: 'refused', row: { host: 'otherhost' } },
  // A NUL, which PostgreSQL cannot keep, is stored as ␀ on both stores.
  { name: 'NUL bytes in the output tail', expect: 'either', row: { output_tail: 'out\u0000put\u0000' }, keeps: { outputTail: 'out\u2400put\u2400' } },
  { name: 'exit code 3000000000', expect: 'repaired', row: { exit_code: { sql: '3000000000' } }, keeps: { exitCode: null } },
  { name: 'exit code -2147483649', expect: 'repaired', row: { exit_code: { sql: '-2147483649' } }, keeps: { exitCode: null } },
  { name: 'pid 3000000000', expect: 'repaired', row: { pid: { sql: '3000000000' } }, keeps: { pid: null } },
  { name: 'a start in year 0', expect: 'skipped', row: { kind: 'start', status: 'RUNNING', at: '0000-01-01T00:00:00Z' } },
  { name: 'NUL in the node name', expect: 'either', row: { node: 'node\u0000b' }, keeps: { node: 'node\u2400b' } },
  { name: 'NUL in the reason', expect: 'either', row: { reason: 'why\u0000not' }, keeps: { reason: 'why\u2400not' } },
  { name: 'NUL in the signal', expect: 'either', row: { signal: 'SIG\u0000X' }, keeps: { signal: 'SIG\u2400X' } },
  { name: 'broken UTF-8 in the output tail', expect: 'either', row: { output_tail: { sql: "CAST(x'61eda080ff62' AS TEXT)" } } },
  { name: 'bidi overrides and zero-width characters in the output tail', expect: 'either', row: { output_tail: 'ok\u202eko\u200b\u2028' }, keeps: { outputTail: 'ok\u202eko\u200b\u2028' } },
];
