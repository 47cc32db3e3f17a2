import { describe, expect, it } from 'vitest';
import { feedProblems, problemWords, readProblem, storedProblem } from './feed-problems';

describe('feed problems', () => {
  const made = [
    feedProblems.tokenRefused(),
    feedProblems.httpStatus(503),
    feedProblems.malformed('not JSON'),
    feedProblems.tooLarge(268435456),
    feedProblems.otherHost('192.0.2.1:7421', 'lh2', 'lh1'),
    feedProblems.unreachable('192.0.2.1:7421', 'ECONNREFUSED'),
    feedProblems.certificate('192.0.2.1:7421', 'unable to verify the first certificate'),
    feedProblems.certificateNames('192.0.2.1:7421', 'lh1', '192.0.2.1', 'DNS:lh2, IP Address:192.0.2.7'),
    feedProblems.pinMismatch('192.0.2.1:7421', 'AB:CD'),
    feedProblems.notTls('192.0.2.1:7421'),
    feedProblems.notApplied(42, '/Net/job', 'ValueOutOfRange 22003'),
    feedProblems.notApplied(null, null, 'SQLITE_CONSTRAINT_TRIGGER'),
  ];

  it('are kept as codes and parameters, and read back whole', () => {
    for (const problem of made) {
      const stored = storedProblem(problem);
      expect(JSON.parse(stored)).toHaveProperty('code', problem.code);
      expect(readProblem(stored)).toEqual(problem);
    }
    expect(readProblem(null)).toBeNull();
  });

  it('are worded in English and Japanese, keeping addresses and names', () => {
    for (const problem of made) {
      const { en, ja } = problemWords(problem);
      expect(en.length).toBeGreaterThan(10);
      expect(ja).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
    }
    expect(problemWords(feedProblems.unreachable('[2001:db8::1]:7421', 'UND_ERR_SOCKET')).ja).toBe('[2001:db8::1]:7421 に接続できません (UND_ERR_SOCKET)');
    expect(problemWords(feedProblems.notApplied(42, '/Net/job', '22003')).en).toBe('the console store refused event 42 of /Net/job (22003)');
  });

  it('show a sentence an older build stored as it is', () => {
    expect(problemWords(readProblem('the feed refused the token')!)).toEqual({ en: 'the feed refused the token', ja: 'the feed refused the token' });
  });
});
