// `jobscope host …`: the console host's registry, written to its store directly.
import fs from 'node:fs';
import { loadHostConfig } from '../host/config';
import { openHostStore, type Store } from '../store/db';
import { readSecret } from '../cli/secret';
import { problemWords } from '../domain/feed-problems';
import { addHost, listHosts, removeHost } from './hosts';
import type { FeedTlsView } from '../feed/feed-trust';

async function withStore<T>(consoleHost: string, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openHostStore(loadHostConfig(consoleHost));
  try {
    return await work(store);
  } finally {
    await store.$disconnect();
  }
}

/** How a feed's TLS is checked, in a few words. */
function tlsWords(tls: FeedTlsView): string {
  if (!tls) return 'plain http';
  return tls.kind === 'pin' ? `TLS, pinned ${tls.fingerprint}` : `TLS, CA ${tls.subjects.join('; ')}`;
}

export async function cliAddHost(
  consoleHost: string,
  { tlsCaFile, ...host }: { name: string; address: string; feedPort: number; tlsCaFile?: string; tlsFingerprint?: string },
) {
  let tlsCa: string | undefined;
  if (tlsCaFile !== undefined) {
    try {
      tlsCa = fs.readFileSync(tlsCaFile, 'utf8');
    } catch (e) {
      throw new Error(`--tls-ca ${tlsCaFile} cannot be read: ${(e as Error).message}`);
    }
  }
  const token = await readSecret('JOBSCOPE_HOST_TOKEN', `feed token of ${host.name}`);
  const added = await withStore(consoleHost, (store) => addHost(store, { ...host, tlsCa, token }));
  console.log(`registered ${host.name} (${host.address}:${host.feedPort}, ${tlsWords(added.tls)}) on console host ${consoleHost}`);
}

export async function cliListHosts(consoleHost: string) {
  for (const h of await withStore(consoleHost, listHosts)) {
    console.log(`${h.name}\t${h.address}:${h.feedPort}\t${tlsWords(h.tls)}\tlast contact ${h.lastContactAt ?? 'never'}${h.lastError ? `\t${problemWords(h.lastError).en}` : ''}`);
  }
}

export async function cliRemoveHost(consoleHost: string, name: string) {
  await withStore(consoleHost, (store) => removeHost(store, name));
  console.log(`removed ${name} from console host ${consoleHost}`);
}
