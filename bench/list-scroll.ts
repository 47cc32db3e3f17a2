// How smoothly the List view scrolls 10,000 units: a real console host (agent and
// manager through the built command line), one business scope with 10 monitoring
// objects, and 10,000 units reported below them; the list opened in Debian's
// Chromium and scrolled from top to bottom with wheel steps, frame times taken
// with requestAnimationFrame. The same scroll over a plain static box of the same
// size and height, in the same browser and run, is the baseline. Prints figures;
// asserts nothing.
//   npm run bench:list            (needs the build: sh scripts/setup.sh)
//
// The units are recorded with appendEvent, the very append `jobscope report`
// makes, so they travel the whole way: spool, agent feed, manager, store, socket,
// browser. Each append commits with synchronous=FULL; on this machine's disk that
// is ~18 ms each (3 minutes for 10,000), so the host's folders go to /dev/shm
// when there is one (~2.5 ms each), as JOBSCOPE_BENCH_TMP can also choose.
import fs from 'node:fs';
import crypto from 'node:crypto';
import Database from 'better-sqlite3';
import type { Page } from '@playwright/test';
import { waitUntil } from '../server/testing/test-host';
import { appendEvent } from '../server/spool/spool';
import type { Status } from '../server/domain/status';
import { signIn, withHostAndBrowser } from './page-tools';

const UNITS = 10_000;
const OBJECTS = 10;
const WHEEL_STEP = 240; // px: two notches of a common mouse wheel (120 px each) every frame, a brisk scroll
const VIEWPORT = { width: 1280, height: 800 };

const tmp = process.env.JOBSCOPE_BENCH_TMP ?? (fs.existsSync('/dev/shm') ? '/dev/shm' : undefined);
if (tmp) process.env.TMPDIR = tmp;

interface ScrollResult {
  frames: number[];
  maxRows: number;
  steps: number;
  seconds: number;
  reachedEnd: boolean;
}

/**
 * Scrolls the box under the mouse from top to bottom, one wheel step per frame,
 * while the page records every frame's duration and the rows in the DOM.
 */
