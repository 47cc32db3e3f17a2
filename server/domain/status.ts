// The one status table of Jobscope, shared by the Manager and the View.
// Every status has exactly one colour, one summary class and one priority.
// Names follow the classic consoles operators already know; where the classic
// colour table has gaps, the choice made here is noted beside the status.

export const SUMMARY_CLASSES = ['abnormal', 'warning', 'running', 'held', 'waiting', 'normal', 'uncounted'] as const;
export type SummaryClass = (typeof SUMMARY_CLASSES)[number];

export const COLOURS = {
  none: '#ffffff',
  skyBlue: '#87ceeb',
  yellow: '#ffe14d',
  gray: '#a9a9a9',
  green: '#2fb24c',
  red: '#e0262b',
  lightGreen: '#a6e3a1',
  lightRed: '#f4a6a6',
  brown: '#a0522d',
} as const;
export type Colour = keyof typeof COLOURS;

interface StatusInfo {
  ja: string;
  en: string;
  colour: Colour;
  summary: SummaryClass;
  ended: boolean;
}

// Order is priority: the first entry is the worst. A scope shows the worst
// status below it, so abnormal ends come first and "nothing to see" last.
const TABLE = {
  ABNORMAL: { ja: '異常検出終了', en: 'Ended abnormally', colour: 'lightRed', summary: 'abnormal', ended: true },
  KILL: { ja: '強制終了', en: 'Killed', colour: 'lightRed', summary: 'abnormal', ended: true },
  FAIL: { ja: '起動失敗', en: 'Failed to start', colour: 'lightRed', summary: 'abnormal', ended: true }, // gap in the classic table
  UNKNOWN: { ja: '終了状態不明', en: 'Unknown end status', colour: 'red', summary: 'abnormal', ended: true },
  INVALIDSEQ: { ja: '順序不正', en: 'Invalid execution sequence', colour: 'lightRed', summary: 'abnormal', ended: true },
  INTERRUPT: { ja: '中断', en: 'Interrupted', colour: 'lightRed', summary: 'abnormal', ended: true },
  MONITORCLOSE: { ja: '監視打ち切り終了', en: 'Monitor terminated', colour: 'lightRed', summary: 'abnormal', ended: true },
  EXECDEFFER: { ja: '繰越未実行', en: 'Skipped so not executed', colour: 'gray', summary: 'abnormal', ended: true },
  ABCONT: { ja: '異常検出実行中', en: 'Running + Abend', colour: 'red', summary: 'running', ended: false },
  WARNING: { ja: '警告検出終了', en: 'Ended with warning', colour: 'lightRed', summary: 'warning', ended: true },
  WACONT: { ja: '警告検出実行中', en: 'Running + Warning', colour: 'red', summary: 'running', ended: false },
  RUNNING: { ja: '実行中', en: 'Now running', colour: 'green', summary: 'running', ended: false },
  MONITORING: { ja: '監視中', en: 'Now monitoring', colour: 'green', summary: 'running', ended: false },
  HOLDING: { ja: '保留中', en: 'Being held', colour: 'yellow', summary: 'held', ended: false },
  TIMEWAIT: { ja: '開始時刻待ち', en: 'Waiting for start time', colour: 'skyBlue', summary: 'waiting', ended: false },
  CONDITIONWAIT: { ja: '起動条件待ち', en: 'Waiting for start condition', colour: 'skyBlue', summary: 'waiting', ended: false },
  TERMWAIT: { ja: '先行終了待ち', en: 'Waiting for preceding unit to end', colour: 'skyBlue', summary: 'waiting', ended: false }, // gap
  EXECWAIT: { ja: '実行待ち', en: 'Waiting to execute', colour: 'skyBlue', summary: 'waiting', ended: false }, // gap
  QUEUING: { ja: 'キューイング', en: 'Now queuing', colour: 'skyBlue', summary: 'waiting', ended: false }, // gap
  NORMAL: { ja: '正常終了', en: 'Ended normally', colour: 'lightGreen', summary: 'normal', ended: true },
  NORMALFALSE: { ja: '正常終了-偽', en: 'Normal end + False', colour: 'lightGreen', summary: 'normal', ended: true }, // gap
  MONITORNORMAL: { ja: '監視正常終了', en: 'Monitor-end normal', colour: 'lightGreen', summary: 'normal', ended: true },
  MONITORINTRPT: { ja: '監視中断', en: 'Interrupted monitoring', colour: 'lightGreen', summary: 'normal', ended: true },
  UNEXECMONITOR: { ja: '監視未起動終了', en: 'Unmonitored + Ended', colour: 'gray', summary: 'normal', ended: true },
  SHUTDOWN: { ja: '閉塞', en: 'Shutdown', colour: 'brown', summary: 'uncounted', ended: false },
  UNEXEC: { ja: '未実行終了', en: 'Not executed + Ended', colour: 'gray', summary: 'uncounted', ended: true }, // gap
  BYPASS: { ja: '計画未実行', en: 'Bypassed', colour: 'gray', summary: 'uncounted', ended: true }, // gap
  NOPLAN: { ja: '未計画', en: 'Not scheduled to execute', colour: 'gray', summary: 'uncounted', ended: false },
  UNREGISTERED: { ja: '未登録', en: 'Not registered', colour: 'none', summary: 'uncounted', ended: false },
  NONE: { ja: 'ステータスなし', en: 'No status', colour: 'none', summary: 'uncounted', ended: false },
} as const satisfies Record<string, StatusInfo>;

export type Status = keyof typeof TABLE;
export const STATUSES = Object.keys(TABLE) as Status[];

export function isStatus(value: unknown): value is Status {
  return typeof value === 'string' && Object.hasOwn(TABLE, value);
}

export function statusInfo(status: Status): StatusInfo & { priority: number } {
  return { ...TABLE[status], priority: STATUSES.length - STATUSES.indexOf(status) };
}

/** Higher is worse: the one that wins when several statuses are summarised into one. */
export function priority(status: Status): number {
  return STATUSES.length - STATUSES.indexOf(status);
}

export function colourOf(status: Status): string {
  return COLOURS[TABLE[status].colour];
}

export function summaryOf(status: Status): SummaryClass {
  return TABLE[status].summary;
}

export function isRunning(status: Status): boolean {
  return TABLE[status].summary === 'running';
}

export function worst(statuses: Iterable<Status>): Status {
  let result: Status = 'NONE';
  for (const s of statuses) if (priority(s) > priority(result)) result = s;
  return result;
}

export type SummaryCounts = Record<SummaryClass, number>;

export function emptyCounts(): SummaryCounts {
  return { abnormal: 0, warning: 0, running: 0, held: 0, waiting: 0, normal: 0, uncounted: 0 };
}
