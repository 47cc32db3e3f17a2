import { describe, expect, it } from 'vitest';
import {
  NO_STATUS,
  StatusTree,
  deriveJobnet,
  summariseObject,
  summariseScope,
  type Summary,
  type UnitEntry,
} from './derive';
import { STATUSES, emptyCounts, summaryOf, type Status } from './status';
import { parseUnitName } from './unit-path';

const e = (status: Status, startSeq: number, runId: string | null = null): UnitEntry => ({ status, runId, startSeq });

describe('deriveJobnet', () => {
  it('is NONE without children', () => {
    expect(deriveJobnet([])).toEqual({ status: 'NONE', runId: null, startSeq: 0 });
  });

  describe('without run ids', () => {
    it('counts each child and the worst ended status wins', () => {
      expect(deriveJobnet([e('NORMAL', 1), e('WARNING', 2), e('NORMAL', 3)])).toEqual(e('WARNING', 3));
      expect(deriveJobnet([e('NORMAL', 1), e('ABNORMAL', 2), e('WARNING', 3)])).toEqual(e('ABNORMAL', 3));
      expect(deriveJobnet([e('KILL', 4), e('NORMAL', 1)])).toEqual(e('KILL', 4));
      expect(deriveJobnet([e('NORMAL', 1), e('NORMALFALSE', 2)]).status).toBe('NORMAL');
    });

    it('keeps the newest start of its children', () => {
      expect(deriveJobnet([e('NORMAL', 7), e('NORMAL', 3), e('NORMAL', 5)]).startSeq).toBe(7);
    });

    it('is the status of a single child that does not run', () => {
      for (const s of STATUSES.filter((x) => summaryOf(x) !== 'running')) expect(deriveJobnet([e(s, 1)]).status, s).toBe(s);
    });
  });

  describe('while anything runs', () => {
    it('is Now running for a single running child, whatever runs', () => {
      expect(deriveJobnet([e('RUNNING', 1)]).status).toBe('RUNNING');
      expect(deriveJobnet([e('MONITORING', 1)]).status).toBe('RUNNING');
      expect(deriveJobnet([e('WACONT', 1)]).status).toBe('WACONT');
      expect(deriveJobnet([e('ABCONT', 1)]).status).toBe('ABCONT');
    });

    it('is running', () => {
      expect(deriveJobnet([e('NORMAL', 1), e('RUNNING', 2)]).status).toBe('RUNNING');
      expect(deriveJobnet([e('RUNNING', 1), e('TIMEWAIT', 2), e('HOLDING', 3)]).status).toBe('RUNNING');
      expect(deriveJobnet([e('MONITORING', 1), e('NORMAL', 2)]).status).toBe('RUNNING');
    });

    it('is Running + Abend when a child ended abnormally', () => {
      for (const s of STATUSES.filter((x) => summaryOf(x) === 'abnormal')) {
        expect(deriveJobnet([e('RUNNING', 1), e(s, 2)]).status, s).toBe('ABCONT');
        expect(deriveJobnet([e(s, 1), e('MONITORING', 2)]).status, s).toBe('ABCONT');
      }
    });

    it('is Running + Warning when a child ended with a warning', () => {
      expect(deriveJobnet([e('RUNNING', 1), e('WARNING', 2), e('NORMAL', 3)]).status).toBe('WACONT');
      expect(deriveJobnet([e('WARNING', 1), e('RUNNING', 2)]).status).toBe('WACONT');
    });

    it('carries the abend over the warning', () => {
      expect(deriveJobnet([e('RUNNING', 1), e('WARNING', 2), e('KILL', 3)]).status).toBe('ABCONT');
    });

    it('propagates Running + Abend and Running + Warning children', () => {
      expect(deriveJobnet([e('ABCONT', 1)]).status).toBe('ABCONT');
      expect(deriveJobnet([e('ABCONT', 1), e('NORMAL', 2)]).status).toBe('ABCONT');
      expect(deriveJobnet([e('WACONT', 1), e('NORMAL', 2)]).status).toBe('WACONT');
      expect(deriveJobnet([e('WACONT', 1), e('RUNNING', 2)]).status).toBe('WACONT');
      expect(deriveJobnet([e('WACONT', 1), e('ABCONT', 2)]).status).toBe('ABCONT');
      expect(deriveJobnet([e('ABCONT', 1), e('WARNING', 2)]).status).toBe('ABCONT');
      expect(deriveJobnet([e('WACONT', 1), e('ABNORMAL', 2)]).status).toBe('ABCONT');
    });

    it('ignores waiting, held and normal children', () => {
      expect(deriveJobnet([e('RUNNING', 1), e('NORMAL', 2), e('HOLDING', 3), e('TIMEWAIT', 4), e('NONE', 5)]).status).toBe('RUNNING');
    });
  });

  describe('with run ids', () => {
    it('counts only the children of the newest run', () => {
      // Run r1 ended with B abnormal; run r2 has since run A and C normally.
      const children = [e('NORMAL', 10, 'r2'), e('ABNORMAL', 2, 'r1'), e('NORMAL', 11, 'r2')];
      expect(deriveJobnet(children)).toEqual(e('NORMAL', 11, 'r2'));
      // Without run ids the same children show the old abnormal end.
      expect(deriveJobnet(children.map((c) => ({ ...c, runId: null }))).status).toBe('ABNORMAL');
    });

    it('chooses the newest run by start sequence, not by its id', () => {
      const children = [e('ABNORMAL', 9, 'a-new'), e('NORMAL', 5, 'z-old')];
      expect(deriveJobnet(children)).toEqual(e('ABNORMAL', 9, 'a-new'));
      expect(deriveJobnet([...children].reverse())).toEqual(e('ABNORMAL', 9, 'a-new'));
    });

    it('takes the newest start among the children of the newest run', () => {
      const d = deriveJobnet([e('NORMAL', 20, 'r2'), e('NORMAL', 15, 'r2'), e('WARNING', 18, 'r1')]);
      expect(d).toEqual(e('NORMAL', 20, 'r2'));
    });

    it('lets the children of the newest run decide running', () => {
      expect(deriveJobnet([e('RUNNING', 10, 'r2'), e('ABNORMAL', 2, 'r1')])).toEqual(e('RUNNING', 10, 'r2'));
      expect(deriveJobnet([e('ABNORMAL', 10, 'r2'), e('RUNNING', 11, 'r2'), e('NORMAL', 3, 'r1')])).toEqual(
        e('ABCONT', 11, 'r2'),
      );
      expect(deriveJobnet([e('NORMAL', 10, 'r2'), e('RUNNING', 3, 'r1')])).toEqual(e('NORMAL', 10, 'r2'));
    });

    it('leaves out children without a run id that ran before the newest run began', () => {
      expect(deriveJobnet([e('NORMAL', 5, 'r1'), e('ABNORMAL', 3, null)])).toEqual(e('NORMAL', 5, 'r1'));
    });

    it('counts a job run by hand without a run id after the newest run began', () => {
      expect(deriveJobnet([e('NORMAL', 5, 'r1'), e('NORMAL', 7, 'r1'), e('ABNORMAL', 6, null)])).toEqual(e('ABNORMAL', 7, 'r1'));
    });
  });
});

