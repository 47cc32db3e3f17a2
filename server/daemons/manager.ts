// The console manager of one console host: REST API, socket.io and the View on
// one http.Server bound only to the host's own address, plus one feed puller
// per watched job host. It exits non-zero only when its own footing fails (the
// store cannot be written, its epoch or hold is gone), so that cluster software
// fails it over; what comes from outside is contained where it enters
// (docs/architecture.md, "Faults").
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import next from 'next';
import { Server } from 'socket.io';
import { DEFAULT_NOTIFY_MAX_AGE_SECONDS, loadHostConfig, projectRoot } from '../host/config';
import { NotificationSender } from '../notifications/sender';
import { MailChannel } from '../notifications/mail';
import { WebhookTargets } from '../notifications/targets';
import { hostLogger } from '../host/log';
import { holdStore } from '../store/hold-store';
import { FeedSupervisor } from '../feed/puller';
import { StatusIndex } from '../live/status-index';
import { createLiveHub } from '../live/hub';
import { FlagWatch } from '../expectations/watch';
import { createApi } from '../http/api';
import { send } from '../http/router';
import { endExpiredSessions, findSession, readCookie, SESSION_COOKIE } from '../auth/sessions';
import { assertEpoch } from '../store/fence';
import { watchStore } from '../store/probe';
import { consoleNames, DATA_POLICY, guardServer, newNonce, pagePolicy } from '../http/edge';
import { daemonFooting, isStoreFootingFault } from '../host/footing';
import { hostTlsPair } from '../host/tls';
import { clientResolver, STRICT_TRANSPORT_SECURITY } from '../http/client';

// A dead peer is noticed within about eight seconds.
const PING_INTERVAL_MS = 4000;
const PING_TIMEOUT_MS = 4000;
const STORE_PROBE_MS = 2000;
const KEEP_ALIVE_MS = 65_000;
// Sessions also end by expiring, with no request to announce it: admins' pages learn of it within this.
const SESSION_SWEEP_MS = 30_000;

/** Pages refused (sent to /login) before any of them renders when there is no session. */
const SIGNED_IN_PAGES = new Set(['/', '/monitor', '/hosts', '/users', '/audit', '/displays', '/display/preview']);

