// Whether the monitor page stays responsive at a site's size while statuses
// flow: 100,000 units under 5,000 monitoring objects, the page of a 2,000-object
// scope open in Debian's Chromium, 500 status changes a second in that scope.
// Long tasks of the page's main thread (PerformanceObserver 'longtask') and its
// frame times; the baseline is a bare page of the same number of tiles, 50 of
// them changed every 100 ms by a plain script, in the same browser and run.
// Prints figures; asserts nothing.
//   npx tsx bench/monitor-page.ts [units] [objects] [changes/s] [seconds]
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
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

/**
 * With JOBSCOPE_BENCH_PROFILE=dir, records a CPU profile of the page while changes flow, writes it
 * there (monitor-page.cpuprofile, for Chromium's DevTools) and prints where the time went by function.
 */
async function profile(page: Page): Promise<() => Promise<void>> {
  const dir = process.env.JOBSCOPE_BENCH_PROFILE;
  if (!dir) return async () => {};
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.start');
  // The renderer's own work (style, layout, paint) is "(program)" to the profiler: a timeline trace names it.
  const events: { name: string; ph: string; dur?: number; tid: number }[] = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...(value as unknown as typeof events)));
  const traced = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', { categories: 'devtools.timeline', transferMode: 'ReportEvents' });
  return async () => {
    await cdp.send('Tracing.end');
    await traced;
    const byName = new Map<string, { total: number; count: number; max: number }>();
    for (const e of events) {
      if (e.ph !== 'X' || !e.dur) continue;
      const f = byName.get(e.name) ?? { total: 0, count: 0, max: 0 };
      byName.set(e.name, { total: f.total + e.dur / 1000, count: f.count + 1, max: Math.max(f.max, e.dur / 1000) });
    }
    console.log('page timeline by event (nested events count in their parents too):');
    for (const [name, f] of [...byName].sort((a, b) => b[1].total - a[1].total).slice(0, 12))
      console.log(`  ${f.total.toFixed(0).padStart(7)} ms in ${String(f.count).padStart(6)}, longest ${f.max.toFixed(1).padStart(6)} ms  ${name}`);
    const { profile } = await cdp.send('Profiler.stop');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'monitor-page.cpuprofile'), JSON.stringify(profile));
    const self = new Map<string, number>();
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const deltas = profile.timeDeltas ?? [];
    (profile.samples ?? []).forEach((id, i) => {
      const { functionName, url, lineNumber, columnNumber } = byId.get(id)!.callFrame;
      const key = `${functionName || '(anonymous)'} ${url.split('/').at(-1)}:${lineNumber + 1}:${columnNumber + 1}`;
      self.set(key, (self.get(key) ?? 0) + (deltas[i] ?? 0) / 1000);
    });
    const total = [...self.values()].reduce((a, b) => a + b, 0);
    console.log(`page CPU profile (${dir}/monitor-page.cpuprofile), self time of ${total.toFixed(0)} ms:`);
    for (const [key, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${ms.toFixed(0).padStart(7)} ms ${((ms / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
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
    const stopProfile = await profile(page);
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
    await stopProfile();

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
