// The login screen's connection host: a console host's logical name or address.
// If it names this console, log in here; if another console answers there,
// send the browser to it (the password is never carried across).
import dns from 'node:dns/promises';
import { z } from 'zod';
import { InputError, parseInput, says, words } from '../input';

const targetSchema = z
  .string()
  .trim()
  .min(1, says('connection host is required', '接続ホストは必須です'))
  .max(260, says('connection host is longer than 260 characters', '接続ホストが 260 文字を超えています'))
  .regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/, says('connection host must be a host name or address, optionally with :port', '接続ホストはホスト名かアドレスです (:ポート を付けられます)'));

export interface SelfHost {
  names: string[];
  address: string;
  port: number;
}

export type ConnectResult = { self: true } | { self: false; url: string };

export async function checkConnectionHost(input: unknown, self: SelfHost): Promise<ConnectResult> {
  const target = parseInput(targetSchema, input);
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(target)!;
  const name = m[1].replace(/^\[|\]$/g, '').toLowerCase();
  const port = m[2] ? Number(m[2]) : self.port;
  if (port === self.port && (self.names.map((n) => n.toLowerCase()).includes(name) || name === self.address)) return { self: true };
  let addresses: string[];
  try {
    addresses = (await dns.lookup(name, { all: true })).map((a) => a.address);
  } catch {
    throw new InputError(
      words(`Unknown connection host ${name}: the name does not resolve`, `接続ホスト ${name} がわかりません。名前を解決できません`),
      { host: words('unknown host', '不明なホスト') },
      404,
    );
  }
  if (port === self.port && addresses.includes(self.address)) return { self: true };
  const hostPart = name.includes(':') ? `[${name}]` : name;
  const base = `http://${hostPart}:${port}`;
  try {
    const res = await fetch(`${base}/api/v1/health`, { signal: AbortSignal.timeout(3000), redirect: 'error' });
    const health = (await res.json()) as { host?: unknown };
    if (!res.ok || typeof health.host !== 'string') throw new Error('not a console');
  } catch {
    throw new InputError(
      words(`Console host ${name} is not reachable on port ${port}`, `コンソールホスト ${name} のポート ${port} に接続できません`),
      { host: words('unreachable', '接続できません') },
      502,
    );
  }
  return { self: false, url: `${base}/login` };
}
