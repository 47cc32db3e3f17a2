// The OCF resource agent (cluster/ocf/jobscope) under the real external suite,
// ocf-tester from Debian's resource-agents (scripts/ensure-cluster-tools.sh installs
// it), against real daemons; and its parameter checks and exit-code mapping.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../host/config';
import { JOBSCOPE, run, TestHost, type Env } from '../testing/test-host';
import { OCF } from './ocf-codes';

const AGENT = path.join(projectRoot(), 'cluster', 'ocf', 'jobscope');
const OCF_ROOT = '/usr/lib/ocf';

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

function sh(file: string, args: string[], env: Env, timeoutMs = 240_000): Promise<Ran> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env: env as NodeJS.ProcessEnv, timeout: timeoutMs, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') return reject(err);
      resolve({ code: err ? (err.code as number) : 0, stdout, stderr });
    });
  });
}

function requireTool(tool: string): void {
  const found = (process.env.PATH ?? '').split(':').concat('/usr/sbin').some((dir) => fs.existsSync(path.join(dir, tool)));
  if (!found) throw new Error(`${tool} is missing: run scripts/ensure-cluster-tools.sh`);
}

let host: TestHost;
/** The resource agent's environment, as Pacemaker gives it. */
const raEnv = (params: Record<string, string>, extra: Env = {}): Env => {
  const env: Env = { ...host.env, OCF_ROOT, OCF_RA_VERSION_MAJOR: '1', OCF_RA_VERSION_MINOR: '0', OCF_RESOURCE_INSTANCE: 'jobscope-test', ...extra };
  for (const [k, v] of Object.entries(params)) env[`OCF_RESKEY_${k}`] = v;
  return env;
};
const params = (part: string) => ({ part, host: host.name, jobscope: JOBSCOPE, config_dir: host.env.JOBSCOPE_CONFIG_DIR! });
const ra = (action: string, p: Record<string, string>, extra: Env = {}) => sh(AGENT, [action], raEnv(p, extra));

beforeAll(async () => {
  requireTool('ocf-tester');
  host = await TestHost.create('ocfhost');
});

afterAll(async () => {
  for (const part of ['manager', 'agent']) await run([part, 'stop', '-h', host.name], host.env).catch(() => undefined);
  await host?.stop();
});

describe('ocf-tester', () => {
  it.each(['agent', 'manager'])('passes every test for the %s', async (part) => {
    // ocf-tester runs meta-data as user nobody, who may not reach into the checkout:
    // test the same file from a folder anyone can read, as in /usr/lib/ocf.
    const dir = path.join(host.dir, 'resource.d');
    fs.mkdirSync(dir, { recursive: true });
    fs.chmodSync(host.dir, 0o755);
    fs.chmodSync(dir, 0o755);
    const agent = path.join(dir, 'jobscope');
    fs.copyFileSync(AGENT, agent);
    fs.chmodSync(agent, 0o755);
    const args = ['-n', `jobscope-${part}`];
    for (const [k, v] of Object.entries(params(part))) args.push('-o', `${k}=${v}`);
    const result = await sh('/usr/sbin/ocf-tester', [...args, agent], { ...host.env, OCF_ROOT });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain(`${agent} passed all tests`);
    expect(result.stdout + result.stderr).not.toMatch(/\* rc=/);
    // It really ran the daemon: its log shows two starts (start, and restart after stop).
    const log = fs.readFileSync(path.join(host.env.JOBSCOPE_CONFIG_DIR!, 'run', `${host.name}-${part}.log`), 'utf8');
    expect(log.match(new RegExp(`jobscope ${part} start -h ${host.name}`, 'g'))?.length).toBe(2);
    expect((await run([part, 'monitor', '-h', host.name], host.env)).code).toBe(OCF.NOT_RUNNING);
  }, 240_000);
});

