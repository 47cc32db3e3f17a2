// The cluster software's commands with real daemons: start, stop and monitor of a
// host's manager and agent through the built command line, their exit codes, and
// that nothing but Jobscope's own daemon is ever signalled.
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOBSCOPE, run, TestHost, waitUntil, type RunResult } from '../testing/test-host';
import { addressAssigned, isDaemonCommand, readProc, type Part } from './control';
import { OCF } from './ocf-codes';

let host: TestHost;
const strays: ChildProcess[] = [];

const ctl = (part: Part, action: string, h = host): Promise<RunResult> => run([part, action, '-h', h.name], h.env);
const pidFile = (part: Part) => path.join(host.env.JOBSCOPE_CONFIG_DIR!, 'run', `${host.name}-${part}.pid`);
const readPid = (part: Part) => Number(fs.readFileSync(pidFile(part), 'utf8'));
const healthUrl = (part: Part) =>
  part === 'manager' ? `${host.url}/api/v1/health` : `http://${host.address}:${host.agentPort}/feed/health`;
const alive = (pid: number) => readProc(pid) !== null;

function spawnSleep(): ChildProcess {
  const child = spawn('sleep', ['1000'], { stdio: 'ignore' });
  strays.push(child);
  return child;
}

beforeAll(async () => {
  host = await TestHost.create('ctlhost');
});

afterAll(async () => {
  for (const part of ['manager', 'agent'] as const) await ctl(part, 'stop').catch(() => undefined);
  for (const child of strays) child.kill('SIGKILL');
  await host?.stop();
});

describe.each(['agent', 'manager'] as const)('%s start, monitor and stop', (part) => {
  it('follows the OCF contract through start, a crash and stop', async () => {
    const before = await ctl(part, 'monitor');
    expect(before.code, before.stderr).toBe(OCF.NOT_RUNNING);

    const started = await ctl(part, 'start');
    expect(started.code, started.stderr).toBe(OCF.SUCCESS);
    const pid = readPid(part);
    expect(alive(pid)).toBe(true);
    const health = await fetch(healthUrl(part));
    expect(health.status).toBe(200);
    expect(((await health.json()) as { host: string }).host).toBe(host.name);
    // Its own session: signals for the caller's process group do not reach it.
    expect(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[3]).toBe(String(pid));

    const again = await ctl(part, 'start');
    expect(again.code, again.stderr).toBe(OCF.SUCCESS);
    expect(again.stdout).toMatch(/already running/);
    expect(readPid(part)).toBe(pid);

    const running = await ctl(part, 'monitor');
    expect(running.code, running.stderr).toBe(OCF.SUCCESS);
    expect((await ctl(part, 'status')).code).toBe(OCF.SUCCESS);

    process.kill(pid, 'SIGKILL');
    await waitUntil('the daemon to die', () => !alive(pid) || undefined);
    const crashed = await ctl(part, 'monitor');
    expect(crashed.code).toBe(OCF.ERR_GENERIC);
    expect(crashed.stderr).toMatch(/failed: .*names pid \d+, which is gone/);

    const stopped = await ctl(part, 'stop');
    expect(stopped.code, stopped.stderr).toBe(OCF.SUCCESS);
    expect(fs.existsSync(pidFile(part))).toBe(false);
    expect((await ctl(part, 'monitor')).code).toBe(OCF.NOT_RUNNING);
    expect((await ctl(part, 'stop')).code).toBe(OCF.SUCCESS);
    expect((await ctl(part, 'monitor')).code).toBe(OCF.NOT_RUNNING);
  });
});

