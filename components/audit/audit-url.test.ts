import { describe, expect, it } from 'vitest';
import { auditSearch, DEFAULT_AUDIT_VIEW, parseAuditView } from './audit-url';

const parse = (s: string) => parseAuditView(new URLSearchParams(s));

describe('audit log URL state', () => {
  it('opens the newest page of every action by default', () => {
    expect(parse('')).toEqual(DEFAULT_AUDIT_VIEW);
    expect(DEFAULT_AUDIT_VIEW).toEqual({ action: null, pages: 1 });
    expect(auditSearch(DEFAULT_AUDIT_VIEW)).toBe('');
  });

  it('round-trips an action and a number of pages', () => {
    const state = parse('action=user.update&pages=3');
    expect(state).toEqual({ action: 'user.update', pages: 3 });
    expect(auditSearch(state)).toBe('?action=user.update&pages=3');
    expect(parse(auditSearch(state).slice(1))).toEqual(state);
    expect(auditSearch({ action: 'login.refused', pages: 1 })).toBe('?action=login.refused');
    expect(auditSearch({ action: null, pages: 2 })).toBe('?pages=2');
  });

  it('falls back to no filter and the first page for anything unknown or malformed', () => {
    for (const search of ['action=nonsense', 'action=', 'action=LOGIN', 'action=__proto__', 'action=toString']) expect(parse(search).action).toBeNull();
    for (const pages of ['0', '-1', '1.5', 'x', '', '01', '10000', '1e3', ' 2']) expect(parse(`pages=${encodeURIComponent(pages)}`).pages).toBe(1);
    expect(parse('pages=9999').pages).toBe(9999);
    expect(parse('action=ack&action=login').action).toBe('ack');
  });
});
