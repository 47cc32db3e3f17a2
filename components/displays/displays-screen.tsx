'use client';
// The Displays page: the wall displays, then the form that enrols a waiting
// screen by its code. Admins only; anyone else is told so (the server refuses
// them anyway).
import { useDefinitions } from '../definitions/use-definitions';
import { useText } from '../i18n/lang';
import { useShell } from '../shell/app-shell';
import { AdminsOnly } from '../users/admins-only';
import userStyles from '../users/users.module.css';
import { DisplaysTable } from './displays-table';
import { EnrolForm } from './enrol-form';
import { displaysText } from './text';

export function DisplaysScreen() {
  const t = useText(displaysText);
  const { session, sessionPending } = useShell();
  if (!session) {
    // Without a session the page is on its way to /login.
    return <main className={userStyles.page}>{sessionPending && <p className="muted">{t.loading}</p>}</main>;
  }
  if (session.user.role !== 'admin') {
    return (
      <main className={userStyles.page}>
        <AdminsOnly role={session.user.role} />
      </main>
    );
  }
  return <AdminDisplays />;
}

function AdminDisplays() {
  const t = useText(displaysText);
  // The scopes a display may show; they follow definition changes live, as the monitor does.
  const scopes = useDefinitions().data?.scopes ?? [];
  return (
    <main className={userStyles.page} data-testid="displays-page">
      <h1 className={userStyles.title}>{t.title}</h1>
      <DisplaysTable scopes={scopes} />
      <EnrolForm scopes={scopes} />
    </main>
  );
}
