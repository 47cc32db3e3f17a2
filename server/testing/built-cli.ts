// Tests that run the real command line build it first, once, when its bundle is
// older than the sources. Test files run in parallel, so the build holds a lock.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { projectRoot } from '../host/config';

const LOCK_WAIT_MS = 180_000;

function newestSource(dir: string, skip: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name);
    if (entry.isFile() && !file.startsWith(skip)) newest = Math.max(newest, fs.statSync(file).mtimeMs);
  }
  return newest;
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export function ensureCliBuilt(): void {
  const root = projectRoot();
  const bundle = path.join(root, 'dist', 'jobscope.mjs');
  const lock = path.join(root, 'dist', '.build-lock');
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (Date.now() > deadline) throw new Error(`${lock} is held for too long; remove it if no build is running`);
      sleep(200);
    }
  }
  try {
    const built = fs.existsSync(bundle) ? fs.statSync(bundle).mtimeMs : 0;
    const server = path.join(root, 'server');
    const generated = path.join(server, 'store', 'generated');
    if (Math.max(newestSource(server, generated), newestSource(path.join(root, 'prisma'), generated)) > built) {
      execFileSync(process.execPath, ['scripts/build.mjs', 'server'], { cwd: root, stdio: 'pipe' });
    }
  } finally {
    fs.rmdirSync(lock);
  }
}
