import { describe, expect, it } from 'vitest';
import { reasonWords, runReasons } from './reasons';

describe('run reasons', () => {
  it('reads every reason the job host makes back in Japanese, keeping the names in it', () => {
    const made = [
      runReasons.stop(),
      runReasons.failover('nodeA'),
      runReasons.nodeRestart(4242),
      runReasons.notFound('/opt/batch/run.sh'),
      runReasons.denied('/opt/batch/run.sh'),
      runReasons.cannotRun('/opt/batch/run.sh', 'EIO'),
      runReasons.cannotRun('/opt/batch/run.sh'),
    ];
    for (const reason of made) {
      const { en, ja } = reasonWords(reason);
      expect(en).toBe(reason);
      expect(ja).not.toBe(reason);
      expect(ja).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
    }
    expect(reasonWords(runReasons.failover('nodeA')).ja).toContain('nodeA');
    expect(reasonWords(runReasons.cannotRun('/x', 'EIO: i/o error')).ja).toBe('/x を実行できません: EIO: i/o error');
  });

  it('shows any other reason as given', () => {
    expect(reasonWords('disk full on /var')).toEqual({ en: 'disk full on /var', ja: 'disk full on /var' });
  });
});
