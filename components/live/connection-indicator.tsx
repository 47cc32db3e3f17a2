'use client';
import { common } from '../i18n/dictionary';
import { useClock, useText } from '../i18n/lang';
import type { ConnectionState } from './connection';

/** Always visible: an operator must know whether the colours are live or last known. */
export function ConnectionIndicator({ state, host }: { state: ConnectionState; host: string }) {
  const formatClock = useClock();
  const text = useText(common);
  const label =
    state.phase === 'live'
      ? text.connection.live
      : state.phase === 'reconnecting' && state.since !== null
        ? text.connection.reconnecting(host, formatClock(state.since))
        : text.connection.connecting(host);
  return (
    <div className={`connection connection-${state.phase}`} data-testid="connection-state" data-phase={state.phase} role="status" aria-live="polite">
      <span className="connection-dot" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}
