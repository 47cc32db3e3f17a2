// The expectation dialog in definition mode: an operator sets what an object's runs
// should do (daily times in a zone, start by, end by past midnight), finds it again
// when the dialog reopens and in the API as typed, gets the schema's message for a bad
// cron, skips one day and takes that back, and removes the expectation after a
// confirmation; the object's mark follows. A guest has no way to change it, and the
// server refuses the guest's request. Screenshots in both languages in screenshots/.
import type { Page } from '@playwright/test';
import { LEARNED_DEFAULTS } from '../server/domain/expectations';
import { addDays, localDateOf } from '../server/domain/time-zone';
import { apiAs, expect, signIn, test, uniqueName, type ApiClient, type ConsoleHost } from './fixtures';

async function newObject(operator: ApiClient, consoleHost: ConsoleHost): Promise<{ id: number; name: string }> {
  const scope = await operator.post('/scopes', { name: uniqueName('Nightly') });
  expect(scope.status, JSON.stringify(scope.body)).toBe(201);
  const object = await operator.post('/objects', { name: uniqueName('Close books'), scopeId: scope.body.scope.id, host: consoleHost.name, unit: '/Nightly/CloseBooks' });
  expect(object.status, JSON.stringify(object.body)).toBe(201);
  return object.body.object;
}

async function startDefining(page: Page) {
  await page.getByTestId('define-toggle').click();
  await expect(page.getByTestId('define-toggle')).toHaveAttribute('aria-pressed', 'true');
}

