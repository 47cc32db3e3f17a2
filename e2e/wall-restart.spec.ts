// An enrolled wall display through a restart of its console's manager (SIGKILL, then started
// again, as a crash and its service manager would): with nobody at it, the screen says it is
// reconnecting and since when, greys its tiles, and is live again by itself with no reload and
// still enrolled, since its credential lives in the store, not in the manager's memory.
import Database from 'better-sqlite3';
import { StatusTree } from '../server/domain/derive';
import { apiAs, expect, startConsole, test, type ConsoleHost } from './fixtures';
import { enrolScreen, report, scopeOf, watchWall } from './wall';

/** The status the console's store gives a unit, derived as the View derives it. */
function storeStatus(consoleHost: ConsoleHost, unit: string): string {
  const db = new Database(consoleHost.storeFile, { readonly: true, fileMustExist: true });
  try {
    const tree = new StatusTree();
    for (const u of db.prepare(`SELECT host, path, status FROM "Unit"`).all() as { host: string; path: string; status: never }[]) {
      tree.set(u.host, u.path, { status: u.status, runId: null, startSeq: 0 });
    }
    return tree.get(consoleHost.name, unit).status;
  } finally {
    db.close();
  }
}

test('an enrolled wall display comes back live by itself after its console manager restarts, still enrolled', async ({ browser }) => {
  test.setTimeout(120_000);
  // A console of its own: this test kills its manager.
  const own = await startConsole('wallrestart');
  const context = await browser.newContext({ baseURL: own.url, viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  try {
    const { scopeId, names, unit } = await scopeOf(own, 3);
    report(own, unit(0), 'NORMAL');
    const watch = watchWall(page);
    const id = await enrolScreen(page, own, { name: 'Restart wall', scopeId });
    const enrolledNavigations = watch.navigations();
    await watch.observe();
    const wall = page.getByTestId('wall');
    const tile = (i: number) => page.getByTestId(`wall-tile-${names[i]}`);
    await expect(tile(0)).toHaveAttribute('data-status', 'NORMAL');

    const killedAt = Date.now();
    await own.kill(own.manager, 'SIGKILL');
    await expect(page.getByTestId('wall-connection')).toHaveText(new RegExp(`^Connection lost: reconnecting to ${own.name} since \\d{2}:\\d{2}:\\d{2}$`));
    await expect(wall).toHaveAttribute('data-greyed', 'true', { timeout: 15_000 });
    // What the agent records meanwhile is the console's to take in once it is back.
    report(own, unit(1), 'ABNORMAL');

    const restartAt = Date.now();
    await own.startManager();
    const listeningAt = Date.now();
    await expect(wall).toHaveAttribute('data-phase', 'live', { timeout: 30_000 });
    await expect(wall).toHaveAttribute('data-greyed', 'false');
    await expect(page.getByTestId('wall-connection')).toHaveText('Live');
    await expect(tile(1)).toHaveAttribute('data-status', 'ABNORMAL');
    for (let i = 0; i < names.length; i++) await expect(tile(i)).toHaveAttribute('data-status', storeStatus(own, unit(i).replace(/\/job$/, '')));

    // The same page, never a pairing code: the credential was checked by the new manager.
    expect(watch.navigations()).toBe(enrolledNavigations);
    await expect(page.getByTestId('pairing-code')).toHaveCount(0);
    const admin = await apiAs(own, 'admin');
    const listed = (await admin.get('/displays')).body.displays as { id: number; connected: boolean }[];
    await admin.dispose();
    expect(listed.find((d) => d.id === id)?.connected).toBe(true);
    // And it is live: a change after the restart reaches its tile.
    report(own, unit(2), 'WARNING');
    await expect(tile(2)).toHaveAttribute('data-status', 'WARNING');

    const log = await watch.phases();
    const lost = log.find((p) => p.phase === 'reconnecting')!;
    const greyed = log.find((p) => p.greyed)!;
    const back = log.find((p) => p.at > lost.at && p.phase === 'live')!;
    expect(greyed.at - lost.at).toBeGreaterThanOrEqual(4_500);
    console.log(
      `wall display, manager restart: noticed ${lost.at - killedAt} ms after SIGKILL, greyed ${greyed.at - lost.at} ms into the gap; ` +
        `manager listening ${listeningAt - restartAt} ms after its start, screen live ${back.at - listeningAt} ms after that`,
    );
  } finally {
    await context.close();
    await own.stop();
  }
});
