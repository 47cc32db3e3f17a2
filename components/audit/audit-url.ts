// What the audit log shows lives in its URL, so that a link reproduces the view
// and Back and Forward step through it: the action filter, and how many pages of
// entries (each Older adds one) are shown. Pure: parsed and written without React.
import type { AuditAction } from '../../server/audit/audit';
import { ACTIONS } from './text';

export interface AuditView {
  action: AuditAction | null;
  /** Pages of entries shown, newest first. */
  pages: number;
}

export const DEFAULT_AUDIT_VIEW: AuditView = { action: null, pages: 1 };

export const isAuditAction = (value: string | null): value is AuditAction => value !== null && (ACTIONS as string[]).includes(value);

/** Anything unknown or malformed falls back to the default: a bad link still opens the log. */
export function parseAuditView(params: URLSearchParams): AuditView {
  const action = params.get('action');
  const pages = params.get('pages') ?? '';
  return {
    action: isAuditAction(action) ? action : null,
    // Up to four digits: pages are fetched one after another, and no one pages that far by hand.
    pages: /^[1-9]\d{0,3}$/.test(pages) ? Number(pages) : DEFAULT_AUDIT_VIEW.pages,
  };
}

/** Only what differs from the default is written, so links stay short. */
export function auditSearch(view: AuditView): string {
  const p = new URLSearchParams();
  if (view.action) p.set('action', view.action);
  if (view.pages !== DEFAULT_AUDIT_VIEW.pages) p.set('pages', String(view.pages));
  const s = p.toString();
  return s ? `?${s}` : '';
}
