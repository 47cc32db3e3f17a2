// The REST API, /api/v1: thin routes over plain functions.
import { z } from 'zod';
import { plainLine } from '../domain/text';
import type { IncomingMessage } from 'node:http';
import type { Store } from '../store/db';
import type { Logger } from '../host/log';
import type { HostConfig } from '../host/config';
import type { LiveHub } from '../live/hub';
import { idParam, Router, type Reply } from './router';
import { addExpectationRoutes } from './expectation-routes';
import { addFlagRoutes } from './flag-routes';
import type { FlagWatch } from '../expectations/watch';
import { login, sweepLogins } from '../auth/login';
import { LoginThrottle } from '../auth/throttle';
import { DEVICE_COOKIE, deviceCookie } from '../auth/device-cookies';
import { clearedSessionCookie, endSessionById, findSession, listSessions, logout, readCookie, sessionCookie } from '../auth/sessions';
import { credentialsOf } from '../auth/authorize';
import { createUser, listUsers, resetPassword, updateUser } from '../auth/users';
import { checkConnectionHost } from '../auth/connection-host';
import { addHost, listHosts, removeHost } from '../definitions/hosts';
import { createObject, createScope, deleteObject, deleteScope, listDefinitions, setPositions, setScopeWebhook, updateObject, updateScope } from '../definitions/scopes';
import { backgroundEtag, deleteBackground, getBackground, MAX_BACKGROUND_BYTES, setBackground } from '../definitions/backgrounds';
import { exportDefinitions, importDefinitions, MAX_IMPORT_BYTES } from '../definitions/transfer';
import { WebhookTargets } from '../notifications/targets';
import { listAudit, recordAudit } from '../audit/audit';
import { allows } from '../auth/roles';
import type { DisplayPicture, HostState } from '../domain/live';
import { InputError, parseInput, says, words, type Lang } from '../input';
import { consoleNames } from './edge';
import { RateLimit } from './rate-limit';
import { acknowledge, runDetail, runHistory } from '../runs/runs';
import { clientResolver } from './client';
import { clearedPairingCookie, displayCookie, PAIRING_COOKIE, pairingCookie } from '../auth/display-credentials';
import { createPairing, PAIRING_EXCHANGE_GRACE_MS, PAIRING_LIFETIME_MS, pollPairing, TooManyPairings } from '../displays/pairing';
import {
  displayPicture, displayView, enrolDisplay, getDisplayEntry, listDisplays, noteUserAgent, recordRefusedEnrolment, revokeDisplay, updateDisplay, userAgentOf,
  WrongPairingCode, wrongCodeError,
} from '../displays/displays';

const loginSchema = z
  .object({
    user: plainLine(z.string(says('user name is required', 'ユーザー名は必須です')).min(1, says('user name is required', 'ユーザー名は必須です')).max(64)),
    password: z.string(says('password is required', 'パスワードは必須です')).min(1, says('password is required', 'パスワードは必須です')).max(1024),
  })
  .strict();
/** How often attacks that went quiet are ended and expired device cookies deleted. */
const LOGIN_SWEEP_MS = 60_000;