describe('StatusTree', () => {
  it('returns what was set for a job', () => {
    const t = new StatusTree();
    t.set('h1', '/G/N/j', e('NORMAL', 4, 'r1'));
    expect(t.get('h1', '/G/N/j')).toEqual(e('NORMAL', 4, 'r1'));
  });

  it('is NONE for unknown units and hosts', () => {
    const t = new StatusTree();
    expect(t.get('h1', '/x')).toEqual(NO_STATUS);
    t.set('h1', '/G/N/j', e('ABNORMAL', 1));
    expect(t.get('h1', '/G/N/k')).toEqual(NO_STATUS);
    expect(t.get('h1', '/G/N/j/deeper')).toEqual(NO_STATUS);
    expect(t.get('h1', '/other')).toEqual(NO_STATUS);
    expect(t.get('h2', '/G/N/j')).toEqual(NO_STATUS);
  });

  it('derives a jobnet and its parents from their jobs', () => {
    const t = new StatusTree();
    t.set('h1', '/G/N/a', e('NORMAL', 1));
    t.set('h1', '/G/N/b', e('ABNORMAL', 2));
    t.set('h1', '/G/N/c', e('NORMAL', 3));
    expect(t.get('h1', '/G/N')).toEqual(e('ABNORMAL', 3));
    expect(t.get('h1', '/G')).toEqual(e('ABNORMAL', 3));
  });

  it('derives nested jobnets level by level and updates them on change', () => {
    const t = new StatusTree();
    t.set('h1', '/G/N1/j1', e('RUNNING', 1));
    t.set('h1', '/G/N2/j2', e('WARNING', 2));
    t.set('h1', '/G/N2/sub/j3', e('NORMAL', 3));
    expect(t.get('h1', '/G/N1').status).toBe('RUNNING');
    expect(t.get('h1', '/G/N2').status).toBe('WARNING');
    expect(t.get('h1', '/G/N2/sub').status).toBe('NORMAL');
    expect(t.get('h1', '/G').status).toBe('WACONT');

    t.set('h1', '/G/N1/j1', e('NORMAL', 1));
    expect(t.get('h1', '/G/N1').status).toBe('NORMAL');
    expect(t.get('h1', '/G').status).toBe('WARNING');

    t.set('h1', '/G/N2/sub/j3', e('KILL', 4));
    expect(t.get('h1', '/G/N2/sub').status).toBe('KILL');
    expect(t.get('h1', '/G/N2').status).toBe('KILL');
    expect(t.get('h1', '/G')).toEqual(e('KILL', 4));
  });

  it('derives jobnets with run ids from the newest run', () => {
    const t = new StatusTree();
    t.set('h1', '/N/a', e('NORMAL', 1, 'r1'));
    t.set('h1', '/N/b', e('ABNORMAL', 2, 'r1'));
    expect(t.get('h1', '/N')).toEqual(e('ABNORMAL', 2, 'r1'));
    t.set('h1', '/N/a', e('NORMAL', 3, 'r2'));
    expect(t.get('h1', '/N')).toEqual(e('NORMAL', 3, 'r2'));
    t.set('h1', '/N/b', e('RUNNING', 4, 'r2'));
    expect(t.get('h1', '/N')).toEqual(e('RUNNING', 4, 'r2'));
  });

  it('keeps scheduler services apart from plain paths and from each other', () => {
    const t = new StatusTree();
    t.set('h1', 'AJSROOT1:/x/j', e('ABNORMAL', 1));
    t.set('h1', '/x/j', e('NORMAL', 2));
    t.set('h1', 'AJSROOT2:/x/j', e('WARNING', 3));
    expect(t.get('h1', 'AJSROOT1:/x')).toEqual(e('ABNORMAL', 1));
    expect(t.get('h1', 'AJSROOT1:/x/j')).toEqual(e('ABNORMAL', 1));
    expect(t.get('h1', '/x')).toEqual(e('NORMAL', 2));
    expect(t.get('h1', 'AJSROOT2:/x')).toEqual(e('WARNING', 3));
    expect(t.get('h1', 'AJSROOT3:/x')).toEqual(NO_STATUS);
  });

  it('keeps hosts apart', () => {
    const t = new StatusTree();
    t.set('hostA', '/x/j', e('ABNORMAL', 1));
    t.set('hostB', '/x/j', e('NORMAL', 1));
    expect(t.get('hostA', '/x')).toEqual(e('ABNORMAL', 1));
    expect(t.get('hostB', '/x')).toEqual(e('NORMAL', 1));
    t.set('hostB', '/x/j', null);
    expect(t.get('hostA', '/x')).toEqual(e('ABNORMAL', 1));
    expect(t.get('hostB', '/x')).toEqual(NO_STATUS);
  });

  it('shows a status reported for a jobnet itself unless its children started since', () => {
    const t = new StatusTree();
    t.set('h1', '/N/j', e('ABNORMAL', 3, 'r1'));
    t.set('h1', '/N', e('NORMAL', 5, 'r2'));
    expect(t.get('h1', '/N')).toEqual(e('NORMAL', 5, 'r2'));
    // same start: its own status still wins
    t.set('h1', '/N/j', e('WARNING', 5, 'r2'));
    expect(t.get('h1', '/N')).toEqual(e('NORMAL', 5, 'r2'));
    // a child started later: the children win
    t.set('h1', '/N/j', e('RUNNING', 7, 'r3'));
    expect(t.get('h1', '/N')).toEqual(e('RUNNING', 7, 'r3'));
    t.set('h1', '/N', e('ABNORMAL', 9, 'r3'));
    expect(t.get('h1', '/N')).toEqual(e('ABNORMAL', 9, 'r3'));
  });

  it('lets the parent of a jobnet see its effective status', () => {
    const t = new StatusTree();
    t.set('h1', '/G/N/j', e('ABNORMAL', 3));
    t.set('h1', '/G/N', e('NORMAL', 5));
    expect(t.get('h1', '/G')).toEqual(e('NORMAL', 5));
    t.set('h1', '/G/N/j', e('WARNING', 6));
    expect(t.get('h1', '/G')).toEqual(e('WARNING', 6));
  });

  it('shows the own status of a jobnet without children', () => {
    const t = new StatusTree();
    t.set('h1', '/N', e('HOLDING', 2));
    expect(t.get('h1', '/N')).toEqual(e('HOLDING', 2));
  });

  it('ignores invalid unit names', () => {
    const t = new StatusTree();
    for (const bad of ['', 'no-slash', '/a/../b', '/a//b', '/a:b', '1x:/a', '/a*', '/ a']) {
      expect(() => t.set('h1', bad, e('ABNORMAL', 1))).not.toThrow();
      expect(t.get('h1', bad)).toEqual(NO_STATUS);
    }
    expect(t.get('h1', '/a')).toEqual(NO_STATUS);
    expect(t.get('h1', '/b')).toEqual(NO_STATUS);
  });

  it('clears a unit set to null', () => {
    const t = new StatusTree();
    t.set('h1', '/N/j', e('ABNORMAL', 1));
    t.set('h1', '/N/k', e('NORMAL', 2));
    expect(t.get('h1', '/N').status).toBe('ABNORMAL');
    t.set('h1', '/N/j', null);
    expect(t.get('h1', '/N/j')).toEqual(NO_STATUS);
    expect(t.get('h1', '/N')).toEqual(e('NORMAL', 2));
    t.set('h1', '/N/k', null);
    expect(t.get('h1', '/N')).toEqual(NO_STATUS);
  });

  it('falls back to the children when a jobnet own status is cleared', () => {
    const t = new StatusTree();
    t.set('h1', '/N/j', e('WARNING', 1));
    t.set('h1', '/N', e('NORMAL', 2));
    expect(t.get('h1', '/N').status).toBe('NORMAL');
    t.set('h1', '/N', null);
    expect(t.get('h1', '/N')).toEqual(e('WARNING', 1));
  });

  it('clearing a unit never set is harmless', () => {
    const t = new StatusTree();
    t.set('h1', '/N/j', null);
    expect(t.get('h1', '/N/j')).toEqual(NO_STATUS);
    expect(t.get('h1', '/N')).toEqual(NO_STATUS);
  });

  describe('incremental updates equal a rebuild from scratch', () => {
    // mulberry32: small, seeded, reproducible.
    function rng(seed: number) {
      let a = seed >>> 0;
      return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
    }

    const HOSTS = ['h1', 'h2', 'h3'];
    const UNITS = [
      '/A/N1/j1',
      '/A/N1/j2',
      '/A/N1/j3',
      '/A/N2/j1',
      '/A/N2/sub/j1',
      '/A/N2/sub/j2',
      '/A/N2/sub',
      '/A/N1',
      '/A',
      '/B/j1',
      '/B/j2',
      '/受注/日次/抽出',
      '/受注/日次/集計',
      'AJSROOT1:/A/N1/j1',
      'AJSROOT1:/A/N1/j2',
      'AJSROOT1:/A/N1',
      'AJSROOT2:/A/N1/j1',
    ];
    const RUN_IDS = [null, null, 'r1', 'r2', 'r3'];

    // Every unit and every ancestor of it, plus a few never set.
    const ALL_NODES = [
      ...new Set(
        UNITS.flatMap((u) => {
          const p = parseUnitName(u);
          if (!p.ok) throw new Error(p.error.en);
          const prefix = p.value.service ? `${p.value.service}:` : '';
          return p.value.segments.map((_, i) => prefix + '/' + p.value.segments.slice(0, i + 1).join('/'));
        }),
      ),
      '/C',
      '/A/N3',
      'AJSROOT3:/A',
    ];

    function rebuild(final: Map<string, UnitEntry>, shuffle: () => number): StatusTree {
      const fresh = new StatusTree();
      const entries = [...final.entries()];
      for (let i = entries.length - 1; i > 0; i--) {
        const j = Math.floor(shuffle() * (i + 1));
        [entries[i], entries[j]] = [entries[j], entries[i]];
      }
      for (const [key, entry] of entries) {
        const [host, unit] = key.split('\u0000');
        fresh.set(host, unit, entry);
      }
      return fresh;
    }

    it.each([1, 42, 20240601])('after 1,000 seeded sets (seed %i)', (seed) => {
      const random = rng(seed);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
      // Unique but not monotonic start sequences per host, as after out-of-order or replayed feeds.
      const seqs = new Map(HOSTS.map((h) => [h, Array.from({ length: 1000 }, (_, i) => i + 1).sort(() => random() - 0.5)]));
      const tree = new StatusTree();
      const final = new Map<string, UnitEntry>();
      const seen = new Set<Status>();

      for (let step = 1; step <= 1000; step++) {
        const host = pick(HOSTS);
        const unit = pick(UNITS);
        const key = `${host}\u0000${unit}`;
        if (random() < 0.1) {
          tree.set(host, unit, null);
          final.delete(key);
        } else {
          const entry = e(pick(STATUSES), seqs.get(host)!.pop()!, pick(RUN_IDS));
          tree.set(host, unit, entry);
          final.set(key, entry);
        }
        if (step % 100 === 0) {
          const fresh = rebuild(final, random);
          for (const host of [...HOSTS, 'h-unused']) {
            for (const unit of ALL_NODES) {
              const got = tree.get(host, unit);
              expect(got, `step ${step} ${host} ${unit}`).toEqual(fresh.get(host, unit));
              seen.add(got.status);
            }
          }
        }
      }
      // The run exercised derivation, not just a handful of leaves.
      expect(seen.size).toBeGreaterThan(10);
      expect(seen).toContain('ABCONT');
      expect(seen).toContain('NONE');
    });
  });
});

