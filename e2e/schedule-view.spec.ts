// The Schedule view against a real console: expectations set through the API, runs through
// `jobscope exec`, the timeline read in the browser, in both languages, following a run live.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { apiAs, expect, signIn, test, uniqueName, type ApiClient } from './fixtures';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

// The viewer and the expectations share a zone where it is about noon now, so that three hours
// before and two after are all today, whenever the test runs (Etc/GMT-N is N hours ahead of UTC).
const offsetHours = 12 - new Date().getUTCHours();
const ZONE = offsetHours === 0 ? 'UTC' : `Etc/GMT${offsetHours > 0 ? '-' : '+'}${Math.abs(offsetHours)}`;
const local = (t: number) => new Date(t + offsetHours * HOUR).toISOString();
/** "HH:MM" in ZONE. */
const clock = (t: number) => local(t).slice(11, 16);
/** The whole minute at or before t: an expected start is a whole minute. */
const minute = (t: number) => Math.floor(t / MINUTE) * MINUTE;
const iso = (t: number) => new Date(t).toISOString();

async function put(api: ApiClient, apiPath: string, body: unknown): Promise<void> {
  const res = await api.request.put(`/api/v1${apiPath}`, { data: body, headers: { 'x-csrf-token': api.csrfToken } });
  expect(res.status(), await res.text()).toBe(200);
}

