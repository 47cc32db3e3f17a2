// `jobscope agent -h HOST`: the Console Agent of one logical host. It serves the
// host's spool as a feed on the host's own address only. No degraded running: if
// any part fails, the whole daemon exits non-zero so that the cluster fails it over.
import net from 'node:net';
import { loadHostConfig, spoolPath } from '../host/config';
import { hostLogger } from '../host/log';
import { openSpool } from '../spool/spool';
import { takeHold } from '../host/hold';
import { createFeedServer, watchSpool } from '../feed/agent-feed';

/** Long-polls still open when stopping are answered at once; these are cut after this grace. */
const STOP_GRACE_MS = 2000;

function isWildcard(address: string): boolean {
  return net.isIPv4(address) ? address === '0.0.0.0' : /^[0:]+$/.test(address);
}

function listenProblem(err: NodeJS.ErrnoException, host: string, address: string, port: number): string {
  if (err.code === 'EADDRNOTAVAIL') return `address ${address} is not assigned to this node: is the address of ${host} up here?`;
  if (err.code === 'EADDRINUSE') return `${address}:${port} is already in use: is another agent for ${host} running?`;
  if (err.code === 'EACCES') return `not allowed to listen on ${address}:${port}`;
  return `cannot listen on ${address}:${port}: ${err.message}`;
}

export async function runAgent(o: { host: string }): Promise<void> {
  const log = hostLogger(o.host, 'agent');
  const config = loadHostConfig(o.host);
  if (isWildcard(config.address)) {
    throw new Error(`address ${config.address} of ${o.host} is a wildcard; a logical host binds only its own address (jobscope setup -h ${o.host} --address IP)`);
  }

  // Taken first: a second agent for the host must fail before it touches anything.
  const hold = takeHold(config.dataDir, o.host, 'agent');
  const reader = openSpool(spoolPath(config), o.host);

  const fail = (part: string, err: unknown) => {
    log.fatal({ err }, `${part} failed; the agent stops so that the host can fail over`);
    process.exit(1);
  };
  process.on('uncaughtException', (err) => fail('agent', err));
  process.on('unhandledRejection', (err) => fail('agent', err));

  const watch = watchSpool(reader, { onError: (err) => fail('spool reading', err) });
  const server = createFeedServer({ host: o.host, reader, watch, tokenSha256: config.agentTokenSha256 }, log);

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
  server.on('error', (err) => fail('feed server', err));

  log.info({ address: config.address, port: config.agentPort, spool: reader.file, spoolId: reader.spoolId, lastSeq: reader.lastSeq(), epoch: hold.epoch }, 'agent ready');
  process.stdout.write(`agent for ${o.host} listening on ${config.address}:${config.agentPort}\n`);

  let stopping = false;
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, 'agent stopping');
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
