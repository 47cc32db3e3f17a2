'use client';
// The console's users, one row each, with what an admin may change: the role,
// enabled or disabled, a new password. The server guards its own rules (not
// your own account, not the last admin) and its refusal is shown under the row.
import { useEffect, useRef, useState } from 'react';
import { ROLES } from '../../server/auth/roles';
import { common } from '../i18n/dictionary';
import { useClock, useText } from '../i18n/lang';
import type { Role } from '../session/session';
import { Done, errorsOf, Refusal, Time } from './feedback';
import { PasswordDialog } from './password-dialog';
import { usersText } from './text';
import { useUpdateUser, useUsers, type UserRow } from './use-users';
import tableStyles from '../table/table.module.css';
import styles from './users.module.css';

const COLUMNS = 7;

interface Feedback {
  kind: 'done' | 'refused';
  text: string;
}

export function UsersTable({ me }: { me: string }) {
  const t = useText(usersText);
  const users = useUsers(true);
  const [resetting, setResetting] = useState<UserRow | null>(null);
  const [feedback, setFeedback] = useState<{ userId: number } & Feedback>();

  return (
    <section className={tableStyles.frame} aria-labelledby="users-title" data-testid="users">
      <div className={styles.sectionHead}>
        <h2 id="users-title" className={styles.sectionTitle}>
          {t.usersTitle}
        </h2>
        <span className={styles.headSpacer} />
        <button type="button" className="button ghost small" data-testid="users-refresh" onClick={() => void users.refetch()} disabled={users.isFetching}>
          {t.refresh}
        </button>
      </div>
      {users.isPending && <p className={`${styles.status} muted`}>{t.loading}</p>}
      {users.isError && (
        <div className={styles.status}>
          <Refusal message={`${t.loadFailed} ${users.error.message}`} testId="users-load-error" />
        </div>
      )}
      {users.data && users.data.length === 0 && <p className={styles.empty}>{t.noUsers}</p>}
      {users.data && users.data.length > 0 && (
        <div className={tableStyles.scroll}>
          <table className={`${tableStyles.table} ${styles.table}`} data-testid="users-table">
            <thead>
              <tr>
                <th scope="col">{t.columns.name}</th>
                <th scope="col">{t.columns.role}</th>
                <th scope="col">{t.columns.state}</th>
                <th scope="col" className={tableStyles.num}>
                  {t.columns.sessions}
                </th>
                <th scope="col">{t.columns.lastSeen}</th>
                <th scope="col">{t.columns.created}</th>
                <th scope="col">{t.columns.actions}</th>
              </tr>
            </thead>
            <tbody>
              {users.data.map((user) => (
                <UserRowView
                  key={user.id}
                  user={user}
                  isMe={user.name === me}
                  feedback={feedback?.userId === user.id ? feedback : undefined}
                  onFeedback={(f) => setFeedback(f && { userId: user.id, ...f })}
                  onResetPassword={() => setResetting(user)}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {resetting && (
        <PasswordDialog
          user={resetting}
          onClose={() => setResetting(null)}
          onDone={(ended) => setFeedback({ userId: resetting.id, kind: 'done', text: t.done.password(resetting.name, ended) })}
        />
      )}
    </section>
  );
}

function UserRowView({
  user,
  isMe,
  feedback,
  onFeedback,
  onResetPassword,
}: {
  user: UserRow;
  isMe: boolean;
  feedback: Feedback | undefined;
  onFeedback: (feedback: Feedback | undefined) => void;
  onResetPassword: () => void;
}) {
  const t = useText(usersText);
  const roles = useText(common).header.roles;
  const formatClock = useClock();
  const update = useUpdateUser();
  // The role picked in the select until it is set; the stored one otherwise.
  const [picked, setPicked] = useState<Role | null>(null);
  const [armed, setArmed] = useState(false);
  // Keyboard users keep their place: back to Disable when the confirmation is withdrawn.
  const disableButton = useRef<HTMLButtonElement>(null);
  const wasArmed = useRef(false);
  useEffect(() => {
    if (wasArmed.current && !armed && document.activeElement === document.body) disableButton.current?.focus();
    wasArmed.current = armed;
  }, [armed]);
  const role = picked ?? user.role;
  const busy = update.isPending;

  async function change(patch: { role?: Role; disabled?: boolean }, done: string) {
    onFeedback(undefined);
    try {
      await update.mutateAsync({ id: user.id, ...patch });
      setPicked(null);
      onFeedback({ kind: 'done', text: done });
    } catch (err) {
      onFeedback({ kind: 'refused', text: errorsOf(err).message ?? '' });
    } finally {
      setArmed(false);
    }
  }

  const id = `user-${user.name}`;
  return (
    <>
      <tr
        className={user.disabled ? styles.rowDisabled : undefined}
        data-testid={id}
        data-role={user.role}
        data-disabled={user.disabled}
        data-attacked={user.attack !== null}
      >
        <th scope="row" className={styles.name}>
          {user.name}
          {isMe && <span className={styles.badge}>{t.you}</span>}
        </th>
        <td className={styles.nowrap} data-testid={`${id}-role-name`}>{roles[user.role] ?? user.role}</td>
        <td data-testid={`${id}-state`}>
          {user.disabled ? (
            <span className={`${styles.state} ${styles.stateDisabled}`}>
              <span aria-hidden="true">⊘</span>
              {t.disabled}
            </span>
          ) : (
            <span className={`${styles.state} ${styles.stateEnabled}`}>
              <span aria-hidden="true">●</span>
              {t.enabled}
            </span>
          )}
          {user.attack && (
            <span
              className={styles.attack}
              data-testid={`${id}-attack`}
              data-failures={user.attack.failures}
              data-addresses={user.attack.addresses}
              title={t.attackHint}
            >
              <span className={`${styles.state} ${styles.stateAttacked}`}>
                <span aria-hidden="true">⚠</span>
                {t.underAttack}
              </span>
              <span className={styles.attackDetail}>{t.attack(user.attack.failures, user.attack.addresses, formatClock(user.attack.since))}</span>
            </span>
          )}
        </td>
        <td className={tableStyles.num} data-testid={`${id}-sessions`}>
          {user.sessions}
        </td>
        <td>
          <Time iso={user.lastSeenAt} fallback={t.never} />
        </td>
        <td>
          <Time iso={user.createdAt} />
        </td>
        <td>
          <div className={styles.actions}>
            <span className={styles.roleControl}>
              <label className="sr-only" htmlFor={`${id}-role`}>
                {t.roleOf(user.name)}
              </label>
              <select
                id={`${id}-role`}
                className={styles.select}
                data-testid={`${id}-role`}
                value={role}
                disabled={busy}
                onChange={(e) => setPicked(e.target.value as Role)}
              >
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {roles[r]}
                  </option>
                ))}
              </select>
              <button
                type="button"
                className="button small"
                data-testid={`${id}-set-role`}
                disabled={busy || role === user.role}
                onClick={() => void change({ role }, t.done.role(user.name, roles[role]))}
              >
                {t.setRole}
              </button>
            </span>
            {user.disabled ? (
              <button
                type="button"
                className="button small"
                data-testid={`${id}-enable`}
                disabled={busy}
                onClick={() => void change({ disabled: false }, t.done.enabled(user.name))}
              >
                {t.enable}
              </button>
            ) : armed ? (
              <>
                <button
                  type="button"
                  className="button danger small"
                  data-testid={`${id}-disable-confirm`}
                  aria-describedby={`${id}-disable-hint`}
                  autoFocus
                  disabled={busy}
                  onClick={() => void change({ disabled: true }, t.done.disabled(user.name))}
                >
                  {t.confirmDisable}
                </button>
                <button type="button" className="button ghost small" onClick={() => setArmed(false)} disabled={busy}>
                  {t.cancel}
                </button>
              </>
            ) : (
              <button ref={disableButton} type="button" className="button small" data-testid={`${id}-disable`} onClick={() => setArmed(true)}>
                {t.disable}
              </button>
            )}
            <button type="button" className="button ghost small" data-testid={`${id}-reset`} onClick={onResetPassword}>
              {t.resetPassword}
            </button>
          </div>
        </td>
      </tr>
      {(feedback || armed) && (
        <tr className={styles.feedbackRow}>
          <td colSpan={COLUMNS}>
            {armed ? (
              <p className={styles.hint} id={`${id}-disable-hint`}>
                {t.disableHint}
              </p>
            ) : feedback?.kind === 'refused' ? (
              <Refusal message={feedback.text} testId={`${id}-error`} />
            ) : (
              feedback && <Done message={feedback.text} testId={`${id}-done`} />
            )}
          </td>
        </tr>
      )}
    </>
  );
}
