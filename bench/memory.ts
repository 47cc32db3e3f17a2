// What one logical host costs in memory: resident set size of the agent and the
// console manager of a fresh host, idle and after 2,000 events, against a bare
// Node process measured in the same run. Prints figures; asserts nothing.
//   npx tsx bench/memory.ts
import fs from 'node:fs';
import crypto from 'node:crypto';
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { TestHost, waitUntil } from '../server/testing/test-host';
import { appendEvent } from '../server/spool/spool';

const rssMiB = (pid: number) => {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
  return kb / 1024;
};
const settle = () => new Promise((r) => setTimeout(r, 3000));

const bare = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
await settle();
const baseline = rssMiB(bare.pid!);
bare.kill();

const host = await TestHost.create('benchhost');
try {
  await host.startAgent();
  await host.startManager();
  const operator = await host.login('operator');
  const scope = await operator.call('POST', '/scopes', { name: 'Bench' });
  await operator.call('POST', '/objects', { name: 'Bench', scopeId: scope.body.scope.id, host: host.name, unit: '/Bench' });
  await settle();
  const idle = { agent: rssMiB(host.agent!.pid!), manager: rssMiB(host.manager!.pid!) };
  for (let i = 0; i < 2000; i++) {
    appendEvent(host.spoolFile, {
      host: host.name, unit: `/Bench/u${i % 200}`, execId: crypto.randomUUID(), runId: null, kind: 'status', status: i % 9 ? 'NORMAL' : 'ABNORMAL',
      at: new Date().toISOString(), node: 'bench', pid: null, exitCode: 0, signal: null, outputTail: null, reason: null,
    });
  }
  const offset = () => (new Database(host.storeFile, { readonly: true }).prepare('SELECT "offset" FROM "FeedState"').get() as { offset: number }).offset;
  await waitUntil('the manager to apply everything', () => (offset() === 2000 ? true : undefined), 120_000);
  await settle();
  const loaded = { agent: rssMiB(host.agent!.pid!), manager: rssMiB(host.manager!.pid!) };
  const row = (name: string, mib: number) => console.log(`${name.padEnd(34)} ${mib.toFixed(1).padStart(7)} MiB  ${(mib / baseline).toFixed(1).padStart(5)} x bare`);
  console.log(`memory per logical host (resident set size; bare node process = 1.0 x)`);
  row('bare node process', baseline);
  row('agent, idle', idle.agent);
  row('agent, after 2,000 events', loaded.agent);
  row('console manager, idle', idle.manager);
  row('console manager, after 2,000 events', loaded.manager);
} catch (err) {
  console.error(host.logs.slice(-3000));
  throw err;
} finally {
  await host.stop();
}
