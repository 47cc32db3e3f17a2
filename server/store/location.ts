// Where a console host's store lives: SQLite in the host's data folder (the
// default), or the PostgreSQL database its configuration names (consoleStore).
// The database password may sit in the URL, but need not: it is taken from
// JOBSCOPE_STORE_PASSWORD, else from <config dir>/<host>.store-password
// (written by `jobscope setup` with mode 0600). It is never logged: every
// message shows the URL with the password masked.
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

/** The URL with its password masked, for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]*):[^@]*@/, '$1:***@');
}

/** Connection fields of a postgresql:// URL; a clear error for anything it cannot use. */
export function parsePostgresUrl(url: string): PostgresConnection {
  let u: URL;
  try {
    u = new URL(url);
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
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
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

/** A connection failure, said in terms of the host's configuration. */
export function storeConnectionError(err: unknown, location: StoreLocation, host: string): Error {
  if (location.provider !== 'postgresql') return err as Error;
  const e = err as NodeJS.ErrnoException & { code?: string };
  const { connection: c, display } = location;
  const where = `the console store ${display}`;
  if (e?.code === '3D000') return new ConfigError(`${where}: database "${c.database}" does not exist; create it once with: jobscope setup -h ${host} --init`);
  if (e?.code === '28P01' || e?.code === '28000') {
    return new ConfigError(`${where}: the server refused user "${c.user ?? ''}" (${e.message}); the password comes from the URL, else ${STORE_PASSWORD_ENV}, else ${storePasswordFile(host)}`);
  }
  if (e?.code === 'ECONNREFUSED' || e?.code === 'ENOTFOUND' || e?.code === 'EHOSTUNREACH' || e?.code === 'ETIMEDOUT') {
    return new Error(`${where}: cannot reach the server at ${c.host}:${c.port} (${e.code})`);
  }
  return err as Error;
}
