// The connection host: this console by any of its names, a known peer that
// answers as itself, and nothing else: no request to a host or port that is
// not a known console's, whatever answers there.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkConnectionHost, type ConsoleDirectory } from './connection-host';
import { freePort } from '../testing/test-host';

let peer: http.Server;
let impostor: http.Server;
let peerPort: number;
let impostorPort: number;
const requests: string[] = [];

/** A console's health answer, as the manager gives it. */
const answering = (host: string) =>
  http.createServer((req, res) => {
    requests.push(`${host} ${req.url}`);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ host, ready: true }));
  });

beforeAll(async () => {
  [peerPort, impostorPort] = [await freePort('127.0.0.3'), await freePort('127.0.0.4')];
  peer = answering('clh2');
  impostor = answering('someone-else');
  await new Promise<void>((r) => peer.listen(peerPort, '127.0.0.3', r));
  await new Promise<void>((r) => impostor.listen(impostorPort, '127.0.0.4', r));
});

afterAll(() => {
  peer?.close();
  impostor?.close();
});

const directory = (peers: string[]): ConsoleDirectory => ({
  self: { names: new Set(['clh1', '127.0.0.1', 'node7']), address: '127.0.0.1', port: 7420 },
  peers,
  scheme: 'http',
});

describe('connection host', () => {
  it('knows itself by its names and address, at its own port, and by a name that resolves to its address', async () => {
    const dir = directory([]);
    expect(await checkConnectionHost('CLH1', dir)).toEqual({ self: true });
    expect(await checkConnectionHost('127.0.0.1:7420', dir)).toEqual({ self: true });
    expect(await checkConnectionHost('node7.', dir)).toEqual({ self: true });
    expect(await checkConnectionHost('localhost', dir)).toEqual({ self: true });
  });

  it('refuses, without any request, hosts and ports that are not known consoles', async () => {
    requests.length = 0;
    const dir = directory([`127.0.0.3:${peerPort}`]);
    for (const target of [`127.0.0.4:${impostorPort}`, `127.0.0.3:${impostorPort}`, '127.0.0.3', 'clh1:22', 'no-such-host.invalid', '169.254.169.254:80']) {
      await expect(checkConnectionHost(target, dir), target).rejects.toMatchObject({ status: 404, fieldWords: { host: { en: 'not a known console host' } } });
    }
    expect(requests).toEqual([]);
    await expect(checkConnectionHost('bad host!', dir)).rejects.toMatchObject({ status: 400 });
    await expect(checkConnectionHost('clh2:99999', dir)).rejects.toMatchObject({ status: 400 });
  });

  it('counts against the client only checks that make the console work: never a name of its own', async () => {
    let work = 0;
    const dir = { ...directory([`127.0.0.3:${peerPort}`]), beforeWork: () => void work++ };
    for (const own of ['clh1', '127.0.0.1:7420', 'NODE7']) await checkConnectionHost(own, dir);
    expect(work).toBe(0);
    await checkConnectionHost('localhost', dir); // a lookup
    await checkConnectionHost(`127.0.0.3:${peerPort}`, dir); // a peer's health check
    await expect(checkConnectionHost('elsewhere.invalid', dir)).rejects.toMatchObject({ status: 404 });
    expect(work).toBe(3);
    const refusing = { ...dir, beforeWork: () => { throw new Error('too many'); } };
    await expect(checkConnectionHost(`127.0.0.3:${peerPort}`, refusing)).rejects.toThrow('too many');
    expect(await checkConnectionHost('clh1', refusing)).toEqual({ self: true });
  });

  it('sends the browser to a known peer that answers as a console', async () => {
    const result = await checkConnectionHost(`127.0.0.3:${peerPort}`, directory([`127.0.0.3:${peerPort}`]));
    expect(result).toEqual({ self: false, url: `http://127.0.0.3:${peerPort}/login` });
  });

  it('refuses a peer named by its host name when something else answers there, and an unreachable one', async () => {
    // The peer list names "localhost" at the impostor's port: what answers there says it is someone-else.
    await expect(checkConnectionHost(`localhost:${impostorPort}`, directory([`localhost:${impostorPort}`]))).rejects.toMatchObject({ status: 502 });
    const closed = await freePort('127.0.0.5');
    await expect(checkConnectionHost(`127.0.0.5:${closed}`, directory([`127.0.0.5:${closed}`]))).rejects.toMatchObject({ status: 502 });
  });
});
