// `jobscope demo`: the embedded default on this machine. Sets up the physical
// host (SQLite store and spool in the project's data folder), a first admin, a
// few business scopes and monitoring objects, then runs the console manager and
// the agent as their own processes and a small workload of real commands
// through `jobscope exec`. If any part stops, the demo stops.
import os from 'node:os';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import crypto from 'node:crypto';
import { chooseHostName } from '../host/identity';
import { loadHostConfig, newSecret, projectRoot, storePath, type HostConfig } from '../host/config';
import { hostTlsPair } from '../host/tls';
import { healthProblem, healthUrl } from '../cluster/control';
import { runSetup } from '../host/setup';
import { openStore, type Store } from '../store/db';
import { addUser } from '../auth/users';
import { setExpectation } from '../definitions/expectations';
import { COMMAND_LINE_USER } from '../audit/audit';

const JOBSCOPE = path.join(projectRoot(), 'bin', 'jobscope');

async function ensureRegistration(store: Store, host: string, address: string, feedPort: number, token: string, tlsFingerprint: string | null) {
  const registration = { address, feedPort, token, tlsCa: null, tlsFingerprint };
  await store.monitoredHost.upsert({ where: { name: host }, create: { name: host, ...registration, feed: { create: {} } }, update: registration });
}

async function ensureAdmin(store: Store): Promise<string | null> {
  if ((await store.user.count()) > 0) return null;
  const password = process.env.JOBSCOPE_ADMIN_PASSWORD || crypto.randomBytes(12).toString('base64url');
  await addUser(store, { name: 'admin', password, role: 'admin' });
  return process.env.JOBSCOPE_ADMIN_PASSWORD ? null : password;
}

async function ensureDemoDefinitions(store: Store, host: string) {
  if ((await store.scope.count()) > 0) return;
  const operations = await store.scope.create({ data: { name: 'Operations', comment: 'Demo workload of this machine' } });
  const billing = await store.scope.create({ data: { name: 'Billing', parentId: operations.id } });
  const inventory = await store.scope.create({ data: { name: 'Inventory', parentId: operations.id } });
  await store.monitoringObject.createMany({
    data: [
      { name: 'Daily billing', scopeId: billing.id, host, unit: '/Demo/Billing/Daily' },
      { name: 'Invoice mail', scopeId: billing.id, host, unit: '/Demo/Billing/Mail' },
      { name: 'Stock sync', scopeId: inventory.id, host, unit: '/Demo/Inventory/Sync' },
      { name: 'Nightly report', scopeId: inventory.id, host, unit: 'AJSROOT1:/Demo/Reports/Nightly' },
      // Expected, never run: its start delay and Missed flags show within minutes.
      { name: 'Month-end close', scopeId: billing.id, host, unit: '/Demo/Billing/Close' },
    ],
  });
  // Expectations in the machine's own zone: the schedule view shows the demo's runs against them.
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const expectations: Record<string, object> = {
    '/Demo/Billing/Daily': { schedule: { cron: '* * * * *' }, timeZone, endWithinMinutes: 1 },
    '/Demo/Billing/Close': { schedule: { cron: '*/5 * * * *' }, timeZone, startBy: { afterMinutes: 1 }, missedAfterMinutes: 3 },
    // Runs when it runs: watched only for taking much longer than usual.
    '/Demo/Inventory/Sync': { schedule: { whenever: true }, timeZone, learned: { enabled: true, percentile: 95, lastN: 20, factor: 1.5 } },
  };
  for (const o of await store.monitoringObject.findMany({ where: { unit: { in: Object.keys(expectations) } } })) {
    await setExpectation(store, o.id, expectations[o.unit], COMMAND_LINE_USER);
  }
}

interface DemoJob {
  unit: string;
  script: string;
  args?: string[];
}

// One round of the workload: a jobnet of three jobs sharing a run id, and a few single jobs.
function round(n: number): DemoJob[][] {
  const pick = <T>(...xs: T[]) => xs[n % xs.length];
  return [
    [
      { unit: '/Demo/Billing/Daily/extract', script: 'echo extracting; sleep 3' },
      { unit: '/Demo/Billing/Daily/transform', script: `echo transforming; sleep 3; exit ${pick(0, 3, 0)}`, args: ['--warning-above', '2', '--abend-above', '8'] },
      { unit: '/Demo/Billing/Daily/load', script: `echo loading; sleep 3; exit ${pick(0, 0, 0, 12)}` },
    ],
    [{ unit: '/Demo/Billing/Mail/send', script: `sleep 4; exit ${pick(0, 3)}`, args: ['--warning-above', '2', '--abend-above', '8'] }],
    [{ unit: '/Demo/Inventory/Sync/pull', script: 'echo syncing; sleep 6' }],
    [{ unit: 'AJSROOT1:/Demo/Reports/Nightly/render', script: `sleep 5; exit ${pick(0, 1, 0)}` }],
  ];
}

