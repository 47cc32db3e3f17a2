// Two enrolled wall displays through a console failover on the one-machine cluster
// (server/testing/cluster.ts, e2e/cluster.ts): two screens, each in a browser context of its own
// (so two credentials), show a scope of clh1 live; node A's manager dies (SIGKILL) or node A is
// cut off silently; the floating address moves to node B, whose manager starts on the same
// shared data. With nobody at them, each screen must say it is reconnecting to clh1 and since
// when, grey its tiles once the gap has lasted 5 s (node B is started late in the SIGKILL case,
// to see that), then be live again by itself: no reload, still enrolled (the credential lives in
// the store), every tile as the store has it. Needs root.
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { CONSOLE_HOST, ConsoleCluster, JOB_HOST, JobFlow, type Daemon } from '../server/testing/cluster';
import { waitUntil, type Client } from '../server/testing/test-host';
import { CONSOLE_URL, storeStatus, test } from './cluster';
import { expect } from './fixtures';
import { enrolScreenWith, watchWall, type WallPhase, type WallWatch } from './wall';

test.describe.configure({ timeout: 180_000 });

/** The wall's phases log as a screen went through one gap: when it noticed, greyed, and was live again. */
function gapOf(log: WallPhase[]) {
  const lost = log.findIndex((p) => p.phase === 'reconnecting');
  expect(lost, JSON.stringify(log)).toBeGreaterThan(-1);
  const back = log.findIndex((p, i) => i > lost && p.phase === 'live');
  expect(back, JSON.stringify(log)).toBeGreaterThan(lost);
  return { lost: log[lost], greyed: log.slice(lost, back).find((p) => p.greyed), back: log[back], during: log.slice(lost, back) };
}

const clock = (t: number) => new Date(t).toTimeString().slice(0, 8);

/** What a screen said during a gap, checked: where it reconnects, since when, greyed only after 5 s, and back ungreyed. */
function expectGapShown(log: WallPhase[], screen: string) {
  const gap = gapOf(log);
  const match = new RegExp(`^Connection lost: reconnecting to ${CONSOLE_HOST} since (\\d{2}:\\d{2}:\\d{2})$`).exec(gap.lost.text);
  expect(match, `${screen}: ${gap.lost.text}`).not.toBeNull();
  expect([clock(gap.lost.at - 1000), clock(gap.lost.at), clock(gap.lost.at + 1000)]).toContain(match![1]);
  // Every moment of the gap says the same: never "Live", never another host.
  for (const p of gap.during) expect(p.text).toBe(gap.lost.text);
  const gapMs = gap.back.at - gap.lost.at;
  if (gap.greyed) expect(gap.greyed.at - gap.lost.at, `${screen} greyed too soon`).toBeGreaterThanOrEqual(4_500);
  // Greying follows a clock that ticks every second: a gap of 6.5 s has certainly seen it.
  else expect(gapMs, `${screen} was not greyed in a gap of ${gapMs} ms`).toBeLessThan(6_500);
  expect(gap.back.greyed).toBe(false);
  return { gapMs, greyedAfterMs: gap.greyed ? gap.greyed.at - gap.lost.at : null, noticedAt: gap.lost.at, liveAt: gap.back.at };
}

interface TwoScreens {
  screens: EnrolledScreen[];
  /** The admin who enrolled them: its session lives in the store, and it asks B too. */
  admin: Client;
}

interface EnrolledScreen {
  name: string;
  context: BrowserContext;
  page: Page;
  watch: WallWatch;
  id: number;
  /** Main-frame navigations when it was enrolled. */
  navigationsAtEnrolment: number;
}

/**
 * Node A fails as `fault` says; the address moves to node B, whose manager starts then, or, with
 * `bSlow`, once both screens are greyed (as when the cluster takes its time to decide).
 */
