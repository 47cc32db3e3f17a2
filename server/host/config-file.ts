// Where a host's configuration file is, and reading it: apart from its schema (config.ts), so that
// `jobscope exec`, started for every job, reads the one setting it needs without loading zod.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project folder: the one holding Jobscope's package.json. */
export function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'jobscope') return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the Jobscope project folder');
    dir = up;
  }
}

/** Real installs set JOBSCOPE_CONFIG_DIR; the embedded default keeps it in the project's data folder. */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.JOBSCOPE_CONFIG_DIR || path.join(projectRoot(), 'data', 'config');
}

export function configPath(host: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.join(configDir(env), `${host}.json`);
}

export class ConfigError extends Error {}

/** A host's configuration is a few hundred bytes; anything much larger is not one. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/** A host's configuration file as JSON, not yet checked against the schema. */
export function readConfigFile(host: string, env: NodeJS.ProcessEnv = process.env): { file: string; raw: unknown } {
  const file = configPath(host, env);
  let text: string;
  try {
    if (fs.statSync(file).size > MAX_CONFIG_BYTES) throw new ConfigError(`configuration ${file} is larger than ${MAX_CONFIG_BYTES} bytes; it is not one of Jobscope's`);
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ConfigError(`no configuration for host "${host}" at ${file}; run: jobscope setup -h ${host}`);
    throw new ConfigError(`cannot read configuration ${file} (${code === 'EISDIR' ? 'it is a folder' : code ?? (e as Error).message})`);
  }
  try {
    return { file, raw: JSON.parse(text) };
  } catch (e) {
    throw new ConfigError(`configuration ${file} is not valid JSON: ${(e as Error).message}`);
  }
}

/**
 * A host's data folder, from its configuration, checking only what leads to it (the format
 * version, the host, the folder): `jobscope exec` needs nothing else, and the daemons, setup
 * and report check every setting.
 */
export function dataDirOf(host: string, env: NodeJS.ProcessEnv = process.env): string {
  const { file, raw } = readConfigFile(host, env);
  const invalid = (why: string) => new ConfigError(`configuration ${file} is invalid: ${why}`);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalid('it is not a JSON object');
  const { version, host: owner, dataDir } = raw as Record<string, unknown>;
  if (version !== 1) throw invalid('version must be 1');
  if (typeof owner !== 'string') throw invalid('host must be a host name');
  if (owner !== host) throw new ConfigError(`configuration ${file} is for host "${owner}", not "${host}"`);
  if (typeof dataDir !== 'string' || !path.isAbsolute(dataDir)) throw invalid('dataDir must be an absolute path');
  return dataDir;
}

export const spoolPath = (c: { dataDir: string }) => path.join(c.dataDir, 'spool.db');
