// Whether a wall display holds up for months: an enrolled screen's page (/display) in Debian's
// Chromium while statuses flow into its scope. Prints figures; asserts nothing.
//
// soak: a display of a 200-object scope at 1920×1080 takes a stream of status changes, each
// moving one tile (tiles re-render, reorder, change page). Every few seconds, after a forced
// garbage collection (CDP HeapProfiler.collectGarbage), it prints the page's JS heap
// (performance.memory.usedJSHeapSize, precise; CDP Performance.getMetrics JSHeapUsedSize), the
// renderer's nodes and JS event listeners (getMetrics Nodes, JSEventListeners: detached ones
// count until collected), the document's elements, and how far the manager's ingest is behind
// the spool; then first against last after a warm-up, and the slope by least squares per 10
// minutes and per 100,000 changes: flat when nothing leaks.
// An hour at 50 changes a second is 180,000 changes; the default run is compressed to the same
// 180,000 changes at 1,000 a second in 3 minutes (the manager keeps up, as the "behind" column
// shows, and the page renders once a frame whatever the rate). It finds what grows with
// changes; what grows with time alone (the clock's tick each second, a page turn, the burn-in
// walk every 3 minutes) it sees for 3 minutes only: `soak 50 3600` is the real hour.
//
// speed: a display of a 2,000-object scope at 3840×2160, density compact (the board pages what
// does not fit at a readable size: it prints what one page shows), 500 changes a second for
// 20 s: the page's long tasks (PerformanceObserver 'longtask'), frame times and main-thread
// time; the baseline is a bare page of the same 2,000 tiles (plain DOM, no React) of which a
// plain script changes as many a second, in the same browser and run. Target: no task over 50 ms.
// With JOBSCOPE_BENCH_PROFILE=dir, the page's CPU profile and timeline while changes flow.
//
//   npx tsx bench/wall-display.ts soak [changes/s] [seconds] [sample every s]   (1000 180 15)
//   npx tsx bench/wall-display.ts speed [tiles] [changes/s] [seconds]           (2000 500 20)
// Add --preview to open a signed-in operator's preview (/display/preview, the same board fed by a
// session's socket) instead of an enrolled screen.
// Needs the build (sh scripts/setup.sh).
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, CDPSession, Page } from '@playwright/test';
import { TestHost, type Client } from '../server/testing/test-host';
import { appliedCount, figuresLine, loadSite, measureBareTiles, profile, record, signIn, sleep, withHostAndBrowser, writeChanges, type PageFigures } from './page-tools';

export type WallTarget = 'display' | 'preview';
/** Where the benchmarks open the wall unless told otherwise. */
const DEFAULT_TARGET: WallTarget = 'display';
const PATHS: Record<WallTarget, string> = { display: '/display', preview: '/display/preview' };

const SETTINGS = { density: 'compact', pageSeconds: 600 } as const;
const TILE = '[data-testid^="wall-tile-"]';

/**
 * A wall of the scope in a new browser context: an enrolled screen's /display (paired as a screen
 * pairs, enrolled by the admin with compact tiles and 10-minute pages), or the preview of a
 * signed-in operator with the same settings. Resolves once the board is live with its tiles.
 */
