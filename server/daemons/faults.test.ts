// Faults of the shared disk and the configuration: each gives a clear message
// and a non-zero exit, and never loses data that was already acknowledged.
// Read-only and full disks are real mounts (as root, permissions alone do not
// make a folder read-only): a read-only bind mount and a small tmpfs.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { run, TestHost } from '../testing/test-host';
import { openSpool } from '../spool/spool';

let host: TestHost;
const mounts: string[] = [];
const mount = (...args: string[]) => execFileSync('mount', args);

beforeAll(async () => {
  host = await TestHost.create('faulthost');
});

afterEach(() => {
  for (const m of mounts.splice(0).reverse()) execFileSync('umount', ['-l', m]);
});

afterAll(async () => {
  await host?.stop();
});

const dataDir = () => path.dirname(host.storeFile);
const events = () => openSpool(host.spoolFile).lastSeq();

it('says the shared disk is not mounted when the data folder is missing', async () => {
  const moved = `${dataDir()}.away`;
  fs.renameSync(dataDir(), moved);
  try {
    for (const part of ['manager', 'agent']) {
      const r = await run([part, '-h', host.name], host.env);
      expect(r.code, part).not.toBe(0);
      expect(r.stderr, part).toMatch(/does not exist: is the shared disk mounted\?/);
    }
    const exec = await host.exec('/F/job', 'echo must-not-run');
    expect(exec.code).toBe(125);
    expect(exec.stdout).not.toContain('must-not-run');
    expect(exec.stderr).toMatch(/shared disk/);
  } finally {
    fs.renameSync(moved, dataDir());
  }
});

it('refuses a read-only shared disk clearly and keeps what was recorded', async () => {
  expect((await host.exec('/F/before', 'exit 0')).code).toBe(0);
  const recorded = events();
  mount('--bind', dataDir(), dataDir());
  mounts.push(dataDir());
  mount('-o', 'remount,bind,ro', dataDir());
  const exec = await host.exec('/F/job', 'echo must-not-run');
  expect(exec.code).toBe(125);
  expect(exec.stdout).not.toContain('must-not-run');
  expect(exec.stderr).toMatch(/read-only|readonly/i);
  const manager = await run(['manager', '-h', host.name], host.env);
  expect(manager.code).not.toBe(0);
  expect(manager.stderr).toMatch(/read-only|readonly/i);
  execFileSync('umount', ['-l', mounts.pop()!]);
  expect(events()).toBe(recorded);
});