describe('the resource agent', () => {
  it('checks its parameters: part and host are required, part is manager or agent', async () => {
    expect((await ra('validate-all', params('agent'))).code).toBe(OCF.SUCCESS);
    const noPart = await ra('validate-all', { ...params('agent'), part: '' });
    expect(noPart.code).toBe(OCF.ERR_CONFIGURED);
    expect(noPart.stderr).toMatch(/ocf-exit-reason:parameter part is required/);
    const badPart = await ra('validate-all', { ...params('agent'), part: 'console' });
    expect(badPart.code).toBe(OCF.ERR_CONFIGURED);
    expect(badPart.stderr).toMatch(/it must be manager or agent/);
    expect((await ra('validate-all', { ...params('agent'), host: '' })).code).toBe(OCF.ERR_CONFIGURED);
    expect((await ra('validate-all', { ...params('agent'), host: 'a b' })).code).toBe(OCF.ERR_CONFIGURED);
  });

  it('reports a node without Jobscope as not installed, stopped and stoppable', async () => {
    const missing = { ...params('agent'), jobscope: '/nonexistent/bin/jobscope' };
    expect((await ra('validate-all', missing)).code).toBe(OCF.ERR_INSTALLED);
    expect((await ra('start', missing)).code).toBe(OCF.ERR_INSTALLED);
    expect((await ra('monitor', missing)).code).toBe(OCF.NOT_RUNNING);
    expect((await ra('stop', missing)).code).toBe(OCF.SUCCESS);
  });

  it("passes jobscope's exit codes and reasons on, with or without ocf-shellfuncs", async () => {
    const data = path.join(host.dir, 'data');
    fs.renameSync(data, `${data}.away`);
    try {
      for (const extra of [{}, { OCF_FUNCTIONS_DIR: path.join(host.dir, 'no-shellfuncs') }]) {
        const start = await ra('start', params('agent'), extra);
        expect(start.code).toBe(OCF.ERR_GENERIC);
        expect(start.stderr).toMatch(/ocf-exit-reason:cannot start the agent of ocfhost: data folder .* does not exist: is the shared disk mounted on this node\?/);
        expect((await ra('monitor', params('agent'), extra)).code).toBe(OCF.NOT_RUNNING);
        expect((await ra('status', params('agent'), extra)).code).toBe(OCF.NOT_RUNNING);
      }
    } finally {
      fs.renameSync(`${data}.away`, data);
    }
    // An unknown host on this node: jobscope says "not installed here" (5).
    const other = await ra('start', { ...params('agent'), host: 'not-set-up-here' });
    expect(other.code).toBe(OCF.ERR_INSTALLED);
    expect(other.stderr).toMatch(/no configuration for host "not-set-up-here"/);
  });

  it("leaves jobscope's own wait 5 s inside the cluster's operation timeout", async () => {
    // A wrapper that records its arguments, then runs the real command.
    const calls = path.join(host.dir, 'calls');
    const wrapper = path.join(host.dir, 'jobscope-recording');
    fs.writeFileSync(wrapper, `#!/bin/sh\necho "$*" >> '${calls}'\nexec '${JOBSCOPE}' "$@"\n`, { mode: 0o755 });
    const p = { ...params('agent'), jobscope: wrapper };
    expect((await ra('start', p, { OCF_RESKEY_CRM_meta_timeout: '20000' })).code).toBe(OCF.SUCCESS);
    expect((await ra('monitor', p, { OCF_RESKEY_CRM_meta_timeout: '20000' })).code).toBe(OCF.SUCCESS);
    expect((await ra('stop', p, { OCF_RESKEY_CRM_meta_timeout: '90000' })).code).toBe(OCF.SUCCESS);
    expect(fs.readFileSync(calls, 'utf8').trim().split('\n')).toEqual([
      `agent start -h ${host.name} --timeout 15`,
      `agent monitor -h ${host.name}`,
      `agent stop -h ${host.name} --timeout 85`,
    ]);
  });

  it('prints valid meta-data, usage, and refuses what it does not implement', async () => {
    const meta = await sh(AGENT, ['meta-data'], {});
    expect(meta.code).toBe(0);
    for (const name of ['part', 'host', 'jobscope', 'config_dir']) expect(meta.stdout).toContain(`<parameter name="${name}"`);
    for (const action of ['start', 'stop', 'monitor', 'status', 'meta-data', 'validate-all']) expect(meta.stdout).toContain(`<action name="${action}"`);
    const dtd = path.join('/usr/share/resource-agents', 'ra-api-1.dtd');
    const lint = await new Promise<Ran>((resolve) => {
      const child = execFile('xmllint', ['--noout', '--dtdvalid', dtd, '-'], (err, stdout, stderr) =>
        resolve({ code: err ? ((err.code as number) ?? 1) : 0, stdout, stderr }),
      );
      child.stdin!.end(meta.stdout);
    });
    expect(lint.code, lint.stderr).toBe(0);
    expect((await sh(AGENT, ['usage'], {})).code).toBe(0);
    for (const action of ['promote', 'demote', 'migrate_to', 'reload', 'frobnicate']) {
      expect((await ra(action, params('agent'))).code).toBe(OCF.ERR_UNIMPLEMENTED);
    }
  });
});
