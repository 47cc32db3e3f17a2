// Whether the monitor page stays responsive at a site's size while statuses
// flow: 100,000 units under 5,000 monitoring objects, the page of a 2,000-object
// scope open in Debian's Chromium, 500 status changes a second in that scope.
// Long tasks of the page's main thread (PerformanceObserver 'longtask') and its
// frame times; the baseline is a bare page of the same number of tiles, 50 of
// them changed every 100 ms by a plain script, in the same browser and run.
// Prints figures; asserts nothing.
//   npx tsx bench/monitor-page.ts [units] [objects] [changes/s] [seconds]
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { chromium, type Page } from '@playwright/test';
import { PASSWORDS, TestHost, waitUntil } from '../server/testing/test-host';
import { appendEvents } from '../server/spool/spool';
import { site } from './scale';

export interface PageFigures {
  longTasks: number;
  longestTaskMs: number;
  frameP95Ms: number;
  frameMaxMs: number;
}

/** Starts recording long tasks and frames in the page; returns a function that stops and reads them. */
async function record(page: Page): Promise<() => Promise<PageFigures>> {
  await page.evaluate(`(() => {
    const bench = (window.bench = { tasks: [], frames: [], running: true });
    new PerformanceObserver((list) => { for (const e of list.getEntries()) bench.tasks.push(e.duration); }).observe({ type: 'longtask' });
    let last = performance.now();
    const tick = (now) => { if (!bench.running) return; bench.frames.push(now - last); last = now; requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  })()`);
  return async () => {
    const { tasks, frames } = (await page.evaluate('(() => { window.bench.running = false; return window.bench; })()')) as { tasks: number[]; frames: number[] };
    const sorted = [...frames].sort((a, b) => a - b);
    return { longTasks: tasks.length, longestTaskMs: Math.max(0, ...tasks), frameP95Ms: sorted[Math.floor(sorted.length * 0.95)] ?? NaN, frameMaxMs: sorted.at(-1) ?? NaN };
  };
}

export async function measureMonitorPage(units: number, objects: number, rate: number, seconds: number): Promise<{ page: PageFigures; bare: PageFigures; tiles: number }> {
  const host = await TestHost.create('pagehost');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    await host.startAgent();
    const { events, document, scopeObjects, jobs } = site(host.name, units, objects);
    appendEvents(host.spoolFile, events);
    await host.startManager();
    const admin = await host.login('admin');
    if ((await admin.call('POST', '/definitions/import', document)).status !== 200) throw new Error('import refused');
    const db = new Database(host.storeFile, { readonly: true });
    const offset = () => (db.prepare('SELECT "offset" FROM "FeedState"').get() as { offset: number } | undefined)?.offset ?? 0;
    await waitUntil('the site in the store', () => (offset() >= events.length ? true : undefined), 300_000);
    db.close();
    const big = (await admin.call('GET', '/definitions')).body.scopes.find((s: { name: string }) => s.name === 'Big').id as number;

    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    await page.goto(`${host.url}/login`);
    await page.getByTestId('login-user').fill('operator');
    await page.getByTestId('login-password').fill(PASSWORDS.operator);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/monitor$/);
    await page.goto(`${host.url}/monitor?scope=${big}`);
    await page.locator('[data-testid^="tile-"]:not([data-testid^="tile-status-"])').first().waitFor({ timeout: 120_000 });
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const tiles = await page.locator('[data-testid^="tile-"]:not([data-testid^="tile-status-"])').count();

    const stopPage = await record(page);
    let n = 0;
    const began = Date.now();
    while (Date.now() - began < seconds * 1000) {
      const due = Math.floor(((Date.now() - began) / 1000) * rate);
      const batch = [];
      for (; n < due; n++) {
        const status = n % 3 === 0 ? 'ABNORMAL' : n % 3 === 1 ? 'RUNNING' : 'NORMAL';
        batch.push({ ...events[0], unit: `/Net${n % scopeObjects}/job${n % jobs}`, execId: crypto.randomUUID(), status, at: new Date().toISOString() } as const);
      }
      if (batch.length) appendEvents(host.spoolFile, batch);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const pageFigures = await stopPage();

    const bare = await context.newPage();
    await bare.setContent(`<!doctype html><body style="margin:0;background:#15181d;display:flex;flex-wrap:wrap;gap:2px">${Array.from({ length: tiles }, (_, i) => `<div id="t${i}" style="width:40px;height:30px;background:#3a7">${i}</div>`).join('')}</body>`);
    const stopBare = await record(bare);
    await bare.evaluate(`(() => { const colours = ['#3a7', '#c33', '#37c']; let k = 0;
      window.changer = setInterval(() => { for (let i = 0; i < ${Math.round(rate / 10)}; i++) { const t = document.getElementById('t' + ((k * 7919 + i) % ${tiles})); t.style.background = colours[(k + i) % 3]; } k++; }, 100); })()`);
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const bareFigures = await stopBare();
    await context.close();
    return { page: pageFigures, bare: bareFigures, tiles };
  } catch (err) {
    console.error(host.logs.slice(-3000));
    throw err;
  } finally {
    await browser.close();
    await host.stop();
  }
}

const isMain = process.argv[1] === fileURLToPath(import.meta.url);
if (isMain) {
  const [units, objects, rate, seconds] = [Number(process.argv[2] ?? 100_000), Number(process.argv[3] ?? 5_000), Number(process.argv[4] ?? 500), Number(process.argv[5] ?? 20)];
  const f = await measureMonitorPage(units, objects, rate, seconds);
  const line = (name: string, p: PageFigures) =>
    `  ${name.padEnd(24)} long tasks ${String(p.longTasks).padStart(4)}, longest ${p.longestTaskMs.toFixed(0).padStart(5)} ms; frames p95 ${p.frameP95Ms.toFixed(1).padStart(6)} ms, max ${p.frameMaxMs.toFixed(0).padStart(5)} ms`;
  console.log(`monitor page of a ${Math.min(2000, objects)}-object scope (${f.tiles} tiles shown), ${units} units, ${rate} changes/s for ${seconds} s, Chromium 1920x1080`);
  console.log(line('Jobscope monitor page', f.page));
  console.log(line('bare page of tiles', f.bare));
}
