// A real browser through a console failover on the one-machine cluster
// (server/testing/cluster.ts): Debian's Chromium reaches console host clh1 by
// its name, mapped to the floating address with --host-resolver-rules; node A's
// manager dies (SIGKILL) or node A is cut off silently; the address moves to
// node B, whose manager starts on the same shared data. The page must say which
// host it is reconnecting to and since when, then go live again by itself: same
// page, same session, every tile as the store has it. Needs root (namespaces).
import type { Page } from '@playwright/test';
import { CONSOLE_HOST, ConsoleCluster, JOB_HOST, JobFlow, type Daemon } from '../server/testing/cluster';
import { waitUntil } from '../server/testing/test-host';
import { storeStatus, test } from './cluster';
import { expect, signIn } from './fixtures';

test.describe.configure({ timeout: 180_000 });

interface Watch {
  /** When the page received each live 'units' delta. */
  updates: number[];
  navigations: () => number;
  /** Changes of the connection indicator, timed in the page. */
  phases: () => Promise<Phase[]>;
}

/** Call before the page opens its socket: only sockets opened later are reported. */
function watchPage(page: Page): Watch {
  const updates: number[] = [];
  page.on('websocket', (ws) =>
    ws.on('framereceived', ({ payload }) => {
      if (typeof payload === 'string' && payload.startsWith('42["units"')) updates.push(Date.now());
    }),
  );
  let navigations = 0;
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) navigations++;
  });
  return {
    updates,
    navigations: () => navigations,
    phases: () => page.evaluate(() => (window as unknown as { phaseLog: Phase[] }).phaseLog),
  };
}

/** A change of the connection indicator: when, to what, what it said, and what the watched tile showed then. */
interface Phase {
  at: number;
  phase: string;
  text: string;
  tile: string | null;
}

/**
 * Logs every change of the connection indicator with the page's time, as it happens: a gap
 * may be shorter than a test's look at the page, when node B is up before the page notices A is gone.
 */
async function observePhases(page: Page, tileTestId: string): Promise<void> {
  await page.evaluate((tileTestId) => {
    const log: Phase[] = [];
    (window as unknown as { phaseLog: typeof log }).phaseLog = log;
    const indicator = document.querySelector('[data-testid="connection-state"]')!;
    new MutationObserver(() => {
      const phase = indicator.getAttribute('data-phase') ?? '';
      const tile = document.querySelector(`[data-testid="${tileTestId}"]`)?.getAttribute('data-status') ?? null;
      if (log.at(-1)?.phase !== phase) log.push({ at: Date.now(), phase, text: indicator.textContent ?? '', tile });
    }).observe(indicator, { attributes: true, childList: true, subtree: true, characterData: true });
  }, tileTestId);
}

