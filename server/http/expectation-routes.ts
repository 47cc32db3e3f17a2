// The routes of monitoring objects' expectations (server/definitions/expectations.ts):
// read by whoever may read definitions, changed by whoever may change them.
import type { IncomingMessage } from 'node:http';
import type { Store } from '../store/db';
import { getExpectation, removeExpectation, removeOverride, setExpectation, setOverride } from '../definitions/expectations';
import { idParam, type Router } from './router';

export interface ExpectationRouteDeps {
  store: Store;
  /** Tells browsers the definitions (and the audit log) changed; returns what it is given. */
  changed: <T>(value: T) => T;
}

/** The revision a change is based on (If-Match, quoted or not; `*` or none: any). */
function ifMatch(req: IncomingMessage): string | undefined {
  const value = req.headers['if-match'];
  if (typeof value !== 'string' || value.trim() === '*') return undefined;
  return value.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
}

export function addExpectationRoutes(router: Router, { store, changed }: ExpectationRouteDeps): Router {
  return router
    .add('GET', '/api/v1/objects/:id/expectation', 'definitions.read', async ({ params, lang }) => {
      const { expectation, problem, revision } = await getExpectation(store, idParam(params.id));
      // A stored one that no longer reads is shown as none, with why: the operator sets it again.
      return { status: 200, body: problem ? { expectation, revision, problem: problem[lang] } : { expectation, revision } };
    })
    .add('PUT', '/api/v1/objects/:id/expectation', 'definitions.write', async ({ params, body, user, req }) => ({
      status: 200,
      body: changed({ expectation: await setExpectation(store, idParam(params.id), body, user.name, new Date(), ifMatch(req)) }),
    }))
    .add('DELETE', '/api/v1/objects/:id/expectation', 'definitions.write', async ({ params, user, req }) => {
      await removeExpectation(store, idParam(params.id), user.name, ifMatch(req));
      return changed({ status: 204 });
    })
    .add('PUT', '/api/v1/objects/:id/expectation/overrides/:date', 'definitions.write', async ({ params, body, user }) => ({
      status: 200,
      body: changed({ override: await setOverride(store, idParam(params.id), params.date, body, user.name) }),
    }))
    .add('DELETE', '/api/v1/objects/:id/expectation/overrides/:date', 'definitions.write', async ({ params, user }) => {
      await removeOverride(store, idParam(params.id), params.date, user.name);
      return changed({ status: 204 });
    });
}
