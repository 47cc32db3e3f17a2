'use client';
// Definition mode: the forms an operator needs, and for an admin the registry
// of monitored hosts. The server enforces roles; this only hides what a role cannot use.
import { common } from '../i18n/dictionary';
import { useClock, useText } from '../i18n/lang';
import { canManageHosts, type Role } from '../session/session';
import { DeleteButton } from './delete-button';
import { HostForm, ObjectForm, ScopeForm } from './forms';
import type { Definitions } from './types';
import { useHostHealth, useRemoveHost } from './use-definitions';


function HostList({ defs, admin }: { defs: Definitions; admin: boolean }) {
  const formatClock = useClock();
  const t = useText(common).definitions;
  const health = useHostHealth(admin);
  const remove = useRemoveHost();
  const byName = new Map((health.data ?? []).map((h) => [h.name, h]));
  return (
    <section className="def-form" aria-labelledby="hosts-title">
      <h3 id="hosts-title">{t.hostsTitle}</h3>
      {defs.hosts.length === 0 ? (
        <p className="muted">{t.noHosts}</p>
      ) : (
        <ul className="host-list" data-testid="host-list">
          {defs.hosts.map((h) => {
            const info = byName.get(h.name);
            return (
              <li key={h.name} data-testid={`host-${h.name}`}>
                <div className="host-line">
                  <strong>{h.name}</strong>
                  <span className="muted">
                    {h.address}:{h.feedPort}
                  </span>
                  {info && !info.watched && <span className="host-state">{t.unwatched}</span>}
                  {info?.watched && (
                    <span className={info.stale ? 'host-state host-stale' : 'host-state'}>
                      {info.stale ? t.stale : t.ok}
                      {info.lastContactAt ? ` · ${formatClock(info.lastContactAt)}` : ''}
                    </span>
                  )}
                </div>
                {info?.lastError && <div className="inline-error">{info.lastError}</div>}
                {admin && <DeleteButton testId={`delete-host-${h.name}`} label={h.name} onDelete={() => remove.mutateAsync(h.name)} />}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

export function DefinitionsPanel({ defs, role }: { defs: Definitions; role: Role }) {
  const t = useText(common).definitions;
  const admin = canManageHosts(role);
  return (
    <aside className="definitions" data-testid="definitions-panel" aria-label={t.title}>
      <h2 className="panel-title">{t.title}</h2>
      <ScopeForm scopes={defs.scopes} />
      <ObjectForm scopes={defs.scopes} hosts={defs.hosts} />
      {admin && <HostForm />}
      <HostList defs={defs} admin={admin} />
    </aside>
  );
}