async function wallFailover(cluster: ConsoleCluster, managerA: Daemon, { screens, admin }: TwoScreens, what: string, fault: (managerA: Daemon) => Promise<void>, bSlow = false) {
  const tile = (screen: EnrolledScreen, name: string) => screen.page.getByTestId(`wall-tile-${name}`);
  const flow = new JobFlow(cluster, '/Flow').start();
  const acrossRun = cluster.exec('/Flow/across', 'sleep 4');
  for (const screen of screens) await expect(tile(screen, 'Across')).toHaveAttribute('data-status', 'RUNNING');

  const faultAt = Date.now();
  await fault(managerA);
  if (bSlow) for (const screen of screens) await expect(screen.page.getByTestId('wall')).toHaveAttribute('data-greyed', 'true', { timeout: 20_000 });
  cluster.net.moveFloating('B');
  const managerB = cluster.spawnDaemon('B', 'manager');

  await Promise.all(screens.map((s) => expect.poll(async () => (await s.watch.phases()).some((p) => p.phase === 'reconnecting'), { timeout: 20_000 }).toBe(true)));
  await cluster.waitHealthy(managerB);
  for (const screen of screens) await expect(screen.page.getByTestId('wall')).toHaveAttribute('data-phase', 'live', { timeout: 60_000 });

  await flow.stop();
  expect((await acrossRun).code).toBe(0);
  const lastSeq = cluster.spoolLastSeq();
  await waitUntil('B to apply every event', async () => (await cluster.readStore()).offset === lastSeq || undefined, 30_000);
  // A change after the failover reaches both screens live, from B.
  expect((await cluster.exec('/Flow/across', 'exit 3')).code).toBe(3);
  await waitUntil('B to apply the last run', async () => (await storeStatus(cluster, '/Flow/across')) === 'ABNORMAL' || undefined, 30_000);

  for (const screen of screens) {
    // Every tile as the store has it, on the same page, still enrolled: never a pairing code, never a reload.
    for (const [name, unit] of [['Flow', '/Flow'], ['Across', '/Flow/across']]) {
      await expect(tile(screen, name)).toHaveAttribute('data-status', await storeStatus(cluster, unit));
    }
    await expect(screen.page.getByTestId('wall-connection')).toHaveText('Live');
    await expect(screen.page.getByTestId('pairing-code')).toHaveCount(0);
    expect(screen.watch.navigations(), `${screen.name} reloaded`).toBe(screen.navigationsAtEnrolment);
    await expect(screen.page).toHaveURL(`${CONSOLE_URL}/display`);
  }
  expect(await storeStatus(cluster, '/Flow')).toBe('ABNORMAL'); // every fourth job of the flow ends abnormally
  // And the console (B) counts both screens connected.
  const listed = (await admin.call('GET', '/displays')).body.displays as { id: number; connected: boolean }[];
  expect(screens.map((s) => listed.find((d) => d.id === s.id)?.connected)).toEqual([true, true]);

  const figures = [];
  for (const screen of screens) {
    const gap = expectGapShown(await screen.watch.phases(), screen.name);
    figures.push(`${screen.name}: noticed ${gap.noticedAt - faultAt} ms after the fault, greyed ${gap.greyedAfterMs ?? '-'} ms into the gap, live ${gap.liveAt - managerB.spawnedAt} ms after B's start (gap ${gap.gapMs} ms)`);
  }
  console.log(`wall failover (${what}): ${figures.join('; ')}`);
  return { faultAt, screens: await Promise.all(screens.map((s) => s.watch.phases().then(gapOf))) };
}

/** A scope of two objects of jh1, and two screens enrolled on it, each in a browser context of its own. */
async function twoScreens(cluster: ConsoleCluster, browser: Browser): Promise<TwoScreens> {
  const admin = await cluster.login('admin');
  const scope = await admin.call('POST', '/scopes', { name: 'Wall failover' });
  expect(scope.status).toBe(201);
  const scopeId: number = scope.body.scope.id;
  for (const [name, unit] of [['Flow', '/Flow'], ['Across', '/Flow/across']]) {
    expect((await admin.call('POST', '/objects', { name, scopeId, host: JOB_HOST, unit })).status).toBe(201);
  }
  const screens: EnrolledScreen[] = [];
  for (const name of ['Ops wall left', 'Ops wall right']) {
    const context = await browser.newContext({ baseURL: CONSOLE_URL, viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    const watch = watchWall(page);
    const id = await enrolScreenWith(page, (code) => admin.call('POST', '/displays', { code, name, scopeId }));
    await watch.observe();
    screens.push({ name, context, page, watch, id, navigationsAtEnrolment: watch.navigations() });
  }
  const cookies = await Promise.all(screens.map(async (s) => (await s.context.cookies()).find((c) => c.name === 'jobscope_display')?.value));
  expect(cookies[0]).toBeTruthy();
  expect(cookies[1]).toBeTruthy();
  expect(cookies[0]).not.toBe(cookies[1]);
  return { screens, admin };
}

test('two enrolled wall displays follow the console to node B after SIGKILL of A, greyed while B is slow to come, with no touch', async ({ cluster, clusterBrowser }) => {
  const managerA = await cluster.startManager('A');
  const screens = await twoScreens(cluster, clusterBrowser);
  const { screens: gaps } = await wallFailover(cluster, managerA, screens, 'SIGKILL of A, B started once the screens greyed', (managerA) => cluster.kill(managerA, 'SIGKILL'), true);
  for (const gap of gaps) expect(gap.greyed).toBeDefined();
});

test.describe('with the console store on PostgreSQL', () => {
  test.use({ store: 'PostgreSQL' });
  // The credentials are checked by B in the same server; B waits for A's lease to run out (8 s) before it serves.
  test('two enrolled wall displays follow the console to node B after SIGKILL of A, with no touch', async ({ cluster, clusterBrowser }) => {
    const managerA = await cluster.startManager('A');
    const screens = await twoScreens(cluster, clusterBrowser);
    const { screens: gaps } = await wallFailover(cluster, managerA, screens, 'postgresql, SIGKILL of A', (managerA) => cluster.kill(managerA, 'SIGKILL'));
    for (const gap of gaps) expect(gap.greyed).toBeDefined();
  });
});

test('two enrolled wall displays notice a silent cut of node A and follow the console to node B, with no touch', async ({ cluster, clusterBrowser }) => {
  const managerA = await cluster.startManager('A');
  const screens = await twoScreens(cluster, clusterBrowser);
  const { faultAt, screens: gaps } = await wallFailover(cluster, managerA, screens, 'silent cut of A', async (managerA) => {
    cluster.net.cut('A');
    // In production fencing (STONITH) powers node A off; SIGKILL plays that part, and A, cut off, cannot send anything.
    await cluster.kill(managerA, 'SIGKILL');
  });
  // Only the ping timeout reveals a silent cut: not at once, and within its bound (ping interval 4 s + timeout 4 s).
  for (const gap of gaps) {
    expect(gap.lost.at - faultAt).toBeGreaterThan(2000);
    expect(gap.lost.at - faultAt).toBeLessThan(15_000);
  }
});