function runJob(host: string, job: DemoJob, runId: string): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(JOBSCOPE, ['exec', '-h', host, '--unit', job.unit, '--run', runId, ...(job.args ?? []), '--', 'sh', '-c', job.script], {
      stdio: 'ignore',
    });
    child.on('exit', () => resolve());
    child.on('error', () => resolve());
  });
}

async function workload(host: string, stopped: () => boolean) {
  for (let n = 0; !stopped(); n++) {
    const runId = `demo-${Date.now()}`;
    // Each chain runs its jobs one after the other; chains run side by side.
    await Promise.all(round(n).map(async (chain) => {
      for (const job of chain) if (!stopped()) await runJob(host, job, runId);
    }));
    await new Promise((r) => setTimeout(r, 8000));
  }
}

export async function runDemo(opts: { address?: string; port?: number }): Promise<void> {
  const host = chooseHostName(undefined);
  const token = newSecret();
  // A fresh feed token every start: the agent's configuration and the console's registry agree by construction.
  process.env.JOBSCOPE_AGENT_TOKEN = token;
  let existing: ReturnType<typeof loadHostConfig> | undefined;
  try {
    existing = loadHostConfig(host);
  } catch {
    existing = undefined;
  }
  // The machine's full name reaches the console too (its Host allow-list takes the short one already).
  const fullName = os.hostname().toLowerCase();
  await runSetup({
    host,
    address: opts.address ?? existing?.address,
    managerPort: opts.port ?? existing?.managerPort,
    ...(fullName !== host.toLowerCase() && !existing?.aliases ? { aliases: [fullName] } : {}),
    init: true,
    quiet: true,
  });
  const config = loadHostConfig(host);

  const store = await openStore(storePath(config));
  // Plain http unless this host's configuration has TLS: then its own feed is pinned to its own certificate.
  const tls = hostTlsPair(config);
  await ensureRegistration(store, host, config.address, config.agentPort, token, tls?.certificate.fingerprint256 ?? null);
  const password = await ensureAdmin(store);
  await ensureDemoDefinitions(store, host);
  await store.$disconnect();

  const children: ChildProcess[] = [];
  let stopping = false;
  const stopAll = (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const c of children) c.kill('SIGTERM');
    setTimeout(() => process.exit(code), 1500).unref();
  };
  for (const part of ['agent', 'manager']) {
    const child = spawn(JOBSCOPE, [part, '-h', host], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('exit', (code, signal) => {
      if (stopping) return;
      console.error(`jobscope demo: the ${part} stopped (${signal ?? `exit ${code}`}); stopping the demo`);
      stopAll(1);
    });
    children.push(child);
  }
  process.once('SIGINT', () => stopAll(0));
  process.once('SIGTERM', () => stopAll(0));

  await waitForHealth(config, () => stopping);
  const scheme = tls ? 'https' : 'http';
  const url = `${scheme}://${host}:${config.managerPort}/`;
  console.log(
    [
      '',
      `Jobscope is running for host ${host} (console, agent and a demo workload; data in ${config.dataDir}).`,
      `  Open:        ${url}   (or ${scheme}://${config.address}:${config.managerPort}/)`,
      `  User name:   admin`,
      password
        ? `  Password:    ${password}   (shown this once; set JOBSCOPE_ADMIN_PASSWORD before the first start to choose it)`
        : '  Password:    JOBSCOPE_ADMIN_PASSWORD if it was set at the first start, else the one printed then',
      `  Connection host: ${host}`,
      'Stop with Ctrl+C.',
      '',
    ].join('\n'),
  );
  await workload(host, () => stopping);
}

/** Waits for the manager's health check, as cluster control checks it (https when the host has TLS). */
async function waitForHealth(config: HostConfig, stopped: () => boolean): Promise<void> {
  for (let i = 0; i < 600 && !stopped(); i++) {
    if ((await healthProblem('manager', config, 1000)) === undefined) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the console did not answer at ${healthUrl('manager', config)}`);
}
