// Loaded into a process under benchmark (NODE_OPTIONS=--require …) when
// JOBSCOPE_BENCH_HEAP names a folder: on SIGUSR2 it writes there, named by its pid,
// what its memory is made of (process.memoryUsage, V8's heap spaces, the kernel's
// smaps_rollup) and a heap snapshot, then <pid>.done.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const v8 = require('node:v8');

const dir = process.env.JOBSCOPE_BENCH_HEAP;
if (dir) {
  process.on('SIGUSR2', () => {
    const base = path.join(dir, String(process.pid));
    const figures = () => ({
      memoryUsage: process.memoryUsage(),
      heapSpaces: v8.getHeapSpaceStatistics().map((s) => ({ name: s.space_name, size: s.space_size, used: s.space_used_size, available: s.space_available_size, physical: s.physical_space_size })),
      heap: v8.getHeapStatistics(),
      smaps: fs.readFileSync('/proc/self/smaps_rollup', 'utf8'),
    });
    const before = figures();
    const snapshot = process.env.JOBSCOPE_BENCH_HEAP_SNAPSHOT === '0' ? null : v8.writeHeapSnapshot(`${base}.heapsnapshot`);
    fs.writeFileSync(`${base}.json`, JSON.stringify({ argv: process.argv, before, after: figures(), snapshot }, null, 1));
    fs.writeFileSync(`${base}.done`, '');
  });
}
