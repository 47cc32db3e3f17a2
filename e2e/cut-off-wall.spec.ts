// An enrolled wall display cut off from its console for three minutes, silently: packets
// dropped both ways, no RST, no ICMP, as when a switch or a link between the room and the
// console fails. The cut is made on the one-machine cluster (server/testing/cluster.ts,
// cutFromRunner): the browser and node A each hold a neighbour entry for the other that names a
// MAC address nobody has, so nothing either sends arrives, while the console on node A still
// pulls its job host on node J. The screen must say it is reconnecting and since when, grey its
// tiles, keep trying at a bounded pace (backoff with jitter) without ever giving up, and be live
// again by itself soon after the cut ends: no reload, every tile as the store has it, the change
// made during the cut shown.
//
// Mostly waiting: this file is named to sort first, because Playwright hands files to its workers
// in name order, and started first it runs beside the other specs rather than after them.
import { CONSOLE_HOST, JOB_HOST } from '../server/testing/cluster';
import { waitUntil } from '../server/testing/test-host';
import { CONSOLE_URL, storeStatus, test } from './cluster';
import { expect } from './fixtures';
import { enrolScreenWith, watchWall } from './wall';

const CUT_MS = 180_000;

test('an enrolled wall display rides out a silent network cut of three minutes and is live again by itself', async ({ cluster, clusterBrowser }) => {
  test.setTimeout(CUT_MS + 150_000);
  await cluster.startManager('A');
  const admin = await cluster.login('admin');
  const scope = await admin.call('POST', '/scopes', { name: 'Cut-off wall' });
  expect(scope.status).toBe(201);
  const scopeId: number = scope.body.scope.id;
  const units = { Before: '/Cut/before', During: '/Cut/during', Quiet: '/Cut/quiet' };
  for (const [name, unit] of Object.entries(units)) {
    expect((await admin.call('POST', '/objects', { name, scopeId, host: JOB_HOST, unit })).status).toBe(201);
  }
  expect((await cluster.exec(units.Before, 'exit 2')).code).toBe(2);
  expect((await cluster.exec(units.During, 'exit 0')).code).toBe(0);

  const context = await clusterBrowser.newContext({ baseURL: CONSOLE_URL, viewport: { width: 1920, height: 1080 } });
  const page = await context.newPage();
  const watch = watchWall(page);
  const id = await enrolScreenWith(page, (code) => admin.call('POST', '/displays', { code, name: 'Cut-off wall', scopeId }));
  const enrolledNavigations = watch.navigations();
  await watch.observe();
  const wall = page.getByTestId('wall');
  const tile = (name: keyof typeof units) => page.getByTestId(`wall-tile-${name}`);
  await expect(tile('Before')).toHaveAttribute('data-status', 'ABNORMAL');
  await expect(tile('During')).toHaveAttribute('data-status', 'NORMAL');

  const cutAt = Date.now();
  cluster.net.cutFromRunner('A');
  // Silent: a request is not refused, it goes unanswered.
  await expect(fetch(`${cluster.url}/api/v1/health`, { signal: AbortSignal.timeout(3000) })).rejects.toThrow(/timeout/i);

  // The screen notices by its ping timeout, says so, and greys its last known tiles.
  const lostText = new RegExp(`^Connection lost: reconnecting to ${CONSOLE_HOST} since (\\d{2}:\\d{2}:\\d{2})$`);
  await expect(page.getByTestId('wall-connection')).toHaveText(lostText, { timeout: 20_000 });
  await expect(wall).toHaveAttribute('data-greyed', 'true', { timeout: 15_000 });
  await page.screenshot({ path: 'screenshots/wall-display-reconnecting-1080p.png', animations: 'disabled' });

  // A change made during the cut: the console takes it in (node A still reaches node J); the screen cannot know yet.
  expect((await cluster.exec(units.During, 'exit 4')).code).toBe(4);
  await waitUntil('the console to take in the change made during the cut', async () => (await storeStatus(cluster, units.During)) === 'ABNORMAL' || undefined, 30_000);
  await expect(tile('During')).toHaveAttribute('data-status', 'NORMAL');

  await page.waitForTimeout(cutAt + CUT_MS - Date.now());
  // Still saying the same at the end of the cut, and still trying.
  await expect(page.getByTestId('wall-connection')).toHaveText(lostText);
  await expect(wall).toHaveAttribute('data-greyed', 'true');
  const healAt = Date.now();
  cluster.net.healFromRunner('A');

  await expect(wall).toHaveAttribute('data-phase', 'live', { timeout: 60_000 });
  await expect(wall).toHaveAttribute('data-greyed', 'false');
  await expect(page.getByTestId('wall-connection')).toHaveText('Live');
  for (const [name, unit] of Object.entries(units) as [keyof typeof units, string][]) {
    await expect(tile(name)).toHaveAttribute('data-status', await storeStatus(cluster, unit));
  }
  await expect(tile('During')).toHaveAttribute('data-status', 'ABNORMAL');
  // The same page, still enrolled.
  expect(watch.navigations()).toBe(enrolledNavigations);
  await expect(page.getByTestId('pairing-code')).toHaveCount(0);
  const listed = (await admin.call('GET', '/displays')).body.displays as { id: number; connected: boolean }[];
  expect(listed.find((d) => d.id === id)?.connected).toBe(true);

  // One gap, from the ping timeout to the end of the cut: never live in between, greyed 5 s in.
  const log = await watch.phases();
  const lost = log.findIndex((p) => p.phase === 'reconnecting');
  const back = log.findIndex((p, i) => i > lost && p.phase === 'live');
  expect(lost, JSON.stringify(log)).toBeGreaterThan(-1);
  expect(back, JSON.stringify(log)).toBe(log.length - 1);
  const gap = log.slice(lost, back);
  expect(gap.map((p) => p.greyed)).toEqual([false, true]);
  expect(gap[1].at - gap[0].at).toBeGreaterThanOrEqual(4_500);
  const [, since] = lostText.exec(gap[0].text)!;
  const clock = (t: number) => new Date(t).toTimeString().slice(0, 8);
  expect([clock(gap[0].at - 1000), clock(gap[0].at), clock(gap[0].at + 1000)]).toContain(since);
  expect(log[back].at).toBeGreaterThan(healAt);

  // It kept trying through the whole cut, at a bounded pace: no storm, no giving up.
  const tries = watch.attempts.filter((t) => t > gap[0].at && t < healAt);
  const triesInLastMinute = tries.filter((t) => t > healAt - 60_000);
  const cutSeconds = (healAt - cutAt) / 1000;
  expect(tries.length, `attempts ${JSON.stringify(tries)}`).toBeGreaterThanOrEqual(3);
  expect(triesInLastMinute.length).toBeGreaterThanOrEqual(1);
  expect(tries.length).toBeLessThanOrEqual(cutSeconds);
  const intervals = tries.slice(1).map((t, i) => t - tries[i]);
  // With jitter even at the longest wait (from the third try on): screens that lost their console together do not stay in step.
  const longest = intervals.slice(2);
  expect(longest.length).toBeGreaterThanOrEqual(3);
  expect(Math.max(...longest) - Math.min(...longest), `intervals ${intervals.join(', ')}`).toBeGreaterThanOrEqual(20);
  console.log(
    `wall display, silent cut of ${Math.round(cutSeconds)} s: noticed ${gap[0].at - cutAt} ms after the cut, greyed ${gap[1].at - gap[0].at} ms into the gap; ` +
      `${tries.length} connection attempts during the cut (${triesInLastMinute.length} in its last minute), intervals ${intervals.join(', ')} ms; ` +
      `live ${log[back].at - healAt} ms after the cut ended`,
  );
  await context.close();
});