test.describe('the schedule view', () => {
  test.use({ timezoneId: ZONE });
  test.describe.configure({ timeout: 240_000 });

  test('shows today’s expected runs of a scope with their states, follows a run live, and speaks Japanese', async ({ page, consoleHost }) => {
    const operator = await apiAs(consoleHost, 'operator');
    const scope = (await operator.post('/scopes', { name: uniqueName('Schedule') })).body.scope;
    const empty = (await operator.post('/scopes', { name: uniqueName('Unplanned') })).body.scope;
    const tag = Date.now().toString(36);
    const object = async (name: string) => {
      const unit = `/Sch${tag}/${name}`;
      const created = await operator.post('/objects', { name: `${name} ${tag}`, scopeId: scope.id, host: consoleHost.name, unit });
      expect(created.status).toBe(201);
      return { id: created.body.object.id as number, name: `${name} ${tag}`, unit };
    };
    await operator.post('/objects', { name: uniqueName('Loose'), scopeId: empty.id, host: consoleHost.name, unit: `/Sch${tag}/Loose` });

    const now = Date.now();
    // Ledger: one run due in two minutes (it starts below, early enough to be that one's, and runs
    // past its minute: an overrun) and one two hours from now.
    const ledger = await object('Ledger');
    const ledgerNow = minute(now) + 2 * MINUTE;
    const ledgerLater = minute(now) + 2 * HOUR;
    await put(operator, `/objects/${ledger.id}/expectation`, { schedule: { times: [clock(ledgerNow), clock(ledgerLater)] }, timeZone: ZONE, startBy: { afterMinutes: 15 }, endBy: { afterMinutes: 90 }, endWithinMinutes: 1 });
    // Reports: three hours ago (no run: missed) and twenty minutes ago (it runs now: late, past its start-by).
    const reports = await object('Reports');
    const reportsMissed = minute(now) - 3 * HOUR;
    const reportsLate = minute(now) - 20 * MINUTE;
    await put(operator, `/objects/${reports.id}/expectation`, { schedule: { times: [clock(reportsMissed), clock(reportsLate)] }, timeZone: ZONE, startBy: { afterMinutes: 5 }, missedAfterMinutes: 60 });
    // Archive: an hour from now, but not today.
    const archive = await object('Archive');
    const archiveAt = minute(now) + HOUR;
    await put(operator, `/objects/${archive.id}/expectation`, { schedule: { times: [clock(archiveAt)] }, timeZone: ZONE, endBy: { afterMinutes: 30 } });
    await put(operator, `/objects/${archive.id}/expectation/overrides/${local(now).slice(0, 10)}`, { skip: true });
    await operator.dispose();
    expect((await consoleHost.exec(reports.unit, 'echo summary written; exit 0')).code).toBe(0);

    await signIn(page, 'operator');
    await page.goto(`/monitor?scope=${scope.id}`);
    await page.getByTestId('view-schedule').click();
    await expect(page).toHaveURL(new RegExp(`scope=${scope.id}&view=schedule`));
    const schedule = page.getByTestId('schedule');
    await expect(schedule.getByTestId('schedule-day')).toContainText(ZONE);

    // One row per object with an expectation, by name.
    const rows = schedule.locator('[data-testid^="schedule-row-"]');
    await expect(rows).toHaveCount(3);
    await expect(rows.nth(0)).toHaveAttribute('data-testid', `schedule-row-${archive.name}`);
    const row = (o: { name: string }) => schedule.getByTestId(`schedule-row-${o.name}`);
    const occurrence = (o: { name: string }, at: number) => row(o).locator(`[data-testid="schedule-occurrence"][data-at="${iso(at)}"]`);

    // Expected runs: a tick and their deadlines; the skipped one, a tick without.
    await expect(occurrence(ledger, ledgerLater)).toHaveAttribute('data-state', 'expected');
    await expect(occurrence(ledger, ledgerLater).getByTestId('schedule-tick')).toHaveCount(1);
    await expect(occurrence(ledger, ledgerLater).getByTestId('schedule-start-by')).toHaveCount(1);
    await expect(occurrence(ledger, ledgerLater).getByTestId('schedule-end-by')).toHaveCount(1);
    await expect(occurrence(ledger, ledgerNow)).toHaveAttribute('data-state', 'expected');
    await expect(occurrence(archive, archiveAt)).toHaveAttribute('data-state', 'skipped');
    await expect(occurrence(archive, archiveAt).getByTestId('schedule-end-by')).toHaveCount(0);
    // Expected before the expectation was set, these raise no flags, but still show what became of them.
    await expect(occurrence(reports, reportsMissed)).toHaveAttribute('data-state', 'missed');
    const late = occurrence(reports, reportsLate);
    await expect(late).toHaveAttribute('data-state', 'late');
    await expect(late.getByTestId('schedule-bar')).toHaveAttribute('data-status', 'NORMAL');
    await expect(late.getByTestId('schedule-bar')).toHaveAttribute('data-running', 'false');
    await expect(schedule.getByTestId('schedule-now')).toBeVisible();
    await expect(schedule.getByTestId('schedule-legend')).toContainText('Expected');
    for (const word of ['Started', 'Ended', 'Late', 'Missed', 'Skipped', 'Start by', 'End by', 'Now']) await expect(schedule.getByTestId('schedule-legend')).toContainText(word);

    // Hover (or focus) tells the details, in the viewer's zone: started 15 minutes after its start-by.
    await late.getByRole('button').focus();
    const tip = late.getByRole('tooltip');
    await expect(tip).toBeVisible();
    await expect(tip).toContainText(/started 1[56] min after its start-by/);
    await expect(tip).toContainText(`${clock(reportsLate)}:00`);
    await expect(tip).toContainText('Ended normally');

    // A run starts, overruns and ends while the view is open: the schedule follows it with no reload.
    const gate = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'schedule-')), 'done');
    const running = consoleHost.exec(ledger.unit, `while [ ! -e '${gate}' ]; do sleep 0.2; done; echo posted`);
    try {
      const current = occurrence(ledger, ledgerNow);
      await expect(current).toHaveAttribute('data-state', 'started');
      await expect(current.getByTestId('schedule-bar')).toHaveAttribute('data-running', 'true');
      // A minute after it started, the overrun flag is raised: named beside the object, marked where it came due.
      await expect(row(ledger).locator('[data-flag="overrun"]')).toContainText('Overrun', { timeout: 100_000 });
      await expect(current.getByTestId('schedule-flag-mark-overrun')).toHaveCount(1);
      await late.getByRole('button').hover();
      await page.screenshot({ path: 'screenshots/schedule-en.png' });
      fs.writeFileSync(gate, '');
      expect((await running).code).toBe(0);
      await expect(current).toHaveAttribute('data-state', 'ended');
      await expect(current.getByTestId('schedule-bar')).toHaveAttribute('data-running', 'false');
      await expect(current.getByTestId('schedule-bar')).toHaveAttribute('data-status', 'NORMAL');
      await expect(row(ledger).locator('[data-flag="overrun"]')).toHaveCount(0);
    } finally {
      fs.writeFileSync(gate, '');
      await running;
    }

    // The same data as a table, for screen readers and for reading off times.
    await schedule.getByTestId('schedule-as-table').click();
    const table = schedule.getByTestId('schedule-table');
    await expect(table.getByTestId('schedule-table-row')).toHaveCount(5);
    await expect(table.locator('[data-testid="schedule-table-row"][data-state="late"]')).toContainText('Ended normally');
    // Kept in the URL: a link or a reload opens the table again.
    await expect(page).toHaveURL(/[?&]as=table/);
    await page.reload();
    await expect(schedule.getByTestId('schedule-as-table')).toHaveAttribute('aria-pressed', 'true');
    await expect(table.getByTestId('schedule-table-row')).toHaveCount(5);
    await schedule.getByTestId('schedule-as-timeline').click();
    await expect(page).not.toHaveURL(/[?&]as=/);

    // Japanese, every label.
    await page.getByTestId('language').selectOption('ja');
    await expect(page.getByTestId('view-schedule')).toHaveText('スケジュール');
    const legend = schedule.getByTestId('schedule-legend');
    for (const word of ['予定', '開始', '終了', '遅延', '未実行', '実行しない日', '開始期限', '終了期限', '現在']) await expect(legend).toContainText(word);
    await expect(schedule.getByTestId('schedule-now-label')).toContainText('現在');
    // Six hours around now, where runs of minutes are wide enough to see.
    await schedule.getByTestId('schedule-range-near').click();
    await expect(schedule.getByTestId('schedule-range-near')).toHaveAttribute('aria-pressed', 'true');
    await expect(page).toHaveURL(/[?&]range=near/);
    await expect(occurrence(reports, reportsMissed)).toHaveCount(0);
    await expect(late.getByTestId('schedule-bar')).toBeVisible();
    await expect(occurrence(ledger, ledgerLater)).toHaveAttribute('data-state', 'expected');
    await late.getByRole('button').focus();
    await expect(late.getByRole('tooltip')).toContainText(/開始期限より 1[56] 分遅れて開始/);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: 'screenshots/schedule-ja.png' });

    // A scope where nothing is expected says so, and how to expect something.
    await page.getByTestId('language').selectOption('en');
    await page.goto(`/monitor?scope=${empty.id}&view=schedule`);
    await expect(page.getByTestId('schedule-empty')).toContainText('No monitoring object here has an expectation');
    await expect(page.getByTestId('schedule-empty')).toContainText('definition mode');
  });
});
