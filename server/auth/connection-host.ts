// The login screen's connection host: a console host's logical name or address.
// If it names this console, log in here. If it names a console this one knows
// (its peers, in the host's configuration) that answers as that console, send
// the browser there (the password is never carried across). Anything else is
// refused without a request: the manager never calls arbitrary hosts or ports
// on a stranger's behalf, and each client may ask only so often.
import dns from 'node:dns/promises';
import net from 'node:net';
import { z } from 'zod';
import { InputError, parseInput, says, words } from '../input';
import { deadline } from '../deadline';

const TARGET = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/;
const targetSchema = z
  .string()
  .trim()
  .min(1, says('connection host is required', '接続ホストは必須です'))
  .max(260, says('connection host is longer than 260 characters', '接続ホストが 260 文字を超えています'))
  .regex(TARGET, says('connection host must be a host name or address, optionally with :port', '接続ホストはホスト名かアドレスです (:ポート を付けられます)'));

interface Target {
  name: string;
  port: number | null;
}

/** "Name:7420", "[::1]" → lower-case name (IPv6 without brackets) and the port if given. */
export function parseTarget(text: string): Target | null {
  const m = TARGET.exec(text.trim());
  if (!m) return null;
  const port = m[2] === undefined ? null : Number(m[2]);
  if (port !== null && (port < 1 || port > 65535)) return null;
  return { name: m[1].replace(/^\[|\]$/g, '').toLowerCase().replace(/\.$/, ''), port };
}

export interface ConsoleDirectory {
  /**
   * Called before the console does any work for the check (a lookup, a request to a peer):
   * throws to refuse it (a client asking too often). Naming this console itself costs nothing.
   */
  beforeWork?: () => void;
  /** This console: its names (host, address, aliases) and port. */
  self: { names: Set<string>; address: string; port: number };
  /** The other consoles the login page may send a browser to (NAME[:PORT], port defaulting to this console's). */
  peers: string[];
  /** The scheme this console is reached by: its peers are reached the same way. */
  scheme: 'http' | 'https';
}

export type ConnectResult = { self: true } | { self: false; url: string };

const unknownConsole = (name: string) =>
  new InputError(
    words(
      `${name} is not a console host this console knows; an admin adds it to the console peers (jobscope setup --console-peers)`,
      `${name} はこのコンソールが知っているコンソールホストではありません。管理者がコンソールのピアに追加します (jobscope setup --console-peers)`,
    ),
    { host: words('not a known console host', '既知のコンソールホストではありません') },
    404,
  );

export async function checkConnectionHost(input: unknown, directory: ConsoleDirectory): Promise<ConnectResult> {
  const target = parseTarget(parseInput(targetSchema, input));
  if (!target) throw new InputError(words('connection host has a port outside 1 to 65535', '接続ホストのポートが 1 から 65535 の範囲外です'), { host: words('bad port', 'ポートが正しくありません') });
  const { self } = directory;
  const atOwnPort = target.port === null || target.port === self.port;
  if (atOwnPort && self.names.has(target.name)) return { self: true };
  directory.beforeWork?.();
  const peer = directory.peers.map(parseTarget).find((p) => p !== null && p.name === target.name && (target.port ?? self.port) === (p.port ?? self.port));
  if (!peer) {
    // A name of this console's own address (localhost, say) still means this console; nothing else is looked up.
    if (atOwnPort && !net.isIP(target.name) && (await resolves(target.name)).includes(self.address)) return { self: true };
    throw unknownConsole(target.name);
  }
  const port = peer.port ?? self.port;
  const base = `${directory.scheme}://${net.isIPv6(peer.name) ? `[${peer.name}]` : peer.name}:${port}`;
  const answers = await consoleAnswering(base);
  // A peer named by its host name must answer as that console, not as whatever listens there.
  if (answers === null || (!net.isIP(peer.name) && answers.toLowerCase() !== peer.name)) {
    throw new InputError(
      words(`Console host ${peer.name} is not reachable on port ${port}`, `コンソールホスト ${peer.name} のポート ${port} に接続できません`),
      { host: words('unreachable', '接続できません') },
      502,
    );
  }
  return { self: false, url: `${base}/login` };
}

async function resolves(name: string): Promise<string[]> {
  try {
    return (await dns.lookup(name, { all: true })).map((a) => a.address);
  } catch {
    return [];
  }
}

/** The console host name a Jobscope console at base says it is, or null. */
async function consoleAnswering(base: string): Promise<string | null> {
  const timeout = deadline(3000);
  try {
    const res = await fetch(`${base}/api/v1/health`, { signal: timeout.signal, redirect: 'error' });
    const health = (await res.json()) as { host?: unknown };
    return res.ok && typeof health.host === 'string' ? health.host : null;
  } catch {
    return null;
  } finally {
    timeout.clear();
  }
}
