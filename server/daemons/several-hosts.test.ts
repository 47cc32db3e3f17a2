// Several logical hosts on one machine, each in its own processes, binding only
// its own address: the same ports on different addresses do not collide.
// (Every 127.x address binds without being assigned; the namespace tests check
// an address that is not assigned to the node.)
import { afterAll, expect, it } from 'vitest';
import { freePorts, TestHost } from '../testing/test-host';

const hosts: TestHost[] = [];

afterAll(async () => {
  await Promise.all(hosts.map((h) => h.stop()));
});

it('runs two logical hosts on the same ports, each on its own address and data', async () => {
  const [manager, agent] = await freePorts(2, '127.0.0.2');
  const ports = { manager, agent };
  for (const [name, address] of [['lhost1', '127.0.0.2'], ['lhost2', '127.0.0.3']]) {
    const host = await TestHost.create(name, address, ports);
    hosts.push(host);
    await host.startAgent();
    await host.startManager();
  }
  for (const host of hosts) {
    const health = await (await fetch(`${host.url}/api/v1/health`)).json();
    expect(health.host).toBe(host.name); // each address answers for its own host
    expect((await fetch(`http://${host.address}:${host.agentPort}/feed/health`).then((r) => r.json())).host).toBe(host.name);
  }
  expect(hosts[0].storeFile).not.toBe(hosts[1].storeFile);
  // Nothing listens on the wildcard address: another address on the same port is free.
  const other = await fetch(`http://127.0.0.4:${ports.manager}/api/v1/health`).then(() => 'answered', () => 'refused');
  expect(other).toBe('refused');
});
