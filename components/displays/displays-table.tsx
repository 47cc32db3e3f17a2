'use client';
// Every wall display, revoked ones too (greyed: who had a screen, and when it
// ended): where it shows, how, who enrolled it, whether its screen is connected,
// its browser and its state; and what an admin does with one.
import Link from 'next/link';
import { useState } from 'react';
import { SUMMARY_CLASSES } from '../../server/domain/status';
import { ConfirmDialog } from '../definitions/confirm-dialog';
import type { Scope } from '../definitions/types';
import { common } from '../i18n/dictionary';
import { useClock, useText } from '../i18n/lang';
import { Done, Refusal, Time } from '../users/feedback';
import { EditDialog } from './edit-dialog';
import { previewHref } from './preview-href';
import { displaysText } from './text';
import { useDisplays, useRevokeDisplay, type DisplayEntry } from './use-displays';
import { shortUserAgent } from './user-agent';
import tableStyles from '../table/table.module.css';
import userStyles from '../users/users.module.css';
import styles from './displays.module.css';

const COLUMNS = 8;

export function DisplaysTable({ scopes }: { scopes: Scope[] }) {
  const t = useText(displaysText);
  const displays = useDisplays();
  const revoke = useRevokeDisplay();
  const [editing, setEditing] = useState<DisplayEntry | null>(null);
  const [revoking, setRevoking] = useState<DisplayEntry | null>(null);
  const [done, setDone] = useState<{ id: number; text: string }>();

  return (
    <section className={tableStyles.frame} aria-labelledby="displays-title" data-testid="displays">
      <div className={userStyles.sectionHead}>
        <h2 id="displays-title" className={userStyles.sectionTitle}>
          {t.listTitle}
        </h2>
        <span className={userStyles.headSpacer} />
        <button type="button" className="button ghost small" data-testid="displays-refresh" onClick={() => void displays.refetch()} disabled={displays.isFetching}>
          {t.refresh}
        </button>
      </div>
      {displays.isPending && <p className={`${userStyles.status} muted`}>{t.loading}</p>}
      {displays.isError && (
        <div className={userStyles.status}>
          <Refusal message={`${t.loadFailed} ${displays.error.message}`} testId="displays-load-error" />
        </div>
      )}
      {displays.data && displays.data.length === 0 && (
        <p className={userStyles.empty} data-testid="displays-none">
          {t.none}
        </p>
      )}
      {displays.data && displays.data.length > 0 && (
        <div className={tableStyles.scroll}>
          <table className={`${tableStyles.table} ${userStyles.table} ${styles.table}`} data-testid="displays-table">
            <thead>
              <tr>
                <th scope="col">{t.columns.name}</th>
                <th scope="col">{t.columns.scope}</th>
                <th scope="col">{t.columns.settings}</th>
                <th scope="col">{t.columns.enrolled}</th>
                <th scope="col">{t.columns.connection}</th>
                <th scope="col">{t.columns.browser}</th>
                <th scope="col">{t.columns.state}</th>
                <th scope="col">{t.columns.actions}</th>
              </tr>
            </thead>
            <tbody>
              {displays.data.map((display) => (
                <DisplayRow
                  key={display.id}
                  display={display}
                  done={done?.id === display.id ? done.text : undefined}
                  onEdit={() => setEditing(display)}
                  onRevoke={() => setRevoking(display)}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing && (
        <EditDialog display={editing} scopes={scopes} onClose={() => setEditing(null)} onDone={(name) => setDone({ id: editing.id, text: t.done.saved(name) })} />
      )}
      {revoking && (
        <ConfirmDialog
          title={t.revokeDialog.title(revoking.name)}
          confirm={t.revokeDialog.confirm}
          busyLabel={t.revokeDialog.busy}
          testId="revoke-dialog"
          onConfirm={() => revoke.mutateAsync(revoking.id)}
          onDone={() => {
            setDone({ id: revoking.id, text: t.done.revoked(revoking.name) });
            setRevoking(null);
          }}
          onClose={() => setRevoking(null)}
        >
          <p>{t.revokeDialog.body}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function DisplayRow({ display, done, onEdit, onRevoke }: { display: DisplayEntry; done: string | undefined; onEdit(): void; onRevoke(): void }) {
  const t = useText(displaysText);
  const formatClock = useClock();
  const id = `display-${display.name}`;
  const revoked = display.state === 'revoked';
  const preview = previewHref(display);
  const browser = shortUserAgent(display.userAgent);

  return (
    <>
      <tr className={revoked ? styles.rowRevoked : undefined} data-testid={id} data-id={display.id} data-state={display.state} data-connected={display.connected}>
        <th scope="row" className={userStyles.name}>
          {display.name}
        </th>
        <td data-testid={`${id}-scope`} data-scope-id={display.scope?.id ?? ''}>
          {display.scope ? display.scope.name : <span className={styles.warn}>{t.noScope}</span>}
        </td>
        <td data-testid={`${id}-settings`}>
          <SettingsSummary display={display} />
        </td>
        <td data-testid={`${id}-enrolled`} className={styles.enrolled}>
          <Time iso={display.enrolledAt} />
          <span className={styles.sub}>{t.enrolledBy(display.enrolledBy)}</span>
        </td>
        <td data-testid={`${id}-connection`}>
          {display.connected && display.connectedSince ? (
            <span className={`${userStyles.state} ${styles.connected}`}>
              <span aria-hidden="true">●</span>
              {t.connectedSince(formatClock(display.connectedSince))}
            </span>
          ) : (
            <span className={`${userStyles.state} ${styles.disconnected}`}>
              <span aria-hidden="true">○</span>
              {display.lastSeenAt ? t.notConnectedSince(formatClock(display.lastSeenAt)) : t.neverConnected}
            </span>
          )}
        </td>
        <td data-testid={`${id}-browser`} title={display.userAgent || undefined} className={styles.browser}>
          {browser || <span className="muted">{t.unknownBrowser}</span>}
        </td>
        <td data-testid={`${id}-state`}>
          <span className={`${userStyles.state} ${styles[`state-${display.state}`]}`}>
            <span aria-hidden="true">{display.state === 'active' ? '●' : display.state === 'revoked' ? '⊘' : '◌'}</span>
            {t.states[display.state]}
          </span>
          {display.revokedAt && <span className={styles.sub}>{t.revokedAt(formatClock(display.revokedAt))}</span>}
        </td>
        <td>
          {!revoked && (
            <div className={userStyles.actions}>
              <button type="button" className="button small" data-testid={`${id}-edit`} aria-label={t.editOf(display.name)} onClick={onEdit}>
                {t.edit}
              </button>
              {preview && (
                <Link href={preview} className={`button ghost small ${styles.linkButton}`} data-testid={`${id}-preview`} aria-label={t.previewOf(display.name)}>
                  {t.preview}
                </Link>
              )}
              <button type="button" className="button ghost small" data-testid={`${id}-revoke`} aria-label={t.revokeOf(display.name)} onClick={onRevoke}>
                {t.revoke}
              </button>
            </div>
          )}
        </td>
      </tr>
      {done && (
        <tr className={userStyles.feedbackRow}>
          <td colSpan={COLUMNS}>
            <Done message={done} testId={`${id}-done`} />
          </td>
        </tr>
      )}
    </>
  );
}

/** The settings in a line: density, page time, rotation, classes, time zone, language. */
function SettingsSummary({ display }: { display: DisplayEntry }) {
  const t = useText(displaysText);
  const summaryNames = useText(common).summary;
  const s = display.settings;
  const classes = s.classes.length === SUMMARY_CLASSES.length ? t.summary.allClasses : t.summary.classes(s.classes.map((c) => summaryNames[c]));
  const parts = [
    t.summary.density[s.density],
    t.summary.pages(s.pageSeconds),
    ...(s.rotate ? [t.summary.rotates(s.rotateSeconds)] : []),
    classes,
    s.timeZone ?? t.summary.screenZone,
    t.languages[s.language],
  ];
  return (
    <ul className={styles.summary}>
      {parts.map((part) => (
        <li key={part}>{part}</li>
      ))}
    </ul>
  );
}
