// Whether the monitor page stays responsive at a site's size while statuses
// flow: 100,000 units under 5,000 monitoring objects, the page of a 2,000-object
// scope open in Debian's Chromium, 500 status changes a second in that scope.
// Long tasks of the page's main thread (PerformanceObserver 'longtask') and its
// frame times; the baseline is a bare page of the same number of tiles, 50 of
// them changed every 100 ms by a plain script, in the same browser and run.
// Prints figures; asserts nothing.
//   npx tsx bench/monitor-page.ts [units] [objects] [changes/s] [seconds]
import { fileURLToPath } from 'node:url';
import { figuresLine, loadSite, measureBareTiles, profile, record, signIn, sleep, withHostAndBrowser, writeChanges, type PageFigures } from './page-tools';

export type { PageFigures } from './page-tools';

export async function measureMonitorPage(units: number, objects: number, rate: number, seconds: number): Promise<{ page: PageFigures; bare: PageFigures; tiles: number }> {
  return withHostAndBrowser('pagehost', [], async (host, browser) => {
    const loaded = await loadSite(host, units, objects);
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    await signIn(page, host.url);
    await page.goto(`${host.url}/monitor?scope=${loaded.bigScope}`);
    await page.locator('[data-testid^="tile-"]:not([data-testid^="tile-status-"])').first().waitFor({ timeout: 120_000 });
    await sleep(3000);
    const tiles = await page.locator('[data-testid^="tile-"]:not([data-testid^="tile-status-"])').count();

    const stopPage = await record(page);
    const stopProfile = await profile(page, 'monitor-page');
    await writeChanges(host, loaded, rate, seconds);
    await sleep(1000);
    const pageFigures = await stopPage();
    await stopProfile();

    const bare = await measureBareTiles(context, tiles, rate, seconds);
    await context.close();
    return { page: pageFigures, bare, tiles };
  });
}

const isMain = process.argv[1] === fileURLToPath(import.meta.url);
if (isMain) {
  const [units, objects, rate, seconds] = [Number(process.argv[2] ?? 100_000), Number(process.argv[3] ?? 5_000), Number(process.argv[4] ?? 500), Number(process.argv[5] ?? 20)];
  const f = await measureMonitorPage(units, objects, rate, seconds);
  console.log(`monitor page of a ${Math.min(2000, objects)}-object scope (${f.tiles} tiles shown), ${units} units, ${rate} changes/s for ${seconds} s, Chromium 1920x1080`);
  console.log(figuresLine('Jobscope monitor page', f.page));
  console.log(figuresLine('bare page of tiles', f.bare));
}
