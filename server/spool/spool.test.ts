import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { feedSnapshotSchema, runSchema, spoolEventSchema, type NewSpoolEvent } from '../domain/events';
import { type DamagedRecord, appendEvent, claimSpool, createSpool, openSpool, pruneSpool, SpoolError, SpoolSupersededError, type SpoolReader } from './spool';

const HOST = 'spoolhost';
let dir: string;
let file: string;
let reader: SpoolReader | undefined;

function event(over: Partial<NewSpoolEvent> = {}): NewSpoolEvent {
  return {
    host: HOST, unit: '/Net/job', execId: 'e1', runId: null, kind: 'start', status: 'RUNNING', at: new Date().toISOString(),
    node: 'nodeA', pid: 100, exitCode: null, signal: null, outputTail: null, reason: null, ...over,
  };
}

function rawRows(sql: string): unknown[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobscope-spool-'));
  file = path.join(dir, 'spool.db');
});

afterEach(() => {
  reader?.close();
  reader = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('creating and opening', () => {
  it('creates a spool with a new id, in WAL mode, leaving no temporary file behind', () => {
    const { spoolId } = createSpool(file, HOST);
    expect(spoolId).toMatch(/^[0-9a-f-]{36}$/);
    reader = openSpool(file);
    expect(reader).toMatchObject({ spoolId, host: HOST });
    expect(reader.lastSeq()).toBe(0);
    expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('never gives an existing spool a new id: creating it again fails and keeps it', () => {
    const { spoolId } = createSpool(file, HOST);
    appendEvent(file, event());
    expect(() => createSpool(file, HOST)).toThrow(/already exists/);
    reader = openSpool(file);
    expect(reader.spoolId).toBe(spoolId);
    expect(reader.lastSeq()).toBe(1);
  });

  it('says where the spool is missing and how to create it', () => {
    expect(() => openSpool(file)).toThrow(`no spool at ${file}: is the shared disk mounted? create it with jobscope setup -h HOST --init`);
    expect(() => openSpool(file, HOST)).toThrow(`no spool at ${file}: is the shared disk mounted? create it with jobscope setup -h ${HOST} --init`);
    expect(() => appendEvent(file, event())).toThrow(`no spool at ${file}: is the shared disk mounted? create it with jobscope setup -h ${HOST} --init`);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('refuses another host\'s spool when a host is named', () => {
    createSpool(file, HOST);
    expect(() => openSpool(file, 'otherhost')).toThrow(`spool ${file} belongs to host "${HOST}", not "otherhost"`);
  });

  it('refuses a file that is not a spool', () => {
    fs.writeFileSync(file, 'not a database at all, just some text that is long enough to be a header............');
    expect(() => openSpool(file)).toThrow(SpoolError);
    const other = path.join(dir, 'other.db');
    new Database(other).exec('CREATE TABLE t (x)');
    expect(() => openSpool(other)).toThrow(/is not a Jobscope spool/);
  });
});

describe('appending', () => {
  beforeEach(() => createSpool(file, HOST));

  it('numbers events in order and folds them into the run and the unit\'s latest run', () => {
    const start = appendEvent(file, event());
    const end = appendEvent(file, event({ kind: 'end', status: 'NORMAL', exitCode: 0, outputTail: 'done\n' }));
    expect([start.seq, end.seq]).toEqual([1, 2]);
    expect(spoolEventSchema.parse(end)).toEqual(end);
    reader = openSpool(file);
    const { runs, lastSeq } = reader.snapshot();
    expect(lastSeq).toBe(2);
    expect(runs).toEqual([
      runSchema.parse({
        host: HOST, unit: '/Net/job', execId: 'e1', runId: null, status: 'NORMAL', startSeq: 1, lastSeq: 2,
        startedAt: start.at, endedAt: end.at, node: 'nodeA', pid: 100, exitCode: 0, signal: null, outputTail: 'done\n', reason: null,
      }),
    ]);
  });

  it('keeps as latest the run that started last, even when an older run ends afterwards', () => {
    appendEvent(file, event({ execId: 'old' }));
    appendEvent(file, event({ execId: 'new', pid: 200 }));
    appendEvent(file, event({ execId: 'old', kind: 'end', status: 'ABNORMAL', exitCode: 1 }));
    appendEvent(file, event({ unit: '/Net/other', execId: 'x', kind: 'status', status: 'HOLDING' }));
    reader = openSpool(file);
    const snapshot = reader.snapshot();
    expect(snapshot.runs.map((r) => [r.unit, r.execId, r.status])).toEqual([
      ['/Net/job', 'new', 'RUNNING'],
      ['/Net/other', 'x', 'HOLDING'],
    ]);
    expect(feedSnapshotSchema.safeParse({ protocol: 1, host: HOST, spoolId: reader.spoolId, now: new Date().toISOString(), ...snapshot }).success).toBe(true);
  });

  it('stores nothing of an invalid event, and says why', () => {
    expect(() => appendEvent(file, event({ status: 'BOGUS' as never }))).toThrow(/event not recorded: status/);
    expect(() => appendEvent(file, event({ unit: 'no-slash' }))).toThrow(/unit path must start with \//);
    expect(() => appendEvent(file, event({ host: 'otherhost' }))).toThrow(/belongs to host "spoolhost", not "otherhost"/);
    appendEvent(file, event());
    expect(() => appendEvent(file, event({ unit: '/Net/elsewhere', kind: 'end', status: 'NORMAL' }))).toThrow(/belongs to unit \/Net\/job/);
    expect(rawRows('SELECT seq FROM events')).toEqual([{ seq: 1 }]);
    expect(rawRows('SELECT unit FROM unit_latest')).toEqual([{ unit: '/Net/job' }]);
  });
});

describe('reading', () => {
  beforeEach(() => {
    createSpool(file, HOST);
    for (let i = 1; i <= 5; i++) appendEvent(file, event({ execId: `e${i}`, unit: `/Net/j${i}` }));
    reader = openSpool(file);
  });

  it('returns events after a sequence, in order, up to a limit', () => {
    expect(reader!.eventsAfter(0, 100).events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(reader!.eventsAfter(2, 2)).toMatchObject({ resync: false, lastSeq: 5 });
    expect(reader!.eventsAfter(2, 2).events.map((e) => e.seq)).toEqual([3, 4]);
    expect(reader!.eventsAfter(5, 100)).toEqual({ events: [], resync: false, lastSeq: 5 });
  });

  it('sees events appended by other connections', () => {
    appendEvent(file, event({ execId: 'late', unit: '/Net/late' }));
    expect(reader!.lastSeq()).toBe(6);
    expect(reader!.eventsAfter(5, 10).events.map((e) => e.execId)).toEqual(['late']);
  });

  it('asks for a resync after a sequence it never had, or after pruned events', () => {
    expect(reader!.eventsAfter(6, 10)).toEqual({ events: [], resync: true, lastSeq: 5 });
    pruneSpool(file, 3);
    expect(reader!.eventsAfter(2, 10)).toEqual({ events: [], resync: true, lastSeq: 5 });
    expect(reader!.eventsAfter(3, 10).events.map((e) => e.seq)).toEqual([4, 5]);
    // The snapshot still has every unit: pruning drops events, never a unit's latest run.
    expect(reader!.snapshot().runs).toHaveLength(5);
  });

  it('never stops at a damaged row: its unreadable job fields are left out, a row of unreadable identity skipped, each reported', () => {
    const db = new Database(file);
    db.prepare(`UPDATE events SET status = 'BOGUS' WHERE seq = 2`).run();
    db.prepare(`UPDATE events SET exit_code = 3000000000, output_tail = 'kept' WHERE seq = 3`).run();
    db.close();
    const damaged: DamagedRecord[] = [];
    reader!.close();
    reader = openSpool(file, HOST, (d) => damaged.push(d));
    const events = reader.eventsAfter(0, 10).events;
    expect(events.map((e) => e.seq)).toEqual([1, 3, 4, 5]);
    expect(events[1]).toMatchObject({ exitCode: null, outputTail: 'kept', reason: 'damaged spool record: exitCode left out' });
    expect(damaged).toEqual([
      { what: 'event 2', problems: 'status: unknown status', skipped: true },
      { what: 'event 3', problems: expect.stringContaining('exitCode:'), skipped: false },
    ]);
  });

  it('refuses nonsense arguments', () => {
    expect(() => reader!.eventsAfter(-1, 10)).toThrow(/after must be/);
    expect(() => reader!.eventsAfter(0, 0)).toThrow(/limit must be/);
  });
});

describe('a run ended by the agent, then by its wrapper', () => {
  beforeEach(() => createSpool(file, HOST));

  it('keeps the agent\'s reason and the node that ran it when the wrapper records the signal', () => {
    appendEvent(file, event({ node: 'nodeA', pid: 4242 }));
    // The agent, stopping: Killed with a reason, leaving node and pid as they were.
    appendEvent(file, event({ kind: 'end', status: 'KILL', node: null, pid: null, reason: 'stop' }));
    // The exec wrapper then sees its command die of the signal: no reason of its own.
    appendEvent(file, event({ kind: 'end', status: 'KILL', node: 'nodeA', pid: 4242, signal: 'SIGTERM', reason: null }));
    reader = openSpool(file);
    expect(reader.snapshot().runs).toEqual([
      expect.objectContaining({ status: 'KILL', reason: 'stop', signal: 'SIGTERM', node: 'nodeA', pid: 4242, startSeq: 1, lastSeq: 3 }),
    ]);
    expect(reader.runningRuns()).toEqual([]);
  });
});

describe('runs still going', () => {
  beforeEach(() => createSpool(file, HOST));

  it('lists the started, unended runs of exec, not reported statuses nor ended runs', () => {
    appendEvent(file, event({ execId: 'ended', unit: '/Net/a' }));
    appendEvent(file, event({ execId: 'ended', unit: '/Net/a', kind: 'end', status: 'NORMAL', exitCode: 0 }));
    appendEvent(file, event({ execId: 'reported', unit: '/Net/b', kind: 'status', status: 'RUNNING', pid: null }));
    appendEvent(file, event({ execId: 'going', unit: '/Net/c', pid: 321 }));
    reader = openSpool(file);
    expect(reader.runningRuns().map((r) => [r.execId, r.pid, r.status])).toEqual([['going', 321, 'RUNNING']]);
  });
});

describe('fencing epoch', () => {
  beforeEach(() => createSpool(file, HOST));

  it('is claimed by a newer epoch and refused to an older one, naming both', () => {
    claimSpool(file, HOST, 3);
    reader = openSpool(file);
    expect(reader.epoch()).toBe(3);
    claimSpool(file, HOST, 3); // the same holder again
    claimSpool(file, HOST, 4);
    expect(reader.epoch()).toBe(4);
    expect(() => claimSpool(file, HOST, 2)).toThrow(SpoolSupersededError);
    expect(() => claimSpool(file, HOST, 2)).toThrow(/claimed by fencing epoch 4, newer than this agent's epoch 2: a newer agent for spoolhost holds it/);
    expect(reader.epoch()).toBe(4);
    expect(() => claimSpool(file, 'otherhost', 9)).toThrow(/belongs to host "spoolhost"/);
  });

  it('lets a fenced write through only while the epoch is its own; unfenced writers never check it', () => {
    claimSpool(file, HOST, 5);
    expect(appendEvent(file, event(), { epoch: 5 }).seq).toBe(1);
    claimSpool(file, HOST, 6);
    let thrown: unknown;
    try {
      appendEvent(file, event({ kind: 'end', status: 'KILL', reason: 'stop' }), { epoch: 5 });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(SpoolSupersededError);
    expect((thrown as Error).message).toBe(`fencing epoch 5 of spool ${file} is superseded by epoch 6: another agent holds this host now`);
    expect(rawRows('SELECT seq FROM events')).toEqual([{ seq: 1 }]);
    // `jobscope exec` and `report` are not the daemon: they write whatever the epoch.
    expect(appendEvent(file, event({ kind: 'end', status: 'NORMAL', exitCode: 0 })).seq).toBe(2);
    reader = openSpool(file);
    expect(() => reader!.checkFence({ epoch: 5 })).toThrow(SpoolSupersededError);
    expect(() => reader!.checkFence({ epoch: 6 })).not.toThrow();
  });

  it('is added to a spool of the first format, keeping its identity, events and runs', () => {
    appendEvent(file, event());
    appendEvent(file, event({ kind: 'end', status: 'NORMAL', exitCode: 0 }));
    const before = openSpool(file);
    const identity = before.spoolId;
    before.close();
    // Format 1, as the first build wrote it: no epoch column, no index of running runs.
    const old = new Database(file);
    old.exec('DROP INDEX runs_running; ALTER TABLE spool_meta DROP COLUMN epoch');
    old.pragma('user_version = 1');
    old.close();

    reader = openSpool(file, HOST);
    expect(reader.spoolId).toBe(identity);
    expect(reader.epoch()).toBe(0);
    expect(reader.eventsAfter(0, 10).events.map((e) => e.seq)).toEqual([1, 2]);
    expect(reader.snapshot().runs[0]).toMatchObject({ status: 'NORMAL', startSeq: 1, lastSeq: 2 });
    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'runs_running'`).all()).toHaveLength(1);
    expect(db.prepare(`EXPLAIN QUERY PLAN SELECT exec_id FROM runs WHERE ended_at IS NULL AND pid IS NOT NULL`).all()).toEqual([
      expect.objectContaining({ detail: expect.stringContaining('runs_running') }),
    ]);
    db.close();
  });

  it('refuses a spool of a newer format, saying so', () => {
    const db = new Database(file);
    db.pragma('user_version = 3');
    db.close();
    expect(() => openSpool(file)).toThrow(`spool ${file} was written by a newer build of Jobscope (format 3)`);
  });
});
