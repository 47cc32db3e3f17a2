'use client';
// The detail of a monitoring object: its unit, the jobs of its latest run as a
// tree (live), the reason for a Killed or stale status, the output tail of a
// chosen run, the run history a page at a time, and acknowledgement.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { summaryOf, type Status } from '../../server/domain/status';
import type { UnitState } from '../../server/domain/live';
import { reasonWords } from '../../server/domain/reasons';
import { problemWords } from '../../server/domain/feed-problems';
import type { RunView } from '../../server/runs/runs';
import { statusName } from '../i18n/dictionary';
import { useClock, useLang, useText } from '../i18n/lang';
import type { LiveStore } from '../live/live-store';
import { statusStyle } from '../monitor/colour';
import { StatusGlyph } from '../monitor/glyph';
import { FlagBadges } from '../flags/flag-marks';
import type { ObjectView } from '../monitor/scope-tree';
import { api } from '../session/api';
import { canAcknowledge } from '../session/session';
import { useShell } from '../shell/app-shell';
import { AckForm, AckLine } from './ack-form';
import { formatDuration, longerThanUsual, runDuration } from './duration';
import { FlagsSection } from './flags-section';
import { detailText } from './text';
import { useLearned } from './use-learned';
import styles from './detail.module.css';

const PAGE = 10;

function StatusCell({ status }: { status: Status }) {
  const lang = useLang();
  return (
    <span className="status-chip" style={statusStyle(status)} data-status={status}>
      <StatusGlyph status={status} />
      {statusName(status, lang)}
    </span>
  );
}

function RunOutput({ host, execId }: { host: string; execId: string }) {
  const t = useText(detailText);
  const run = useQuery({
    queryKey: ['run', host, execId],
    queryFn: ({ signal }) => api<RunView & { outputTail: string | null; pid: number | null }>(`/runs/${encodeURIComponent(host)}/${encodeURIComponent(execId)}`, { signal }),
  });
  if (!run.data) return <p className="muted">{t.loading}</p>;
  return (
    <div className="run-output">
      <h4>{t.output}</h4>
      {run.data.outputTail ? <pre data-testid="output-tail">{run.data.outputTail}</pre> : <p className="muted">{t.noOutput}</p>}
    </div>
  );
}

function JobRow({ unit, base, depth, mayAck }: { unit: UnitState; base: string; depth: number; mayAck: boolean }) {
  const formatClock = useClock();
  const lang = useLang();
  const t = useText(detailText);
  const [open, setOpen] = useState(false);
  const [acking, setAcking] = useState(false);
  const abnormal = summaryOf(unit.status) === 'abnormal';
  const name = unit.unit === base ? unit.unit.split('/').pop() : unit.unit.slice(base.length + 1);
  return (
    <li className={`job${abnormal && !unit.ack ? ' job-open-abend' : ''}`} data-testid={`job-${unit.unit}`} data-status={unit.status}>
      <div className="job-row" style={{ paddingLeft: depth * 14 }}>
        <button type="button" className="job-name" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
          {name}
        </button>
        <StatusCell status={unit.status} />
        <span className="job-times">
          {unit.startedAt ? formatClock(unit.startedAt) : '—'} → {unit.endedAt ? formatClock(unit.endedAt) : '—'}
        </span>
        {unit.exitCode !== null && <span className="job-exit">{t.columns.exit} {unit.exitCode}</span>}
        {unit.node && <span className="job-node">{unit.node}</span>}
        {abnormal && !unit.ack && mayAck && !acking && (
          <button type="button" className="button small" data-testid={`ack-open-${unit.unit}`} onClick={() => setAcking(true)}>
            {t.acknowledge}
          </button>
        )}
      </div>
      {unit.reason && (
        <p className="job-reason" data-testid={`reason-${unit.unit}`}>
          {t.reason}: {reasonWords(unit.reason)[lang]}
        </p>
      )}
      <AckLine ack={unit.ack} />
      {acking && (
        <AckForm path={`/runs/${encodeURIComponent(unit.host)}/${encodeURIComponent(unit.execId)}/ack`} confirm={t.ackConfirm} onDone={() => setAcking(false)} />
      )}
      {open && <RunOutput host={unit.host} execId={unit.execId} />}
    </li>
  );
}

/** The unit's usual duration, or why there is none yet. */
function Usual({ learned }: { learned: ReturnType<typeof useLearned>['data'] }) {
  const t = useText(detailText);
  const lang = useLang();
  if (!learned) return null;
  return (
    <p className={styles.usual} data-testid="learned" data-learned-ms={learned.learnedMs ?? ''}>
      {learned.learnedMs === null ? t.usualNone(learned.runs) : t.usual(formatDuration(learned.learnedMs, lang), learned.percentile, learned.lastN)}
    </p>
  );
}

