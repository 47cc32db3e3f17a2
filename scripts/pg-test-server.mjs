#!/usr/bin/env node
// A throwaway PostgreSQL server for tests and tools: Debian's PostgreSQL 15
// (scripts/ensure-postgresql.sh installs it), a fresh cluster in a temporary
// folder, listening on 127.0.0.1 (or the address given) at a free port, password
// authentication over TCP. As root it runs as the `postgres` user (PostgreSQL
// refuses root).
//
// As a module: `const server = await startPgServer(); …; await server.stop()`.
// As a program: prints the URL and runs until interrupted.
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PG_BIN = process.env.JOBSCOPE_PG_BIN || '/usr/lib/postgresql/15/bin';

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function runAs(user, cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...(user ? { uid: user.uid, gid: user.gid } : {}) });
  if (r.status !== 0) throw new Error(`${path.basename(cmd)} failed (${r.status ?? r.signal}): ${(r.stderr || r.stdout || r.error?.message || '').trim()}`);
  return r.stdout;
}

function postgresUser() {
  if (process.getuid?.() !== 0) return null;
  const id = (flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/**
 * Starts a cluster. Returns its URL (superuser `postgres`, database `postgres`),
 * its connection fields, and stop(), which stops it at once and removes its folder.
 * `listen`: the one address it listens on (default 127.0.0.1); `allow`: a CIDR
 * whose clients may log in with the password, beside 127.0.0.1 (e.g. the subnet
 * of the cluster harness's namespaces).
 */
export async function startPgServer({ listen = '127.0.0.1', allow } = {}) {
  const initdb = path.join(PG_BIN, 'initdb');
  if (!fs.existsSync(initdb)) throw new Error(`PostgreSQL 15 is not installed (${initdb} is missing): run sh scripts/ensure-postgresql.sh`);
  const user = postgresUser();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobscope-pg-'));
  const data = path.join(dir, 'data');
  const password = crypto.randomBytes(18).toString('base64url');
  fs.writeFileSync(path.join(dir, 'pwfile'), password + '\n', { mode: 0o600 });
  if (user) {
    fs.chownSync(dir, user.uid, user.gid);
    fs.chownSync(path.join(dir, 'pwfile'), user.uid, user.gid);
  }
  runAs(user, initdb, ['-D', data, '-U', 'postgres', '--pwfile', path.join(dir, 'pwfile'), '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--no-locale', '--no-sync']);
  fs.rmSync(path.join(dir, 'pwfile'));
  if (allow) fs.appendFileSync(path.join(data, 'pg_hba.conf'), `host all all ${allow} scram-sha-256\n`);
  const pgCtl = path.join(PG_BIN, 'pg_ctl');
  let port;
  for (let attempt = 0; ; attempt++) {
    port = await freePort();
    try {
      // fsync off: a test cluster is thrown away, durability buys nothing here.
      runAs(user, pgCtl, ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-t', '30', '-o', `-h ${listen} -p ${port} -k ${dir} -F -c max_connections=200`, 'start']);
      break;
    } catch (err) {
      if (attempt >= 2) throw new Error(`${err.message}\n${fs.readFileSync(path.join(dir, 'server.log'), 'utf8').slice(-2000)}`);
    }
  }
  const fields = { host: listen, port, user: 'postgres', password, database: 'postgres' };
  let stopped = false;
  return {
    url: `postgresql://postgres:${encodeURIComponent(password)}@${listen}:${port}/postgres`,
    fields,
    dir,
    /** The URL of another database of this server. */
    urlOf(database) {
      return `postgresql://postgres:${encodeURIComponent(password)}@${listen}:${port}/${encodeURIComponent(database)}`;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        runAs(user, pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const server = await startPgServer();
  process.stdout.write(`${server.url}\n`);
  const stop = () => server.stop().finally(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  setInterval(() => {}, 1 << 30);
}
