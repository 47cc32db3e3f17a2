// `jobscope exec`'s options, as either reader of the command line gives them to runExec: the
// full one (main.ts, commander) or the quick one here, with which exec-main.ts starts the
// wrapper around every job without loading commander.
import { chooseHostName } from '../host/identity';

export interface ExecOptions {
  host?: string;
  unit: string;
  run?: string;
  warningAbove?: number;
  abendAbove?: number;
}

/** What runExec takes: the host chosen (throws if invalid), the run id else $JOBSCOPE_RUN_ID. */
export function execRequest(command: string[], opts: ExecOptions) {
  return {
    host: chooseHostName(opts.host),
    unit: opts.unit,
    runId: opts.run ?? (process.env.JOBSCOPE_RUN_ID || null),
    thresholds: { warningAbove: opts.warningAbove, abendAbove: opts.abendAbove },
    command,
  };
}

const OPTIONS = new Map<string, keyof ExecOptions>([
  ['-h', 'host'],
  ['--host', 'host'],
  ['--unit', 'unit'],
  ['--run', 'run'],
  ['--warning-above', 'warningAbove'],
  ['--abend-above', 'abendAbove'],
]);

/**
 * exec's arguments (those after `exec`) in their usual form, read as commander reads them:
 * the options above, each with its value in the next argument or after `=`, then the command,
 * after `--` or from the first argument that is not an option. Null for anything else (--help,
 * a mistake, a rarer spelling such as -hNAME): main.ts then reads them and says what is wrong.
 */
export function readExecLine(args: readonly string[]): { command: string[]; opts: ExecOptions } | null {
  const values: Partial<Record<keyof ExecOptions, string>> = {};
  let i = 0;
  while (i < args.length) {
    const arg = args[i];
    if (arg === '--') {
      i++;
      break;
    }
    if (arg.length < 2 || arg[0] !== '-') break;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const key = OPTIONS.get(eq > 0 ? arg.slice(0, eq) : arg);
    const value = eq > 0 ? arg.slice(eq + 1) : args[i + 1];
    if (key === undefined || value === undefined) return null;
    // Each one as commander checks it (main.ts, wholeNumber), not only the last.
    if ((key === 'warningAbove' || key === 'abendAbove') && !/^\d+$/.test(value)) return null;
    values[key] = value;
    i += eq > 0 ? 1 : 2;
  }
  const command = args.slice(i);
  const { host, unit, run, warningAbove, abendAbove } = values;
  if (unit === undefined || command.length === 0) return null;
  const number = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  return { command, opts: { host, unit, run, warningAbove: number(warningAbove), abendAbove: number(abendAbove) } };
}
