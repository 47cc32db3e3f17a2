// `jobscope host …`: the console host's registry, written to its store directly.
import { loadHostConfig } from '../host/config';
import { openHostStore, type Store } from '../store/db';
import { readSecret } from '../cli/secret';
import { addHost, listHosts, removeHost } from './hosts';

async function withStore<T>(consoleHost: string, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openHostStore(loadHostConfig(consoleHost));
  try {
    return await work(store);
  } finally {
    await store.$disconnect();
  }
}

export async function cliAddHost(consoleHost: string, host: { name: string; address: string; feedPort: number }) {
  const token = await readSecret('JOBSCOPE_HOST_TOKEN', `feed token of ${host.name}`);
  await withStore(consoleHost, (store) => addHost(store, { ...host, token }));
  console.log(`registered ${host.name} (${host.address}:${host.feedPort}) on console host ${consoleHost}`);
}

export async function cliListHosts(consoleHost: string) {
  for (const h of await withStore(consoleHost, listHosts)) {
    console.log(`${h.name}\t${h.address}:${h.feedPort}\tlast contact ${h.lastContactAt ?? 'never'}${h.lastError ? `\t${h.lastError}` : ''}`);
  }
}

export async function cliRemoveHost(consoleHost: string, name: string) {
  await withStore(consoleHost, (store) => removeHost(store, name));
  console.log(`removed ${name} from console host ${consoleHost}`);
}
