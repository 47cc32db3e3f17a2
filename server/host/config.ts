// A logical host's configuration: one JSON file per host on each node's local
// disk. It names the host, its address, its ports and where its data lives (a
// folder on the host's shared disk). Strictly validated: a typo is an error.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { z } from 'zod';
import { hostNameSchema } from '../domain/events';
import { parseNetwork } from './networks';
import { ConfigError, configPath, projectRoot, readConfigFile } from './config-file';

export { ConfigError, configDir, configPath, projectRoot, spoolPath } from './config-file';

export const DEFAULT_MANAGER_PORT = 7420;
export const DEFAULT_AGENT_PORT = 7421;
export const DEFAULT_NOTIFY_MAX_AGE_SECONDS = 3600;

const portSchema = z.number().int().min(1).max(65535);
const absolutePath = (what: string) => z.string().refine((p) => path.isAbsolute(p), `${what} must be an absolute path`);
const addressSchema = z.union([z.ipv4(), z.ipv6()]);
/** A host name or an address, as a browser puts it in the Host header (without the port). */
const nameOrAddress = z.union([hostNameSchema, addressSchema]);
/** An address or a network in CIDR notation: 10.0.0.0/8, fd00::/8, 192.0.2.7. */
const networkSchema = z.string().max(64).refine((v) => parseNetwork(v) !== null, 'must be an address or a network such as 10.0.0.0/8');
/** Another console host: its name or address, optionally with its port (default: this console's port). */
const peerSchema = z.string().max(260).regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/, 'must be a host name or address, optionally with :port');

/**
 * How the console sends mail (server/notifications/mail.ts). The password is never
 * in this file: it is read from passwordFile (readable by the daemon's user only) at each send.
 */
const smtpSchema = z
  .object({
    host: nameOrAddress,
    /** Default: 465 for tls, 587 for starttls, 25 for none. */
    port: portSchema.optional(),
    /** starttls (default): plain connection upgraded, refused without it; tls: TLS from the start; none: a relay trusted as it is. */
    security: z.enum(['starttls', 'tls', 'none']).optional(),
    /** The sender's address. */
    from: z.email().max(254),
    user: z.string().min(1).max(256).optional(),
    passwordFile: absolutePath('smtp.passwordFile').optional(),
  })
  .strict()
  .refine((s) => s.passwordFile === undefined || s.user !== undefined, 'smtp.passwordFile needs smtp.user');

export const hostConfigSchema = z
  .object({
    version: z.literal(1),
    host: hostNameSchema,
    address: addressSchema.refine((a) => a !== '0.0.0.0' && !/^[0:]+$/.test(a), 'address must be the host\'s own, not a wildcard (a logical host binds only its own address)'),
    managerPort: portSchema,
    agentPort: portSchema,
    /** Folder on the host's shared disk: console store and agent spool. */
    dataDir: absolutePath('dataDir'),
    /** sha256 of the token a manager presents to this host's agent feed. */
    agentTokenSha256: z.string().regex(/^[0-9a-f]{64}$/),
    /** Events older than this when a console applies them (a catch-up) notify nobody. */
    notifyMaxAgeSeconds: z.number().int().positive().optional(),
    /** The console store on PostgreSQL (server/store/location.ts); absent: SQLite in dataDir. */
    consoleStore: z.string().regex(/^postgres(ql)?:\/\/./, 'consoleStore must be a postgresql:// URL').optional(),
    /** Other names and addresses browsers reach this console by (a DNS alias, a proxy's name): the Host allow-list takes them too. */
    aliases: z.array(nameOrAddress).max(32).optional(),
    /** Other console hosts whose login page this console's may send a browser to. */
    consolePeers: z.array(peerSchema).max(64).optional(),
    /** Reverse proxies (addresses or networks) whose X-Forwarded-For and X-Forwarded-Proto are believed. */
    trustedProxies: z.array(networkSchema).max(64).optional(),
    /** Networks webhooks may post to; absent: any address but loopback, unspecified, link-local, multicast, broadcast and this node's own (server/notifications/targets.ts). */
    webhookNetworks: z.array(networkSchema).max(64).optional(),
    /** Where the console sends its notification mail; absent: mail waits in the outbox as mail-not-configured. */
    smtp: smtpSchema.optional(),
    /** HTTPS for the console and the agent feed: PEM files on this node's local disk. */
    tls: z.object({ cert: absolutePath('tls.cert'), key: absolutePath('tls.key') }).strict().optional(),
  })
  .strict();
export type HostConfig = z.infer<typeof hostConfigSchema>;
export type SmtpConfig = NonNullable<HostConfig['smtp']>;

export function defaultDataDir(host: string): string {
  return path.join(projectRoot(), 'data', 'hosts', host);
}

export function loadHostConfig(host: string, env: NodeJS.ProcessEnv = process.env): HostConfig {
  const { file, raw } = readConfigFile(host, env);
  const parsed = hostConfigSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`configuration ${file} is invalid: ${problemsOf(parsed.error)}`);
  if (parsed.data.host !== host) {
    throw new ConfigError(`configuration ${file} is for host "${parsed.data.host}", not "${host}"`);
  }
  return parsed.data;
}

/** A configuration's problems on one line: each setting's path and what is wrong with it. */
function problemsOf(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ');
}

export function writeHostConfig(config: HostConfig, env: NodeJS.ProcessEnv = process.env): string {
  const checked = hostConfigSchema.safeParse(config);
  if (!checked.success) throw new ConfigError(`the configuration of ${config.host} would be invalid: ${problemsOf(checked.error)}`);
  const file = configPath(config.host, env);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(checked.data, null, 2) + '\n', { mode: 0o600 });
  fs.renameSync(tmp, file);
  return file;
}

export function sha256(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

export function newSecret(): string {
  return crypto.randomBytes(32).toString('base64url');
}

export const storePath = (c: HostConfig) => path.join(c.dataDir, 'console.db');