async function openWall(browser: Browser, host: TestHost, admin: Client, scopeId: number, viewport: { width: number; height: number }, target: WallTarget): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  if (target === 'display') {
    // The API takes a mutating request only with its own origin, as the screen's page sends it.
    const pairing = await context.request.post(`${host.url}/api/v1/display/pairing`, { data: {}, headers: { origin: host.url } });
    if (pairing.status() !== 201) throw new Error(`pairing refused: ${pairing.status()} ${await pairing.text()}`);
    const { code } = (await pairing.json()) as { code: string };
    const enrolled = await admin.call('POST', '/displays', { code, name: 'Bench wall', scopeId, settings: SETTINGS });
    if (enrolled.status !== 201) throw new Error(`enrolment refused: ${enrolled.status} ${JSON.stringify(enrolled.body)}`);
    const exchanged = await context.request.get(`${host.url}/api/v1/display/pairing`);
    if ((await exchanged.json()).state !== 'enrolled') throw new Error(`no credential: ${await exchanged.text()}`);
    await page.goto(`${host.url}/display`);
  } else {
    await signIn(page, host.url);
    await page.goto(`${host.url}/display/preview?scope=${scopeId}&density=${SETTINGS.density}&page=${SETTINGS.pageSeconds}`);
  }
  await page.locator('[data-testid="wall"][data-phase="live"]').waitFor({ timeout: 120_000 });
  await page.locator(TILE).first().waitFor({ timeout: 120_000 });
  return { context, page };
}

/** What the board shows: tiles in the page, its grid and pages, the tiles' text size. */
export interface BoardShape {
  tiles: number;
  columns: number;
  rows: number;
  pages: number;
  textPx: number;
}

async function boardShape(page: Page): Promise<BoardShape> {
  return page.evaluate((tile) => {
    const grid = document.querySelector('[data-columns]');
    const first = document.querySelector(tile);
    return {
      tiles: document.querySelectorAll(tile).length,
      columns: Number(grid?.getAttribute('data-columns')),
      rows: Number(grid?.getAttribute('data-rows')),
      pages: Number(document.querySelector('[data-testid="wall-page"]')?.getAttribute('data-pages') ?? 1),
      textPx: first ? parseFloat(getComputedStyle(first).fontSize) : NaN,
    };
  }, TILE);
}

/** Counts the board's tile changes from now on (a status attribute changed, a tile added or gone): proof that changes reach it. */
async function countTileChanges(page: Page): Promise<() => Promise<number>> {
  await page.evaluate(`(() => {
    window.tileChanges = 0;
    new MutationObserver((records) => { for (const r of records) window.tileChanges += r.type === 'attributes' ? 1 : r.addedNodes.length; })
      .observe(document.querySelector('[data-columns]'), { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
  })()`);
  return async () => (await page.evaluate('window.tileChanges')) as number;
}

const shapeText = (b: BoardShape) => `${b.tiles} tiles on a page of ${b.columns}×${b.rows}, ${b.pages} page${b.pages === 1 ? '' : 's'}, text ${b.textPx} px`;

export interface HeapSample {
  seconds: number;
  changes: number;
  /** performance.memory.usedJSHeapSize after a forced GC (bytes). */
  usedHeap: number;
  /** CDP Performance.getMetrics. */
  jsHeapUsed: number;
  nodes: number;
  listeners: number;
  /** Elements in the document. */
  elements: number;
  /** Changes written to the spool that the manager had not applied yet. */
  behind: number;
}

export interface SoakFigures {
  rate: number;
  seconds: number;
  changes: number;
  warmupSeconds: number;
  board: BoardShape;
  samples: HeapSample[];
}

