// Tests that run real processes use the built command line: build it once,
// before any test file runs, when its bundle is older than the sources.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { projectRoot } from '../host/config';

function newest(dir: string): number {
  let mtime = 0;
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) mtime = Math.max(mtime, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return mtime;
}

export default function setup(): void {
  const root = projectRoot();
  const bundle = path.join(root, 'dist', 'jobscope.mjs');
  const built = fs.existsSync(bundle) ? fs.statSync(bundle).mtimeMs : 0;
  const sources = Math.max(...['server', 'prisma'].map((d) => newest(path.join(root, d))));
  if (built < sources) execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), 'server'], { cwd: root, stdio: 'inherit' });
}
