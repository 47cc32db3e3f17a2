'use client';
// The monitored hosts page, for everyone signed in: the registry with each feed's
// state, last contact and lag, live from the shell's socket. Admins also see the
// feed tokens (masked until asked), register and remove hosts, and move the
// definitions in and out as a file. The server enforces all of it.
import { useState } from 'react';
import { useNow } from '../shell/use-now';
import { problemWords } from '../../server/domain/feed-problems';
import { ConfirmDialog } from '../definitions/confirm-dialog';
import type { HostHealth } from '../definitions/types';
import { useHostHealth, useRemoveHost } from '../definitions/use-definitions';
import { useClock, useLang, useText } from '../i18n/lang';
import { canManageHosts } from '../session/session';
import { useShell } from '../shell/app-shell';
import { RegisterHostDialog } from './register-host-dialog';
import { hostsText } from './text';
import { useLiveRevision } from '../live/use-live';
import { TransferSection } from './transfer';
import tableStyles from '../table/table.module.css';
import styles from './hosts.module.css';

export type HostStateName = 'reachable' | 'stale' | 'unwatched';

function Token({ host }: { host: HostHealth }) {
  const t = useText(hostsText);
  const [shown, setShown] = useState(false);
  if (host.token === undefined) return null;
  return (
    <span className={styles.token}>
      <code className={`${styles.mono} ${styles.tokenText}`} data-testid={`host-token-${host.name}`} data-shown={shown} title={shown ? host.token : undefined}>
        {shown ? host.token : '•'.repeat(12)}
        {!shown && <span className="sr-only">{t.tokenHidden}</span>}
      </code>
      <button
        type="button"
        className="button ghost small"
        aria-pressed={shown}
        aria-label={t.showToken(host.name)}
        data-testid={`host-token-toggle-${host.name}`}
        onClick={() => setShown((s) => !s)}
      >
        {shown ? t.hide : t.show}
      </button>
    </span>
  );
}

/** How the console checks a host's feed: http, TLS with a CA (named below), or TLS pinned to a certificate. */
function FeedSecurity({ host }: { host: HostHealth }) {
  const t = useText(hostsText).tls;
  const tls = host.tls;
  if (!tls) {
    return (
      <span className={styles.plainFeed} title={t.plainTitle} data-testid={`host-tls-${host.name}`} data-tls="plain">
        {t.shown.plain}
      </span>
    );
  }
  const detail = tls.kind === 'ca' ? tls.subjects.join('; ') : tls.fingerprint;
  return (
    <span className={styles.tls} title={tls.kind === 'ca' ? t.caTitle(detail) : t.pinTitle(detail)} data-testid={`host-tls-${host.name}`} data-tls={tls.kind}>
      <span>{t.shown[tls.kind]}</span>
      <span className={`${styles.tlsDetail} ${tls.kind === 'pin' ? styles.mono : ''}`}>{detail}</span>
    </span>
  );
}