/** The page's memory after a forced garbage collection. */
async function heapSample(page: Page, cdp: CDPSession): Promise<Omit<HeapSample, 'seconds' | 'changes' | 'behind'>> {
  // Twice, a frame apart, to count less of what is in flight; a sample may still catch a page of
  // tiles just replaced (a few hundred nodes, half a MB) that the next one no longer has.
  await cdp.send('HeapProfiler.collectGarbage');
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedHeap, elements } = (await page.evaluate('({ usedHeap: performance.memory.usedJSHeapSize, elements: document.getElementsByTagName("*").length })')) as { usedHeap: number; elements: number };
  const metrics = new Map((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  return { usedHeap, elements, jsHeapUsed: metrics.get('JSHeapUsedSize') ?? NaN, nodes: metrics.get('Nodes') ?? NaN, listeners: metrics.get('JSEventListeners') ?? NaN };
}

function sampleLine(s: HeapSample, warmup = false): string {
  return `  ${s.seconds.toFixed(0).padStart(5)} s ${s.changes.toLocaleString('en').padStart(9)} changes  heap ${mb(s.usedHeap).padStart(6)} MB (CDP ${mb(s.jsHeapUsed).padStart(6)})  nodes ${String(s.nodes).padStart(6)}  listeners ${String(s.listeners).padStart(5)}  elements ${String(s.elements).padStart(5)}  behind ${String(s.behind).padStart(5)}${warmup ? '  (warm-up)' : ''}`;
}

const mb = (bytes: number) => (bytes / 1e6).toFixed(2);

export async function measureWallSoak(rate: number, seconds: number, everySeconds: number, o: { target?: WallTarget; objects?: number; log?: (line: string) => void } = {}): Promise<SoakFigures> {
  const { target = DEFAULT_TARGET, objects = 200, log = console.log } = o;
  // Warm-up: the code compiled and optimised, caches and the socket's buffers at their size (the heap grows for about a minute, then holds).
  const warmupSeconds = Math.min(60, seconds / 3);
  // Precise figures: otherwise performance.memory is rounded to coarse steps.
  return withHostAndBrowser('wallsoak', ['--enable-precise-memory-info'], async (host, browser) => {
    const loaded = await loadSite(host, objects * 5, objects);
    const { context, page } = await openWall(browser, host, loaded.admin, loaded.bigScope, { width: 1920, height: 1080 }, target);
    await sleep(3000);
    const board = await boardShape(page);
    log(`wall display soak (${PATHS[target]}), a ${loaded.scopeObjects}-object scope at 1920×1080, ${shapeText(board)}: ${rate.toLocaleString('en')} changes/s for ${seconds} s`);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const feed = appliedCount(host);
    const applied0 = feed.applied();
    const progress = { written: 0 };
    const samples: HeapSample[] = [];
    const began = Date.now();
    const take = async () => {
      const s = { seconds: (Date.now() - began) / 1000, changes: progress.written, behind: progress.written - (feed.applied() - applied0), ...(await heapSample(page, cdp)) };
      samples.push(s);
      log(sampleLine(s, s.seconds < warmupSeconds));
    };
    try {
      await take();
      let writing = true;
      const written = writeChanges(host, loaded, rate, seconds, progress).finally(() => (writing = false));
      for (let k = 1; writing; k++) {
        while (writing && Date.now() < began + k * everySeconds * 1000) await sleep(50);
        if (writing) await take();
      }
      await written;
      // The last changes through the manager and the page.
      await sleep(3000);
      await take();
    } finally {
      feed.close();
    }
    await context.close();
    return { rate, seconds, changes: progress.written, warmupSeconds, board, samples };
  });
}

/** Least-squares slope of y over x. */
function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  const sxy = xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0);
  const sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  return sxx ? sxy / sxx : NaN;
}

export interface Trend {
  first: number;
  last: number;
  per10Minutes: number;
  per100kChanges: number;
}

/** First against last after the warm-up, and the slopes, of one figure of the samples. */
export function trend(f: SoakFigures, of: (s: HeapSample) => number): Trend {
  const after = f.samples.filter((s) => s.seconds >= f.warmupSeconds);
  const used = after.length >= 2 ? after : f.samples;
  const ys = used.map(of);
  return { first: ys[0], last: ys.at(-1)!, per10Minutes: slope(used.map((s) => s.seconds), ys) * 600, per100kChanges: slope(used.map((s) => s.changes), ys) * 100_000 };
}