describe('monitor', () => {
  it('reports a daemon that runs but does not answer its health check as failed', async () => {
    expect((await ctl('agent', 'start')).code).toBe(OCF.SUCCESS);
    const pid = readPid('agent');
    process.kill(pid, 'SIGSTOP');
    try {
      const hung = await ctl('agent', 'monitor');
      expect(hung.code).toBe(OCF.ERR_GENERIC);
      expect(hung.stderr).toMatch(/runs \(pid \d+\) but is not healthy: .*\/feed\/health did not answer within 5 s/);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    expect((await ctl('agent', 'monitor')).code).toBe(OCF.SUCCESS);
    expect((await ctl('agent', 'stop')).code).toBe(OCF.SUCCESS);
  });
});

describe('stop', () => {
  it('ends a running daemon with SIGTERM and removes its pid file', async () => {
    expect((await ctl('agent', 'start')).code).toBe(OCF.SUCCESS);
    const pid = readPid('agent');
    const stopped = await ctl('agent', 'stop');
    expect(stopped.code, stopped.stderr).toBe(OCF.SUCCESS);
    expect(stopped.stdout).toMatch(/stopped \(pid \d+\)/);
    expect(alive(pid)).toBe(false);
    expect(fs.existsSync(pidFile('agent'))).toBe(false);
    // SIGTERM, not SIGKILL: the agent logged its orderly stop.
    expect(fs.readFileSync(path.join(host.env.JOBSCOPE_CONFIG_DIR!, 'run', `${host.name}-agent.log`), 'utf8')).toMatch(/agent stopping/);
  });

  it('reports a pid file left from before the last boot as cleanly stopped, as a probe expects', async () => {
    fs.mkdirSync(path.dirname(pidFile('agent')), { recursive: true });
    fs.writeFileSync(pidFile('agent'), '999999\n');
    const btime = Number(/^btime (\d+)$/m.exec(fs.readFileSync('/proc/stat', 'utf8'))![1]);
    fs.utimesSync(pidFile('agent'), btime - 3600, btime - 3600);
    const monitored = await ctl('agent', 'monitor');
    expect(monitored.code, monitored.stderr).toBe(OCF.NOT_RUNNING);
    expect(fs.existsSync(pidFile('agent'))).toBe(false);
  });

  it('never signals an unrelated process named by a stale pid file', async () => {
    const sleeper = spawnSleep();
    await waitUntil('sleep to run', () => (sleeper.pid && readProc(sleeper.pid)?.argv[0] === 'sleep') || undefined);
    fs.mkdirSync(path.dirname(pidFile('agent')), { recursive: true });
    fs.writeFileSync(pidFile('agent'), `${sleeper.pid}\n`);

    const monitored = await ctl('agent', 'monitor');
    expect(monitored.code).toBe(OCF.ERR_GENERIC);
    expect(monitored.stderr).toMatch(/now another program \(sleep 1000\)/);

    const stopped = await ctl('agent', 'stop');
    expect(stopped.code, stopped.stderr).toBe(OCF.SUCCESS);
    expect(stopped.stdout).toMatch(/stale pid file/);
    expect(fs.existsSync(pidFile('agent'))).toBe(false);

    fs.writeFileSync(pidFile('agent'), `${sleeper.pid}\n`);
    const started = await ctl('agent', 'start');
    expect(started.code, started.stderr).toBe(OCF.SUCCESS);
    expect(readPid('agent')).not.toBe(sleeper.pid);
    expect((await ctl('agent', 'stop')).code).toBe(OCF.SUCCESS);

    await new Promise((r) => setTimeout(r, 200));
    expect(sleeper.exitCode).toBeNull();
    expect(sleeper.signalCode).toBeNull();
    expect(alive(sleeper.pid!)).toBe(true);
  });

  it('finds and stops a daemon that no pid file records', async () => {
    const daemon = await host.startAgent();
    expect(fs.existsSync(pidFile('agent'))).toBe(false);
    const monitored = await ctl('agent', 'monitor');
    expect(monitored.code, monitored.stderr).toBe(OCF.SUCCESS);
    expect(monitored.stdout).toMatch(/no pid file/);
    const exited = new Promise<number | null>((r) => daemon.once('exit', (code) => r(code)));
    expect((await ctl('agent', 'stop')).code).toBe(OCF.SUCCESS);
    expect(await exited).toBe(0);
    expect((await ctl('agent', 'monitor')).code).toBe(OCF.NOT_RUNNING);
  });
});

describe('start refuses clearly', () => {
  it('when the data folder (shared disk) is missing', async () => {
    const data = path.join(host.dir, 'data');
    fs.renameSync(data, `${data}.away`);
    try {
      const result = await ctl('agent', 'start');
      expect(result.code).toBe(OCF.ERR_GENERIC);
      expect(result.stderr).toContain(`data folder ${data} of ${host.name} does not exist: is the shared disk mounted on this node?`);
      expect(fs.existsSync(pidFile('agent'))).toBe(false);
      expect((await ctl('agent', 'monitor')).code).toBe(OCF.NOT_RUNNING);
    } finally {
      fs.renameSync(`${data}.away`, data);
    }
  });

  it("when the host's address is not assigned to this node", async () => {
    const file = path.join(host.env.JOBSCOPE_CONFIG_DIR!, `${host.name}.json`);
    const original = fs.readFileSync(file, 'utf8');
    // TEST-NET-2: documentation only, on no interface here (and no traffic is sent to it).
    const address = '198.51.100.77';
    expect(addressAssigned(address)).toBe(false);
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(original), address }));
    try {
      const result = await ctl('manager', 'start');
      expect(result.code).toBe(OCF.ERR_GENERIC);
      expect(result.stderr).toContain(`address ${address} of ${host.name} is not assigned to this node`);
    } finally {
      fs.writeFileSync(file, original);
    }
  });

  it('when this node has no configuration of the host (not installed here: 5)', async () => {
    const result = await run(['agent', 'start', '-h', 'no-such-host'], host.env);
    expect(result.code).toBe(OCF.ERR_INSTALLED);
    expect(result.stderr).toMatch(/no configuration for host "no-such-host"/);
    expect((await run(['agent', 'monitor', '-h', 'no-such-host'], host.env)).code).toBe(OCF.NOT_RUNNING);
    expect((await run(['agent', 'stop', '-h', 'no-such-host'], host.env)).code).toBe(OCF.SUCCESS);
  });

  it('when the configuration has a typo (5)', async () => {
    const file = path.join(host.env.JOBSCOPE_CONFIG_DIR!, `${host.name}.json`);
    const original = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, original.replace('"agentPort"', '"agentPrt"'));
    try {
      const result = await ctl('agent', 'start');
      expect(result.code).toBe(OCF.ERR_INSTALLED);
      expect(result.stderr).toMatch(/is invalid/);
    } finally {
      fs.writeFileSync(file, original);
    }
  });

  it('when the daemon exits while starting, with its last log lines', async () => {
    // Someone else holds the agent's port: the daemon fails to listen and exits.
    const squatter = net.createServer((socket) => socket.destroy());
    await new Promise<void>((r) => squatter.listen(host.agentPort, host.address, r));
    try {
      const result = await ctl('agent', 'start');
      expect(result.code).toBe(OCF.ERR_GENERIC);
      expect(result.stderr).toMatch(/exited with code \d+ while starting; last lines of .*ctlhost-agent\.log:/);
      expect(result.stderr).toMatch(/already in use/);
      expect(fs.existsSync(pidFile('agent'))).toBe(false);
    } finally {
      await new Promise((r) => squatter.close(r));
    }
  });

  it('with OCF_ERR_CONFIGURED for an invalid host name and OCF_ERR_ARGS for an unknown action', async () => {
    expect((await run(['agent', 'start', '-h', 'bad_name!'], host.env)).code).toBe(OCF.ERR_CONFIGURED);
    const unknown = await run(['agent', 'restart', '-h', host.name], host.env);
    expect(unknown.code).toBe(OCF.ERR_ARGS);
    expect(unknown.stderr).toMatch(/Allowed choices are start, stop, monitor, status/);
  });
});

