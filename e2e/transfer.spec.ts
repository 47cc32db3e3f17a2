import fs from 'node:fs';
import { apiAs, expect, signIn, test, uniqueName, type ApiClient } from './fixtures';

interface Defs {
  scopes: { id: number; name: string; parentId: number | null; icon: string; comment: string }[];
  objects: { name: string; scopeId: number; host: string; unit: string }[];
}

/** The definitions without their ids, which an import gives anew. */
async function definitionsOf(client: ApiClient) {
  const { body } = await client.get<Defs>('/definitions');
  const nameOf = new Map(body.scopes.map((s) => [s.id, s.name]));
  return {
    scopes: body.scopes.map((s) => ({ name: s.name, parent: s.parentId === null ? null : nameOf.get(s.parentId), icon: s.icon, comment: s.comment })).sort((a, b) => a.name.localeCompare(b.name)),
    objects: body.objects.map((o) => ({ name: o.name, scope: nameOf.get(o.scopeId), host: o.host, unit: o.unit })).sort((a, b) => a.name.localeCompare(b.name)),
  };
}

test.describe('export and import of definitions', () => {
  test('an admin exports, changes things, imports the file back and sees the original definitions', async ({ page, consoleHost }, testInfo) => {
    const admin = await apiAs(consoleHost, 'admin');
    const topName = uniqueName('Payroll');
    const childName = uniqueName('Monthly');
    const objectName = uniqueName('Payslips');
    const top = await admin.post('/scopes', { name: topName, comment: 'salaries', icon: 'database' });
    const child = await admin.post('/scopes', { name: childName, parentId: top.body.scope.id });
    expect((await admin.post('/objects', { name: objectName, scopeId: child.body.scope.id, host: consoleHost.name, unit: 'AJSROOT1:/Payroll/Payslips' })).status).toBe(201);
    const original = await definitionsOf(admin);

    await signIn(page, 'admin');
    await page.goto('/hosts');
    const downloading = page.waitForEvent('download');
    await page.getByTestId('export-definitions').click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(new RegExp(`^jobscope-definitions-${consoleHost.name}-\\d{4}-\\d{2}-\\d{2}\\.json$`));
    const file = testInfo.outputPath(download.suggestedFilename());
    await download.saveAs(file);
    await expect(page.getByTestId('export-done')).toContainText(download.suggestedFilename());
    const document = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(document).toMatchObject({ format: 'jobscope-definitions', version: 1, exportedFrom: consoleHost.name });
    expect(JSON.stringify(document.scopes)).toContain(objectName);

    // Changes after the export: a renamed scope, a deleted object, a new scope.
    const extra = uniqueName('Extra');
    await admin.request.patch(`/api/v1/scopes/${top.body.scope.id}`, { data: { name: `${topName} renamed` }, headers: { 'x-csrf-token': admin.csrfToken } });
    await admin.request.delete(`/api/v1/scopes/${child.body.scope.id}`, { headers: { 'x-csrf-token': admin.csrfToken } });
    expect((await admin.post('/scopes', { name: extra })).status).toBe(201);
    expect(await definitionsOf(admin)).not.toEqual(original);

    await page.getByTestId('import-file').setInputFiles(file);
    const confirm = page.getByTestId('import-dialog');
    await expect(confirm).toContainText('replaces all business scopes and monitoring objects');
    await expect(confirm).toContainText(download.suggestedFilename());
    await page.getByTestId('import-dialog-confirm').click();
    await expect(confirm).toHaveCount(0);
    await expect(page.getByTestId('import-done')).toContainText(`Imported ${original.scopes.length} scope`);
    expect(await definitionsOf(admin)).toEqual(original);

    await page.getByTestId('nav-monitor').click();
    const section = page.getByTestId(`scope-${topName}`);
    await expect(section).toContainText('salaries');
    await expect(section.getByTestId(`scope-${childName}`).getByTestId(`tile-${objectName}`)).toContainText('AJSROOT1:/Payroll/Payslips');
    await expect(page.getByTestId(`scope-${topName} renamed`)).toHaveCount(0);
    await expect(page.getByTestId(`scope-${extra}`)).toHaveCount(0);
    await admin.dispose();
  });

  test('a broken file is refused with the JSON path of each problem, and nothing changes', async ({ page, consoleHost }) => {
    const admin = await apiAs(consoleHost, 'admin');
    expect((await admin.post('/scopes', { name: uniqueName('Kept') })).status).toBe(201);
    const before = await definitionsOf(admin);

    await signIn(page, 'admin');
    await page.goto('/hosts');
    const broken = {
      format: 'jobscope-definitions',
      version: 1,
      hosts: [],
      scopes: [{ name: '', icon: 'rocket', objects: [{ name: 'Lost', host: 'nowhere', unit: 'no-slash' }] }],
    };
    await page.getByTestId('import-file').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(broken)) });
    await expect(page.getByTestId('import-dialog')).toContainText('1 scope and 1 object');
    await page.getByTestId('import-dialog-confirm').click();
    const problems = page.getByTestId('import-problems');
    await expect(problems).toContainText('broken.json was refused; nothing was changed');
    await expect(problems.getByTestId('import-problem')).toHaveCount(4);
    for (const [path, message] of [
      ['$.scopes[0].name', 'name is required'],
      ['$.scopes[0].icon', 'icon must be one of'],
      ['$.scopes[0].objects[0].host', 'host nowhere is neither in the document'],
      ['$.scopes[0].objects[0].unit', 'must start with /'],
    ]) {
      await expect(problems.locator(`[data-path="${path}"]`)).toContainText(message);
    }
    expect(await definitionsOf(admin)).toEqual(before);

    // Not JSON at all: said at once, nothing sent.
    await page.getByTestId('import-file').setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{ not json') });
    await expect(page.getByTestId('import-dialog')).toHaveCount(0);
    await expect(problems).toContainText('notes.json was refused');
    await expect(problems.locator('[data-path="$"]')).toContainText('not JSON');
    expect(await definitionsOf(admin)).toEqual(before);
    await admin.dispose();
  });

  test('an operator may neither export nor import, and is not offered to', async ({ page, consoleHost }) => {
    const operator = await apiAs(consoleHost, 'operator');
    expect((await operator.get('/definitions/export')).status).toBe(403);
    expect((await operator.post('/definitions/import', { format: 'jobscope-definitions', version: 1, hosts: [], scopes: [] })).status).toBe(403);
    expect((await operator.get('/definitions')).body.scopes.length).toBeGreaterThan(0);
    await operator.dispose();

    await signIn(page, 'operator');
    await page.goto('/hosts');
    await expect(page.getByTestId(`host-${consoleHost.name}`)).toBeVisible();
    await expect(page.getByTestId('transfer')).toHaveCount(0);
    await expect(page.getByTestId('export-definitions')).toHaveCount(0);
  });
});
