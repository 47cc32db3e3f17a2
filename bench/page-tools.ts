// What the browser benchmarks share (monitor-page.ts, wall-display.ts): Debian's Chromium, a
// console host loaded with a site (scale.ts), status changes written into its spool at a rate,
// the page's long tasks and frames, an optional CPU profile and timeline, and the bare baseline
// page of plain tiles changed by a plain script.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { PASSWORDS, TestHost, waitUntil, type Client } from '../server/testing/test-host';
import { appendEvents } from '../server/spool/spool';
import { site } from './scale';

export interface PageFigures {
  longTasks: number;
  longestTaskMs: number;
  frameP95Ms: number;
  frameMaxMs: number;
  /** Share of the time the page's main thread spent in tasks (CDP TaskDuration), in %. */
  busyPercent: number;
}

/** Debian's Chromium; `args` are added to the sandbox switch. */
export function launchChromium(args: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', ...args] });
}

/**
 * Runs `measure` with a console host of its own and Debian's Chromium (`args` added), then stops
 * both; when it fails, the host's last log lines say why.
 */
export async function withHostAndBrowser<T>(hostName: string, args: string[], measure: (host: TestHost, browser: Browser) => Promise<T>): Promise<T> {
  const host = await TestHost.create(hostName);
  const browser = await launchChromium(args);
  try {
    return await measure(host, browser);
  } catch (err) {
    console.error(host.logs.slice(-3000));
    throw err;
  } finally {
    await browser.close();
    await host.stop();
  }
}

export type Site = ReturnType<typeof site>;

/** Loads the host with a site of `units` units under `objects` objects, everything applied; the id of its scope "Big". */
export async function loadSite(host: TestHost, units: number, objects: number): Promise<Site & { admin: Client; bigScope: number }> {
  await host.startAgent();
  const loaded = site(host.name, units, objects);
  appendEvents(host.spoolFile, loaded.events);
  await host.startManager();
  const admin = await host.login('admin');
  if ((await admin.call('POST', '/definitions/import', loaded.document)).status !== 200) throw new Error('import refused');
  const feed = appliedCount(host);
  try {
    await waitUntil('the site in the store', () => (feed.applied() >= loaded.events.length ? true : undefined), 300_000);
  } finally {
    feed.close();
  }
  const bigScope = (await admin.call('GET', '/definitions')).body.scopes.find((s: { name: string }) => s.name === 'Big').id as number;
  return { ...loaded, admin, bigScope };
}

/** How many spool events the manager has applied to its store. */
export function appliedCount(host: TestHost): { applied(): number; close(): void } {
  const db = new Database(host.storeFile, { readonly: true });
  const statement = db.prepare('SELECT "offset" FROM "FeedState"');
  return { applied: () => (statement.get() as { offset: number } | undefined)?.offset ?? 0, close: () => db.close() };
}

/** The status of change number n: each one moves its object's tile. */
const statusOf = (n: number) => (n % 3 === 0 ? 'ABNORMAL' : n % 3 === 1 ? 'RUNNING' : 'NORMAL');

/**
 * Writes status changes into the host's spool at `rate` a second for `seconds`, cycling through
 * the objects of the site's scope "Big"; `feed.written` counts them as they go (another loop may read it).
 */
export async function writeChanges(host: TestHost, loaded: Site, rate: number, seconds: number, feed = { written: 0 }): Promise<number> {
  const template = loaded.events[0];
  const began = Date.now();
  while (Date.now() - began < seconds * 1000) {
    const due = Math.floor(((Date.now() - began) / 1000) * rate);
    const batch = [];
    for (let n = feed.written; n < due; n++) {
      batch.push({ ...template, unit: `/Net${n % loaded.scopeObjects}/job${n % loaded.jobs}`, execId: crypto.randomUUID(), status: statusOf(n), at: new Date().toISOString() } as const);
    }
    if (batch.length) appendEvents(host.spoolFile, batch);
    feed.written = Math.max(feed.written, due);
    await sleep(20);
  }
  return feed.written;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Signs the page in as a person, as monitor-page.ts and the preview need. */
export async function signIn(page: Page, url: string, user: keyof typeof PASSWORDS = 'operator'): Promise<void> {
  await page.goto(`${url}/login`);
  await page.getByTestId('login-user').fill(user);
  await page.getByTestId('login-password').fill(PASSWORDS[user]);
  await page.getByTestId('login-submit').click();
  await page.waitForURL(/\/monitor$/);
}

/** Starts recording long tasks, frames and main-thread time in the page; returns a function that stops and reads them. */
export async function record(page: Page): Promise<() => Promise<PageFigures>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const taskSeconds = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0;
  const taskBefore = await taskSeconds();
  const began = performance.now();
  await page.evaluate(`(() => {
    const bench = (window.bench = { tasks: [], frames: [], running: true });
    new PerformanceObserver((list) => { for (const e of list.getEntries()) bench.tasks.push(e.duration); }).observe({ type: 'longtask' });
    let last = performance.now();
    const tick = (now) => { if (!bench.running) return; bench.frames.push(now - last); last = now; requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  })()`);
  return async () => {
    const { tasks, frames } = (await page.evaluate('(() => { window.bench.running = false; return window.bench; })()')) as { tasks: number[]; frames: number[] };
    const busyPercent = ((await taskSeconds()) - taskBefore) * 1000 / (performance.now() - began) * 100;
    await cdp.detach();
    const sorted = [...frames].sort((a, b) => a - b);
    return { longTasks: tasks.length, longestTaskMs: Math.max(0, ...tasks), frameP95Ms: sorted[Math.floor(sorted.length * 0.95)] ?? NaN, frameMaxMs: sorted.at(-1) ?? NaN, busyPercent };
  };
}

