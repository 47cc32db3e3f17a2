// What `jobscope exec` costs per wrapped job: CPU time (user + system) of
// `jobscope exec -- true`, median of several runs, against `node -e 0` in the
// same run; then many exec processes at once, counting the runs they recorded.
// Prints figures; asserts nothing.
//   npx tsx bench/exec.ts [runs] [concurrent]
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { JOBSCOPE } from '../server/testing/test-host';

export interface ExecFigures {
  execCpuS: number;
  nodeCpuS: number;
  concurrent: number;
  recorded: number;
  concurrentWallS: number;
}

/** CPU seconds (user + system) a command and its children took, as bash's `time` reports them. */
function cpuOf(command: string, env: NodeJS.ProcessEnv): number {
  const r = spawnSync('bash', ['-c', `TIMEFORMAT='%3U %3S'; time ${command} >/dev/null`], { env, encoding: 'utf8' });
  const [user, system] = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
  return user + system;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function measureExec(runs = 7, concurrent = 200): Promise<ExecFigures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobscope-bench-exec-'));
  const env = { ...process.env, JOBSCOPE_CONFIG_DIR: path.join(dir, 'config') };
  try {
    const setup = spawnSync(JOBSCOPE, ['setup', '-h', 'exechost', '--address', '127.0.0.1', '--manager-port', '1', '--agent-port', '2', '--data', path.join(dir, 'data'), '--init'], { env, encoding: 'utf8' });
    if (setup.status !== 0) throw new Error(`setup failed: ${setup.stderr}`);
    const exec = `${JOBSCOPE} exec -h exechost --unit /Bench/job -- true`;
    cpuOf(exec, env); // the first run warms the file cache
    const execCpu: number[] = [];
    const nodeCpu: number[] = [];
    for (let i = 0; i < runs; i++) {
      execCpu.push(cpuOf(exec, env));
      nodeCpu.push(cpuOf(`${process.execPath} -e 0`, env));
    }
    const began = performance.now();
    const failures = new Set<string>();
    const codes = await Promise.all(
      Array.from({ length: concurrent }, (_, i) =>
        new Promise<number | null>((resolve) => {
          const child = spawn(JOBSCOPE, ['exec', '-h', 'exechost', '--unit', `/Bench/many/job${i}`, '--', 'true'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
          let stderr = '';
          child.stderr!.on('data', (d) => (stderr += d));
          child.on('close', (code) => (code !== 0 && failures.add(`${code}: ${stderr.trim()}`), resolve(code)));
        }),
      ),
    );
    for (const failure of failures) console.error(`exec failed: ${failure}`);
    const wall = (performance.now() - began) / 1000;
    const db = new Database(path.join(dir, 'data', 'spool.db'), { readonly: true });
    const recorded = (db.prepare("SELECT COUNT(*) AS n FROM runs WHERE unit LIKE '/Bench/many/%' AND status = 'NORMAL'").get() as { n: number }).n;
    db.close();
    return { execCpuS: median(execCpu), nodeCpuS: median(nodeCpu), concurrent, recorded, concurrentWallS: wall };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function execLines(f: ExecFigures): string[] {
  return [
    `jobscope exec -- true   ${f.execCpuS.toFixed(3)} s CPU (median)`,
    `node -e 0               ${f.nodeCpuS.toFixed(3)} s CPU (median)`,
    `ratio ${(f.execCpuS / f.nodeCpuS).toFixed(2)} x`,
    `${f.concurrent} exec at once: ${f.recorded} runs recorded in ${f.concurrentWallS.toFixed(1)} s`,
  ];
}

const isMain = import.meta.url === `file://${process.argv[1]}`;
if (isMain) {
  const f = await measureExec(Number(process.argv[2] ?? 7), Number(process.argv[3] ?? 200));
  for (const line of execLines(f)) console.log(line);
}