it('fails a job record on a full disk without losing the records before it', async () => {
  const small = fs.mkdtempSync(path.join(path.dirname(host.dir), 'jobscope-full-'));
  mount('-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', small);
  mounts.push(small);
  const fullHost = await TestHost.create('fullhost');
  try {
    // Move the spool onto the small disk and fill the rest of it.
    const spool = path.join(small, 'spool.db');
    fs.copyFileSync(fullHost.spoolFile, spool);
    fs.rmSync(fullHost.spoolFile);
    fs.symlinkSync(spool, fullHost.spoolFile);
    expect((await fullHost.exec('/F/ok', 'exit 0')).code).toBe(0);
    const recorded = openSpool(spool).lastSeq();
    try {
      fs.writeFileSync(path.join(small, 'filler'), Buffer.alloc(2 * 1024 * 1024));
    } catch {
      // ENOSPC: the disk is full now, as intended
    }
    const exec = await fullHost.exec('/F/job', 'echo must-not-run', ['--run', 'r1']);
    expect(exec.code).toBe(125);
    expect(exec.stdout).not.toContain('must-not-run');
    expect(exec.stderr).toMatch(/full|space/i);
    fs.rmSync(path.join(small, 'filler'));
    expect(openSpool(spool).lastSeq()).toBe(recorded);
    const db = new Database(spool, { readonly: true });
    expect((db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check).toBe('ok');
    db.close();
  } finally {
    await fullHost.stop();
  }
});

it('names the typo in a configuration file and refuses to start', async () => {
  const file = path.join(host.env.JOBSCOPE_CONFIG_DIR!, `${host.name}.json`);
  const good = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(file, good.replace('"managerPort"', '"managerPrt"'));
  try {
    for (const part of ['manager', 'agent']) {
      const r = await run([part, '-h', host.name], host.env);
      expect(r.code, part).not.toBe(0);
      expect(r.stderr, part).toMatch(/invalid.*managerPrt|managerPrt.*unrecognized|Unrecognized key.*managerPrt/i);
    }
  } finally {
    fs.writeFileSync(file, good);
  }
});

it('recovers a spool whose last record was torn by a crash, keeping every record before it', async () => {
  const reader = openSpool(host.spoolFile); // held open, as the agent does: the log is not folded back on close
  try {
    const before = reader.lastSeq();
    for (let i = 0; i < 5; i++) expect((await host.exec(`/F/torn${i}`, 'exit 0')).code).toBe(0);
    const crashed = fs.mkdtempSync(path.join(host.dir, 'crashed-'));
    for (const suffix of ['', '-wal']) fs.copyFileSync(host.spoolFile + suffix, path.join(crashed, 'spool.db' + suffix));
    // The crash cut the last write in the middle of its final page.
    const wal = path.join(crashed, 'spool.db-wal');
    fs.truncateSync(wal, fs.statSync(wal).size - 100);
    const recovered = openSpool(path.join(crashed, 'spool.db'));
    const { events } = recovered.eventsAfter(before, 100);
    recovered.close();
    // Each exec wrote a start and an end: the torn end of the last one is gone, all else is intact.
    expect(events.map((e) => `${e.unit} ${e.kind}`)).toEqual([
      ...[0, 1, 2, 3].flatMap((i) => [`/F/torn${i} start`, `/F/torn${i} end`]),
      '/F/torn4 start',
    ]);
  } finally {
    reader.close();
  }
});

it('exits non-zero when its store stops accepting writes, instead of running degraded', async () => {
  const consoleHost = await TestHost.create('rofshost');
  const jobHost = await TestHost.create('rofsjobs');
  const data = path.dirname(consoleHost.storeFile);
  try {
    // The console's data on a small file system of its own, so that it can fill up under the running manager.
    fs.renameSync(data, `${data}.orig`);
    fs.mkdirSync(data);
    mount('-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', data);
    mounts.push(data);
    execFileSync('cp', ['-a', `${data}.orig/.`, data]);
    await jobHost.startAgent();
    await consoleHost.startManager();
    const admin = await consoleHost.login('admin');
    expect((await admin.call('POST', '/hosts', { name: jobHost.name, address: jobHost.address, feedPort: jobHost.agentPort, token: jobHost.token })).status).toBe(201);
    const scope = await admin.call('POST', '/scopes', { name: 'RO' });
    expect((await admin.call('POST', '/objects', { name: 'RO', scopeId: scope.body.scope.id, host: jobHost.name, unit: '/RO' })).status).toBe(201);
    expect((await jobHost.exec('/RO/first', 'exit 0')).code).toBe(0);
    const exited = new Promise<number | null>((resolve) => consoleHost.manager!.once('exit', (code) => resolve(code)));
    // The console's disk fills up (a remount read-only would be refused while the store is open for writing).
    try {
      const free = fs.statfsSync(data);
      fs.writeFileSync(path.join(data, 'filler'), Buffer.alloc(free.bavail * free.bsize));
    } catch {
      // ENOSPC: full, as intended
    }
    expect((await jobHost.exec('/RO/second', 'exit 0')).code).toBe(0); // the job host is fine; the console cannot store it
    expect(await exited).toBe(1);
    expect(consoleHost.logs).toMatch(/"level":60/); // a fatal line says why
  } finally {
    await consoleHost.kill(consoleHost.manager);
    if (mounts.at(-1) === data) execFileSync('umount', ['-l', mounts.pop()!]);
    await consoleHost.stop();
    await jobHost.stop();
  }
});
