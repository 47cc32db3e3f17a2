// The REST API, /api/v1: thin routes over plain functions.
import { z } from 'zod';
import type { Store } from '../store/db';
import type { Logger } from '../host/log';
import type { HostConfig } from '../host/config';
import type { LiveHub } from '../live/hub';
import { Router } from './router';
import { login } from '../auth/login';
import { LoginThrottle } from '../auth/throttle';
import { clearedSessionCookie, endSession, findSession, sessionCookie } from '../auth/sessions';
import { checkConnectionHost } from '../auth/connection-host';
import { addHost, listHosts, removeHost } from '../definitions/hosts';
import { createObject, createScope, deleteObject, deleteScope, listDefinitions, setScopeWebhook } from '../definitions/scopes';
import type { HostState } from '../domain/live';
import { InputError, parseInput } from '../input';
import { physicalHostName } from '../host/identity';
import { acknowledge, runDetail, runHistory } from '../runs/runs';

const loginSchema = z.object({ user: z.string().min(1, 'user name is required').max(64), password: z.string().min(1, 'password is required').max(1024) }).strict();
const idParam = (value: string) => {
  if (!/^\d{1,9}$/.test(value)) throw new InputError(`"${value}" is not an id`, {}, 404);
  return Number(value);
};

export interface ApiDeps {
  store: Store;
  /** Runs before every mutating request: the fencing check. */
  beforeWrite: () => Promise<void>;
  /** The fencing epoch this manager writes with. */
  epoch: number;
  config: HostConfig;
  hub: LiveHub;
  hostStates: () => HostState[];
  definitionsChanged: () => void;
  log: Logger;
}

export function createApi({ store, beforeWrite, epoch, config, hub, hostStates, definitionsChanged, log }: ApiDeps): Router {
  const throttle = new LoginThrottle();
  const changed = <T>(value: T) => (definitionsChanged(), value);

  return new Router(store, log, beforeWrite)
    .add('GET', '/api/v1/health', null, async () => ({ status: 200, body: { host: config.host, ready: true } }))
    .add('GET', '/api/v1/connect', null, async ({ query, req }) => {
      const pageHost = (req.headers.host ?? '').replace(/:\d+$/, '');
      const result = await checkConnectionHost(query.get('host') ?? '', {
        names: [config.host, physicalHostName(), pageHost],
        address: config.address,
        port: config.managerPort,
      });
      return { status: 200, body: result.self ? { self: true, host: config.host } : result };
    })
    .add('POST', '/api/v1/login', null, async ({ body, req }) => {
      const attempt = parseInput(loginSchema, body);
      const result = await login(store, throttle, { ...attempt, clientAddress: req.socket.remoteAddress ?? '' });
      if (!result.ok) {
        log.warn({ user: attempt.user, from: req.socket.remoteAddress, status: result.status }, 'login refused');
        return { status: result.status, body: { error: result.error } };
      }
      log.info({ user: result.user.name, from: req.socket.remoteAddress }, 'login');
      return { status: 200, body: { user: result.user }, headers: { 'set-cookie': sessionCookie(result.token, false) } };
    })
    .add('POST', '/api/v1/logout', 'status.read', async ({ user }) => {
      await endSession(store, user.sessionId);
      hub.dropSession(user.sessionId);
      return { status: 204, headers: { 'set-cookie': clearedSessionCookie() } };
    })
    .add('GET', '/api/v1/session', null, async ({ sessionToken }) => {
      const user = await findSession(store, sessionToken);
      if (!user) return { status: 401, body: { error: 'Not logged in, or the session has expired' } };
      return { status: 200, body: { user: { name: user.name, role: user.role }, host: config.host, csrfToken: user.csrfToken } };
    })
    .add('GET', '/api/v1/runs', 'status.read', async ({ query }) => ({ status: 200, body: await runHistory(store, Object.fromEntries(query)) }))
    .add('GET', '/api/v1/runs/:host/:execId', 'status.read', async ({ params }) => ({ status: 200, body: await runDetail(store, params.host, params.execId) }))
    .add('POST', '/api/v1/runs/:host/:execId/ack', 'status.ack', async ({ params, body, user }) => {
      const { ack, delta } = await acknowledge(store, epoch, { host: params.host, execId: params.execId }, user.name, body);
      if (delta) hub.publishUnits(delta);
      return { status: 200, body: { ack } };
    })
    .add('GET', '/api/v1/definitions', 'definitions.read', async () => ({ status: 200, body: await listDefinitions(store) }))
    .add('POST', '/api/v1/scopes', 'definitions.write', async ({ body }) => ({ status: 201, body: changed({ scope: await createScope(store, body) }) }))
    .add('DELETE', '/api/v1/scopes/:id', 'definitions.write', async ({ params }) => {
      await deleteScope(store, idParam(params.id));
      return changed({ status: 204 });
    })
    .add('PUT', '/api/v1/scopes/:id/webhook', 'definitions.write', async ({ params, body }) => {
      await setScopeWebhook(store, idParam(params.id), body);
      return changed({ status: 204 });
    })
    .add('POST', '/api/v1/objects', 'definitions.write', async ({ body }) => ({ status: 201, body: changed({ object: await createObject(store, body) }) }))
    .add('DELETE', '/api/v1/objects/:id', 'definitions.write', async ({ params }) => {
      await deleteObject(store, idParam(params.id));
      return changed({ status: 204 });
    })
    .add('GET', '/api/v1/hosts', 'hosts.read', async () => {
      const live = new Map(hostStates().map((h) => [h.name, h]));
      const hosts = (await listHosts(store)).map((h) => {
        const state = live.get(h.name);
        return { ...h, watched: state !== undefined, stale: state?.stale ?? false, lastContactAt: state?.lastContactAt ?? h.lastContactAt };
      });
      return { status: 200, body: hosts };
    })
    .add('POST', '/api/v1/hosts', 'hosts.write', async ({ body }) => ({ status: 201, body: changed({ host: await addHost(store, body) }) }))
    .add('DELETE', '/api/v1/hosts/:name', 'hosts.write', async ({ params }) => {
      await removeHost(store, params.name);
      return changed({ status: 204 });
    });
}
