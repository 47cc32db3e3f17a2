// The routes of expectations as operators watch them: the schedule view, a unit's
// usual duration, and acknowledging a flag (server/expectations).
import type { Store } from '../store/db';
import type { FlagWatch } from '../expectations/watch';
import { acknowledgeFlag } from '../expectations/acknowledge-flag';
import { readLearned, readSchedule } from '../expectations/schedule';
import { idParam, type Router } from './router';

export interface FlagRouteDeps {
  store: Store;
  epoch: number;
  flags: Pick<FlagWatch, 'refresh'>;
  /** Tells the admins the audit log changed. */
  audited: () => void;
}

export function addFlagRoutes(router: Router, { store, epoch, flags, audited }: FlagRouteDeps): Router {
  return router
    .add('GET', '/api/v1/schedule', 'status.read', async ({ query }) => ({ status: 200, body: await readSchedule(store, Object.fromEntries(query)) }))
    .add('GET', '/api/v1/learned', 'status.read', async ({ query }) => ({ status: 200, body: await readLearned(store, Object.fromEntries(query)) }))
    .add('POST', '/api/v1/objects/:id/flags/ack', 'status.ack', async ({ params, body, user }) => {
      const objectId = idParam(params.id);
      const ack = await acknowledgeFlag(store, epoch, objectId, user.name, body);
      // Every screen hears of it before the answer: the one that acknowledged shows it at once.
      await flags.refresh(objectId);
      audited();
      return { status: 200, body: { ack } };
    });
}
