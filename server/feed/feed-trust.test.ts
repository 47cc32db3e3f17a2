// How the registry keeps a feed's TLS: a CA or a pin, checked and put in one form
// as it comes in (API, command line, import), and carried by export and import.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/db';
import { addHost, listHosts } from '../definitions/hosts';
import { exportDefinitions, importDefinitions } from '../definitions/transfer';
import { refusal } from '../testing/refusal';
import { TestCa } from '../testing/tls';
import { checkCaPem, normalizeFingerprint } from './feed-trust';

const TOKEN = 'feed-trust-token-Zm7Qx2Lw9Rk4Tp8Vn3Bc';
let dir: string;
let store: Store;
let ca: TestCa;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobscope-feed-trust-'));
  store = await openStore(path.join(dir, 'console.db'));
  ca = TestCa.create(path.join(dir, 'ca'));
});

afterAll(async () => {
  await store?.$disconnect();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('a pinned fingerprint', () => {
  it('is read as openssl prints it, with or without colons, in either case', () => {
    const upper = Array.from({ length: 32 }, (_, i) => (i * 7).toString(16).padStart(2, '0').toUpperCase()).join(':');
    expect(normalizeFingerprint(`sha256 Fingerprint=${upper.toLowerCase()}`)).toBe(upper);
    expect(normalizeFingerprint(`SHA256 Fingerprint=${upper}\n`)).toBe(upper);
    expect(normalizeFingerprint(upper.replace(/:/g, ''))).toBe(upper);
    expect(normalizeFingerprint(upper.slice(3))).toBeNull();
    expect(normalizeFingerprint('sha1 Fingerprint=AB:CD')).toBeNull();
  });
});

describe('a CA certificate', () => {
  it('is one or more PEM certificates, kept as blocks; never a key, never expired', () => {
    const two = checkCaPem(`Some CA\n${ca.pem}\r\n${ca.pem}`);
    expect(two).toEqual({ ok: true, pem: `${ca.pem.trim()}\n${ca.pem.trim()}\n` });
    expect(checkCaPem('hello')).toMatchObject({ ok: false, problem: { en: 'not a PEM certificate (-----BEGIN CERTIFICATE-----)' } });
    expect(checkCaPem(fs.readFileSync(ca.certificate.keyFile, 'utf8'))).toMatchObject({ ok: false, problem: { en: 'this is a private key: give the CA certificate (never a key)' } });
    expect(checkCaPem(ca.pem, new Date(Date.now() + 400 * 86400_000))).toMatchObject({ ok: false, problem: { en: expect.stringMatching(/^the CA certificate CN=Jobscope test CA expired on /) } });
  });
});

describe('the registry', () => {
  it('registers a feed with a CA, with a pin, or plain, and lists how each is checked', async () => {
    const fingerprint = ca.certificate.fingerprint;
    await addHost(store, { name: 'byca', address: '127.0.0.1', feedPort: 7421, token: TOKEN, tlsCa: ca.pem });
    await addHost(store, { name: 'bypin', address: '127.0.0.1', feedPort: 7422, token: TOKEN, tlsFingerprint: fingerprint.replace(/:/g, '').toLowerCase() });
    await addHost(store, { name: 'plain', address: '127.0.0.1', feedPort: 7423, token: TOKEN, tlsCa: '', tlsFingerprint: '  ' });
    const listed = Object.fromEntries((await listHosts(store)).map((h) => [h.name, h.tls]));
    expect(listed).toEqual({ byca: { kind: 'ca', subjects: ['CN=Jobscope test CA'] }, bypin: { kind: 'pin', fingerprint }, plain: null });
  });

  it('refuses both at once, a bad CA and a bad fingerprint, naming the field', async () => {
    const both = await refusal(addHost(store, { name: 'both', address: '127.0.0.1', feedPort: 7421, token: TOKEN, tlsCa: ca.pem, tlsFingerprint: ca.certificate.fingerprint }));
    expect(both.fields).toEqual({ tlsFingerprint: 'give a CA certificate or a fingerprint, not both' });
    const bad = await refusal(addHost(store, { name: 'bad', address: '127.0.0.1', feedPort: 7421, token: TOKEN, tlsCa: 'not a certificate' }));
    expect(bad.fields).toEqual({ tlsCa: 'not a PEM certificate (-----BEGIN CERTIFICATE-----)' });
    const pin = await refusal(addHost(store, { name: 'bad', address: '127.0.0.1', feedPort: 7421, token: TOKEN, tlsFingerprint: 'AB:CD' }));
    expect(Object.keys(pin.fields)).toEqual(['tlsFingerprint']);
  });

  it('exports a feed TLS only where it is set, and an import sets and clears it', async () => {
    const doc = await exportDefinitions(store, 'clh1');
    const hosts = Object.fromEntries(doc.hosts.map((h) => [h.name, h]));
    expect(hosts.byca.tlsCa).toBe(ca.pem.trim() + '\n');
    expect(hosts.bypin).toMatchObject({ tlsFingerprint: ca.certificate.fingerprint });
    expect(Object.keys(hosts.plain)).toEqual(['name', 'address', 'feedPort', 'token']);

    // The document says how its hosts are checked: swapped, and the pin dropped.
    const { tlsCa, ...rest } = hosts.byca;
    const swapped = { ...doc, hosts: [{ ...rest, tlsFingerprint: ca.certificate.fingerprint }, { ...hosts.bypin, tlsFingerprint: undefined, tlsCa }, { ...hosts.plain }] };
    await importDefinitions(store, JSON.parse(JSON.stringify(swapped)), 'admin');
    const listed = Object.fromEntries((await listHosts(store)).map((h) => [h.name, h.tls?.kind ?? null]));
    expect(listed).toEqual({ byca: 'pin', bypin: 'ca', plain: null });
  });
});
