// Which host a command or daemon acts for: -h, else JOBSCOPE_HOSTNAME (ignored
// when empty), else the physical host. Everything it writes and logs carries it.
import os from 'node:os';
import dns from 'node:dns/promises';
import { HOST_NAME } from '../domain/names';

export function physicalHostName(): string {
  return os.hostname().split('.')[0] || 'localhost';
}

export function chooseHostName(option: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const name = option ?? (env.JOBSCOPE_HOSTNAME ? env.JOBSCOPE_HOSTNAME : undefined) ?? physicalHostName();
  if (!HOST_NAME.test(name) || name.length > 253) {
    throw new Error(`"${name}" is not a valid host name: use letters, digits, - and . as in a DNS name`);
  }
  return name;
}

/** The single address a host name resolves to; none or several is an error that says which. */
export async function resolveSingleAddress(name: string): Promise<string> {
  let addresses: string[];
  try {
    addresses = (await dns.lookup(name, { all: true })).map((a) => a.address);
  } catch {
    throw new Error(`host name "${name}" does not resolve to any address; give --address or add it to /etc/hosts`);
  }
  const unique = [...new Set(addresses)];
  if (unique.length !== 1) {
    throw new Error(`host name "${name}" resolves to several addresses (${unique.join(', ')}); give --address to choose one`);
  }
  return unique[0];
}
