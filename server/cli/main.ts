// The one command line: jobscope manager | agent | exec | report | setup | host | user | demo.
// Each command acts for one host (-h, else JOBSCOPE_HOSTNAME, else the physical host).
// Commands load their modules lazily. `exec`, run for every job, has an entry of its own
// (exec-main.ts) that comes here only for what it does not read itself: help and mistakes.
import { Argument, Command, InvalidArgumentError, Option } from 'commander';
import { chooseHostName } from '../host/identity';
import { execRequest, type ExecOptions } from './exec-line';
import { oneLine } from './one-line';

const program = new Command('jobscope')
  .description('Jobscope: monitoring console for scheduled job units on logical hosts')
  .configureOutput({ outputError: (message, write) => write(`${oneLine(message)}\n`) })
  .showHelpAfterError()
  // Needed by exec's passThroughOptions: options after the command belong to the command.
  .enablePositionalOptions()
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));

const hostOption = () => new Option('-h, --host <name>', 'logical host to act for (default: $JOBSCOPE_HOSTNAME, else this machine)');
const helpOption = (cmd: Command) => cmd.helpOption('--help', 'show help');
const host = (opts: { host?: string }) => chooseHostName(opts.host);

function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('must be a whole number of 0 or more');
  return Number(value);
}
/** An exit code: a signed 32-bit number, or an unsigned one (a Windows code such as 3221225477) kept as its signed twin. */
function exitCode(value: string): number {
  const n = /^-?\d{1,10}$/.test(value) ? Number(value) : NaN;
  if (!(n >= -(2 ** 31) && n <= 2 ** 32 - 1)) throw new InvalidArgumentError('must be a whole number from -2147483648 to 4294967295');
  return n >= 2 ** 31 ? n - 2 ** 32 : n;
}
function port(value: string): number {
  const n = wholeNumber(value);
  if (n < 1 || n > 65535) throw new InvalidArgumentError('must be a port number from 1 to 65535');
  return n;
}

/** A comma-separated list; "" is the empty list. */
function list(value: string): string[] {
  return value.split(',').map((v) => v.trim()).filter(Boolean);
}

helpOption(program);

helpOption(
  program
    .command('setup')
    .description("write this node's configuration of a logical host; with --init also create its data")
    .addOption(hostOption())
    .option('--address <ip>', 'address the host binds (default: the one address its name resolves to)')
    .option('--manager-port <port>', 'console manager port', port)
    .option('--agent-port <port>', 'agent feed port', port)
    .option('--data <dir>', "folder on the host's shared disk for its store and spool")
    .option('--init', 'also create the store and the spool (once, on one node)')
    .option('--store-url <url>', 'console store on PostgreSQL, postgresql://user@server:5432/db (password: $JOBSCOPE_STORE_PASSWORD); "" for SQLite in the data folder')
    .option('--aliases <names>', 'other names or addresses browsers reach this console by, comma-separated ("" for none)', list)
    .option('--console-peers <hosts>', 'other console hosts the login page may send browsers to, NAME[:PORT], comma-separated ("" for none)', list)
    .option('--trusted-proxies <networks>', 'reverse proxies whose X-Forwarded-For/-Proto are believed, addresses or CIDR networks ("" for none)', list)
    .option('--webhook-networks <networks>', 'the only networks webhooks may post to, CIDR, comma-separated ("" for the default)', list)
    .option('--tls-cert <file>', 'PEM certificate for HTTPS on the console and the feed ("" with --tls-key "" turns TLS off)')
    .option('--tls-key <file>', 'PEM private key of that certificate'),
).action(async (opts) => {
  const { runSetup } = await import('../host/setup');
  await runSetup({ ...opts, host: host(opts) });
});

// For cluster software: start (detached), stop or monitor a daemon, exiting with OCF codes
// (server/cluster). Without an action the daemon runs in the foreground.
const clusterAction = () =>
  new Argument('[action]', 'control the daemon for cluster software (OCF exit codes); none: run it in the foreground').choices([
    'start',
    'stop',
    'monitor',
    'status',
  ]);
const timeoutOption = () =>
  new Option('--timeout <seconds>', 'start: wait this long to be ready (default 60); stop: wait this long after SIGTERM before SIGKILL (default 30)').argParser(
    (v) => {
      const n = wholeNumber(v);
      if (n < 1) throw new InvalidArgumentError('must be 1 or more');
      return n;
    },
  );
async function controlDaemon(part: 'manager' | 'agent', action: string, opts: { host?: string; timeout?: number }): Promise<void> {
  const { runClusterAction } = await import('../cluster/cli');
  await runClusterAction(part, action as 'start' | 'stop' | 'monitor' | 'status', opts);
}
const foregroundOnly = (opts: { timeout?: number }) => {
  if (opts.timeout !== undefined) throw new Error('--timeout applies to start and stop only');
};

helpOption(
  program
    .command('manager')
    .description('run the console manager of a host in the foreground, or start, stop or monitor it for cluster software')
    .addArgument(clusterAction())
    .addOption(hostOption())
    .addOption(timeoutOption()),
).action(async (action: string | undefined, opts) => {
  if (action) return controlDaemon('manager', action, opts);
  foregroundOnly(opts);
  const { runManager } = await import('../daemons/manager');
  await runManager({ host: host(opts) });
});