describe('on a node of its own (a network namespace)', () => {
  // Loopback addresses bind without being assigned, so only a namespace shows the real
  // case: an address that is up on this node or not. The namespace is isolated (its veth
  // pair has both ends inside), so its address reaches nothing outside it.
  const address = '10.203.0.5';
  const ns = `jsctl-${crypto.randomBytes(3).toString('hex')}`;
  const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const inNode = (part: Part, action: string) =>
    new Promise<RunResult>((resolve) =>
      execFile('ip', ['netns', 'exec', ns, JOBSCOPE, part, action, '-h', host.name], { env: host.env as NodeJS.ProcessEnv }, (err, stdout, stderr) =>
        resolve({ code: err ? ((err.code as number) ?? 1) : 0, signal: null, stdout, stderr }),
      ),
    );

  it('starts only once the floating address is assigned here', async () => {
    const file = path.join(host.env.JOBSCOPE_CONFIG_DIR!, `${host.name}.json`);
    const original = fs.readFileSync(file, 'utf8');
    ip('netns', 'add', ns);
    try {
      ip('-n', ns, 'link', 'set', 'lo', 'up');
      ip('-n', ns, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
      ip('-n', ns, 'link', 'set', 'v0', 'up');
      ip('-n', ns, 'link', 'set', 'v1', 'up');
      fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(original), address }));

      const refused = await inNode('agent', 'start');
      expect(refused.code).toBe(OCF.ERR_GENERIC);
      expect(refused.stderr).toContain(`address ${address} of ${host.name} is not assigned to this node`);
      expect(fs.existsSync(pidFile('agent'))).toBe(false);

      ip('-n', ns, 'addr', 'add', `${address}/24`, 'dev', 'v0');
      const started = await inNode('agent', 'start');
      expect(started.code, started.stderr).toBe(OCF.SUCCESS);
      expect(started.stdout).toContain(`answering on http://${address}:${host.agentPort}/feed/health`);
      expect((await inNode('agent', 'monitor')).code).toBe(OCF.SUCCESS);
      expect((await inNode('agent', 'stop')).code).toBe(OCF.SUCCESS);
      expect((await inNode('agent', 'monitor')).code).toBe(OCF.NOT_RUNNING);
    } finally {
      await inNode('agent', 'stop');
      fs.writeFileSync(file, original);
      ip('netns', 'del', ns);
    }
  });
});

