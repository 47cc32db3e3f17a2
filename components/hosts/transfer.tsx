'use client';
// Export and import of the definitions, for admins: the export downloads the
// server's JSON document; an import reads a file, says first that it replaces
// every scope and object, then shows the server's counts, or its problems by
// JSON path (the server checks the whole document before it changes anything).
import { useQueryClient } from '@tanstack/react-query';
import { useState, type ChangeEvent } from 'react';
import { ConfirmDialog } from '../definitions/confirm-dialog';
import { definitionsKey, hostsKey } from '../definitions/use-definitions';
import { useText } from '../i18n/lang';
import { api, apiResponse, ApiError } from '../session/api';
import { useShell } from '../shell/app-shell';
import { hostsText } from './text';
import styles from './hosts.module.css';

interface ImportCounts {
  scopes: number;
  objects: number;
  backgrounds: number;
  hosts: { added: number; updated: number };
}

interface Chosen {
  file: string;
  document: unknown;
  scopes: number;
  objects: number;
  hosts: number;
}

type Outcome = { kind: 'done'; counts: ImportCounts } | { kind: 'refused'; file: string; problems: [string, string][] } | { kind: 'exported'; file: string } | null;

/** How many scopes and objects a document holds, counted as loosely as it may be written. */
function countDocument(doc: unknown): { scopes: number; objects: number; hosts: number } {
  const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
  let scopes = 0;
  let objects = 0;
  const walk = (items: unknown[]) => {
    for (const s of items) {
      scopes++;
      const scope = (s ?? {}) as { scopes?: unknown; objects?: unknown };
      objects += list(scope.objects).length;
      walk(list(scope.scopes));
    }
  };
  const top = (doc ?? {}) as { scopes?: unknown; hosts?: unknown };
  walk(list(top.scopes));
  return { scopes, objects, hosts: list(top.hosts).length };
}

/** GET /definitions/export as a file download, under the name the server gives it. */
async function downloadExport(): Promise<string> {
  const res = await apiResponse('/definitions/export');
  const file = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'jobscope-definitions.json';
  const url = URL.createObjectURL(await res.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = file;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return file;
}

export function TransferSection() {
  const t = useText(hostsText).transfer;
  const { session } = useShell();
  const queryClient = useQueryClient();
  const [exporting, setExporting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [chosen, setChosen] = useState<Chosen | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);

  async function exportFile() {
    setExporting(true);
    setError(null);
    setOutcome(null);
    try {
      setOutcome({ kind: 'exported', file: await downloadExport() });
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setExporting(false);
    }
  }

  async function choose(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    // The same file may be chosen again (after fixing it): the input forgets it.
    event.target.value = '';
    if (!file) return;
    setError(null);
    setOutcome(null);
    let document: unknown;
    try {
      document = JSON.parse(await file.text());
    } catch {
      setOutcome({ kind: 'refused', file: file.name, problems: [['$', t.notJson]] });
      return;
    }
    setChosen({ file: file.name, document, ...countDocument(document) });
  }

  async function importChosen(c: Chosen) {
    try {
      const counts = await api<ImportCounts>('/definitions/import', { method: 'POST', body: c.document, csrfToken: session?.csrfToken });
      setOutcome({ kind: 'done', counts });
      await Promise.all([queryClient.invalidateQueries({ queryKey: definitionsKey }), queryClient.invalidateQueries({ queryKey: hostsKey })]);
    } catch (err) {
      // A refused document: its problems are listed on the page, the dialog closes.
      if (err instanceof ApiError && err.status === 400) {
        const problems = Object.entries(err.fields);
        setOutcome({ kind: 'refused', file: c.file, problems: problems.length > 0 ? problems : [['$', err.message]] });
        return;
      }
      throw err;
    }
  }

  return (
    <section className={styles.section} aria-labelledby="transfer-title" data-testid="transfer">
      <h2 id="transfer-title" className={styles.sectionTitle}>
        {t.title}
      </h2>
      <p className={styles.note}>
        {t.intro} {t.secret}
      </p>
      <div className={styles.controls}>
        <button type="button" className="button" data-testid="export-definitions" onClick={exportFile} disabled={exporting}>
          {exporting ? t.exporting : t.export}
        </button>
        <label className={`button ${styles.file}`}>
          {t.import}
          <input type="file" accept=".json,application/json" aria-label={t.file} data-testid="import-file" onChange={choose} />
        </label>
      </div>
      {error && (
        <p className="form-error" role="alert" data-testid="transfer-error">
          {error}
        </p>
      )}
      {outcome?.kind === 'exported' && (
        <p className={styles.note} role="status" data-testid="export-done">
          {t.exported(outcome.file)}
        </p>
      )}
      {outcome?.kind === 'done' && (
        <p className={styles.done} role="status" data-testid="import-done">
          {t.done(outcome.counts.scopes, outcome.counts.objects, outcome.counts.backgrounds, outcome.counts.hosts.added, outcome.counts.hosts.updated)}
        </p>
      )}
      {outcome?.kind === 'refused' && (
        <div className="form-error" role="alert" data-testid="import-problems">
          <p>{t.refused(outcome.file)}</p>
          <ul className={styles.problems}>
            {outcome.problems.map(([path, message]) => (
              <li key={path} data-testid="import-problem" data-path={path}>
                <code>{path}</code>
                {message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {chosen && (
        <ConfirmDialog
          title={t.confirmTitle}
          confirm={t.confirm}
          busyLabel={t.importing}
          testId="import-dialog"
          onConfirm={() => importChosen(chosen)}
          onClose={() => setChosen(null)}
        >
          {t.confirmBody(chosen.file, chosen.scopes, chosen.objects, chosen.hosts)}
        </ConfirmDialog>
      )}
    </section>
  );
}