helpOption(
  program
    .command('agent')
    .description('run the console agent of a host (serve its spool as a feed) in the foreground, or start, stop or monitor it for cluster software')
    .addArgument(clusterAction())
    .addOption(hostOption())
    .addOption(timeoutOption()),
).action(async (action: string | undefined, opts) => {
  if (action) return controlDaemon('agent', action, opts);
  foregroundOnly(opts);
  const { runAgent } = await import('../daemons/agent');
  await runAgent({ host: host(opts) });
});

helpOption(
  program
    .command('exec')
    .description('run a command as a job unit and record its start and end')
    .addOption(hostOption())
    .requiredOption('--unit <name>', 'unit full name, e.g. /Billing/Daily/extract or AJSROOT1:/Billing/Daily/extract')
    .option('--run <id>', 'run id shared by the jobs of one jobnet run (default: $JOBSCOPE_RUN_ID)')
    .option('--warning-above <code>', 'exit codes above this end with a warning', wholeNumber)
    .option('--abend-above <code>', 'exit codes above this end abnormally', wholeNumber)
    .argument('<command...>', 'the command and its arguments, after --')
    .passThroughOptions(),
).action(async (command: string[], opts: ExecOptions) => {
  const { runExec } = await import('../spool/exec');
  process.exit(await runExec(execRequest(command, opts)));
});

helpOption(
  program
    .command('report')
    .description('record a status that another scheduler already knows')
    .addOption(hostOption())
    .requiredOption('--unit <name>', 'unit full name')
    .requiredOption('--status <status>', 'status constant, e.g. NORMAL, ABNORMAL, RUNNING, HOLDING')
    .option('--run <id>', 'run id (default: $JOBSCOPE_RUN_ID)')
    .option('--exit-code <code>', 'exit code, -2147483648 to 4294967295 (codes above 2147483647 are kept signed, as %ERRORLEVEL% shows them)', exitCode)
    .option('--message <text>', 'short reason shown with the status'),
).action(async (opts) => {
  const { runReport } = await import('../spool/report');
  await runReport({
    host: host(opts),
    unit: opts.unit,
    status: opts.status,
    runId: opts.run ?? (process.env.JOBSCOPE_RUN_ID || null),
    exitCode: opts.exitCode ?? null,
    message: opts.message ?? null,
  });
});

const hostCmd = helpOption(program.command('host').description("the console's registry of monitored hosts"));
helpOption(
  hostCmd
    .command('add')
    .description('register a monitored host (its feed token is read from $JOBSCOPE_HOST_TOKEN or standard input)')
    .addOption(hostOption())
    .argument('<name>', 'monitored host name')
    .requiredOption('--address <address>', 'address of its agent feed')
    .option('--port <port>', 'port of its agent feed', port, 7421)
    .option('--tls-ca <file>', 'pull the feed over TLS, trusting this CA certificate (PEM); the certificate must name the host or the address')
    .option('--tls-fingerprint <sha256>', "pull the feed over TLS, trusting exactly the certificate with this SHA-256 fingerprint (openssl x509 -fingerprint -sha256)"),
).action(async (name: string, opts) => {
  const { cliAddHost } = await import('../definitions/cli');
  await cliAddHost(host(opts), { name, address: opts.address, feedPort: opts.port, tlsCaFile: opts.tlsCa, tlsFingerprint: opts.tlsFingerprint });
});
helpOption(hostCmd.command('list').description('list monitored hosts').addOption(hostOption())).action(async (opts) => {
  const { cliListHosts } = await import('../definitions/cli');
  await cliListHosts(host(opts));
});
helpOption(hostCmd.command('remove').description('remove a monitored host').addOption(hostOption()).argument('<name>')).action(
  async (name: string, opts) => {
    const { cliRemoveHost } = await import('../definitions/cli');
    await cliRemoveHost(host(opts), name);
  },
);

const userCmd = helpOption(program.command('user').description('console users'));
helpOption(
  userCmd
    .command('add')
    .description('add a user (password from $JOBSCOPE_PASSWORD or standard input)')
    .addOption(hostOption())
    .argument('<name>')
    .addOption(new Option('--role <role>', 'role').choices(['admin', 'operator', 'guest']).makeOptionMandatory()),
).action(async (name: string, opts) => {
  const { cliAddUser } = await import('../auth/cli');
  await cliAddUser(host(opts), name, opts.role);
});

helpOption(
  program
    .command('demo')
    .description('run console, agent and a small demo workload for this machine on the embedded store')
    .option('--address <ip>', 'address to bind (default: the one address this machine\'s name resolves to)')
    .option('--port <port>', 'console port', port),
).action(async (opts) => {
  const { runDemo } = await import('../daemons/demo');
  await runDemo(opts);
});

program.parseAsync(process.argv).catch((err: Error) => {
  process.stderr.write(`jobscope: ${oneLine(err.message)}\n`);
  process.exit(1);
});
