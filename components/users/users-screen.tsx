'use client';
// The Users page: console users, the form for a new one, then the active
// sessions. Admins only; anyone else is told so (the server refuses them anyway).
import { useText } from '../i18n/lang';
import { useShell } from '../shell/app-shell';
import { AdminsOnly } from './admins-only';
import { NewUserForm } from './new-user-form';
import { SessionsTable } from './sessions-table';
import { usersText } from './text';
import { UsersTable } from './users-table';
import styles from './users.module.css';

export function UsersScreen() {
  const t = useText(usersText);
  const { session, sessionPending } = useShell();
  if (!session) {
    // Without a session the page is on its way to /login.
    return <main className={styles.page}>{sessionPending && <p className="muted">{t.loading}</p>}</main>;
  }
  if (session.user.role !== 'admin') {
    return (
      <main className={styles.page}>
        <AdminsOnly role={session.user.role} />
      </main>
    );
  }
  return (
    <main className={styles.page} data-testid="users-page">
      <h1 className={styles.title}>{t.title}</h1>
      <UsersTable me={session.user.name} />
      <NewUserForm />
      <SessionsTable />
    </main>
  );
}
