'use client';
import { ConnectionIndicator } from '../live/connection-indicator';
import type { ConnectionState } from '../live/connection';
import { text } from '../i18n/dictionary';
import type { Session } from '../session/session';

export function MonitorHeader({
  session,
  connection,
  defining,
  onToggleDefine,
  onLogout,
}: {
  session: Session | undefined;
  connection: ConnectionState;
  defining: boolean;
  onToggleDefine: (() => void) | null;
  onLogout: () => void;
}) {
  return (
    <header className="topbar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        <span className="brand-name">{text.product}</span>
      </div>
      {session && (
        <span className="topbar-host" title={text.header.console}>
          <span className="muted">{text.header.console}</span> <strong data-testid="console-host">{session.host}</strong>
        </span>
      )}
      {session && <ConnectionIndicator state={connection} host={session.host} />}
      <span className="topbar-spacer" />
      {onToggleDefine && (
        <button
          type="button"
          className={defining ? 'button primary' : 'button'}
          data-testid="define-toggle"
          aria-pressed={defining}
          onClick={onToggleDefine}
        >
          {defining ? text.header.doneDefining : text.header.define}
        </button>
      )}
      {session && (
        <span className="topbar-user" data-testid="current-user" data-role={session.user.role}>
          {session.user.name} <span className="role">{session.user.role}</span>
        </span>
      )}
      <button type="button" className="button ghost" data-testid="logout" onClick={onLogout} disabled={!session}>
        {text.header.logout}
      </button>
    </header>
  );
}
