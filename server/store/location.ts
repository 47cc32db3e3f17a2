// Where a console host's store lives: SQLite in the host's data folder (the
// default), or the PostgreSQL database its configuration names (consoleStore).
// The database password is kept out of the URL: it is taken from
// JOBSCOPE_STORE_PASSWORD, else from <config dir>/<host>.store-password
// (written by `jobscope setup` with mode 0600, which also moves there a password
// given in the URL). A URL that still carries one (a configuration written by
// hand or before) works too. It is never shown: every message masks it.
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, configDir, storePath, type HostConfig } from '../host/config';

export const STORE_PASSWORD_ENV = 'JOBSCOPE_STORE_PASSWORD';

export interface PostgresConnection {
  host: string;
  port: number;
  user?: string;
  password?: string;
  database: string;
  ssl?: boolean | { rejectUnauthorized: boolean };
}

export type StoreLocation =
  | { provider: 'sqlite'; file: string; display: string }
  | { provider: 'postgresql'; connection: PostgresConnection; display: string };

const SSL_MODES: Record<string, PostgresConnection['ssl']> = {
  disable: false,
  require: { rejectUnauthorized: false },
  'verify-full': true,
};

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\/./.test(url);
}

/**
 * A postgresql:// URL cut around its password: what lies between the user's ':'
 * and the last '@', whatever it holds ('@', ':', '/', '?', '#', percent-escapes),
 * as the password is typed rather than as a URL parser would misread it. The
 * rest is `bare`, the URL without it. A database name or parameter holding '@'
 * must be percent-encoded (%40): else it is taken for the end of a password, and
 * hidden as one.
 */
export function splitStoreUrl(url: string): { bare: string; password: string | null } {
  const scheme = /^postgres(?:ql)?:\/\//i.exec(url);
  if (!scheme) return { bare: url, password: null };
  const rest = url.slice(scheme[0].length);
  const at = rest.lastIndexOf('@');
  const colon = rest.slice(0, Math.max(at, 0)).indexOf(':');
  if (at < 0 || colon < 0) return { bare: url, password: null };
  return { bare: `${scheme[0]}${rest.slice(0, colon)}${rest.slice(at)}`, password: rest.slice(colon + 1, at) };
}

/** The URL with its password masked, for messages and logs. */
export function redactUrl(url: string): string {
  const { bare, password } = splitStoreUrl(url);
  if (password === null) return url;
  const at = bare.lastIndexOf('@');
  return `${bare.slice(0, at)}:***${bare.slice(at)}`;
}

/** A password as a URL carries it: percent-escapes decoded; one that is not a valid escape is taken as typed. */
function decodePassword(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The password a URL carries (decoded), and the URL without it. */
export function takeUrlPassword(url: string): { url: string; password: string | null } {
  const { bare, password } = splitStoreUrl(url);
  return { url: bare, password: password ? decodePassword(password) : null };
}

/** Connection fields of a postgresql:// URL; a clear error for anything it cannot use. */
export function parsePostgresUrl(url: string): PostgresConnection {
  // The password is cut out first: whatever it holds, the rest parses as it reads.
  const { url: bare, password } = takeUrlPassword(url);
  let u: URL;
  try {
    u = new URL(bare);
  } catch {
    throw new ConfigError(`console store URL ${redactUrl(url)} is not a valid URL`);
  }
  if (!/^postgres(ql)?:$/.test(u.protocol)) throw new ConfigError(`console store URL ${redactUrl(url)} must start with postgresql://`);
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!u.hostname) throw new ConfigError(`console store URL ${redactUrl(url)} names no server`);
  if (!database) throw new ConfigError(`console store URL ${redactUrl(url)} names no database (postgresql://user@server:5432/database)`);
  const connection: PostgresConnection = {
    host: decodeURIComponent(u.hostname).replace(/^\[(.*)\]$/, '$1'),
    port: u.port ? Number(u.port) : 5432,
    database,
    ...(u.username ? { user: decodeURIComponent(u.username) } : {}),
    ...(password ? { password } : {}),
  };
  for (const [key, value] of u.searchParams) {
    if (key === 'sslmode' && value in SSL_MODES) connection.ssl = SSL_MODES[value];
    else throw new ConfigError(`console store URL ${redactUrl(url)}: unsupported parameter ${key}=${value} (only sslmode=disable|require|verify-full)`);
  }
  return connection;
}

export function storePasswordFile(host: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.join(configDir(env), `${host}.store-password`);
}

/** The password for a URL without one: JOBSCOPE_STORE_PASSWORD, else the host's password file. */
function storePassword(host: string, env: NodeJS.ProcessEnv): string | undefined {
  if (env[STORE_PASSWORD_ENV]) return env[STORE_PASSWORD_ENV];
  const file = storePasswordFile(host, env);
  try {
    return fs.readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(`cannot read the console store password file ${file}: ${(err as Error).message}`);
  }
}

export function storeLocation(config: HostConfig, env: NodeJS.ProcessEnv = process.env): StoreLocation {
  if (!config.consoleStore) return { provider: 'sqlite', file: storePath(config), display: storePath(config) };
  const connection = parsePostgresUrl(config.consoleStore);
  connection.password ??= storePassword(config.host, env);
  return { provider: 'postgresql', connection, display: redactUrl(config.consoleStore) };
}

/** The text with every occurrence of the password (as typed, and percent-encoded) masked; a password under 4 characters is in too many words to find. */
export function maskPassword(text: string, password: string | undefined): string {
  if (!password || password.length < 4) return text;
  let masked = text;
  for (const form of new Set([password, encodeURIComponent(password)])) masked = masked.split(form).join('***');
  return masked;
}

/** A connection failure, said in terms of the host's configuration; its message never holds the password. */
export function storeConnectionError(err: unknown, location: StoreLocation, host: string): Error {
  if (location.provider !== 'postgresql') return err as Error;
  const e = err as NodeJS.ErrnoException & { code?: string };
  const { connection: c, display } = location;
  const where = `the console store ${display}`;
  const safe = (text: string) => maskPassword(text, c.password);
  if (e?.code === '3D000') return new ConfigError(safe(`${where}: database "${c.database}" does not exist; create it once with: jobscope setup -h ${host} --init`));
  if (e?.code === '28P01' || e?.code === '28000') {
    return new ConfigError(safe(`${where}: the server refused user "${c.user ?? ''}" (${e.message}); the password comes from the URL, else ${STORE_PASSWORD_ENV}, else ${storePasswordFile(host)}`));
  }
  if (e?.code === 'ECONNREFUSED' || e?.code === 'ENOTFOUND' || e?.code === 'EHOSTUNREACH' || e?.code === 'ETIMEDOUT') {
    return new Error(safe(`${where}: cannot reach the server at ${c.host}:${c.port} (${e.code})`));
  }
  // Anything else goes on as it is, unless the driver's words happen to hold the password.
  if (e instanceof Error && (safe(e.message) !== e.message || safe(e.stack ?? '') !== (e.stack ?? ''))) {
    const masked = Object.assign(new Error(safe(e.message)), { code: e.code });
    masked.stack = safe(e.stack ?? '');
    return masked;
  }
  return err as Error;
}
