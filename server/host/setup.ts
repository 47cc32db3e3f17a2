// `jobscope setup -h HOST`: writes this node's configuration of a logical host and,
// with --init, creates the host's data once (data folder, agent spool, console
// store). Run it again at will: it keeps what exists and only fills in what is missing.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {
  ConfigError,
  DEFAULT_AGENT_PORT,
  DEFAULT_MANAGER_PORT,
  configPath,
  defaultDataDir,
  loadHostConfig,
  newSecret,
  sha256,
  spoolPath,
  writeHostConfig,
  type HostConfig,
} from './config';
import { resolveSingleAddress } from './identity';
import { tokenProblem } from '../domain/feed-token';
import { describeCertificate, loadTlsPair } from './tls';
import { createSpool, openSpool } from '../spool/spool';
import { migrateStore } from '../store/db';
import { parsePostgresUrl, redactUrl, STORE_PASSWORD_ENV, storeConnectionError, storeLocation, storePasswordFile, takeUrlPassword } from '../store/location';

/** The existing configuration, null when there is none; a broken one is an error, never silently replaced. */
function existingConfig(host: string): HostConfig | null {
  if (!fs.existsSync(configPath(host))) return null;
  try {
    return loadHostConfig(host);
  } catch (e) {
    throw new ConfigError(`${(e as Error).message}; fix or remove it, then run setup again`);
  }
}

function checkAddress(address: string, host: string): string {
  if (!net.isIP(address)) throw new Error(`--address ${JSON.stringify(address)} is not an IPv4 or IPv6 address`);
  if (address === '0.0.0.0' || /^[0:]+$/.test(address)) {
    throw new Error(`--address ${address} is a wildcard; ${host} must bind only its own address`);
  }
  return address;
}

function agentToken(host: string, existing: HostConfig | null): { tokenSha256: string; printed: string | null; source: string } {
  const fromEnv = process.env.JOBSCOPE_AGENT_TOKEN;
  if (fromEnv) {
    // A token given by a person: long and random-looking. One set before (its hash in the configuration) stays as it is.
    const problem = tokenProblem(fromEnv);
    if (problem) throw new Error(`JOBSCOPE_AGENT_TOKEN: ${problem.en}`);
    return { tokenSha256: sha256(fromEnv), printed: null, source: 'from JOBSCOPE_AGENT_TOKEN' };
  }
  if (existing) return { tokenSha256: existing.agentTokenSha256, printed: null, source: 'kept' };
  const token = newSecret();
  return { tokenSha256: sha256(token), printed: token, source: 'new' };
}

/** Settings kept as they are unless setup is told otherwise: lists ([] removes one) and TLS. */
export interface SetupLists {
  aliases?: string[];
  consolePeers?: string[];
  trustedProxies?: string[];
  webhookNetworks?: string[];
}
const LIST_SETTINGS = ['aliases', 'consolePeers', 'trustedProxies', 'webhookNetworks'] as const satisfies (keyof SetupLists & keyof HostConfig)[];

/** The TLS files: both given (a pair that loadTlsPair accepts), both "" (off), or neither (kept). */
function tlsSetting(cert: string | undefined, key: string | undefined, kept: HostConfig['tls']): HostConfig['tls'] {
  if (cert === undefined && key === undefined) return kept;
  if (cert === '' && key === '') return undefined;
  if (!cert || !key) throw new Error('--tls-cert and --tls-key go together (both "" turns TLS off)');
  const files = { cert: path.resolve(cert), key: path.resolve(key) };
  // Checked as the daemons will check it at their start: a bad pair is refused now, not at a failover.
  loadTlsPair(files);
  return files;
}