async function scrollThrough(page: Page, selector: string): Promise<ScrollResult> {
  const box = (await page.locator(selector).boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  // A plain script, not a function: the page gets it exactly as written here.
  await page.evaluate(`(() => {
    const el = document.querySelector(${JSON.stringify(selector)});
    el.scrollTop = 0;
    const bench = (window.bench = { frames: [], maxRows: 0, running: true });
    let last = 0;
    function tick(now) {
      if (!bench.running) return;
      bench.frames.push(now - last);
      last = now;
      bench.maxRows = Math.max(bench.maxRows, document.querySelectorAll('[data-row]').length);
      requestAnimationFrame(tick);
    }
    requestAnimationFrame((now) => {
      last = now;
      requestAnimationFrame(tick);
    });
  })()`);
  const atEnd = () =>
    page.evaluate((sel) => {
      const el = document.querySelector(sel)!;
      return el.scrollTop + el.clientHeight >= el.scrollHeight - 1;
    }, selector);
  const started = Date.now();
  let steps = 0;
  // Bounded: never more steps than a box of 40 px a row would need.
  const limit = Math.ceil((UNITS * 40) / WHEEL_STEP);
  while (steps < limit) {
    await page.mouse.wheel(0, WHEEL_STEP);
    steps++;
    // One step per frame, as a flicked wheel or a dragged scroll bar delivers them.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
    if (steps % 25 === 0 && (await atEnd())) break;
  }
  const seconds = (Date.now() - started) / 1000;
  const reachedEnd = await atEnd();
  const recorded = await page.evaluate(() => {
    const w = window as unknown as { bench: { frames: number[]; maxRows: number; running: boolean } };
    w.bench.running = false;
    return { frames: w.bench.frames, maxRows: w.bench.maxRows };
  });
  return { ...recorded, steps, seconds, reachedEnd };
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
function stats(frames: number[]) {
  const sorted = [...frames].sort((a, b) => a - b);
  return { median: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), max: sorted[sorted.length - 1], count: frames.length };
}

// No GPU and no background traffic of the browser's own while frames are timed.
await withHostAndBrowser('benchlist', ['--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'], async (host, browser) => {
  await host.startAgent();
  await host.startManager();
  const operator = await host.login('operator');
  const scope = await operator.call('POST', '/scopes', { name: 'Bench list' });
  for (let g = 0; g < OBJECTS; g++) {
    const created = await operator.call('POST', '/objects', { name: `Bench net ${g}`, scopeId: scope.body.scope.id, host: host.name, unit: `/Bench/Net${g}` });
    if (created.status !== 201) throw new Error(`object not created: ${JSON.stringify(created.body)}`);
  }

  const fed = Date.now();
  const statuses: Status[] = ['NORMAL', 'NORMAL', 'NORMAL', 'NORMAL', 'NORMAL', 'NORMAL', 'WARNING', 'RUNNING', 'ABNORMAL', 'TIMEWAIT'];
  for (let i = 0; i < UNITS; i++) {
    const status = statuses[i % statuses.length];
    appendEvent(host.spoolFile, {
      host: host.name, unit: `/Bench/Net${i % OBJECTS}/job${i}`, execId: crypto.randomUUID(), runId: null, kind: 'status', status,
      at: new Date().toISOString(), node: 'bench', pid: null, exitCode: status === 'NORMAL' ? 0 : status === 'ABNORMAL' ? 8 : null, signal: null, outputTail: null, reason: null,
    });
  }
  const appended = (Date.now() - fed) / 1000;
  const store = new Database(host.storeFile, { readonly: true });
  const offset = () => (store.prepare('SELECT "offset" FROM "FeedState"').get() as { offset: number } | undefined)?.offset;
  await waitUntil('the manager to apply every report', () => (offset() === UNITS ? true : undefined), 180_000);
  store.close();
  const applied = (Date.now() - fed) / 1000;

  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  await signIn(page, host.url);
  const opened = Date.now();
  await page.goto(`${host.url}/monitor?scope=${scope.body.scope.id}&view=list&rows=units`);
  await page.locator(`[data-testid="list-count"][data-shown="${UNITS}"]`).waitFor({ timeout: 120_000 });
  const shownAfter = (Date.now() - opened) / 1000;
  const scroller = await page.getByTestId('list-scroller').evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { width: r.width, height: r.height, scrollHeight: el.scrollHeight };
  });
  const rowsAtTop = await page.locator('[data-row]').count();

  // Baseline: a plain static page holding a box of the same size and scroll height.
  const bare = await context.newPage();
  await bare.setContent(
    `<!doctype html><body style="margin:0;background:#15181d">
       <div id="box" style="margin:150px 0 0 276px;width:${scroller.width}px;height:${scroller.height}px;overflow:auto">
         <div style="height:${scroller.scrollHeight}px;background:repeating-linear-gradient(#1d2128 0 29px,#2e343d 29px 30px)"></div>
       </div></body>`,
  );
  const baseline = await scrollThrough(bare, '#box');
  await bare.close();

  await page.bringToFront();
  const list = await scrollThrough(page, '[data-testid="list-scroller"]');
  const lastRow = await page.locator('[data-row]').last().getAttribute('data-testid');

  const b = stats(baseline.frames);
  const l = stats(list.frames);
  const ms = (v: number) => `${v.toFixed(1).padStart(6)} ms`;
  console.log(`list view scroll, ${UNITS.toLocaleString('en')} units below ${OBJECTS} monitoring objects (Chromium ${browser.version()}, ${VIEWPORT.width}x${VIEWPORT.height})`);
  console.log(`  feed: ${appended.toFixed(1)} s to report, ${applied.toFixed(1)} s until the manager applied all; list showed all ${shownAfter.toFixed(1)} s after opening`);
  console.log(`  scroll box ${Math.round(scroller.width)}x${Math.round(scroller.height)} px, ${scroller.scrollHeight.toLocaleString('en')} px high; ${WHEEL_STEP} px wheel steps, one per frame`);
  console.log(`                         median        p95        max   frames  steps  seconds  reached end`);
  const line = (name: string, s: ReturnType<typeof stats>, r: ScrollResult) =>
    console.log(`  ${name.padEnd(20)} ${ms(s.median)} ${ms(s.p95)} ${ms(s.max)} ${String(s.count).padStart(8)} ${String(r.steps).padStart(6)} ${r.seconds.toFixed(1).padStart(8)}  ${r.reachedEnd ? 'yes' : 'no'}`);
  line('bare static page', b, baseline);
  line('list view', l, list);
  console.log(`  ratio list / bare    ${(l.median / b.median).toFixed(2).padStart(6)} x  ${(l.p95 / b.p95).toFixed(2).padStart(6)} x  ${(l.max / b.max).toFixed(2).padStart(6)} x`);
  console.log(`  DOM rows: ${rowsAtTop} at the top, at most ${list.maxRows} while scrolling, of ${UNITS.toLocaleString('en')}; last row at the end: ${lastRow?.replace('list-row-', '')}`);
  await context.close();
});
