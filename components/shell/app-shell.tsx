'use client';
// Every signed-in page: the top bar (console host, connection state, pages,
// mode, language, user) over the page, and one live connection shared by all
// of it, so that the connection state is always visible and a dropped session
// leaves at once whatever page is open.
import { useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { definitionsKey, hostsKey } from '../definitions/use-definitions';
import type { AdminList } from '../../server/domain/live';
import { common } from '../i18n/dictionary';
import { useText } from '../i18n/lang';
import { LangSelect } from '../i18n/lang-select';
import { ConnectionIndicator } from '../live/connection-indicator';
import { useLive, type Live } from '../live/use-live';
import { goToLogin } from '../session/api';
import { canDefine, logout, useSession, type Session } from '../session/session';
import { adminListKeys } from '../users/query-keys';

export type Page = 'monitor' | 'hosts' | 'users' | 'audit' | 'displays';

interface Shell {
  session: Session | undefined;
  sessionPending: boolean;
  sessionFailures: number;
  live: Live;
  /** Definition mode (operators and admins); monitoring mode otherwise. */
  defining: boolean;
}

const ShellContext = createContext<Shell | null>(null);

export function useShell(): Shell {
  const shell = useContext(ShellContext);
  if (!shell) throw new Error('useShell outside AppShell');
  return shell;
}

const PAGES: { page: Page; href: string; adminOnly: boolean }[] = [
  { page: 'monitor', href: '/monitor', adminOnly: false },
  { page: 'hosts', href: '/hosts', adminOnly: false },
  { page: 'users', href: '/users', adminOnly: true },
  { page: 'audit', href: '/audit', adminOnly: true },
  { page: 'displays', href: '/displays', adminOnly: true },
];

export function AppShell({ page, children }: { page: Page; children: ReactNode }) {
  const t = useText(common);
  const queryClient = useQueryClient();
  const session = useSession();
  const onDefinitionsChanged = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: definitionsKey });
    void queryClient.invalidateQueries({ queryKey: hostsKey });
  }, [queryClient]);
  const onAdminChanged = useCallback((list: AdminList) => void queryClient.invalidateQueries({ queryKey: adminListKeys[list] }), [queryClient]);
  const live = useLive(session.isSuccess, { onUnauthorized: goToLogin, onDefinitionsChanged, onAdminChanged });
  const [defining, setDefining] = useState(false);
  const role = session.data?.user.role;
  const mayDefine = page === 'monitor' && role !== undefined && canDefine(role);

  // A new context value renders every page below, so it changes only with what it holds (live states do not travel in it).
  const shell = useMemo<Shell>(
    () => ({ session: session.data, sessionPending: session.isPending, sessionFailures: session.failureCount, live, defining: mayDefine && defining }),
    [session.data, session.isPending, session.failureCount, live, mayDefine, defining],
  );

  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">{t.product}</span>
        </div>
        {session.data && (
          <span className="topbar-host" title={t.header.console}>
            <span className="muted">{t.header.console}</span> <strong data-testid="console-host">{session.data.host}</strong>
          </span>
        )}
        {session.data && <ConnectionIndicator state={live.connection} host={session.data.host} />}
        <nav className="topbar-nav" aria-label={t.header.nav}>
          {PAGES.filter((p) => !p.adminOnly || role === 'admin').map((p) => (
            <Link key={p.page} href={p.href} className="nav-link" aria-current={p.page === page ? 'page' : undefined} data-testid={`nav-${p.page}`}>
              {t.header[p.page]}
            </Link>
          ))}
        </nav>
        <span className="topbar-spacer" />
        {mayDefine && (
          <button
            type="button"
            className={defining ? 'button primary' : 'button'}
            data-testid="define-toggle"
            aria-pressed={defining}
            onClick={() => setDefining((d) => !d)}
          >
            {defining ? t.header.doneDefining : t.header.define}
          </button>
        )}
        <LangSelect />
        {session.data && (
          <span className="topbar-user" data-testid="current-user" data-role={session.data.user.role}>
            {session.data.user.name} <span className="role">{t.header.roles[session.data.user.role]}</span>
          </span>
        )}
        <button type="button" className="button ghost" data-testid="logout" onClick={() => session.data && void logout(session.data.csrfToken)} disabled={!session.data}>
          {t.header.logout}
        </button>
      </header>
      <ShellContext.Provider value={shell}>{children}</ShellContext.Provider>
    </div>
  );
}
