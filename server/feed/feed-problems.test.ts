import { describe, expect, it } from 'vitest';
import { feedProblems, feedProblemWords } from './feed-problems';

describe('feed problems', () => {
  it('reads every problem the puller records back in Japanese, keeping addresses and names', () => {
    const made = [
      feedProblems.tokenRefused(),
      feedProblems.httpStatus(503),
      feedProblems.malformed('not JSON'),
      feedProblems.otherHost('192.0.2.1:7421', 'lh2', 'lh1'),
      feedProblems.unreachable('192.0.2.1:7421', 'ECONNREFUSED'),
      feedProblems.certificate('192.0.2.1:7421', 'unable to verify the first certificate'),
      feedProblems.certificateNames('192.0.2.1:7421', 'lh1', '192.0.2.1', 'DNS:lh2, IP Address:192.0.2.7'),
      feedProblems.pinMismatch('192.0.2.1:7421', 'AB:CD'),
      feedProblems.notTls('192.0.2.1:7421'),
    ];
    for (const problem of made) {
      const { en, ja } = feedProblemWords(problem);
      expect(en).toBe(problem);
      expect(ja).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
    }
    expect(feedProblemWords(feedProblems.unreachable('[2001:db8::1]:7421', 'UND_ERR_SOCKET')).ja).toBe('[2001:db8::1]:7421 に接続できません (UND_ERR_SOCKET)');
  });
});
