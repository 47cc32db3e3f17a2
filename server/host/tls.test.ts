// A host's TLS pair: checked whole by setup, by each daemon at its start (which
// refuses to start on a bad one, naming the file) and by cluster control, whose
// health check trusts exactly the configured certificate.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, TestHost } from '../testing/test-host';
import { selfSigned, TestCa, type TestCertificate } from '../testing/tls';
import { OCF } from '../cluster/ocf-codes';
import { loadTlsPair, TlsFilesError } from './tls';

let dir: string;
let ca: TestCa;
let good: TestCertificate;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobscope-tls-pair-'));
  ca = TestCa.create(path.join(dir, 'ca'));
  good = ca.issue('lh1', ['lh1', '127.0.0.1'], { file: 'good' });
});

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const problem = (files: { cert: string; key: string }) => {
  try {
    loadTlsPair(files);
  } catch (e) {
    expect(e).toBeInstanceOf(TlsFilesError);
    return (e as Error).message;
  }
  throw new Error('the pair was accepted');
};

describe('loadTlsPair', () => {
  it('takes a certificate (with its chain after it) and its key', () => {
    const chain = path.join(dir, 'chain.crt');
    fs.writeFileSync(chain, good.pem + ca.pem);
    const pair = loadTlsPair({ cert: chain, key: good.keyFile });
    expect(pair.certificate.fingerprint256).toBe(good.fingerprint);
    expect(pair.cert.toString()).toContain(ca.pem.trim());
  });

  it('refuses a missing, unreadable or non-PEM file, a key of another certificate, and an expired certificate, naming the file', () => {
    const missing = path.join(dir, 'missing.crt');
    expect(problem({ cert: missing, key: good.keyFile })).toBe(`TLS certificate ${missing} does not exist`);
    expect(problem({ cert: good.certFile, key: dir })).toBe(`TLS key ${dir} is a folder, not a file`);
    const notPem = path.join(dir, 'not-pem.crt');
    fs.writeFileSync(notPem, 'hello\n');
    expect(problem({ cert: notPem, key: good.keyFile })).toBe(`TLS certificate ${notPem} is not a PEM certificate (-----BEGIN CERTIFICATE-----)`);
    expect(problem({ cert: good.certFile, key: notPem })).toBe(`TLS key ${notPem} is not a PEM private key (-----BEGIN PRIVATE KEY-----)`);
    expect(problem({ cert: good.keyFile, key: good.certFile })).toBe(`TLS certificate ${good.keyFile} is not a PEM certificate (-----BEGIN CERTIFICATE-----)`);
    expect(problem({ cert: good.certFile, key: good.certFile })).toMatch(/holds a certificate, not a private key: are --tls-cert and --tls-key swapped\?$/);
    const other = ca.issue('lh1', ['lh1'], { file: 'other' });
    expect(problem({ cert: good.certFile, key: other.keyFile })).toBe(`TLS key ${other.keyFile} does not match certificate ${good.certFile}`);
    const expired = ca.issue('lh1', ['lh1'], { file: 'expired', days: -1 });
    expect(problem({ cert: expired.certFile, key: expired.keyFile })).toMatch(new RegExp(`^TLS certificate ${expired.certFile} expired on \\d{4}-\\d\\d-\\d\\d$`));
  });
});

