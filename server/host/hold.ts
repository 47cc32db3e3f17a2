// Exclusive hold of a logical host's data, in depth (docs/architecture.md, "Logical
// hosts, holds and failover"). Only fencing makes exclusivity real across nodes;
// this guards against double starts and stale writers:
// - a lock file held through SQLite's exclusive locking mode (Node has no flock,
//   and fcntl locks vanish when any handle to the file closes: SQLite keeps one);
// - a holder record (node, pid, fencing epoch) that a refused daemon can name;
// - a fencing epoch, raised by every new holder, that the holder's writes check
//   (the lock file counts acquisitions; the data it guards may keep its own,
//   raised on each claim, and the daemon records that one with recordEpoch).
// Data on NFS or CIFS is refused: SQLite's locks and WAL need a local file system.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';

export type Part = 'manager' | 'agent';

export interface Holder {
  host: string;
  part: Part;
  node: string;
  pid: number;
  epoch: number;
  since: string;
}

export class HeldError extends Error {}

// statfs magic numbers of network file systems (linux/magic.h).
const NETWORK_FILE_SYSTEMS: Record<number, string> = {
  0x6969: 'NFS',
  0xff534d42: 'CIFS',
  0xfe534d42: 'SMB2',
  0x517b: 'SMB',
};

/** Refuses a data folder on a network file system, and says why. */
export function checkLocalFileSystem(dir: string): void {
  const kind = NETWORK_FILE_SYSTEMS[fs.statfsSync(dir).type];
  if (kind) {
    throw new Error(`data folder ${dir} is on ${kind}: Jobscope's SQLite data needs a local file system (a shared block device mounted on the active node); use a local mount or PostgreSQL`);
  }
}

export function readHolder(dataDir: string, part: Part): Holder | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(dataDir, `${part}.holder.json`), 'utf8')) as Holder;
  } catch {
    return null;
  }
}

export interface Hold {
  readonly epoch: number;
  readonly holder: Holder;
  /** Records the fencing epoch the daemon claimed on its data, for whoever is refused. */
  recordEpoch(epoch: number): void;
  release(): void;
}

/** Takes the hold of a host's data for one part, or throws HeldError naming the holder. */
export function takeHold(dataDir: string, host: string, part: Part): Hold {
  if (!fs.existsSync(dataDir)) throw new Error(`data folder ${dataDir} of ${host} does not exist: is the shared disk mounted?`);
  checkLocalFileSystem(dataDir);
  try {
    fs.accessSync(dataDir, fs.constants.W_OK);
  } catch (err) {
    const readOnly = (err as NodeJS.ErrnoException).code === 'EROFS';
    throw new Error(`data folder ${dataDir} of ${host} is ${readOnly ? 'on a read-only file system' : 'not writable'}: the ${part} cannot run on it`);
  }
  const file = path.join(dataDir, `${part}.hold`);
  const db = new Database(file, { timeout: 0 });
  let epoch: number;
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('CREATE TABLE IF NOT EXISTS hold (id INTEGER PRIMARY KEY CHECK (id = 1), epoch INTEGER NOT NULL)');
    // The first write takes SQLite's exclusive lock; in exclusive locking mode it is kept until close.
    epoch = db.transaction(() => {
      const row = db.prepare('SELECT epoch FROM hold WHERE id = 1').get() as { epoch: number } | undefined;
      const next = (row?.epoch ?? 0) + 1;
      db.prepare('INSERT INTO hold (id, epoch) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET epoch = excluded.epoch').run(next);
      return next;
    }).immediate();
  } catch (err) {
    db.close();
    if ((err as { code?: string }).code?.startsWith('SQLITE_BUSY')) {
      const h = readHolder(dataDir, part);
      const who = h ? `${h.part} pid ${h.pid} on node ${h.node} (since ${h.since}, epoch ${h.epoch})` : 'another process';
      throw new HeldError(`the ${part} data of ${host} is held by ${who}; refusing to start a second one`);
    }
    throw err;
  }
  const holder: Holder = { host, part, node: os.hostname(), pid: process.pid, epoch, since: new Date().toISOString() };
  const record = path.join(dataDir, `${part}.holder.json`);
  const write = () => {
    fs.writeFileSync(`${record}.${process.pid}.tmp`, JSON.stringify(holder) + '\n');
    fs.renameSync(`${record}.${process.pid}.tmp`, record);
  };
  write();
  return {
    epoch,
    holder,
    recordEpoch(claimed: number) {
      holder.epoch = claimed;
      write();
    },
    release() {
      if (readHolder(dataDir, part)?.pid === process.pid) fs.rmSync(record, { force: true });
      db.close();
    },
  };
}
