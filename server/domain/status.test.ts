import { describe, expect, it } from 'vitest';
import {
  COLOURS,
  STATUSES,
  SUMMARY_CLASSES,
  colourOf,
  emptyCounts,
  isRunning,
  isStatus,
  priority,
  statusInfo,
  summaryOf,
  worst,
  type Colour,
  type Status,
  type SummaryClass,
} from './status';

// The unit statuses operators know from the classic job schedulers' consoles (API constant,
// Japanese, English), copied here as those products name them, plus the console's own No status.
const NOTES: ReadonlyArray<[string, string, string]> = [
  ['UNREGISTERED', '未登録', 'Not registered'],
  ['NOPLAN', '未計画', 'Not scheduled to execute'],
  ['UNEXEC', '未実行終了', 'Not executed + Ended'],
  ['BYPASS', '計画未実行', 'Bypassed'],
  ['EXECDEFFER', '繰越未実行', 'Skipped so not executed'],
  ['SHUTDOWN', '閉塞', 'Shutdown'],
  ['TIMEWAIT', '開始時刻待ち', 'Waiting for start time'],
  ['TERMWAIT', '先行終了待ち', 'Waiting for preceding unit to end'],
  ['EXECWAIT', '実行待ち', 'Waiting to execute'],
  ['QUEUING', 'キューイング', 'Now queuing'],
  ['CONDITIONWAIT', '起動条件待ち', 'Waiting for start condition'],
  ['HOLDING', '保留中', 'Being held'],
  ['RUNNING', '実行中', 'Now running'],
  ['WACONT', '警告検出実行中', 'Running + Warning'],
  ['ABCONT', '異常検出実行中', 'Running + Abend'],
  ['MONITORING', '監視中', 'Now monitoring'],
  ['ABNORMAL', '異常検出終了', 'Ended abnormally'],
  ['INVALIDSEQ', '順序不正', 'Invalid execution sequence'],
  ['INTERRUPT', '中断', 'Interrupted'],
  ['KILL', '強制終了', 'Killed'],
  ['FAIL', '起動失敗', 'Failed to start'],
  ['UNKNOWN', '終了状態不明', 'Unknown end status'],
  ['MONITORCLOSE', '監視打ち切り終了', 'Monitor terminated'],
  ['WARNING', '警告検出終了', 'Ended with warning'],
  ['NORMAL', '正常終了', 'Ended normally'],
  ['NORMALFALSE', '正常終了-偽', 'Normal end + False'],
  ['UNEXECMONITOR', '監視未起動終了', 'Unmonitored + Ended'],
  ['MONITORINTRPT', '監視中断', 'Interrupted monitoring'],
  ['MONITORNORMAL', '監視正常終了', 'Monitor-end normal'],
];

// The colours the notes' table does list (statuses the notes leave out are the project's choice).
const NOTES_COLOURS: Record<Colour, Status[]> = {
  none: ['UNREGISTERED', 'NONE'],
  skyBlue: ['TIMEWAIT', 'CONDITIONWAIT'],
  yellow: ['HOLDING'],
  gray: ['NOPLAN', 'EXECDEFFER', 'UNEXECMONITOR'],
  green: ['RUNNING', 'MONITORING'],
  red: ['WACONT', 'ABCONT'],
  lightGreen: ['NORMAL', 'MONITORNORMAL', 'MONITORINTRPT'],
  lightRed: ['WARNING', 'ABNORMAL', 'INTERRUPT', 'KILL', 'INVALIDSEQ', 'MONITORCLOSE'],
  brown: ['SHUTDOWN'],
};

// The dashboard's summary classes of the notes, completed by the project for the statuses the notes leave out.
const SUMMARY: Record<SummaryClass, Status[]> = {
  abnormal: ['ABNORMAL', 'INVALIDSEQ', 'INTERRUPT', 'KILL', 'FAIL', 'UNKNOWN', 'EXECDEFFER', 'MONITORCLOSE'],
  warning: ['WARNING'],
  running: ['RUNNING', 'WACONT', 'ABCONT', 'MONITORING'],
  held: ['HOLDING'],
  waiting: ['TIMEWAIT', 'CONDITIONWAIT', 'TERMWAIT', 'EXECWAIT', 'QUEUING'],
  normal: ['NORMAL', 'NORMALFALSE', 'UNEXECMONITOR', 'MONITORINTRPT', 'MONITORNORMAL'],
  uncounted: ['UNREGISTERED', 'NOPLAN', 'BYPASS', 'SHUTDOWN', 'UNEXEC', 'NONE'],
};