/** Whether the browser's cached copy (If-None-Match, else If-Modified-Since) is still the current one. */
function notModified(req: IncomingMessage, etag: string, modified: Date): boolean {
  const tags = req.headers['if-none-match'];
  if (tags !== undefined) return tags.split(',').some((t) => ['*', etag].includes(t.trim().replace(/^W\//, '')));
  const since = Date.parse(req.headers['if-modified-since'] ?? '');
  return !Number.isNaN(since) && Math.floor(modified.getTime() / 1000) * 1000 <= since;
}

export interface ApiDeps {
  store: Store;
  /** Runs before every mutating request: the fencing check. */
  beforeWrite: () => Promise<void>;
  /** The fencing epoch this manager writes with. */
  epoch: number;
  config: HostConfig;
  hub: LiveHub;
  /** The expectations' flags: an acknowledgement is published through it. */
  flags: Pick<FlagWatch, 'refresh'>;
  hostStates: () => HostState[];
  definitionsChanged: () => void;
  log: Logger;
  /** Told of every error no route expected, once its 500 is sent. */
  unexpected?: (err: unknown) => void;
  /** The build of the View served (wall displays reload when it changes). */
  viewBuild?: string;
}

/** Other connection hosts a client may have checked in a minute: enough for people behind one proxy, too few to scan with. */
const CONNECT_PER_MINUTE = 20;
/** Pairings a client address may start in a minute: a screen asks for one every ten minutes, a few after a restart. */
const PAIRINGS_PER_MINUTE = 10;
/** Wrong pairing codes an admin, and an address, may enter in a minute (far too few to guess one of 20^8). */
const WRONG_CODES_PER_MINUTE = 10;
/** A pairing starts with no body, or an empty object. */
const newPairingSchema = z.strictObject({}).optional();
class TooManyChecks extends Error {}

function tooManyRequests(waitMs: number, lang: Lang): Reply {
  const seconds = Math.ceil(waitMs / 1000);
  return {
    status: 429,
    body: { error: words(`Too many requests; try again in ${seconds} s`, `要求が多すぎます。${seconds} 秒後に再試行してください`)[lang] },
    headers: { 'retry-after': String(seconds) },
  };
}

export function createApi({ store, beforeWrite, epoch, config, hub, flags, hostStates, definitionsChanged, log, unexpected, viewBuild = '' }: ApiDeps): Router {
  const connectLimit = new RateLimit(CONNECT_PER_MINUTE, 60_000);
  const pairingLimit = new RateLimit(PAIRINGS_PER_MINUTE, 60_000);
  const wrongCodesByUser = new RateLimit(WRONG_CODES_PER_MINUTE, 60_000);
  const wrongCodesByAddress = new RateLimit(WRONG_CODES_PER_MINUTE, 60_000);
  // In this process's memory: a manager starts with no failures counted, after a failover too.
  const throttle = new LoginThrottle();
  // The client's address and whether it came over TLS, believing only the host's trusted proxies.
  const clientOf = clientResolver(config?.trustedProxies);
  let loginSweep: NodeJS.Timeout | undefined;
  // Started by the first login, so that building the routes alone (tests) starts no timer.
  const sweepLoginsFromNowOn = () => {
    loginSweep ??= setInterval(() => {
      beforeWrite()
        .then(() => sweepLogins(store, throttle))
        .then(
          (ended) => {
            for (const attack of ended) log.info({ user: attack.account, failures: attack.failures, addresses: attack.addresses }, 'login attack ended');
            if (ended.length > 0) hub.adminChanged('users', 'audit');
          },
          (err) => log.warn({ err }, 'could not sweep the login throttle and device cookies'),
        );
    }, LOGIN_SWEEP_MS).unref();
  };
  const webhookTargets = new WebhookTargets(config);
  // Every definition change is also an audit entry.
  const changed = <T>(value: T) => (definitionsChanged(), hub.adminChanged('audit'), value);
  // So is every change of a wall display, which its Displays page shows.
  const displaysChanged = <T>(value: T) => (hub.adminChanged('displays', 'audit'), value);
  const displayEntry = (id: number) => getDisplayEntry(store, id, hub.displayConnectedSince);

  const router = new Router(store, log, beforeWrite, unexpected)
    .add('GET', '/api/v1/health', null, async () => ({ status: 200, body: { host: config.host, ready: true } }))
    .add('GET', '/api/v1/connect', null, async ({ query, req, lang }) => {
      let wait = 0;
      const result = await checkConnectionHost(query.get('host') ?? '', {
        self: { names: consoleNames(config), address: config.address, port: config.managerPort },
        peers: config.consolePeers ?? [],
        scheme: config.tls ? 'https' : 'http',
        // Signing in here costs nothing; a lookup or a peer's health check counts against the client.
        beforeWork: () => {
          wait = connectLimit.take(clientOf(req).address);
          if (wait > 0) throw new TooManyChecks();
        },
      }).catch((err: unknown) => {
        if (err instanceof TooManyChecks) return null;
        throw err;
      });
      if (result === null) return tooManyRequests(wait, lang);
      return { status: 200, body: result.self ? { self: true, host: config.host } : result };
    })
    .add('POST', '/api/v1/login', null, async ({ body, req, lang }) => {
      const attempt = parseInput(loginSchema, body);
      const { address: clientAddress, secure } = clientOf(req);
      const result = await login(store, throttle, { ...attempt, clientAddress, deviceCookie: readCookie(req.headers.cookie, DEVICE_COOKIE) });
      sweepLoginsFromNowOn();
      // An account coming under attack (or no longer) shows on the Users page: announced then, not on every attempt.
      for (const attack of result.attacks) {
        log.warn({ user: attack.account, failures: attack.failures, addresses: attack.addresses }, attack.kind === 'started' ? 'login attack on an account' : 'login attack ended');
      }
      if (result.attacks.length > 0) hub.adminChanged('users', 'audit');
      if (!result.ok) {
        // Refused credentials are logged; a throttled attempt is not, and a spray of them must not stir every admin's page.
        if (result.status === 401) hub.adminChanged('audit');
        // A name that is no account is logged as its marker: it may be a password typed in the wrong field.
        log.warn({ user: result.as, from: clientAddress, status: result.status }, 'login refused');
        const headers = result.retryAfter !== undefined ? { 'retry-after': String(result.retryAfter) } : undefined;
        return { status: result.status, body: { error: result.error[lang] }, headers };
      }
      log.info({ user: result.user.name, from: clientAddress }, 'login');
      hub.adminChanged('users', 'sessions', 'audit');
      // Secure: a browser that came over https never sends the cookies over plain http.
      return { status: 200, body: { user: result.user }, headers: { 'set-cookie': [sessionCookie(result.token, secure), deviceCookie(result.device, secure)] } };
    })
    .add('POST', '/api/v1/logout', 'status.read', async ({ user, req }) => {
      await logout(store, user, clientOf(req).address);
      hub.dropSession(user.sessionId);
      hub.adminChanged('users', 'sessions', 'audit');
      return { status: 204, headers: { 'set-cookie': clearedSessionCookie() } };
    })
    .add('GET', '/api/v1/session', null, async ({ sessionToken }) => {
      const user = await findSession(store, sessionToken);
      if (!user) return { status: 401, body: { error: 'Not logged in, or the session has expired' } };
      return { status: 200, body: { user: { name: user.name, role: user.role }, host: config.host, csrfToken: user.csrfToken } };
    })
    // User administration: a change that ends sessions or alters a role drops the user's live sockets at once
    // (a new role: the browser reconnects and is authorised anew). Sessions list their user's role.
    .add('GET', '/api/v1/users', 'users.write', async () => ({ status: 200, body: { users: await listUsers(store, throttle.attacks()) } }))
    .add('POST', '/api/v1/users', 'users.write', async ({ body, user }) => {
      const created = await createUser(store, body, user);
      hub.adminChanged('users', 'audit');
      return { status: 201, body: { user: created } };
    })
    .add('PATCH', '/api/v1/users/:id', 'users.write', async ({ params, body, user }) => {
      const id = idParam(params.id);
      const result = await updateUser(store, id, body, user);
      if (result.changed) {
        hub.dropUser(id);
        hub.adminChanged('users', 'sessions', 'audit');
      }
      return { status: 200, body: { user: result.user } };
    })
    .add('POST', '/api/v1/users/:id/password', 'users.write', async ({ params, body, user }) => {
      const id = idParam(params.id);
      const result = await resetPassword(store, id, body, user);
      hub.dropUser(id);
      hub.adminChanged('users', 'sessions', 'audit');
      return { status: 200, body: result };
    })
    .add('GET', '/api/v1/sessions', 'users.write', async ({ user }) => ({ status: 200, body: { sessions: await listSessions(store, user.sessionId) } }))
    .add('DELETE', '/api/v1/sessions/:id', 'users.write', async ({ params, user }) => {
      await endSessionById(store, params.id, user);
      hub.dropSession(params.id);
      hub.adminChanged('users', 'sessions', 'audit');
      return { status: 204 };
    })
    .add('GET', '/api/v1/audit', 'audit.read', async ({ query }) => ({ status: 200, body: await listAudit(store, Object.fromEntries(query)) }))
    .add('GET', '/api/v1/runs', 'status.read', async ({ query }) => ({ status: 200, body: await runHistory(store, Object.fromEntries(query)) }))
    .add('GET', '/api/v1/runs/:host/:execId', 'status.read', async ({ params }) => ({ status: 200, body: await runDetail(store, params.host, params.execId) }))
    .add('POST', '/api/v1/runs/:host/:execId/ack', 'status.ack', async ({ params, body, user }) => {
      const { ack, delta } = await acknowledge(store, epoch, { host: params.host, execId: params.execId }, user.name, body);
      if (delta) hub.publishUnits(delta);
      hub.adminChanged('audit');
      return { status: 200, body: { ack } };
    })
    .add('GET', '/api/v1/definitions', 'definitions.read', async ({ user }) => ({
      status: 200,
      body: await listDefinitions(store, { recipients: allows(user.role, 'definitions.write') }),
    }))
    .add('POST', '/api/v1/scopes', 'definitions.write', async ({ body, user }) => ({ status: 201, body: changed({ scope: await createScope(store, body, user.name, webhookTargets) }) }))
    .add('PATCH', '/api/v1/scopes/:id', 'definitions.write', async ({ params, body, user }) => ({
      status: 200,
      body: changed({ scope: await updateScope(store, idParam(params.id), body, user.name) }),
    }))
    .add('DELETE', '/api/v1/scopes/:id', 'definitions.write', async ({ params, user }) => {
      await deleteScope(store, idParam(params.id), user.name);
      return changed({ status: 204 });
    })
    .add('PUT', '/api/v1/scopes/:id/webhook', 'definitions.write', async ({ params, body, user }) => {
      await setScopeWebhook(store, idParam(params.id), body, user.name, webhookTargets);
      return changed({ status: 204 });
    })
    .add('GET', '/api/v1/scopes/:id/background', 'definitions.read', async ({ params, req }) => {
      const id = idParam(params.id);
      const background = await getBackground(store, id);
      if (!background) throw new InputError(words(`business scope ${id} has no background`, `業務スコープ ${id} に背景はありません`), {}, 404);
      const etag = backgroundEtag(background);
      // Served as the image it was checked to be, never sniffed, never a document that could run anything.
      const headers = {
        etag,
        'last-modified': background.updatedAt.toUTCString(),
        'cache-control': 'private, no-cache',
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'none'",
      };
      if (notModified(req, etag, background.updatedAt)) return { status: 304, headers };
      return { status: 200, body: background.data, headers: { ...headers, 'content-type': background.mime } };
    })
    .add(
      'PUT',
      '/api/v1/scopes/:id/background',
      'definitions.write',
      async ({ params, body, req, user }) => ({
        status: 200,
        body: changed({ background: await setBackground(store, idParam(params.id), req.headers['content-type'], body as Buffer, user.name) }),
      }),
      { body: 'raw', limit: MAX_BACKGROUND_BYTES },
    )
    .add('DELETE', '/api/v1/scopes/:id/background', 'definitions.write', async ({ params, user }) => {
      await deleteBackground(store, idParam(params.id), user.name);
      return changed({ status: 204 });
    })
    .add('POST', '/api/v1/objects', 'definitions.write', async ({ body, user }) => ({ status: 201, body: changed({ object: await createObject(store, body, user.name) }) }))
    .add('PATCH', '/api/v1/objects/:id', 'definitions.write', async ({ params, body, user }) => ({
      status: 200,
      body: changed({ object: await updateObject(store, idParam(params.id), body, user.name) }),
    }))
    .add('DELETE', '/api/v1/objects/:id', 'definitions.write', async ({ params, user }) => {
      await deleteObject(store, idParam(params.id), user.name);
      return changed({ status: 204 });
    })
    .add('PUT', '/api/v1/positions', 'definitions.write', async ({ body, user }) => ({ status: 200, body: changed(await setPositions(store, body, user.name)) }))
    .add('GET', '/api/v1/definitions/export', 'definitions.transfer', async ({ user }) => {
      const document = await exportDefinitions(store, config.host);
      // The file carries feed tokens and webhook URLs: who took one is worth knowing.
      await recordAudit(store, { user: user.name, action: 'definitions.export' });
      hub.adminChanged('audit');
      const file = `jobscope-definitions-${config.host}-${document.exportedAt!.slice(0, 10)}.json`;
      return { status: 200, body: document, headers: { 'content-disposition': `attachment; filename="${file}"` } };
    })
    .add(
      'POST',
      '/api/v1/definitions/import',
      'definitions.transfer',
      async ({ body, user }) => ({ status: 200, body: changed(await importDefinitions(store, body, user.name, webhookTargets)) }),
      { limit: MAX_IMPORT_BYTES },
    )
    .add('GET', '/api/v1/hosts', 'hosts.read', async ({ user }) => {
      const live = new Map(hostStates().map((h) => [h.name, h]));
      // Feed tokens go to those who may change the registry (admins), never to anyone else.
      const hosts = (await listHosts(store, { tokens: allows(user.role, 'hosts.write') })).map((h) => {
        const state = live.get(h.name);
        return {
          ...h,
          watched: state !== undefined,
          stale: state?.stale ?? false,
          lastContactAt: state?.lastContactAt ?? h.lastContactAt,
          pending: state?.pending ?? null,
        };
      });
      return { status: 200, body: hosts };
    })
    .add('POST', '/api/v1/hosts', 'hosts.write', async ({ body, user }) => {
      const host = await addHost(store, body);
      await recordAudit(store, { user: user.name, action: 'host.create', target: host.name, detail: { address: host.address, feedPort: host.feedPort, feedTls: host.tls?.kind ?? 'http' } });
      return { status: 201, body: changed({ host }) };
    })
    .add('DELETE', '/api/v1/hosts/:name', 'hosts.write', async ({ params, user }) => {
      await removeHost(store, params.name);
      await recordAudit(store, { user: user.name, action: 'host.delete', target: params.name });
      return changed({ status: 204 });
    })
    // Wall displays (docs/architecture.md, "Displays"). A screen with no credential asks for a
    // pairing and polls it with the secret in its pairing cookie; neither route needs a session.
    .add('POST', '/api/v1/display/pairing', null, async ({ body, req, lang }) => {
      parseInput(newPairingSchema, body);
      const { address, secure } = clientOf(req);
      const wait = pairingLimit.take(address);
      if (wait > 0) return tooManyRequests(wait, lang);
      const pairing = await createPairing(store, address).catch((err: unknown) => {
        if (err instanceof TooManyPairings) return null;
        throw err;
      });
      if (!pairing) return tooManyRequests(60_000, lang);
      log.info({ from: address }, 'a wall display asked for a pairing code');
      return {
        status: 201,
        body: { code: pairing.code, expiresAt: pairing.expiresAt.toISOString(), consoleHost: config.host },
        // Kept a while past the code's end: an admin who enrolled it in time still reaches the screen.
        headers: { 'set-cookie': pairingCookie(pairing.secret, PAIRING_LIFETIME_MS + PAIRING_EXCHANGE_GRACE_MS, secure) },
      };
    })
    .add('GET', '/api/v1/display/pairing', null, async ({ req }) => {
      const { address, secure } = clientOf(req);
      const result = await pollPairing(store, readCookie(req.headers.cookie, PAIRING_COOKIE), { from: address, userAgent: userAgentOf(req.headers['user-agent']) });
      if (result.state === 'waiting') return { status: 200, body: { state: 'waiting' } };
      if (result.state === 'expired') return { status: 200, body: { state: 'expired' }, headers: { 'set-cookie': clearedPairingCookie() } };
      log.info({ display: result.display.displayId, name: result.display.name, from: address }, 'a wall display took its credential');
      hub.adminChanged('displays', 'audit');
      return {
        status: 200,
        body: { state: 'enrolled', display: await displayView(store, result.display.displayId, config.host) },
        headers: { 'set-cookie': [displayCookie(result.credential, secure), clearedPairingCookie()] },
      };
    })
    // The screen's own view of itself, with its scope's definitions; its credential's cookie is set again each time, so it never runs out.
    .add('GET', '/api/v1/display', 'display.status', async ({ display, req }) => {
      await noteUserAgent(store, display.displayId, userAgentOf(req.headers['user-agent']));
      const credential = credentialsOf(req).display!;
      return { status: 200, body: { ...(await displayPicture(store, display.displayId, config.host)), build: viewBuild } satisfies DisplayPicture, headers: { 'set-cookie': displayCookie(credential, clientOf(req).secure) } };
    })
    .add('GET', '/api/v1/displays', 'displays.read', async () => ({ status: 200, body: { displays: await listDisplays(store, hub.displayConnectedSince) } }))
    .add('POST', '/api/v1/displays', 'displays.write', async ({ body, user, req, lang }) => {
      const from = clientOf(req).address;
      const wait = Math.max(wrongCodesByUser.wait(user.name), wrongCodesByAddress.wait(from));
      if (wait > 0) return tooManyRequests(wait, lang);
      const enrolled = await enrolDisplay(store, body, user.name).catch(async (err: unknown) => {
        if (!(err instanceof WrongPairingCode)) throw err;
        wrongCodesByUser.take(user.name);
        wrongCodesByAddress.take(from);
        await recordRefusedEnrolment(store, user.name, from, err.reason);
        log.warn({ user: user.name, from, reason: err.reason }, 'a wall display pairing code was refused');
        hub.adminChanged('audit');
        throw wrongCodeError();
      });
      log.info({ user: user.name, display: enrolled.id }, 'wall display enrolled');
      return displaysChanged({ status: 201, body: { display: await displayEntry(enrolled.id) } });
    })
    .add('PATCH', '/api/v1/displays/:id', 'displays.write', async ({ params, body, user }) => {
      const id = idParam(params.id);
      await updateDisplay(store, id, body, user.name);
      // The screen hears at once; a move also takes it to the new scope's objects.
      hub.displayChanged(await displayView(store, id, config.host));
      return displaysChanged({ status: 200, body: { display: await displayEntry(id) } });
    })
    .add('DELETE', '/api/v1/displays/:id', 'displays.write', async ({ params, user }) => {
      const id = idParam(params.id);
      await revokeDisplay(store, id, user.name);
      hub.displayRevoked(id);
      log.info({ user: user.name, display: id }, 'wall display revoked');
      return displaysChanged({ status: 204 });
    });
  addFlagRoutes(router, { store, epoch, flags, audited: () => hub.adminChanged('audit') });
  return addExpectationRoutes(router, { store, changed });
}
