// The deployment files under the real tools that judge them: crm_verify for the
// Pacemaker configuration (with fencing), systemd-analyze for the unit templates;
// and the README showing exactly the configuration that is checked.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../host/config';
import { JOBSCOPE } from '../testing/test-host';

const root = projectRoot();
const CIB = path.join(root, 'cluster', 'pacemaker', 'cib.xml');

function tool(file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: 60_000 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return reject(new Error(`${file} is missing: run scripts/ensure-cluster-tools.sh`));
        return reject(err);
      }
      resolve({ code: err ? (err.code as number) : 0, stdout, stderr });
    });
  });
}

function tempFile(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobscope-deploy-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

describe('Pacemaker configuration', () => {
  const xml = fs.readFileSync(CIB, 'utf8');

  it('passes crm_verify with fencing enabled', async () => {
    const result = await tool('/usr/sbin/crm_verify', ['--xml-file', CIB]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(/error/i);
    expect(xml).toMatch(/<nvpair id="[^"]+" name="stonith-enabled" value="true"\/>/);
    expect(xml.match(/<primitive id="fence-node-[ab]" class="stonith" type="fence_ipmilan">/g)).toHaveLength(2);
  });

  it('is refused by crm_verify without a fence device, as fencing is on', async () => {
    const unfenced = xml.replace(/\s*<!-- One fence device[\s\S]*?<primitive id="fence-node-b"[\s\S]*?<\/primitive>/, '').replace(/\s*<rsc_location id="fence-node-[ab]-not-on[^>]*\/>/g, '');
    expect(unfenced).not.toContain('class="stonith"');
    const result = await tool('/usr/sbin/crm_verify', ['-V', '--xml-file', tempFile('cib.xml', unfenced)]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/no STONITH resources have been defined/);
  });

  it('groups each host as shared file system, then floating address, then Jobscope', () => {
    const groups = [...xml.matchAll(/<group id="([^"]+)">([\s\S]*?)<\/group>/g)].map(([, id, body]) => ({
      id,
      members: [...body.matchAll(/<primitive id="[^"]+" class="([^"]+)" provider="([^"]+)" type="([^"]+)">/g)].map(([, c, p, t]) => `${c}:${p}:${t}`),
      part: /name="part" value="([^"]+)"/.exec(body)?.[1],
    }));
    expect(groups.map((g) => [g.id, g.part])).toEqual([
      ['console-clh1', 'manager'],
      ['jobhost-lh1', 'agent'],
    ]);
    for (const g of groups) expect(g.members).toEqual(['ocf:heartbeat:Filesystem', 'ocf:heartbeat:IPaddr2', 'ocf:jobscope:jobscope']);
  });

  it('is shown in the README exactly as checked', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Running in a cluster'));
    const shown = /```xml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(shown).toBe(xml);
    // The crm shell version names the same resources, groups and fencing.
    const crm = /```\n(property [\s\S]*?)```/.exec(section)?.[1] ?? '';
    const ids = (re: RegExp) => [...xml.matchAll(re)].map((m) => m[1]).sort();
    expect([...crm.matchAll(/^primitive (\S+)/gm)].map((m) => m[1]).sort()).toEqual(ids(/<primitive id="([^"]+)"/g));
    expect([...crm.matchAll(/^group (\S+)/gm)].map((m) => m[1]).sort()).toEqual(ids(/<group id="([^"]+)"/g));
    expect([...crm.matchAll(/^location (\S+)/gm)].map((m) => m[1]).sort()).toEqual(ids(/<rsc_location id="([^"]+)"/g));
    expect(crm).toContain('stonith-enabled=true');
  });
});

describe('systemd unit templates', () => {
  it.each(['manager', 'agent'])('jobscope-%s@.service passes systemd-analyze verify as an instance', async (part) => {
    const template = fs.readFileSync(path.join(root, 'cluster', 'systemd', `jobscope-${part}@.service`), 'utf8');
    expect(template).toMatch(new RegExp(`^ExecStart=/opt/jobscope/bin/jobscope ${part} -h %i$`, 'm'));
    expect(template).toMatch(/^Restart=on-failure$/m);
    expect(template).toMatch(/^KillMode=mixed$/m);
    expect(template).toMatch(/^Environment=JOBSCOPE_CONFIG_DIR=\/etc\/jobscope$/m);
    expect(template).toMatch(/^After=network-online\.target$/m);
    // systemd-analyze checks that ExecStart exists: point it at this checkout's command.
    const unit = tempFile(`jobscope-${part}@lh1.service`, template.replace('/opt/jobscope/bin/jobscope', JOBSCOPE));
    const result = await tool('systemd-analyze', ['verify', unit]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
  });
});