function History({ host, unit, marker }: { host: string; unit: string; marker: string }) {
  const formatClock = useClock();
  const lang = useLang();
  const t = useText(detailText);
  const learned = useLearned(host, unit, marker).data;
  const [offset, setOffset] = useState(0);
  const page = useQuery({
    // The marker changes with the latest run, so the first page follows it live.
    queryKey: ['runs', host, unit, offset, marker],
    queryFn: ({ signal }) =>
      api<{ total: number; runs: RunView[] }>(`/runs?${new URLSearchParams({ host, unit, below: '1', offset: String(offset), limit: String(PAGE) })}`, { signal }),
    placeholderData: (previous) => previous,
  });
  if (!page.data) return <p className="muted">{t.loading}</p>;
  const { total, runs } = page.data;
  return (
    <section className="history" data-testid="history">
      <h3>{t.history}</h3>
      <Usual learned={learned} />
      <table className="history-table">
        <thead>
          <tr>
            <th>{t.columns.unit}</th>
            <th>{t.columns.status}</th>
            <th>{t.columns.start}</th>
            <th>{t.columns.end}</th>
            <th>{t.columns.duration}</th>
            <th>{t.columns.exit}</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => {
            const duration = runDuration(r);
            // What was learned is the object's unit's: its jobs' runs are not measured against it.
            const longer = r.unit === unit && longerThanUsual(duration, learned?.learnedMs ?? null);
            return (
              <tr key={r.execId} data-testid="history-row" data-longer={longer}>
                <td className="mono">{r.unit.slice(unit.length) || r.unit}</td>
                <td>
                  <StatusCell status={r.status} />
                  {r.ack && <span className="ack-badge" title={t.acknowledgedBy(r.ack.by, formatClock(r.ack.at))}>✓</span>}
                </td>
                <td>{r.startedAt ? formatClock(r.startedAt) : '—'}</td>
                <td>{r.endedAt ? formatClock(r.endedAt) : '—'}</td>
                <td className={longer ? styles.longer : undefined} data-testid="history-duration" title={longer ? t.longer : undefined}>
                  {duration === null ? '—' : formatDuration(duration, lang)}
                  {longer && (
                    <>
                      <span aria-hidden="true"> ▲</span>
                      <span className="sr-only"> ({t.longer})</span>
                    </>
                  )}
                </td>
                <td>{r.exitCode ?? ''}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="pager">
        <button type="button" className="button small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))} data-testid="history-newer">
          {t.newer}
        </button>
        <span className="muted" data-testid="history-range">
          {total === 0 ? '0' : t.historyRange(offset + 1, offset + runs.length, total)}
        </span>
        <button type="button" className="button small" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)} data-testid="history-older">
          {t.older}
        </button>
      </div>
    </section>
  );
}

export function DetailPanel({ view, store, onClose }: { view: ObjectView; store: LiveStore; revision: number; onClose(): void }) {
  const formatClock = useClock();
  const t = useText(detailText);
  const lang = useLang();
  const { session } = useShell();
  const { object, summary, host } = view;
  const entry = store.entryOf(object.host, object.unit);
  // The jobs of the latest run: with a run id, those of that run; without, each unit's latest.
  const jobs = store.unitsBelow(object.host, object.unit).filter((u) => entry.runId === null || u.runId === entry.runId || u.runId === null);
  const mayAck = session !== undefined && canAcknowledge(session.user.role);
  const depthOf = (u: UnitState) => u.unit.split('/').length - object.unit.split('/').length;
  return (
    <aside className="detail" aria-label={t.title} data-testid="detail">
      <header className="detail-head">
        <h2>{object.name}</h2>
        <button type="button" className="button ghost small" onClick={onClose} data-testid="detail-close">
          {t.close}
        </button>
      </header>
      <p className="detail-status">
        <StatusCell status={summary.status} />
        {summary.acknowledged && <span className="ack-badge">✓</span>}
        <FlagBadges flags={view.flags} />
      </p>
      {summary.stale && (
        <p className="detail-stale" data-testid="detail-stale">
          {host?.lastContactAt ? t.stale(formatClock(host.lastContactAt)) : t.staleNever}
          {host?.error && (
            <>
              <br />
              <span data-testid="detail-feed-error">{t.staleBecause(problemWords(host.error)[lang])}</span>
            </>
          )}
        </p>
      )}
      <FlagsSection objectId={object.id} flags={view.flags} mayAck={mayAck} />
      {object.comment && <p className="muted">{object.comment}</p>}
      <dl className="detail-facts">
        <dt>{t.host}</dt>
        <dd className="mono">{object.host}</dd>
        <dt>{t.unit}</dt>
        <dd className="mono">{object.unit}</dd>
      </dl>
      <section>
        <h3>
          {t.latestRun}
          {entry.runId && <span className="muted"> · {t.runId(entry.runId)}</span>}
        </h3>
        {jobs.length === 0 ? (
          <p className="muted">{t.noRuns}</p>
        ) : (
          <ul className="jobs" data-testid="jobs" lang={lang}>
            {jobs.map((u) => (
              <JobRow key={u.unit} unit={u} base={object.unit} depth={depthOf(u)} mayAck={mayAck} />
            ))}
          </ul>
        )}
      </section>
      <History host={object.host} unit={object.unit} marker={`${entry.startSeq}:${entry.status}`} />
    </aside>
  );
}
