// Counts the hostile cases tried, per edge, and prints one summary line per
// file and one for the whole run so far. Each test file runs in a process of
// its own: the counts meet in a folder named after the run (vitest's process),
// so the last file to finish prints the run's total.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const EDGES = ['http', 'import', 'socket', 'feed', 'agent', 'spool', 'cli', 'config'] as const;
export type Edge = (typeof EDGES)[number];

const counts = new Map<string, number>();

/** Adds n cases tried at an edge (on a store, when the edge has one). */
export function tally(edge: Edge, n = 1, store?: string): void {
  const key = store ? `${edge}@${store}` : edge;
  counts.set(key, (counts.get(key) ?? 0) + n);
}

export function tallied(edge: Edge, store?: string): number {
  return counts.get(store ? `${edge}@${store}` : edge) ?? 0;
}

function line(all: Map<string, number>): string {
  const parts: string[] = [];
  for (const edge of EDGES) {
    const keys = [...all.keys()].filter((k) => k === edge || k.startsWith(`${edge}@`)).sort();
    if (keys.length === 0) continue;
    const total = keys.reduce((n, k) => n + all.get(k)!, 0);
    const split = keys.filter((k) => k.includes('@')).map((k) => `${k.split('@')[1]} ${all.get(k)}`);
    parts.push(`${edge} ${total}${split.length > 1 || (split.length === 1 && keys.length === 1) ? ` (${split.join(', ')})` : ''}`);
  }
  return parts.join(', ');
}

/** Prints this file's line and the run's, and leaves this file's counts for the files that finish later. */
export function printTally(file: string, wallMs: number): void {
  const dir = path.join(os.tmpdir(), `jobscope-hostile-${process.ppid}`);
  // Folders of earlier runs (one of them perhaps with this run's process id) go.
  for (const name of fs.readdirSync(os.tmpdir())) {
    const old = path.join(os.tmpdir(), name);
    if (/^jobscope-hostile-\d+$/.test(name) && Date.now() - fs.statSync(old).mtimeMs > 3600_000) fs.rmSync(old, { recursive: true, force: true });
  }
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${file}.json`), JSON.stringify({ counts: Object.fromEntries(counts), wallMs }));
  const all = new Map<string, number>();
  for (const name of fs.readdirSync(dir)) {
    try {
      const saved = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as { counts: Record<string, number> };
      for (const [k, n] of Object.entries(saved.counts)) all.set(k, (all.get(k) ?? 0) + n);
    } catch {
      // another file is writing its counts right now
    }
  }
  console.log(`hostile: ${file} ${line(counts)} cases in ${(wallMs / 1000).toFixed(1)} s`);
  console.log(`hostile (this run so far): ${line(all)}`);
}
