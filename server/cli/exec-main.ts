// The entry of `jobscope exec`, the wrapper around every job: bin/jobscope runs it as
// dist/jobscope-exec.cjs, a bundle of only what exec uses (CommonJS, which Node starts
// faster than a module). It reads the usual command line itself (exec-line.ts); anything
// else (--help, a mistake) goes to the full command line beside it, dist/jobscope.mjs,
// which reads process.argv again and answers as it does for every command.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { runExec } from '../spool/exec';
import { execRequest, readExecLine } from './exec-line';
import { oneLine } from './one-line';

async function main(): Promise<void> {
  const line = process.argv[2] === 'exec' ? readExecLine(process.argv.slice(3)) : null;
  if (line) process.exit(await runExec(execRequest(line.command, line.opts)));
  else await import(pathToFileURL(path.join(__dirname, 'jobscope.mjs')).href);
}

main().catch((err: Error) => {
  process.stderr.write(`jobscope: ${oneLine(err.message)}\n`);
  process.exit(1);
});