/**
 * With JOBSCOPE_BENCH_PROFILE=dir, records a CPU profile of the page while changes flow, writes it
 * there (<name>.cpuprofile, for Chromium's DevTools) and prints where the time went by function.
 */
export async function profile(page: Page, name: string): Promise<() => Promise<void>> {
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
    console.log(`${name} timeline by event (nested events count in their parents too):`);
    for (const [event, f] of [...byName].sort((a, b) => b[1].total - a[1].total).slice(0, 12))
      console.log(`  ${f.total.toFixed(0).padStart(7)} ms in ${String(f.count).padStart(6)}, longest ${f.max.toFixed(1).padStart(6)} ms  ${event}`);
    const { profile } = await cdp.send('Profiler.stop');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${name}.cpuprofile`);
    fs.writeFileSync(file, JSON.stringify(profile));
    const self = new Map<string, number>();
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const deltas = profile.timeDeltas ?? [];
    (profile.samples ?? []).forEach((id, i) => {
      const { functionName, url, lineNumber, columnNumber } = byId.get(id)!.callFrame;
      const key = `${functionName || '(anonymous)'} ${url.split('/').at(-1)}:${lineNumber + 1}:${columnNumber + 1}`;
      self.set(key, (self.get(key) ?? 0) + (deltas[i] ?? 0) / 1000);
    });
    const total = [...self.values()].reduce((a, b) => a + b, 0);
    console.log(`${name} CPU profile (${file}), self time of ${total.toFixed(0)} ms:`);
    for (const [key, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${ms.toFixed(0).padStart(7)} ms ${((ms / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
    await cdp.detach();
  };
}

/**
 * The baseline: a bare page of `tiles` plain tiles (no framework), `rate` of them a second
 * recoloured by a plain script (a tenth every 100 ms), recorded for `seconds` in a new page of the context.
 */
export async function measureBareTiles(context: BrowserContext, tiles: number, rate: number, seconds: number): Promise<PageFigures> {
  const bare = await context.newPage();
  await bare.setContent(`<!doctype html><body style="margin:0;background:#15181d;display:flex;flex-wrap:wrap;gap:2px">${Array.from({ length: tiles }, (_, i) => `<div id="t${i}" style="width:40px;height:30px;background:#3a7">${i}</div>`).join('')}</body>`);
  const stop = await record(bare);
  await bare.evaluate(`(() => { const colours = ['#3a7', '#c33', '#37c']; let k = 0;
    window.changer = setInterval(() => { for (let i = 0; i < ${Math.round(rate / 10)}; i++) { const t = document.getElementById('t' + ((k * 7919 + i) % ${tiles})); t.style.background = colours[(k + i) % 3]; } k++; }, 100); })()`);
  await sleep(seconds * 1000);
  const figures = await stop();
  await bare.close();
  return figures;
}

/** One line of a page's figures, as the browser benchmarks print them. */
export function figuresLine(name: string, p: PageFigures): string {
  return `  ${name.padEnd(24)} long tasks ${String(p.longTasks).padStart(4)}, longest ${p.longestTaskMs.toFixed(0).padStart(5)} ms; frames p95 ${p.frameP95Ms.toFixed(1).padStart(6)} ms, max ${p.frameMaxMs.toFixed(0).padStart(5)} ms; main thread busy ${p.busyPercent.toFixed(0).padStart(3)}%`;
}
