'use client';
// Every session still valid on this console, newest activity first; an admin
// ends one and that browser is sent to sign in again at once.
import { useState } from 'react';
import { common } from '../i18n/dictionary';
import { useText } from '../i18n/lang';
import { Done, errorsOf, Refusal, Time } from './feedback';
import { usersText } from './text';
import { useEndSession, useSessions, type SessionRow } from './use-users';
import tableStyles from '../table/table.module.css';
import styles from './users.module.css';

export function SessionsTable() {
  const t = useText(usersText);
  const s = t.sessions;
  const sessions = useSessions(true);
  const [feedback, setFeedback] = useState<{ kind: 'done' | 'refused'; text: string }>();

  return (
    <section className={tableStyles.frame} aria-labelledby="sessions-title" data-testid="sessions">
      <div className={styles.sectionHead}>
        <h2 id="sessions-title" className={styles.sectionTitle}>
          {s.title}
        </h2>
        <span className={styles.headSpacer} />
        <button
          type="button"
          className="button ghost small"
          data-testid="sessions-refresh"
          onClick={() => void sessions.refetch()}
          disabled={sessions.isFetching}
        >
          {t.refresh}
        </button>
      </div>
      {feedback && (
        <div className={styles.status}>
          {feedback.kind === 'refused' ? (
            <Refusal message={feedback.text} testId="sessions-error" />
          ) : (
            <Done message={feedback.text} testId="sessions-done" />
          )}
        </div>
      )}
      {sessions.isPending && <p className={`${styles.status} muted`}>{t.loading}</p>}
      {sessions.isError && (
        <div className={styles.status}>
          <Refusal message={`${t.loadFailed} ${sessions.error.message}`} testId="sessions-load-error" />
        </div>
      )}
      {sessions.data && sessions.data.length === 0 && <p className={styles.empty}>{s.none}</p>}
      {sessions.data && sessions.data.length > 0 && (
        <div className={tableStyles.scroll}>
          <table className={`${tableStyles.table} ${styles.table}`} data-testid="sessions-table">
            <thead>
              <tr>
                <th scope="col">{s.user}</th>
                <th scope="col">{s.role}</th>
                <th scope="col">{s.started}</th>
                <th scope="col">{s.lastSeen}</th>
                <th scope="col">{s.expires}</th>
                <th scope="col">{s.actions}</th>
              </tr>
            </thead>
            <tbody>
              {sessions.data.map((session) => (
                <SessionRowView key={session.id} session={session} onFeedback={setFeedback} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function SessionRowView({ session, onFeedback }: { session: SessionRow; onFeedback: (f: { kind: 'done' | 'refused'; text: string } | undefined) => void }) {
  const t = useText(usersText);
  const s = t.sessions;
  const roles = useText(common).header.roles;
  const end = useEndSession();
  const [armed, setArmed] = useState(false);

  async function confirm() {
    onFeedback(undefined);
    try {
      await end.mutateAsync(session.id);
      onFeedback({ kind: 'done', text: t.done.sessionEnded(session.user) });
    } catch (err) {
      onFeedback({ kind: 'refused', text: errorsOf(err).message ?? '' });
      setArmed(false);
    }
  }

  return (
    <tr data-testid="session-row" data-user={session.user} data-current={session.current}>
      <th scope="row" className={styles.name}>
        {session.user}
      </th>
      <td className={styles.nowrap}>{roles[session.role] ?? session.role}</td>
      <td>
        <Time iso={session.createdAt} />
      </td>
      <td>
        <Time iso={session.lastSeenAt} />
      </td>
      <td>
        <Time iso={session.expiresAt} />
      </td>
      <td>
        <div className={styles.actions}>
          {session.current ? (
            <>
              <span className={styles.currentBadge} data-testid="session-current">
                <span aria-hidden="true">★ </span>
                {s.current}
              </span>
              <span className={styles.hint}>{s.currentHint}</span>
            </>
          ) : armed ? (
            <>
              <button type="button" className="button danger small" data-testid="session-end-confirm" autoFocus disabled={end.isPending} onClick={() => void confirm()}>
                {s.confirmEnd}
              </button>
              <button type="button" className="button ghost small" onClick={() => setArmed(false)} disabled={end.isPending}>
                {t.cancel}
              </button>
            </>
          ) : (
            <button type="button" className="button small" data-testid="session-end" aria-label={s.endOf(session.user)} onClick={() => setArmed(true)}>
              {s.end}
            </button>
          )}
        </div>
      </td>
    </tr>
  );
}