export function HostsScreen() {
  const formatClock = useClock();
  const lang = useLang();
  const t = useText(hostsText);
  const { session, live } = useShell();
  useLiveRevision(live.store); // host states are read from the store below
  const admin = session !== undefined && canManageHosts(session.user.role);
  const hosts = useHostHealth(session !== undefined);
  const remove = useRemoveHost();
  const now = useNow(1000);
  const [registering, setRegistering] = useState(false);
  const [removing, setRemoving] = useState<HostHealth | null>(null);

  return (
    <main className={styles.page} aria-busy={hosts.isPending}>
      <div className={styles.head}>
        <h1 className={styles.title}>{t.title}</h1>
        <p className={styles.intro}>{t.intro}</p>
        {admin && (
          <button type="button" className="button primary" aria-haspopup="dialog" data-testid="register-host" onClick={() => setRegistering(true)}>
            {t.register}
          </button>
        )}
      </div>

      {hosts.isPending && <p className="muted">{t.loading}</p>}
      {hosts.isError && (
        <p className="form-error" role="alert">
          {t.loadFailed} {hosts.error.message}
        </p>
      )}
      {hosts.data && hosts.data.length === 0 && <p className="muted">{t.empty}</p>}
      {hosts.data && hosts.data.length > 0 && (
        <div className={`${tableStyles.frame} ${tableStyles.scroll}`}>
          <table className={`${tableStyles.table} ${styles.table}`} data-testid="hosts-table">
            <thead>
              <tr>
                <th scope="col">{t.columns.name}</th>
                <th scope="col">{t.columns.address}</th>
                <th scope="col">{t.columns.feedPort}</th>
                <th scope="col">{t.columns.feedTls}</th>
                {admin && <th scope="col">{t.columns.token}</th>}
                <th scope="col">{t.columns.objects}</th>
                <th scope="col">{t.columns.watched}</th>
                <th scope="col">{t.columns.state}</th>
                <th scope="col">{t.columns.lastContact}</th>
                <th scope="col" title={t.lagHint}>
                  {t.columns.lag}
                </th>
                {admin && (
                  <th scope="col">
                    <span className="sr-only">{t.columns.actions}</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {hosts.data.map((h) => {
                // Reachability, last contact and lag as the socket tells them; the REST answer until it has.
                const state = h.watched ? live.store.hostState(h.name) : undefined;
                const stale = state?.stale ?? h.stale;
                const lastContactAt = state?.lastContactAt ?? h.lastContactAt;
                const pending = state?.pending ?? h.pending;
                const lastError = state?.error !== undefined ? state.error : h.lastError;
                const name: HostStateName = !h.watched ? 'unwatched' : stale ? 'stale' : 'reachable';
                const since = lastContactAt ? Math.max(0, Math.floor((now - Date.parse(lastContactAt)) / 1000)) : null;
                return (
                  <tr key={h.name} data-testid={`host-${h.name}`} data-state={name}>
                    <th scope="row" className={styles.name}>
                      {h.name}
                    </th>
                    <td className={styles.mono}>{h.address}</td>
                    <td className={`${styles.mono} ${tableStyles.num}`}>{h.feedPort}</td>
                    <td>
                      <FeedSecurity host={h} />
                    </td>
                    {admin && (
                      <td>
                        <Token host={h} />
                      </td>
                    )}
                    <td className={tableStyles.num} data-testid={`host-objects-${h.name}`}>
                      {h.objects}
                    </td>
                    <td>{h.watched ? t.yes : t.no}</td>
                    <td>
                      <span className={`${styles.state} ${styles[name]}`} data-testid={`host-state-${h.name}`}>
                        {t.state[name]}
                      </span>
                      {h.watched && stale && lastError && <div className={styles.error}>{problemWords(lastError)[lang]}</div>}
                    </td>
                    <td data-testid={`host-contact-${h.name}`}>
                      {lastContactAt ? <time dateTime={lastContactAt}>{formatClock(lastContactAt)}</time> : <span className="muted">{t.never}</span>}
                    </td>
                    <td data-testid={`host-lag-${h.name}`}>
                      {h.watched ? (
                        <span className={styles.lag}>
                          {pending !== null && <span className={pending > 0 ? styles.lagBehind : undefined}>{pending > 0 ? t.behind(pending) : t.upToDate}</span>}
                          {since !== null && <span className="muted">{t.since(since)}</span>}
                        </span>
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                    {admin && (
                      <td>
                        <button
                          type="button"
                          className="button ghost small"
                          aria-haspopup="dialog"
                          aria-label={t.removeNamed(h.name)}
                          data-testid={`remove-host-${h.name}`}
                          onClick={() => setRemoving(h)}
                        >
                          {t.remove}
                        </button>
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      {admin && <TransferSection />}

      {registering && <RegisterHostDialog onClose={() => setRegistering(false)} />}
      {removing && (
        <ConfirmDialog
          title={t.removeTitle(removing.name)}
          confirm={t.remove}
          busyLabel={t.removing}
          testId="remove-host-dialog"
          onConfirm={() => remove.mutateAsync(removing.name)}
          onClose={() => setRemoving(null)}
        >
          <p>{t.removeBody}</p>
          {removing.objects > 0 && <p>{t.removeNamedBy(removing.objects)}</p>}
        </ConfirmDialog>
      )}
    </main>
  );
}