export async function runSetup(o: SetupLists & {
  host: string;
  address?: string;
  managerPort?: number;
  agentPort?: number;
  data?: string;
  init?: boolean;
  /** The console store's PostgreSQL URL; "" goes back to SQLite in the data folder. */
  storeUrl?: string;
  /** Print nothing but a new token (for callers that report on their own, like the demo). */
  quiet?: boolean;
  /** PEM certificate and key for HTTPS; "" for both turns TLS off. */
  tlsCert?: string;
  tlsKey?: string;
}): Promise<void> {
  const say = (line: string) => {
    if (!o.quiet) process.stdout.write(`${line}\n`);
  };
  const existing = existingConfig(o.host);
  const address = checkAddress(o.address ?? existing?.address ?? (await resolveSingleAddress(o.host)), o.host);
  const token = agentToken(o.host, existing);
  const config: HostConfig = {
    // What this run does not set stays as it was.
    ...existing,
    version: 1,
    host: o.host,
    address,
    managerPort: o.managerPort ?? existing?.managerPort ?? DEFAULT_MANAGER_PORT,
    agentPort: o.agentPort ?? existing?.agentPort ?? DEFAULT_AGENT_PORT,
    dataDir: o.data !== undefined ? path.resolve(o.data) : existing?.dataDir ?? defaultDataDir(o.host),
    agentTokenSha256: token.tokenSha256,
  };
  for (const key of LIST_SETTINGS) {
    const list = o[key];
    if (list === undefined) continue;
    if (list.length > 0) config[key] = list;
    else delete config[key];
  }
  const tls = tlsSetting(o.tlsCert, o.tlsKey, existing?.tls);
  if (tls) config.tls = tls;
  else delete config.tls;
  const consoleStore = o.storeUrl !== undefined ? o.storeUrl || undefined : existing?.consoleStore;
  delete config.consoleStore;
  // The password goes beside the configuration, readable by its owner only, never in it:
  // from JOBSCOPE_STORE_PASSWORD, or taken out of the URL (also one an older configuration kept).
  let password = consoleStore ? process.env[STORE_PASSWORD_ENV] || null : null;
  let passwordSource = `from ${STORE_PASSWORD_ENV}`;
  if (consoleStore) {
    parsePostgresUrl(consoleStore); // a clear error now rather than at the manager's start
    const taken = takeUrlPassword(consoleStore);
    if (taken.password !== null) {
      if (password !== null && password !== taken.password) {
        throw new Error(`the console store URL carries a password and ${STORE_PASSWORD_ENV} another one: give it once, preferably in ${STORE_PASSWORD_ENV}`);
      }
      password = taken.password;
      passwordSource = 'taken out of the URL';
    }
    config.consoleStore = taken.url;
  }
  if (config.managerPort === config.agentPort) throw new Error(`manager and agent of ${o.host} cannot share port ${config.agentPort}`);

  // The password first: a configuration without the URL's password must never be left without it.
  const passwordFile = storePasswordFile(o.host);
  if (password !== null) {
    fs.mkdirSync(path.dirname(passwordFile), { recursive: true });
    fs.writeFileSync(`${passwordFile}.${process.pid}.tmp`, `${password}\n`, { mode: 0o600 });
    fs.renameSync(`${passwordFile}.${process.pid}.tmp`, passwordFile);
  }
  const file = writeHostConfig(config);
  say(`wrote configuration of ${o.host} to ${file}`);
  say(`  address ${config.address}, manager port ${config.managerPort}, agent port ${config.agentPort}, data ${config.dataDir}, agent token ${token.source}`);
  say(`  console store ${config.consoleStore ? redactUrl(config.consoleStore) : 'SQLite in the data folder'}`);
  if (password !== null) say(`  console store password (${passwordSource}) kept in ${passwordFile}`);
  if (config.tls) {
    say(`  TLS (https for the console and the feed): certificate ${config.tls.cert}, key ${config.tls.key}`);
    // A kept pair is read again (it may have been replaced since): its fingerprint is what consoles pin.
    try {
      say(`    ${describeCertificate(loadTlsPair(config.tls).certificate)}`);
    } catch (e) {
      say(`    WARNING: ${(e as Error).message}; the manager and the agent of ${o.host} refuse to start until it is fixed`);
    }
  } else {
    say('  TLS off: the console and the feed speak plain http');
  }
  if (token.printed) process.stdout.write(`agent feed token for ${o.host} (give it to the console with jobscope host add): ${token.printed}\n`);

  if (!o.init) return;
  fs.mkdirSync(config.dataDir, { recursive: true });
  const spoolFile = spoolPath(config);
  if (fs.existsSync(spoolFile)) {
    // Never recreate: a new spool id would make every console resynchronise.
    const spool = openSpool(spoolFile, o.host);
    const { spoolId } = spool;
    spool.close();
    say(`kept spool ${spoolFile} (id ${spoolId})`);
  } else {
    const { spoolId } = createSpool(spoolFile, o.host);
    say(`created spool ${spoolFile} (id ${spoolId})`);
  }
  const store = storeLocation(config);
  const applied = await migrateStore(store, { create: true }).catch((err) => {
    throw storeConnectionError(err, store, o.host);
  });
  say(applied.length ? `console store ${store.display}: applied ${applied.join(', ')}` : `console store ${store.display}: up to date`);
}