export function soakSummary(f: SoakFigures): string[] {
  const line = (name: string, t: Trend, unit: (v: number) => string) =>
    `  ${name.padEnd(20)} first ${unit(t.first).padStart(8)}, last ${unit(t.last).padStart(8)}; slope ${signed(unit(t.per10Minutes))} per 10 minutes, ${signed(unit(t.per100kChanges))} per 100k changes`;
  const count = (v: number) => v.toFixed(0);
  return [
    `after ${f.warmupSeconds.toFixed(0)} s of warm-up, ${f.changes.toLocaleString('en')} changes in all:`,
    line('JS heap (MB)', trend(f, (s) => s.usedHeap), (v) => mb(v)),
    line('CDP JSHeapUsed (MB)', trend(f, (s) => s.jsHeapUsed), (v) => mb(v)),
    line('nodes', trend(f, (s) => s.nodes), count),
    line('JS event listeners', trend(f, (s) => s.listeners), count),
    line('document elements', trend(f, (s) => s.elements), count),
  ];
}

const signed = (text: string) => (text.startsWith('-') ? text : `+${text}`).padStart(8);

export interface SpeedFigures {
  target: WallTarget;
  tiles: number;
  rate: number;
  seconds: number;
  board: BoardShape;
  /** Tiles of the shown page that changed status, came or went while changes flowed. */
  tileChanges: number;
  page: PageFigures;
  bare: PageFigures;
}

export async function measureWallSpeed(tiles: number, rate: number, seconds: number, o: { target?: WallTarget } = {}): Promise<SpeedFigures> {
  const { target = DEFAULT_TARGET } = o;
  return withHostAndBrowser('wallspeed', [], async (host, browser) => {
    const loaded = await loadSite(host, tiles * 10, tiles);
    const { context, page } = await openWall(browser, host, loaded.admin, loaded.bigScope, { width: 3840, height: 2160 }, target);
    await sleep(3000);
    const board = await boardShape(page);

    const tileChanges = await countTileChanges(page);
    const stopPage = await record(page);
    const stopProfile = await profile(page, 'wall-display');
    await writeChanges(host, loaded, rate, seconds);
    await sleep(1000);
    const pageFigures = await stopPage();
    await stopProfile();
    const changed = await tileChanges();

    const bare = await measureBareTiles(context, loaded.scopeObjects, rate, seconds);
    await context.close();
    return { target, tiles: loaded.scopeObjects, rate, seconds, board, tileChanges: changed, page: pageFigures, bare };
  });
}

export function speedLines(f: SpeedFigures): string[] {
  return [
    `wall display speed (${PATHS[f.target]}), a ${f.tiles}-object scope at 3840×2160, compact: ${shapeText(f.board)}; ${f.rate} changes/s for ${f.seconds} s, ${f.tileChanges.toLocaleString('en')} tile changes on the page shown`,
    figuresLine('Jobscope wall display', f.page),
    figuresLine(`bare page of ${f.tiles} tiles`, f.bare),
    `  ratio (wall / bare): frame p95 ${(f.page.frameP95Ms / f.bare.frameP95Ms).toFixed(2)}, main thread busy ${(f.page.busyPercent / f.bare.busyPercent).toFixed(1)}; target: no task over 50 ms: ${f.page.longestTaskMs <= 50 ? 'met' : 'NOT met'}`,
  ];
}

const isMain = process.argv[1] === fileURLToPath(import.meta.url);
if (isMain) {
  const target: WallTarget = process.argv.includes('--preview') ? 'preview' : process.argv.includes('--display') ? 'display' : DEFAULT_TARGET;
  const [part, ...rest] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const arg = (i: number, fallback: number) => Number(rest[i] ?? fallback);
  if (part === 'soak') {
    const f = await measureWallSoak(arg(0, 1000), arg(1, 180), arg(2, 15), { target });
    for (const line of soakSummary(f)) console.log(line);
  } else if (part === 'speed') {
    const f = await measureWallSpeed(arg(0, 2000), arg(1, 500), arg(2, 20), { target });
    for (const line of speedLines(f)) console.log(line);
  } else {
    console.error('usage: npx tsx bench/wall-display.ts soak [changes/s] [seconds] [sample every s] | speed [tiles] [changes/s] [seconds] [--preview]');
    process.exit(2);
  }
}
