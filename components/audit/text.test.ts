import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS } from '../../server/audit/audit';
import { ACTIONS, auditText } from './text';

describe('audit action names', () => {
  it('offers every action the server records, in its order, named in both languages', () => {
    expect(ACTIONS).toEqual([...AUDIT_ACTIONS]);
    for (const action of AUDIT_ACTIONS) {
      expect(auditText.en.actions[action]).toBeTruthy();
      expect(auditText.ja.actions[action]).toBeTruthy();
    }
  });
});
