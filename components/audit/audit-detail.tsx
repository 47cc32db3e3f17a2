'use client';
// An audit entry's detail: each recorded field with its label in the chosen
// language; values are data (names, ids, addresses) and stay as recorded.
import { Fragment } from 'react';
import { AUDIT_DETAIL_KEYS, LOGIN_REFUSALS, type AuditDetail, type AuditDetailKey, type AuditValue, type LoginRefusal } from '../../server/audit/audit';
import { useDateTime, useText } from '../i18n/lang';
import { auditDetailText } from './detail-text';

const isKey = (key: string): key is AuditDetailKey => (AUDIT_DETAIL_KEYS as readonly string[]).includes(key);
const isRefusal = (value: AuditValue): value is LoginRefusal => (LOGIN_REFUSALS as readonly unknown[]).includes(value);

export function AuditDetailText({ detail }: { detail: AuditDetail }) {
  const t = useText(auditDetailText);
  const formatDateTime = useDateTime();
  const value = (key: AuditDetailKey, v: AuditValue): string => {
    if (key === 'reason' && isRefusal(v)) return t.refusals[v];
    if (key === 'since' && typeof v === 'string' && !Number.isNaN(Date.parse(v))) return formatDateTime(v);
    if (key === 'changed' && Array.isArray(v)) return v.map((k) => (typeof k === 'string' && isKey(k) ? t.labels[k] : String(k))).join(', ');
    if (key === 'background' && v === null) return t.removed;
    if (v === null) return t.none;
    if (typeof v === 'boolean') return v ? t.yes : t.no;
    return Array.isArray(v) ? v.join(', ') : String(v);
  };
  const fields = Object.entries(detail).filter(([key, v]) => isKey(key) && v !== undefined) as [AuditDetailKey, AuditValue][];
  return (
    <>
      {fields.map(([key, v], i) => (
        <Fragment key={key}>
          {i > 0 && '; '}
          <span data-field={key}>
            {key !== 'note' && <span className="muted">{t.labels[key]}: </span>}
            {value(key, v)}
          </span>
        </Fragment>
      ))}
    </>
  );
}