const byClass = (c: SummaryClass) => STATUSES.filter((s) => summaryOf(s) === c);

describe('status table', () => {
  it('has exactly the 29 statuses of the notes plus NONE', () => {
    expect(NOTES).toHaveLength(29);
    expect(new Set(STATUSES).size).toBe(STATUSES.length);
    expect([...STATUSES].sort()).toEqual([...NOTES.map(([c]) => c), 'NONE'].sort());
  });

  it.each(NOTES)('%s has the Japanese and English names of the notes', (constant, ja, en) => {
    expect(isStatus(constant)).toBe(true);
    const info = statusInfo(constant as Status);
    expect(info.ja).toBe(ja);
    expect(info.en).toBe(en);
  });

  it('names NONE "No status" / ステータスなし', () => {
    expect(statusInfo('NONE').en).toBe('No status');
    expect(statusInfo('NONE').ja).toBe('ステータスなし');
  });

  it('gives every status one known colour, one summary class and a unique priority', () => {
    const priorities = new Set<number>();
    for (const s of STATUSES) {
      const info = statusInfo(s);
      expect(Object.keys(COLOURS), s).toContain(info.colour);
      expect(colourOf(s), s).toBe(COLOURS[info.colour]);
      expect(colourOf(s), s).toMatch(/^#[0-9a-f]{6}$/i);
      expect(SUMMARY_CLASSES, s).toContain(info.summary);
      expect(summaryOf(s), s).toBe(info.summary);
      expect(Number.isInteger(info.priority), s).toBe(true);
      expect(info.priority, s).toBe(priority(s));
      priorities.add(info.priority);
    }
    expect(priorities.size).toBe(STATUSES.length);
  });

  it('uses a distinct colour value for each colour name', () => {
    const values = Object.values(COLOURS).map((v) => v.toLowerCase());
    expect(new Set(values).size).toBe(values.length);
  });

  it.each(Object.entries(NOTES_COLOURS))('colours %s the statuses the notes colour so', (colour, statuses) => {
    for (const s of statuses) expect(statusInfo(s).colour, s).toBe(colour);
  });

  it('colours Unknown end status one of the two colours the notes give for unknown (red or gray)', () => {
    expect(['red', 'gray']).toContain(statusInfo('UNKNOWN').colour);
  });

  it.each(Object.entries(SUMMARY))('puts exactly these statuses in the %s summary class', (cls, statuses) => {
    expect(byClass(cls as SummaryClass).sort()).toEqual([...statuses].sort());
  });

  it('marks ended statuses as ended and running/waiting ones as not', () => {
    for (const s of ['NORMAL', 'WARNING', 'ABNORMAL', 'KILL', 'FAIL', 'UNKNOWN', 'INTERRUPT'] as Status[]) {
      expect(statusInfo(s).ended, s).toBe(true);
    }
    for (const s of ['RUNNING', 'WACONT', 'ABCONT', 'MONITORING', 'HOLDING', 'TIMEWAIT', 'NONE'] as Status[]) {
      expect(statusInfo(s).ended, s).toBe(false);
    }
  });
});

describe('priority', () => {
  const beatsAll = (better: Status[], worse: Status[]) => {
    for (const a of better) for (const b of worse) expect(priority(a), `${a} > ${b}`).toBeGreaterThan(priority(b));
  };

  it('ranks every abnormal-class status above every other status', () => {
    const abnormal = byClass('abnormal');
    beatsAll(abnormal, STATUSES.filter((s) => !abnormal.includes(s)));
  });

  it('ranks warning above running, except Running + Abend, which carries an abend and ranks just below the abnormal class', () => {
    beatsAll(['WARNING'], byClass('running').filter((s) => s !== 'ABCONT'));
    beatsAll(['ABCONT'], ['WARNING']);
    expect(Math.min(...byClass('abnormal').map(priority))).toBe(priority('ABCONT') + 1);
  });

  it('ranks Running + Abend above Running + Warning above Now running', () => {
    beatsAll(['ABCONT'], ['WACONT']);
    beatsAll(['WACONT'], ['RUNNING', 'MONITORING']);
  });

  it('ranks running above held above waiting above normal above uncounted', () => {
    beatsAll(byClass('running'), [...byClass('held'), ...byClass('waiting'), ...byClass('normal'), ...byClass('uncounted')]);
    beatsAll(byClass('held'), [...byClass('waiting'), ...byClass('normal'), ...byClass('uncounted')]);
    beatsAll(byClass('waiting'), [...byClass('normal'), ...byClass('uncounted')]);
    beatsAll(byClass('normal'), byClass('uncounted'));
  });

  it('ranks NONE lowest of all', () => {
    beatsAll(STATUSES.filter((s) => s !== 'NONE'), ['NONE']);
    expect(priority('NONE')).toBe(Math.min(...STATUSES.map(priority)));
  });
});

describe('worst', () => {
  it('is NONE for nothing', () => {
    expect(worst([])).toBe('NONE');
  });

  it('returns the only status given', () => {
    for (const s of STATUSES) expect(worst([s])).toBe(s);
  });

  it('picks the highest priority whatever the order', () => {
    const list: Status[] = ['NORMAL', 'RUNNING', 'ABNORMAL', 'WARNING', 'NONE', 'HOLDING'];
    expect(worst(list)).toBe('ABNORMAL');
    expect(worst([...list].reverse())).toBe('ABNORMAL');
    expect(worst(['NORMAL', 'WARNING', 'RUNNING'])).toBe('WARNING');
    expect(worst(['NORMAL', 'RUNNING'])).toBe('RUNNING');
    expect(worst(['NORMAL', 'NONE'])).toBe('NORMAL');
    expect(worst(['NONE', 'NONE'])).toBe('NONE');
  });

  it('agrees with priority for every pair', () => {
    for (const a of STATUSES) {
      for (const b of STATUSES) {
        const expected = priority(a) >= priority(b) ? a : b;
        expect(worst([a, b])).toBe(expected);
        expect(worst([b, a])).toBe(expected);
      }
    }
  });

  it('accepts any iterable', () => {
    expect(worst(new Set<Status>(['NORMAL', 'KILL']))).toBe('KILL');
    function* gen(): Generator<Status> {
      yield 'TIMEWAIT';
      yield 'WACONT';
      yield 'NORMAL';
    }
    expect(worst(gen())).toBe('WACONT');
  });
});

describe('isStatus', () => {
  it('accepts every status', () => {
    for (const s of STATUSES) expect(isStatus(s)).toBe(true);
  });

  it.each([
    'normal',
    'Normal',
    'NORMAL ',
    '',
    'STALE',
    'toString',
    'constructor',
    'hasOwnProperty',
    '__proto__',
    'valueOf',
  ])('refuses the string %j', (value) => {
    expect(isStatus(value)).toBe(false);
  });

  it.each([null, undefined, 0, 1, true, {}, [], ['NORMAL'], { NORMAL: 1 }])('refuses the non-string %j', (value) => {
    expect(isStatus(value)).toBe(false);
  });
});

describe('isRunning', () => {
  it('is true exactly for the running summary class', () => {
    expect(STATUSES.filter(isRunning).sort()).toEqual(['ABCONT', 'MONITORING', 'RUNNING', 'WACONT']);
  });
});

describe('emptyCounts', () => {
  it('has a zero for every summary class and nothing else', () => {
    const counts = emptyCounts();
    expect(Object.keys(counts).sort()).toEqual([...SUMMARY_CLASSES].sort());
    for (const v of Object.values(counts)) expect(v).toBe(0);
  });

  it('returns a fresh object each time', () => {
    const a = emptyCounts();
    a.abnormal = 5;
    expect(emptyCounts().abnormal).toBe(0);
  });
});
