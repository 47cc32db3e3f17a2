// The quick reader of exec's command line against commander, which reads it in main.ts:
// whatever the quick one accepts, commander reads the same; anything else is left to commander.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Command, InvalidArgumentError, Option } from 'commander';
import { readExecLine } from './exec-line';

/** exec as main.ts declares it; null when commander refuses the arguments. */
function commanderReads(args: string[]): { command: string[]; opts: Record<string, unknown> } | null {
  let read: { command: string[]; opts: Record<string, unknown> } | null = null;
  const wholeNumber = (value: string) => {
    if (!/^\d+$/.test(value)) throw new InvalidArgumentError('must be a whole number of 0 or more');
    return Number(value);
  };
  const program = new Command('jobscope')
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeOut: () => {}, writeErr: () => {} });
  program
    .command('exec')
    .helpOption('--help', 'show help')
    .addOption(new Option('-h, --host <name>'))
    .requiredOption('--unit <name>')
    .option('--run <id>')
    .option('--warning-above <code>', '', wholeNumber)
    .option('--abend-above <code>', '', wholeNumber)
    .argument('<command...>')
    .passThroughOptions()
    .action((command: string[], opts: Record<string, unknown>) => {
      read = { command, opts: { ...opts } };
    });
  try {
    program.parse(['exec', ...args], { from: 'user' });
  } catch {
    return null;
  }
  return read;
}

const defined = (o: object) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

describe('readExecLine', () => {
  it('reads the usual forms', () => {
    expect(readExecLine(['-h', 'lh1', '--unit', '/A/b', '--', 'sh', '-c', 'exit 3'])).toEqual({
      command: ['sh', '-c', 'exit 3'],
      opts: { host: 'lh1', unit: '/A/b', run: undefined, warningAbove: undefined, abendAbove: undefined },
    });
    expect(readExecLine(['--unit=/A/b', '--run', 'R1', '--warning-above', '2', '--abend-above=10', 'true', '--help'])).toEqual({
      command: ['true', '--help'],
      opts: { host: undefined, unit: '/A/b', run: 'R1', warningAbove: 2, abendAbove: 10 },
    });
  });

  it('leaves help, mistakes and rarer spellings to the full command line', () => {
    for (const args of [
      ['--help'],
      ['--unit', '/A/b', '--help', '--', 'true'],
      ['--unit', '/A/b'],
      ['--unit', '/A/b', '--'],
      ['-h', 'lh1', '--', 'true'],
      ['--unit', '/A/b', '--nosuch', '--', 'true'],
      ['--unit', '/A/b', '--warning-above', 'abc', '--', 'true'],
      ['--unit', '/A/b', '--abend-above', '-1', '--', 'true'],
      ['--unit', '/A/b', '--warning-above', 'x', '--warning-above', '3', '--', 'true'],
      ['-hlh1', '--unit', '/A/b', '--', 'true'],
      ['--unit'],
    ]) {
      expect(readExecLine(args), args.join(' ')).toBeNull();
    }
  });

  it('reads every line it accepts as commander does', () => {
    const value = fc.constantFrom('lh1', '/A/b', '3', '12', '-1', '', 'a b', '--', '-x', '--help');
    const token = fc.constantFrom('--host=lh2', '--unit=/A/c', '--unit=', '--run=R2', '--abend-above=4', '--abend-above=x', '--', '-', '--help', '-x', '-5', '-hlh3', '/A/b', '3', '', 'true');
    const option = fc.oneof(
      fc.tuple(fc.constantFrom('-h', '--host', '--unit', '--run', '--warning-above', '--abend-above'), value),
      token.map((t) => [t]),
    );
    const unit = fc.constantFrom([], ['--unit', '/A/b'], ['--unit=/A/c'], ['--unit', '-x']);
    const line = fc
      .tuple(fc.array(option, { maxLength: 3 }), unit, fc.array(option, { maxLength: 3 }), fc.constantFrom([], ['--']), fc.array(fc.oneof(token, value), { maxLength: 3 }))
      .map(([before, unitOption, after, end, rest]) => [...before.flat(), ...unitOption, ...after.flat(), ...end, ...rest]);
    fc.assert(
      fc.property(line, (args) => {
        const quick = readExecLine(args);
        if (quick === null) return;
        expect(commanderReads(args), args.join(' ')).toEqual({ command: quick.command, opts: defined(quick.opts) });
      }),
      { numRuns: 3000 },
    );
  });
});