describe('process identity', () => {
  it("recognises only the daemon's own command line", () => {
    const node = ['/usr/bin/node', '--enable-source-maps', '/opt/jobscope/dist/jobscope.mjs'];
    expect(isDaemonCommand([...node, 'agent', '-h', 'lh1'], 'agent', 'lh1')).toBe(true);
    expect(isDaemonCommand(['/bin/sh', '/opt/jobscope/bin/jobscope', 'agent', '--host', 'lh1'], 'agent', 'lh1')).toBe(true);
    expect(isDaemonCommand([...node, 'agent', '--host=lh1'], 'agent', 'lh1')).toBe(true);
    expect(isDaemonCommand([...node, 'agent', '-h', 'lh1'], 'manager', 'lh1')).toBe(false);
    expect(isDaemonCommand([...node, 'agent', '-h', 'lh10'], 'agent', 'lh1')).toBe(false);
    expect(isDaemonCommand([...node, 'agent', 'stop', '-h', 'lh1'], 'agent', 'lh1')).toBe(false);
    expect(isDaemonCommand(['sleep', '1000'], 'agent', 'lh1')).toBe(false);
    expect(isDaemonCommand(['vi', '/tmp/agent', '-h', 'lh1'], 'agent', 'lh1')).toBe(false);
  });

  it("counts loopback and this node's own interface addresses as assigned", () => {
    const interfaces = {
      eth0: [{ address: '10.1.2.3', netmask: '255.255.255.0', family: 'IPv4', mac: '00:00:00:00:00:01', internal: false, cidr: '10.1.2.3/24' }],
      eth1: [{ address: '2001:db8::5', netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: '00:00:00:00:00:02', internal: false, cidr: '2001:db8::5/64', scopeid: 0 }],
    } as const;
    const ifs = interfaces as unknown as NodeJS.Dict<import('node:os').NetworkInterfaceInfo[]>;
    expect(addressAssigned('10.1.2.3', ifs)).toBe(true);
    expect(addressAssigned('2001:db8:0:0::5', ifs)).toBe(true);
    expect(addressAssigned('10.1.2.4', ifs)).toBe(false);
    expect(addressAssigned('127.0.0.2', ifs)).toBe(true);
    expect(addressAssigned('::1', ifs)).toBe(true);
  });
});
