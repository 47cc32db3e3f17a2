// `jobscope user …`: works on the console host's store directly.
import { loadHostConfig } from '../host/config';
import { openHostStore } from '../store/db';
import { readSecret } from '../cli/secret';
import { addUser } from './users';
import type { Role } from './roles';

export async function cliAddUser(host: string, name: string, role: Role): Promise<void> {
  const password = await readSecret('JOBSCOPE_PASSWORD', `password for ${name}`);
  const store = await openHostStore(loadHostConfig(host));
  try {
    const user = await addUser(store, { name, password, role });
    console.log(`added user ${user.name} (${user.role}) on console host ${host}`);
  } finally {
    await store.$disconnect();
  }
}
