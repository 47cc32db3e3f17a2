// What the browser tests on the one-machine cluster (server/testing/cluster.ts) share: a cluster
// of their own for each test, on SQLite or on PostgreSQL, and Debian's Chromium reaching the
// console host clh1 by its name, mapped to the cluster's floating address with
// --host-resolver-rules. Needs root (namespaces).
import { chromium, test as base, type Browser } from '@playwright/test';
import { StatusTree } from '../server/domain/derive';
import { CONSOLE_HOST, ConsoleCluster, JOB_HOST, MANAGER_PORT } from '../server/testing/cluster';
import { startPgServer, type PgServer } from '../scripts/pg-test-server.mjs';

/** The console as a browser of the cluster reaches it: by its host name. */
export const CONSOLE_URL = `http://${CONSOLE_HOST}:${MANAGER_PORT}`;

// Not the shared console of ./fixtures: each test builds its own cluster.
export const test = base.extend<{ store: 'SQLite' | 'PostgreSQL'; cluster: ConsoleCluster; clusterBrowser: Browser }>({
  store: ['SQLite', { option: true }],
  cluster: async ({ store }, use, testInfo) => {
    let server: PgServer | undefined;
    const cluster = await ConsoleCluster.create({
      postgres:
        store === 'PostgreSQL'
          ? async (net) => {
              // In the test's namespace on the bridge, where the nodes reach it.
              server = await startPgServer({ listen: net.bridgeAddress, allow: `${net.subnet}.0/24` });
              const url = new URL(server.urlOf('jobscope'));
              const password = decodeURIComponent(url.password);
              url.password = ''; // the configuration never holds it
              return { url: url.toString(), password };
            }
          : undefined,
    });
    try {
      await cluster.startJobAgent();
      await use(cluster);
    } finally {
      if (testInfo.status !== testInfo.expectedStatus) console.log(`daemon logs:\n${cluster.logs}`);
      await cluster.destroy();
      await server?.stop();
    }
  },
  // A browser of its own: the name of the console host maps to this cluster's floating address.
  clusterBrowser: async ({ cluster, launchOptions }, use) => {
    const browser = await chromium.launch({ ...launchOptions, args: [...(launchOptions.args ?? []), `--host-resolver-rules=MAP ${CONSOLE_HOST} ${cluster.net.floating}`] });
    try {
      await use(browser);
    } finally {
      await browser.close();
    }
  },
  page: async ({ clusterBrowser }, use) => {
    const context = await clusterBrowser.newContext({ baseURL: CONSOLE_URL });
    await use(await context.newPage());
  },
});

/** The status the store's units give a unit, derived as the View derives it. */
export async function storeStatus(cluster: ConsoleCluster, unit: string): Promise<string> {
  const tree = new StatusTree();
  for (const u of (await cluster.readStore()).units) tree.set(u.host, u.path, { status: u.status, runId: null, startSeq: 0 });
  return tree.get(JOB_HOST, unit).status;
}