describe('summariseObject', () => {
  it('counts the status once in its summary class', () => {
    for (const s of STATUSES) {
      const summary = summariseObject(s, false);
      expect(summary.status).toBe(s);
      expect(summary.stale).toBe(false);
      const expected = emptyCounts();
      expected[summaryOf(s)] = 1;
      expect(summary.counts, s).toEqual(expected);
    }
  });

  it('keeps the stale marker on top of the status', () => {
    expect(summariseObject('ABNORMAL', true)).toMatchObject({ status: 'ABNORMAL', stale: true });
  });
});

describe('summariseScope', () => {
  it('is NONE, not stale and counts nothing when empty', () => {
    expect(summariseScope([])).toEqual({ status: 'NONE', stale: false, acknowledged: false, counts: emptyCounts() });
  });

  it('shows the worst status below', () => {
    const s = summariseScope([summariseObject('NORMAL', false), summariseObject('WARNING', false), summariseObject('RUNNING', false)]);
    expect(s.status).toBe('WARNING');
    expect(summariseScope([summariseObject('NORMAL', false), summariseObject('KILL', false)]).status).toBe('KILL');
    expect(summariseScope([summariseObject('ABCONT', false), summariseObject('WARNING', false)]).status).toBe('ABCONT');
  });

  it('adds counts up across nested scopes', () => {
    const inner = summariseScope([summariseObject('NORMAL', false), summariseObject('WARNING', false)]);
    const middle = summariseScope([summariseObject('RUNNING', false), inner, summariseObject('NORMAL', false)]);
    const top = summariseScope([middle, summariseObject('ABNORMAL', false), summariseObject('NOPLAN', false)]);
    expect(inner.counts).toEqual({ ...emptyCounts(), normal: 1, warning: 1 });
    expect(middle.counts).toEqual({ ...emptyCounts(), normal: 2, warning: 1, running: 1 });
    expect(top.counts).toEqual({ ...emptyCounts(), normal: 2, warning: 1, running: 1, abnormal: 1, uncounted: 1 });
    expect(Object.values(top.counts).reduce((a, b) => a + b, 0)).toBe(6);
    expect(middle.status).toBe('WARNING');
    expect(top.status).toBe('ABNORMAL');
  });

  it('propagates stale from any depth', () => {
    const deep = summariseScope([summariseObject('NORMAL', true)]);
    const mid = summariseScope([deep, summariseObject('NORMAL', false)]);
    const top = summariseScope([mid]);
    expect(deep.stale).toBe(true);
    expect(mid.stale).toBe(true);
    expect(top.stale).toBe(true);
    expect(summariseScope([summariseObject('ABNORMAL', false), summariseScope([summariseObject('NORMAL', false)])]).stale).toBe(false);
  });

  it('never hides an abnormal end behind a stale status', () => {
    const s = summariseScope([summariseObject('RUNNING', true), summariseObject('ABNORMAL', false)]);
    expect(s).toMatchObject({ status: 'ABNORMAL', stale: true });
  });

  it('does not change the summaries it is given', () => {
    const child: Summary = summariseObject('NORMAL', false);
    const before = structuredClone(child);
    summariseScope([child, child]);
    expect(child).toEqual(before);
    expect(summariseScope([child, child]).counts.normal).toBe(2);
  });
});

