// `jobscope agent -h HOST`: the Console Agent of one logical host. It serves the
// host's spool as a feed on the host's own address only. It exits non-zero when
// its own footing fails (the spool cannot be read or written, its epoch is
// superseded), so that the cluster fails it over; a bad request or a damaged
// record is contained (docs/architecture.md, "Faults").
import crypto from 'node:crypto';
import { loadHostConfig, spoolPath } from '../host/config';
import { hostLogger } from '../host/log';
import { claimSpool, openSpool, SpoolSupersededError } from '../spool/spool';
import { DEFAULT_STOP_GRACE_MS, markOrphanedRuns, stopRunningJobs, watchFence } from '../spool/running';
import { takeHold } from '../host/hold';
import { createFeedServer, watchSpool } from '../feed/agent-feed';
import { hostTlsPair } from '../host/tls';
import { daemonFooting } from '../host/footing';

/** Long-polls still open when stopping are answered at once; these are cut after this grace. */
const STOP_GRACE_MS = 2000;

/** How long the jobs get to end after SIGTERM when the agent stops, before SIGKILL. */
function jobStopGraceMs(): number {
  const value = process.env.JOBSCOPE_STOP_GRACE_MS;
  if (value === undefined || value === '') return DEFAULT_STOP_GRACE_MS;
  if (!/^\d+$/.test(value)) throw new Error(`JOBSCOPE_STOP_GRACE_MS must be a whole number of milliseconds, not ${JSON.stringify(value)}`);
  return Number(value);
}

function listenProblem(err: NodeJS.ErrnoException, host: string, address: string, port: number): string {
  if (err.code === 'EADDRNOTAVAIL') return `address ${address} is not assigned to this node: is the address of ${host} up here?`;
  if (err.code === 'EADDRINUSE') return `${address}:${port} is already in use: is another agent for ${host} running?`;
  if (err.code === 'EACCES') return `not allowed to listen on ${address}:${port}`;
  return `cannot listen on ${address}:${port}: ${err.message}`;
}

export async function runAgent(o: { host: string }): Promise<void> {
  const log = hostLogger(o.host, 'agent');
  // A wildcard address is refused with the rest of the configuration: a logical host binds only its own.
  const config = loadHostConfig(o.host);

  // A bad certificate or key refuses the start before anything is touched, naming the file.
  const tls = hostTlsPair(config);

  // Taken first: a second agent for the host must fail before it touches anything.
  const hold = takeHold(config.dataDir, o.host, 'agent');
  const jobGraceMs = jobStopGraceMs();
  // From here on, every write of this agent to the spool is fenced by its epoch.
  claimSpool(spoolPath(config), o.host, hold.epoch);
  const fence = { epoch: hold.epoch };
  // A damaged record is reported once per reading process, and never stops the feed.
  const damaged = new Set<string>();
  const reader = openSpool(spoolPath(config), o.host, (d) => {
    if (damaged.size < 10_000 && !damaged.has(d.what)) {
      damaged.add(d.what);
      log.error(d, d.skipped ? 'damaged spool record skipped' : 'damaged spool record: unreadable job fields left out');
    }
  });

  const footing = daemonFooting(log, 'agent');
  const fail = (part: string, err: unknown) => footing.lost(part, err);
  // A failed spool write ends the agent. Superseded: another agent holds the spool now, so exit at
  // once, touching nothing (not even the jobs: they are the new holder's to judge).
  const spoolWriteFailed = (part: string) => (err: unknown) => {
    if (!(err instanceof SpoolSupersededError)) return fail(part, err);
    log.fatal({ epoch: hold.epoch, found: err.found }, `${err.message}; this agent exits at once`);
    process.exit(1);
  };
  const fenceWatch = watchFence(reader, fence, spoolWriteFailed('fencing check'));

  // Before serving the feed: the runs that did not survive a failover or a restart of the node are Killed.
  let orphans: ReturnType<typeof markOrphanedRuns>;
  try {
    orphans = markOrphanedRuns({ file: reader.file, reader, fence });
  } catch (err) {
    if (err instanceof SpoolSupersededError) spoolWriteFailed('marking the runs that did not survive')(err);
    throw err;
  }
  for (const m of orphans.marked) log.warn(m, 'run marked Killed: its process did not survive');

  const watch = watchSpool(reader, { onError: (err) => fail('spool reading', err) });
  const server = createFeedServer({ host: o.host, instance: crypto.randomUUID(), reader, watch, tokenSha256: config.agentTokenSha256 }, log, { tls });

  await new Promise<void>((resolve, reject) => {
    const onListenError = (err: NodeJS.ErrnoException) => reject(new Error(listenProblem(err, o.host, config.address, config.agentPort)));
    server.once('error', onListenError);
    server.listen({ host: config.address, port: config.agentPort, exclusive: true }, () => {
      server.off('error', onListenError);
      resolve();
    });
  }).catch((err) => {
    watch.close();
    reader.close();
    throw err;
  });
  // After the listen: a failed accept is the clients', not the agent's.
  server.on('error', (err) => footing.contain('feed server', err));

  log.info({ address: config.address, port: config.agentPort, spool: reader.file, spoolId: reader.spoolId, lastSeq: reader.lastSeq(), epoch: hold.epoch, markedKilled: orphans.marked.length, stillRunning: orphans.stillRunning, tls: tls !== undefined }, 'agent ready');
  process.stdout.write(`agent for ${o.host} listening on ${config.address}:${config.agentPort}${tls ? ' (TLS)' : ''}\n`);

  let stopping = false;
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, 'agent stopping');
      // The jobs go first, while the feed still serves their Killed records; then the agent's own files and sockets.
      stopRunningJobs({
        file: reader.file, reader, fence, graceMs: jobGraceMs,
        onStopping: (run) => log.warn({ unit: run.unit, execId: run.execId, jobPid: run.pid }, 'stopping a running job: recorded Killed (reason: stop)'),
      }).then((result) => {
        log.info(result, 'running jobs stopped');
        if (result.forced > 0) log.warn({ forced: result.forced }, `jobs still running after ${jobGraceMs} ms were sent SIGKILL`);
        if (result.survivors > 0) log.error({ survivors: result.survivors }, 'jobs could not be ended; they may keep the shared disk busy');
        closeAll();
      }, spoolWriteFailed('stopping the running jobs'));
    };
    const closeAll = () => {
      fenceWatch.close();
      // Open long-polls answer now, while the spool is still open; then the sockets go.
      watch.close();
      const cut = setTimeout(() => server.closeAllConnections(), STOP_GRACE_MS);
      server.close(() => {
        clearTimeout(cut);
        reader.close();
        hold.release();
        log.info('agent stopped');
        resolve();
      });
      server.closeIdleConnections();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}
