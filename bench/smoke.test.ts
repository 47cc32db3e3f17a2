// The benchmarks still run (npm run bench): each part at a size of seconds, with
// the test run's PostgreSQL server. Asserts what they report, never how fast.
import { describe, expect, it } from 'vitest';
import { measureIngest } from './ingest';
import { feedEvents, measureBarePostgres, measureJobscope as measureApply, openSqliteStore } from './apply';
import { measureJobscope as measureFanout, measureRelay } from './fanout';
import { measureExec } from './exec';
import { PARTS, SMOKE, table } from './run';
import { createTestDatabase } from '../server/testing/postgres';

describe('benchmarks, smoke sizes', () => {
  it('ingests a spool into both stores, every event', async () => {
    for (const url of [undefined, await createTestDatabase('bench')]) {
      const f = await measureIngest(3000, url);
      expect(f.events).toBe(3000);
      expect(f.eventsPerSecond).toBeGreaterThan(0);
      expect(f.bareEventsPerSecond).toBeGreaterThan(0);
    }
  });

  it('ingests with expectations and without, every object evaluated, and times a pass of the timer', async () => {
    // The timer's deadline is a whole minute: this waits up to a minute for it.
    const rows = await PARTS.expectations(SMOKE);
    expect(rows.find((r) => r.figure.includes('start delay cleared'))?.jobscope).toBe(`${SMOKE.expectObjects} of ${SMOKE.expectObjects}`);
    const pass = rows.find((r) => r.figure.startsWith('timer pass'))!;
    expect(pass.met).toBe(true);
    expect(pass.jobscope).toMatch(/^[\d,]+; [\d.]+$/);
  }, 180_000);

  it('applies batches in process, and plain pg takes the same rows', async () => {
    const events = feedEvents(1000);
    const { store, remove } = await openSqliteStore();
    const ours = await measureApply(store, events).finally(remove);
    expect(ours.events).toBe(1000);
    const bare = await measureBarePostgres(await createTestDatabase('bare'), events);
    expect(bare.events).toBe(1000);
  });

  it('fans changes out to every client, which end equal to the store (and to the relay)', async () => {
    const ours = await measureFanout(5, 100, 2);
    expect(ours.diverged).toBe(0);
    expect(ours.changes).toBeGreaterThan(100);
    const relay = await measureRelay(5, 100, 2);
    expect(relay.diverged).toBe(0);
  });

  it('wraps jobs with exec, all of them recorded when started at once', async () => {
    const f = await measureExec(1, 10);
    expect(f.recorded).toBe(10);
    expect(f.execCpuS).toBeGreaterThan(0);
  });

  it('measures a site\'s subscriptions and a manager restart with screens', async () => {
    const rows = [...(await PARTS.scale(SMOKE)), ...(await PARTS.failover(SMOKE))];
    expect(rows.find((r) => r.figure.includes('10 clients at once'))?.jobscope).toMatch(/^10, /);
    for (const row of rows.filter((r) => r.figure.startsWith('manager restart'))) expect(row.jobscope).toContain(`; ${SMOKE.storm}/${SMOKE.storm})`);
  });

  it('times the monitor page in Chromium while statuses flow', async () => {
    const rows = await PARTS.page(SMOKE);
    expect(rows[0].jobscope).toMatch(/^\d+, [\d,]+$/);
  });

  it('watches a wall display\'s memory while statuses flow, and times one at 4K', async () => {
    const soak = await PARTS['wall-soak'](SMOKE);
    expect(soak[0].jobscope).toMatch(/^[\d.]+ \/ [\d.]+$/);
    const speed = await PARTS['wall-speed'](SMOKE);
    expect(speed[0].jobscope).toMatch(/^\d+, [\d,]+$/);
  }, 180_000);

  it('prints one table of every part', async () => {
    const rows = await PARTS.exec({ ...SMOKE, execConcurrent: 3 });
    const printed = table(rows);
    expect(printed.split('\n')).toHaveLength(2 + rows.length);
    expect(printed).toContain('| jobscope exec -- true, CPU per job (s, median) |');
  });
});