describe('acknowledged abnormal ends', () => {
  const acked = (status: Status, startSeq: number, runId: string | null = null): UnitEntry => ({ ...e(status, startSeq, runId), acknowledged: true });

  it('marks a jobnet acknowledged only when every abnormal end that counts is', () => {
    expect(deriveJobnet([acked('ABNORMAL', 1), e('NORMAL', 2)]).acknowledged).toBe(true);
    expect(deriveJobnet([acked('ABNORMAL', 1), e('KILL', 2)]).acknowledged).toBeUndefined();
    expect(deriveJobnet([e('NORMAL', 1)]).acknowledged).toBeUndefined();
    // An acknowledgement of an older run does not cover the newest one.
    expect(deriveJobnet([acked('ABNORMAL', 1, 'r1'), e('ABNORMAL', 5, 'r2')]).acknowledged).toBeUndefined();
    expect(deriveJobnet([e('ABNORMAL', 1, 'r1'), acked('ABNORMAL', 5, 'r2')]).acknowledged).toBe(true);
  });

  it('carries the acknowledgement up the tree and drops it when a new run ends abnormally', () => {
    const t = new StatusTree();
    t.set('h1', '/G/N/a', acked('ABNORMAL', 1));
    t.set('h1', '/G/N/b', e('NORMAL', 2));
    expect(t.get('h1', '/G')).toMatchObject({ status: 'ABNORMAL', acknowledged: true });
    t.set('h1', '/G/N/b', e('KILL', 3));
    expect(t.get('h1', '/G').acknowledged).toBeUndefined();
  });

  it('keeps the abnormal status and counts of an acknowledged end: never hidden', () => {
    const s = summariseObject('ABNORMAL', false, true);
    expect(s).toMatchObject({ status: 'ABNORMAL', acknowledged: true });
    expect(s.counts.abnormal).toBe(1);
    expect(summariseObject('NORMAL', false, true).acknowledged).toBe(false);
  });

  it('marks a scope acknowledged only when every abnormal object below is', () => {
    const done = summariseObject('ABNORMAL', false, true);
    const open = summariseObject('KILL', false);
    expect(summariseScope([done, summariseObject('NORMAL', false)]).acknowledged).toBe(true);
    expect(summariseScope([done, open]).acknowledged).toBe(false);
    expect(summariseScope([summariseScope([done]), summariseObject('RUNNING', false)]).acknowledged).toBe(true);
  });
});
