// Before any browser test: the browser, and a build that matches the sources
// (scripts/setup.sh rebuilds only what is out of date).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export default function globalSetup(): void {
  const run = (script: string) => execFileSync('sh', [path.join(root, 'scripts', script)], { cwd: root, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  run('ensure-chromium.sh');
  run('setup.sh');
}