describe('jobscope setup --tls-cert --tls-key', () => {
  const env = () => ({ ...process.env, JOBSCOPE_CONFIG_DIR: path.join(dir, 'config'), JOBSCOPE_HOSTNAME: '', JOBSCOPE_AGENT_TOKEN: 'tls-test-token-5Xq9vR2mK8pW4nT7yB3cF6hJ' });
  const setup = (...args: string[]) => run(['setup', '-h', 'lh1', '--address', '127.0.0.1', '--data', path.join(dir, 'lh1'), ...args], env());

  it('checks the pair and prints the certificate, with the fingerprint consoles pin', async () => {
    const result = await setup('--tls-cert', good.certFile, '--tls-key', good.keyFile);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`TLS (https for the console and the feed): certificate ${good.certFile}, key ${good.keyFile}`);
    expect(result.stdout).toContain(`SHA-256 fingerprint ${good.fingerprint}`);
    const off = await setup('--tls-cert', '', '--tls-key', '');
    expect(off.code, off.stderr).toBe(0);
    expect(off.stdout).toContain('TLS off');
  });

  it('refuses a bad pair and keeps the configuration as it was', async () => {
    const expired = ca.issue('lh1', ['lh1'], { file: 'setup-expired', days: -1 });
    const refused = await setup('--tls-cert', expired.certFile, '--tls-key', expired.keyFile);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`^jobscope: TLS certificate ${expired.certFile} expired on `));
    const mismatched = await setup('--tls-cert', good.certFile, '--tls-key', expired.keyFile);
    expect(mismatched.stderr).toBe(`jobscope: TLS key ${expired.keyFile} does not match certificate ${good.certFile}\n`);
    expect((await setup()).stdout).toContain('TLS off');
  });
});

describe('a host whose pair goes bad', () => {
  let host: TestHost;
  const ctl = (part: string, action: string) => run([part, action, '-h', host.name], host.env);

  beforeAll(async () => {
    host = await TestHost.create('tlsctl', '127.0.0.1', undefined, { tls: ca });
  });

  afterAll(async () => {
    await ctl('agent', 'stop');
    await host?.stop();
  });

  it('is started and monitored over https, trusting exactly the configured certificate', async () => {
    const started = await ctl('agent', 'start');
    expect(started.code, started.stdout + started.stderr).toBe(OCF.SUCCESS);
    expect(started.stdout).toContain(`answering on https://127.0.0.1:${host.agentPort}/feed/health`);
    expect((await ctl('agent', 'monitor')).code).toBe(OCF.SUCCESS);

    // Another certificate at the configured path: the running daemon still serves the one it started with.
    const { certFile, keyFile } = host.tls!.certificate;
    const kept = { cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) };
    const renewed = selfSigned(path.join(dir, 'renewed'), host.name, [host.name, host.address]);
    fs.copyFileSync(renewed.certFile, certFile);
    fs.copyFileSync(renewed.keyFile, keyFile);
    try {
      const monitored = await ctl('agent', 'monitor');
      expect(monitored.code).toBe(OCF.ERR_GENERIC);
      expect(monitored.stderr).toContain(`presents certificate ${host.tls!.certificate.fingerprint}, not the configured ${certFile} (${renewed.fingerprint})`);
    } finally {
      fs.writeFileSync(certFile, kept.cert);
      fs.writeFileSync(keyFile, kept.key);
    }
    expect((await ctl('agent', 'monitor')).code).toBe(OCF.SUCCESS);
    expect((await ctl('agent', 'stop')).code).toBe(OCF.SUCCESS);
  });

  it('refuses to start, in the foreground and for cluster software, naming the file', async () => {
    const { certFile, keyFile } = host.tls!.certificate;
    const kept = { cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) };
    const expired = ca.issue(host.name, [host.name], { file: 'daemon-expired', days: -1 });
    fs.copyFileSync(expired.certFile, certFile);
    fs.copyFileSync(expired.keyFile, keyFile);
    try {
      for (const part of ['agent', 'manager']) {
        const foreground = await run([part, '-h', host.name], host.env);
        expect(foreground.code, `${part}: ${foreground.stdout}`).toBe(1);
        expect(foreground.stderr).toMatch(new RegExp(`^jobscope: TLS certificate ${certFile} expired on \\d{4}-\\d\\d-\\d\\d\\n$`));
        // This node's files: another node may have good ones, so "not installed here".
        const started = await ctl(part, 'start');
        expect(started.code).toBe(OCF.ERR_INSTALLED);
        expect(started.stderr).toContain(`TLS certificate ${certFile} expired on`);
      }
    } finally {
      fs.writeFileSync(certFile, kept.cert);
      fs.writeFileSync(keyFile, kept.key);
    }
  });
});