async function openExpectation(page: Page, name: string) {
  await page.getByTestId(`nav-expectation-object-${name}`).click();
  const dialog = page.getByTestId('expectation-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('expectation-form')).toBeVisible();
  return dialog;
}

test.describe('expectation dialog', () => {
  test('an operator sets an expectation, finds it again, skips a day and removes it', async ({ page, consoleHost }) => {
    const operator = await apiAs(consoleHost, 'operator');
    const object = await newObject(operator, consoleHost);
    const mark = page.getByTestId(`nav-object-${object.name}`).getByTestId(`has-expectation-${object.name}`);

    await signIn(page, 'operator');
    await startDefining(page);
    await expect(page.getByTestId(`nav-object-${object.name}`)).toBeVisible();
    await expect(mark).toHaveCount(0);

    // None yet: a new one, in the browser's zone, with no single days to change until it exists.
    let dialog = await openExpectation(page, object.name);
    await expect(dialog.getByTestId('expectation-none')).toBeVisible();
    await expect(dialog.getByTestId('expectation-overrides-first')).toBeVisible();
    await expect(dialog.getByTestId('expectation-remove')).toHaveCount(0);
    await expect(dialog.getByTestId('expectation-time-zone')).not.toHaveValue('');

    await dialog.getByTestId('expectation-time-0').fill('02:30');
    await dialog.getByTestId('expectation-add-time').click();
    await dialog.getByTestId('expectation-time-1').fill('14:00');
    await dialog.getByTestId('expectation-time-zone').fill('Asia/Tokyo');
    await dialog.getByTestId('expectation-start-by-kind').selectOption('at');
    await dialog.getByTestId('expectation-start-by-at').fill('03:00');
    await dialog.getByTestId('expectation-end-by-kind').selectOption('at');
    await dialog.getByTestId('expectation-end-by-at').fill('28:30');
    await expect(dialog.getByText('28:30 = 04:30 the next day')).toBeVisible();
    await dialog.getByTestId('expectation-end-within').fill('90');
    // The preview: the next three starts, in Tokyo (02:30 and 14:00 alternate).
    await expect(dialog.getByTestId('expectation-next')).toHaveText(/Next expected starts \(Asia\/Tokyo\): .*(02:30|14:00).*, .*(02:30|14:00).*, .*(02:30|14:00)/);
    await page.screenshot({ path: 'screenshots/expectation-dialog-en.png' });
    await dialog.getByTestId('expectation-submit').click();
    await expect(dialog).toHaveCount(0);
    await expect(mark).toBeVisible();
    await expect(mark).toHaveAttribute('aria-label', 'Has an expectation');
    await expect(mark).toHaveAttribute('title', 'Has an expectation');
    await expect(page.getByTestId(`tile-${object.name}`).getByTestId(`has-expectation-${object.name}`)).toBeVisible();
    await page.screenshot({ path: 'screenshots/expectation-mark-en.png' });

    // Stored as typed.
    const expectation = {
      schedule: { times: ['02:30', '14:00'] },
      timeZone: 'Asia/Tokyo',
      startBy: { at: '03:00' },
      endBy: { at: '28:30' },
      endWithinMinutes: 90,
      learned: LEARNED_DEFAULTS,
      overrides: [],
    };
    expect((await operator.get(`/objects/${object.id}/expectation`)).body.expectation).toEqual(expectation);
    expect((await operator.get('/definitions')).body.objects.find((o: { id: number }) => o.id === object.id).hasExpectation).toBe(true);

    // Opened again: what was typed.
    dialog = await openExpectation(page, object.name);
    await expect(dialog.getByTestId('expectation-time-0')).toHaveValue('02:30');
    await expect(dialog.getByTestId('expectation-time-1')).toHaveValue('14:00');
    await expect(dialog.getByTestId('expectation-time-zone')).toHaveValue('Asia/Tokyo');
    await expect(dialog.getByTestId('expectation-start-by-kind')).toHaveValue('at');
    await expect(dialog.getByTestId('expectation-start-by-at')).toHaveValue('03:00');
    await expect(dialog.getByTestId('expectation-end-by-at')).toHaveValue('28:30');
    await expect(dialog.getByTestId('expectation-end-within')).toHaveValue('90');
    await expect(dialog.getByTestId('expectation-missed-after')).toHaveValue('');
    await expect(dialog.getByTestId('expectation-learned')).toBeChecked();

    // A cron that is not one: the schema's message beside it, nothing sent.
    await dialog.getByTestId('expectation-schedule-cron').check();
    await dialog.getByTestId('expectation-cron').fill('61 * * * *');
    await expect(dialog.getByTestId('expectation-next')).toContainText('shown once the schedule and the time zone read');
    await dialog.getByTestId('expectation-submit').click();
    await expect(dialog.getByTestId('expectation-cron-error')).toContainText('not a cron expression of five fields');
    await expect(dialog.getByTestId('expectation-cron')).toHaveAttribute('aria-invalid', 'true');
    await expect(dialog).toBeVisible();
    expect((await operator.get(`/objects/${object.id}/expectation`)).body.expectation).toEqual(expectation);
    await dialog.getByTestId('expectation-schedule-times').check();
    await expect(dialog.getByTestId('expectation-time-1')).toHaveValue('14:00');
    // What was said under the form goes with the next change.
    await expect(dialog.getByTestId('expectation-form-error')).toHaveCount(0);

    // Tomorrow in Tokyo, skipped: listed, stored, and taken back. A day too far is the server's to refuse, beside the date.
    const tomorrow = addDays(localDateOf(new Date(), 'Asia/Tokyo'), 1);
    await expect(dialog.getByTestId('expectation-overrides-none')).toBeVisible();
    await expect(dialog.getByTestId('override-date')).toHaveValue(tomorrow);
    await dialog.getByTestId('override-date').fill(addDays(tomorrow, 40));
    await dialog.getByTestId('override-kind').selectOption('skip');
    await dialog.getByTestId('override-submit').click();
    await expect(dialog.getByTestId('override-date-error')).toHaveText(`from ${addDays(tomorrow, -1)} to ${addDays(tomorrow, 30)}`);
    await dialog.getByTestId('override-date').fill(tomorrow);
    await dialog.getByTestId('override-kind').selectOption('skip');
    await dialog.getByTestId('override-submit').click();
    const override = dialog.getByTestId(`expectation-override-${tomorrow}`);
    await expect(override).toContainText(tomorrow);
    await expect(override).toContainText('Skipped');
    expect((await operator.get(`/objects/${object.id}/expectation`)).body.expectation.overrides).toEqual([{ date: tomorrow, skip: true }]);

    // Another day whose end by moves past midnight: what it changes, in words (a day that changes nothing is asked about first).
    const dayAfter = addDays(tomorrow, 1);
    await dialog.getByTestId('override-date').fill(dayAfter);
    await dialog.getByTestId('override-kind').selectOption('change');
    await dialog.getByTestId('override-submit').click();
    await expect(dialog.getByTestId('override-form-error')).toHaveText('Choose what changes that day, or skip it.');
    await dialog.getByTestId('override-start-by-kind').selectOption('none');
    await dialog.getByTestId('override-end-by-kind').selectOption('at');
    await dialog.getByTestId('override-end-by-at').fill('30:00');
    await dialog.getByTestId('override-submit').click();
    await expect(dialog.getByTestId(`expectation-override-${dayAfter}`)).toContainText('no start-by deadline · end by 30:00');
    await page.screenshot({ path: 'screenshots/expectation-overrides-en.png' });

    await dialog.getByTestId(`expectation-override-${tomorrow}-remove`).click();
    await expect(override).toHaveCount(0);
    await dialog.getByTestId(`expectation-override-${dayAfter}-remove`).click();
    await expect(dialog.getByTestId('expectation-overrides-none')).toBeVisible();
    expect((await operator.get(`/objects/${object.id}/expectation`)).body.expectation.overrides).toEqual([]);

    // Another operator saves it while the dialog is open: the form says so and shows theirs, never overwrites it unseen.
    const theirs = await operator.request.put(`/api/v1/objects/${object.id}/expectation`, {
      data: { ...expectation, endWithinMinutes: 120 },
      headers: { 'x-csrf-token': operator.csrfToken },
    });
    expect(theirs.status()).toBe(200);
    await dialog.getByTestId('expectation-missed-after').fill('60');
    await dialog.getByTestId('expectation-submit').click();
    await expect(dialog.getByTestId('expectation-form-error')).toHaveText(/changed this expectation meanwhile/);
    await expect(dialog.getByTestId('expectation-end-within')).toHaveValue('120');
    await expect(dialog.getByTestId('expectation-missed-after')).toHaveValue('');
    await dialog.getByTestId('expectation-missed-after').fill('60');
    await dialog.getByTestId('expectation-submit').click();
    await expect(dialog).toHaveCount(0);
    expect((await operator.get(`/objects/${object.id}/expectation`)).body.expectation).toMatchObject({ endWithinMinutes: 120, missedAfterMinutes: 60 });

    // In Japanese.
    await page.getByTestId('language').selectOption('ja');
    await expect(mark).toHaveAttribute('aria-label', '予定あり');
    dialog = await openExpectation(page, object.name);
    await expect(page.getByRole('heading', { name: `${object.name} の予定` })).toBeVisible();
    await expect(dialog.getByText('当日のみの変更', { exact: true })).toBeVisible();
    await expect(dialog.getByText('28:30 = 翌日の 04:30')).toBeVisible();
    await expect(dialog.getByTestId('expectation-next')).toContainText('次の開始予定');
    await page.screenshot({ path: 'screenshots/expectation-dialog-ja.png' });
    await dialog.getByTestId('expectation-end-within').fill('0');
    await dialog.getByTestId('expectation-submit').click();
    await expect(dialog.getByTestId('expectation-end-within-error')).toHaveText('endWithinMinutes は 1 分以上です');
    await dialog.getByTestId('expectation-cancel').click();
    await page.getByTestId('language').selectOption('en');

    // Whenever it runs: no expected start, so no deadlines, missed-after or preview; only its length is watched.
    dialog = await openExpectation(page, object.name);
    await dialog.getByTestId('expectation-schedule-whenever').check();
    await expect(dialog.getByTestId('expectation-whenever-hint')).toBeVisible();
    await expect(dialog.getByTestId('expectation-missed-after')).toHaveCount(0);
    await expect(dialog.getByTestId('expectation-next')).toHaveCount(0);
    await expect(dialog.getByTestId('expectation-end-within')).toHaveValue('120');
    await dialog.getByTestId('expectation-submit').click();
    await expect(dialog).toHaveCount(0);
    const whenever = (await operator.get(`/objects/${object.id}/expectation`)).body.expectation;
    expect(whenever).toMatchObject({ schedule: { whenever: true }, timeZone: 'Asia/Tokyo', endWithinMinutes: 120 });
    expect(whenever).not.toHaveProperty('startBy');
    expect(whenever).not.toHaveProperty('missedAfterMinutes');

    // Removed after a confirmation; Cancel first keeps it.
    dialog = await openExpectation(page, object.name);
    await dialog.getByTestId('expectation-remove').click();
    const confirm = page.getByTestId('expectation-remove-dialog');
    await expect(confirm).toContainText(`Remove the expectation of ${object.name}?`);
    await confirm.getByTestId('expectation-remove-dialog-cancel').click();
    await expect(confirm).toHaveCount(0);
    await expect(dialog).toBeVisible();
    await dialog.getByTestId('expectation-remove').click();
    await confirm.getByTestId('expectation-remove-dialog-confirm').click();
    await expect(confirm).toHaveCount(0);
    await expect(dialog).toHaveCount(0);
    await expect(mark).toHaveCount(0);
    expect((await operator.get(`/objects/${object.id}/expectation`)).body.expectation).toBeNull();
    await operator.dispose();
  });

  test('a guest sees the mark but cannot change the expectation', async ({ page, consoleHost }) => {
    const operator = await apiAs(consoleHost, 'operator');
    const object = await newObject(operator, consoleHost);
    const set = await operator.request.put(`/api/v1/objects/${object.id}/expectation`, {
      data: { schedule: { cron: '30 2 * * *' }, timeZone: 'UTC' },
      headers: { 'x-csrf-token': operator.csrfToken },
    });
    expect(set.status()).toBe(200);

    await signIn(page, 'guest');
    await expect(page.getByTestId(`has-expectation-${object.name}`).first()).toBeVisible();
    // No definition mode, so no dialog to change it in.
    await expect(page.getByTestId('define-toggle')).toHaveCount(0);
    await expect(page.getByTestId(`nav-expectation-object-${object.name}`)).toHaveCount(0);

    // The guest's own session asking anyway: refused, and nothing changed.
    const answer = await page.evaluate(async (id) => {
      const session = await (await fetch('/api/v1/session')).json();
      const headers = { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken };
      const put = await fetch(`/api/v1/objects/${id}/expectation`, { method: 'PUT', headers, body: JSON.stringify({ schedule: { times: ['01:00'] }, timeZone: 'UTC' }) });
      const del = await fetch(`/api/v1/objects/${id}/expectation`, { method: 'DELETE', headers });
      const read = await fetch(`/api/v1/objects/${id}/expectation`);
      return { put: put.status, del: del.status, read: read.status };
    }, object.id);
    expect(answer).toEqual({ put: 403, del: 403, read: 200 });
    expect((await operator.get(`/objects/${object.id}/expectation`)).body.expectation.schedule).toEqual({ cron: '30 2 * * *' });
    await operator.dispose();
  });
});