const SECURITY_HEADERS = {
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

export async function runManager({ host }: { host: string }): Promise<void> {
  const log = hostLogger(host, 'manager');
  const footing = daemonFooting(log, 'manager');

  // How long each step of the start took, in the "listening" line: a failover's time is mostly this.
  // performance.now() counts from the process's start: the first step is loading the code.
  const steps: Record<string, number> = { loadMs: Math.round(performance.now()) };
  let lap = performance.now();
  const step = (name: string) => {
    steps[name] = Math.round(performance.now() - lap);
    lap = performance.now();
  };
  const config = loadHostConfig(host);
  // A bad certificate or key refuses the start before anything is touched, naming the file.
  const tls = hostTlsPair(config);
  const clientOf = clientResolver(config.trustedProxies);
  process.env.NEXT_TELEMETRY_DISABLED = '1';
  // Taken first: a second manager for the host must fail before it touches anything.
  const { hold, store, epoch } = await holdStore(config, (err) => footing.lost('the hold of the store', err));
  step('holdMs');
  // Also when idle: a manager whose epoch was superseded, or whose store stopped taking writes, exits within seconds.
  const storeWatch = watchStore(store, epoch, { everyMs: STORE_PROBE_MS, onLost: (err) => footing.lost('the console store', err) });
  const checkEpoch = () =>
    assertEpoch(store, epoch).catch((err) => {
      if (isStoreFootingFault(err)) footing.lost('the fencing check', err);
      throw err;
    });

  // Idle connections outlive a browser's or a script's pauses, so that no client reuses a
  // connection at the very moment the server closes it. The request handler is the server's
  // first: socket.io, attached next, takes its own paths before it and passes the rest on,
  // so that no request is ever answered twice.
  // With TLS configured, the View, the API and socket.io are served over HTTPS only.
  const serverOptions = { keepAliveTimeout: KEEP_ALIVE_MS, headersTimeout: KEEP_ALIVE_MS + 1000 };
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => void handleRequest(req, res);
  const server = tls ? https.createServer({ ...serverOptions, cert: tls.cert, key: tls.key }, onRequest) : http.createServer(serverOptions, onRequest);
  const names = consoleNames(config);
  let markReady = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const io = new Server(server, {
    // A connection's handshake waits until the console is ready, so that it meets every check and handler.
    allowRequest: (_req, allow) => void ready.then(() => allow(null, true)),
    serveClient: false,
    pingInterval: PING_INTERVAL_MS,
    pingTimeout: PING_TIMEOUT_MS,
    // The View sends only small requests: a larger message is not from it.
    maxHttpBufferSize: 64 * 1024,
  });
  // Host and path checked before anything answers, socket.io's handshake and WebSocket upgrades included.
  guardServer(server, names);
  // socket.io's own answers (polling, the websocket handshake) carry HSTS too.
  io.engine.on('headers', (headers: Record<string, string>, req: http.IncomingMessage) => {
    if (clientOf(req).secure) headers['strict-transport-security'] = STRICT_TRANSPORT_SECURITY;
  });
  // Listening starts as soon as the store is held, and what arrives before the rest is ready
  // waits for it instead of being refused: after a failover, screens that reconnect early are
  // served the moment the console is, rather than after their next retry.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.managerPort, config.address, () => resolve());
  }).catch((err: NodeJS.ErrnoException) => {
    const hint = err.code === 'EADDRNOTAVAIL' ? ` (address ${config.address} is not assigned to this node)` : err.code === 'EADDRINUSE' ? ' (port in use)' : '';
    throw new Error(`cannot listen on ${config.address}:${config.managerPort}${hint}: ${err.message}`);
  });
  // Only now: a listen error must reach the message above. Later ones (a failed accept) are the clients'.
  server.on('error', (err) => footing.contain('the http server', err));
  step('listenMs');
  const view = next({ dev: false, dir: projectRoot(), hostname: config.address, port: config.managerPort, quiet: true });
  await view.prepare();
  step('viewMs');
  const renderView = view.getRequestHandler();
  let supervisor: FeedSupervisor | undefined;
  // What subscriptions are answered from: read before any feed is pulled, so that every delta follows on from it.
  const index = await StatusIndex.load(store);
  step('indexMs');
  let flags: FlagWatch | undefined;
  const hub = createLiveHub(io, store, index, { hostStates: () => supervisor?.hostStates() ?? [], flags: () => flags?.flags() ?? [] }, log, host);
  const sender = new NotificationSender(store, epoch, log, (err) => footing.contain('sending notifications', err), new WebhookTargets(config), new MailChannel(config.smtp, config.host));
  const notify = { maxAgeMs: (config.notifyMaxAgeSeconds ?? DEFAULT_NOTIFY_MAX_AGE_SECONDS) * 1000, consoleHost: host };
  flags = new FlagWatch(store, log, { epoch, consoleHost: host, notifyMaxAgeMs: notify.maxAgeMs }, {
    changed: (objects) => hub.publishFlags(objects),
    notified: () => sender.wake(),
    failed: (err) => footing.contain('evaluating expectations', err),
  });
  const watch = flags;
  supervisor = new FeedSupervisor(
    store,
    { epoch, notify },
    log,
    {
      applied: (batch, notifications) => {
        hub.publishUnits(batch);
        watch.unitsChanged(batch.units);
        if (notifications > 0) sender.wake();
      },
      hostChanged: hub.publishHost,
    },
    { footing, store: storeWatch },
  );
  const api = createApi({
    store,
    viewBuild: viewBuildOf(projectRoot()),
    beforeWrite: checkEpoch,
    epoch,
    config,
    hub,
    flags: watch,
    log,
    hostStates: () => supervisor.hostStates(),
    // A request's 500 is its own, unless the store under it stopped taking writes.
    unexpected: (err) => {
      if (isStoreFootingFault(err)) footing.lost('a request', err);
    },
    // The pullers follow the change first, so that what browsers fetch on the event
    // (GET /hosts) already says which hosts are watched; if they could not (the next tick
    // tries again), the flags and the browsers still follow it.
    definitionsChanged: () => {
      supervisor
        .reconcile()
        .catch((err) => footing.contain('following a definition change', err))
        .then(() => {
          watch.definitionsChanged();
          return hub.definitionsChanged();
        })
        .catch((err) => footing.contain('telling the browsers of a definition change', err));
    },
  });

  const sweepSessions = () =>
    endExpiredSessions(store).then(
      (ended) => {
        if (ended.length === 0) return;
        // An expired session ends like a logout: its open pages lose their live connection at once.
        for (const sessionId of ended) hub.dropSession(sessionId);
        hub.adminChanged('users', 'sessions');
      },
      (err) => footing.contain('ending expired sessions', err),
    );
  setInterval(sweepSessions, SESSION_SWEEP_MS).unref();

  async function handleRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    await ready;
    try {
      for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
      const { secure } = clientOf(req);
      if (secure) res.setHeader('strict-transport-security', STRICT_TRANSPORT_SECURITY);
      const url = new URL(req.url ?? '/', 'http://console');
      if (url.pathname.startsWith('/api/')) res.setHeader('content-security-policy', DATA_POLICY);
      if (await api.handle(req, res, url)) return;
      // Pages and their assets are only read.
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, { status: 405, headers: { allow: 'GET, HEAD' } });
      if (SIGNED_IN_PAGES.has(url.pathname)) {
        // Pages that need a session are refused before any of them renders.
        const user = await findSession(store, readCookie(req.headers.cookie, SESSION_COOKIE));
        if (!user) return send(res, { status: 302, headers: { location: '/login' } });
        if (url.pathname === '/') return send(res, { status: 302, headers: { location: '/monitor' } });
      }
      // Next.js reads the nonce from the request's policy and puts it on every script it renders.
      const policy = pagePolicy(newNonce(), secure);
      req.headers['content-security-policy'] = policy;
      res.setHeader('content-security-policy', policy);
      await renderView(req, res);
    } catch (err) {
      log.error({ err, url: req.url }, 'request failed');
      if (!res.headersSent) send(res, { status: 500, body: { error: 'Internal error' } });
    }
  }
  await supervisor.start();
  // Before anyone is served: the first snapshots carry the flags, and a flag due while no manager ran is raised now.
  await watch.start();
  sender.start();
  markReady();
  step('readyMs');
  log.info({ address: config.address, port: config.managerPort, epoch, start: steps }, `console manager for ${host} listening on ${tls ? 'https' : 'http'}://${config.address}:${config.managerPort}/`);

  const stop = async (signal: string) => {
    log.info({ signal }, 'stopping');
    io.close();
    server.close();
    storeWatch.stop();
    await supervisor.stop();
    await watch.stop();
    await sender.stop();
    await store.$disconnect();
    await hold.release();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

/** The id Next.js gave the View's build: it changes with every build, so an upgrade changes it. */
function viewBuildOf(root: string): string {
  try {
    return fs.readFileSync(path.join(root, '.next', 'BUILD_ID'), 'utf8').trim();
  } catch {
    return '';
  }
}
