'use client';
// The audit log for admins: who did what, newest first, in the operator's time
// zone; filtered by action, older entries a page at a time; both kept in the URL.
import { useEffect } from 'react';
import { COMMAND_LINE_USER, UNKNOWN_NAME } from '../../server/audit/audit';
import { useText } from '../i18n/lang';
import { useShell } from '../shell/app-shell';
import { AdminsOnly } from '../users/admins-only';
import { Time } from '../users/feedback';
import tableStyles from '../table/table.module.css';
import { AuditDetailText } from './audit-detail';
import styles from './audit.module.css';
import { isAuditAction } from './audit-url';
import { ACTIONS, auditText } from './text';
import { useAudit, type AuditEntry } from './use-audit';
import { useAuditView } from './use-audit-view';

export function AuditScreen() {
  const t = useText(auditText);
  const { session, sessionPending } = useShell();
  const isAdmin = session?.user.role === 'admin';
  const [{ action, pages }, setView] = useAuditView();
  const audit = useAudit(action, isAdmin);
  const loadedPages = audit.data?.pages.length ?? 0;
  const { hasNextPage, isFetching, isError, fetchNextPage } = audit;

  // A link, a reload or Forward may show more pages than are loaded: fetch them one after another.
  useEffect(() => {
    if (loadedPages > 0 && loadedPages < pages && hasNextPage && !isFetching && !isError) void fetchNextPage();
  }, [loadedPages, pages, hasNextPage, isFetching, isError, fetchNextPage]);

  if (!session) return <main className={styles.page}>{sessionPending && <p className="muted">{t.loading}</p>}</main>;
  if (!isAdmin) {
    return (
      <main className={styles.page}>
        <AdminsOnly role={session.user.role} />
      </main>
    );
  }

  // After Back, more pages may be loaded than the URL shows.
  const entries = audit.data?.pages.slice(0, pages).flatMap((p) => p.entries) ?? [];
  const hasOlder = loadedPages > pages || hasNextPage;
  const loadingOlder = audit.isFetchingNextPage || (hasNextPage && loadedPages < pages && !isError);
  return (
    <main className={styles.page} data-testid="audit-page">
      <div className={styles.head}>
        <h1 className={styles.title}>{t.title}</h1>
        <span className={styles.order}>{t.newestFirst}</span>
        <span className={styles.spacer} />
        <label className={styles.filter}>
          {t.filter}
          <select data-testid="audit-action" value={action ?? ''} onChange={(e) => setView({ action: isAuditAction(e.target.value) ? e.target.value : null, pages: 1 })}>
            <option value="">{t.allActions}</option>
            {ACTIONS.map((a) => (
              <option key={a} value={a}>
                {t.actions[a]}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="button ghost small" data-testid="audit-refresh" onClick={() => void audit.refetch()} disabled={audit.isFetching}>
          {t.refresh}
        </button>
      </div>
      <section className={`${tableStyles.frame} ${tableStyles.scroll}`} aria-labelledby="audit-table-title" aria-busy={audit.isFetching}>
        <h2 id="audit-table-title" className="sr-only">
          {action ? `${t.title}: ${t.actions[action]}` : t.title}
        </h2>
        {audit.isPending && <p className={`${styles.status} muted`}>{t.loading}</p>}
        {audit.isError && (
          <div className={styles.status}>
            <p className={tableStyles.refusal} role="alert" data-testid="audit-error">
              <strong aria-hidden="true">⚠</strong>
              {t.loadFailed} {audit.error.message}
            </p>
          </div>
        )}
        {audit.isSuccess && entries.length === 0 && (
          <p className={`${styles.status} muted`} data-testid="audit-empty">
            {action ? t.emptyFiltered : t.empty}
          </p>
        )}
        {entries.length > 0 && (
          <table className={`${tableStyles.table} ${styles.table}`} data-testid="audit-table">
            <thead>
              <tr>
                <th scope="col">{t.columns.at}</th>
                <th scope="col">{t.columns.user}</th>
                <th scope="col">{t.columns.action}</th>
                <th scope="col">{t.columns.target}</th>
                <th scope="col">{t.columns.detail}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <EntryRow key={entry.id} entry={entry} />
              ))}
            </tbody>
          </table>
        )}
      </section>
      {entries.length > 0 && (
        <div className={styles.foot}>
          <span data-testid="audit-count">{t.shown(entries.length)}</span>
          {hasOlder ? (
            <button type="button" className="button small" data-testid="audit-older" disabled={loadingOlder} onClick={() => setView({ pages: pages + 1 })}>
              {loadingOlder ? t.loadingOlder : t.older}
            </button>
          ) : (
            <span data-testid="audit-end">{t.end}</span>
          )}
        </div>
      )}
    </main>
  );
}

function EntryRow({ entry }: { entry: AuditEntry }) {
  const t = useText(auditText);
  const name = isAuditAction(entry.action) ? t.actions[entry.action] : entry.action;
  // Worth a second look: a refused sign-in, an account coming under attack.
  const warning = entry.action === 'login.refused' || entry.action === 'login.attack';
  return (
    <tr data-testid="audit-row" data-action={entry.action} data-user={entry.user} data-target={entry.target} className={warning ? styles.refused : undefined}>
      <td>
        <Time iso={entry.at} />
      </td>
      <td className={styles.user}>
        {entry.user === COMMAND_LINE_USER ? (
          t.commandLine
        ) : UNKNOWN_NAME.test(entry.user) ? (
          <span className={styles.unknownName} title={t.unknownNameHint}>
            {t.unknownName(entry.user)}
          </span>
        ) : (
          entry.user
        )}
      </td>
      <td>
        <span className={styles.action}>
          <span className={styles.actionName}>
            {warning && <span aria-hidden="true">⚠ </span>}
            {name}
          </span>
          <span className={styles.actionCode}>{entry.action}</span>
        </span>
      </td>
      <td className={styles.target}>{entry.target}</td>
      <td className={styles.detail}>
        <AuditDetailText detail={entry.detail} />
      </td>
    </tr>
  );
}