async function failOver(page: Page, cluster: ConsoleCluster, what: string, fault: (managerA: Daemon) => Promise<void>) {
  const managerA = await cluster.startManager('A');
  const operator = await cluster.login('operator');
  const scope = await operator.call('POST', '/scopes', { name: 'Failover' });
  expect(scope.status).toBe(201);
  for (const [name, unit] of [['Flow', '/Flow'], ['Across', '/Flow/across']]) {
    expect((await operator.call('POST', '/objects', { name, scopeId: scope.body.scope.id, host: JOB_HOST, unit })).status).toBe(201);
  }

  const watch = watchPage(page);
  await signIn(page, 'operator');
  const signedIn = watch.navigations();
  await observePhases(page, 'tile-Across');
  const connection = page.getByTestId('connection-state');
  const across = page.getByTestId('tile-Across');
  const flow = new JobFlow(cluster, '/Flow').start();
  await expect.poll(() => watch.updates.length, { message: 'live updates from A' }).toBeGreaterThan(2);
  const acrossRun = cluster.exec('/Flow/across', 'sleep 4');
  await expect(across).toHaveAttribute('data-status', 'RUNNING');

  const faultAt = Date.now();
  await fault(managerA);
  cluster.net.moveFloating('B');
  const managerB = cluster.spawnDaemon('B', 'manager');

  // During the gap the page says which host it is reconnecting to, and since when; the last statuses stay.
  await expect.poll(async () => (await watch.phases()).some((p) => p.phase === 'reconnecting'), { timeout: 20_000 }).toBe(true);
  const gap = (await watch.phases()).find((p) => p.phase === 'reconnecting')!;
  expect(gap.text).toMatch(new RegExp(`^Reconnecting to ${CONSOLE_HOST} since \\d{2}:\\d{2}:\\d{2}$`));
  expect(gap.tile).toBe('RUNNING');
  const [, since] = /since (\d{2}:\d{2}:\d{2})$/.exec(gap.text)!;
  const lostAt = gap.at;
  const clock = (t: number) => new Date(t).toTimeString().slice(0, 8);
  expect([clock(lostAt - 1000), clock(lostAt), clock(lostAt + 1000)]).toContain(since);

  await cluster.waitHealthy(managerB);
  const listeningAfterMs = Date.now() - managerB.spawnedAt;
  await expect(connection).toHaveAttribute('data-phase', 'live', { timeout: 60_000 });
  await expect.poll(() => watch.updates.filter((t) => t >= managerB.spawnedAt).length, { message: 'a live update from B', timeout: 30_000 }).toBeGreaterThan(0);
  const firstUpdate = watch.updates.find((t) => t >= managerB.spawnedAt)! - managerB.spawnedAt;

  await flow.stop();
  expect((await acrossRun).code).toBe(0);
  const lastSeq = cluster.spoolLastSeq();
  await waitUntil('B to apply every event', async () => (await cluster.readStore()).offset === lastSeq || undefined, 30_000);

  // Every tile as the store has it, on the same page, with the same session, never a login page.
  await expect(across).toHaveAttribute('data-status', 'NORMAL');
  await expect(page.getByTestId('tile-Flow')).toHaveAttribute('data-status', await storeStatus(cluster, '/Flow'));
  expect(await storeStatus(cluster, '/Flow')).toBe('ABNORMAL'); // every fourth job ends abnormally
  await expect(page).toHaveURL(/\/monitor$/);
  expect(watch.navigations()).toBe(signedIn);
  // Asked by the page itself: its cookie, and its resolver that knows clh1.
  expect(await page.evaluate(() => fetch('/api/v1/session').then((r) => r.status))).toBe(200);

  console.log(`failover (browser, ${what}): B start → first live update ${firstUpdate} ms (B listening after ${listeningAfterMs} ms); page noticed ${lostAt - faultAt} ms after the fault`);
  return { faultAt, lostAt };
}

test('the monitor page follows the console to node B after SIGKILL of A', async ({ page, cluster }) => {
  await failOver(page, cluster, 'SIGKILL of A', (managerA) => cluster.kill(managerA, 'SIGKILL'));
});

test.describe('with the console store on PostgreSQL', () => {
  test.use({ store: 'PostgreSQL' });
  // B waits for A's lease to run out (8 s) before it serves.
  test('the monitor page follows the console to node B after SIGKILL of A', async ({ page, cluster }) => {
    await failOver(page, cluster, 'postgresql, SIGKILL of A', (managerA) => cluster.kill(managerA, 'SIGKILL'));
  });
});

test('the monitor page notices a silent cut of node A and follows the console to node B', async ({ page, cluster }) => {
  const { faultAt, lostAt } = await failOver(page, cluster, 'silent cut of A', async (managerA) => {
    cluster.net.cut('A');
    // In production fencing (STONITH) powers node A off; SIGKILL plays that part, and A, cut off, cannot send anything.
    await cluster.kill(managerA, 'SIGKILL');
  });
  console.log(`failover (browser, silent cut of A): cut → View noticed ${lostAt - faultAt} ms (ping interval 4 s + timeout 4 s)`);
  // Only the ping timeout reveals a silent cut: not at once, and within its bound.
  expect(lostAt - faultAt).toBeGreaterThan(2000);
  expect(lostAt - faultAt).toBeLessThan(15_000);
});
