// A host's TLS files (configuration `tls: { cert, key }`, PEM on each node's local
// disk): read and checked whole before anything serves with them, so that a
// daemon with a bad pair refuses to start with a sentence naming the file.
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import type { HostConfig } from './config';

export type TlsFiles = NonNullable<HostConfig['tls']>;

/** The pair as servers take it, and the certificate it serves (the file's first). */
export interface TlsPair {
  cert: Buffer;
  key: Buffer;
  certificate: crypto.X509Certificate;
}

export class TlsFilesError extends Error {}

function readPem(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new TlsFilesError(`TLS ${what} ${file} does not exist`);
    if (code === 'EACCES' || code === 'EPERM') throw new TlsFilesError(`TLS ${what} ${file} cannot be read (permission denied)`);
    if (code === 'EISDIR') throw new TlsFilesError(`TLS ${what} ${file} is a folder, not a file`);
    throw new TlsFilesError(`TLS ${what} ${file} cannot be read: ${(e as Error).message}`);
  }
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Reads and checks a certificate and its key: both exist and can be read, are PEM,
 * the key is the certificate's, and the certificate is valid now. The certificate
 * file may hold the chain after it (intermediates), as servers send it.
 */
export function loadTlsPair(files: TlsFiles, now = new Date()): TlsPair {
  const certificate = loadCertificate(files.cert);
  const cert = readPem(files.cert, 'certificate');
  const key = readPem(files.key, 'key');
  if (key.includes('-----BEGIN CERTIFICATE-----') && !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key.toString('latin1'))) {
    throw new TlsFilesError(`TLS key ${files.key} holds a certificate, not a private key: are --tls-cert and --tls-key swapped?`);
  }
  let privateKey: crypto.KeyObject;
  try {
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key.toString('latin1'))) throw new Error('no PEM key');
    privateKey = crypto.createPrivateKey(key);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_MISSING_PASSPHRASE') {
      throw new TlsFilesError(`TLS key ${files.key} is encrypted with a passphrase; a daemon starts unattended, so give it the key unencrypted (readable by its owner only)`);
    }
    throw new TlsFilesError(`TLS key ${files.key} is not a PEM private key (-----BEGIN PRIVATE KEY-----)`);
  }
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new TlsFilesError(`TLS key ${files.key} does not match certificate ${files.cert}`);
  }
  const validFrom = new Date(certificate.validFrom);
  const validTo = new Date(certificate.validTo);
  if (now >= validTo) throw new TlsFilesError(`TLS certificate ${files.cert} expired on ${day(validTo)}`);
  if (now < validFrom) throw new TlsFilesError(`TLS certificate ${files.cert} is not valid before ${day(validFrom)}`);
  try {
    tls.createSecureContext({ cert, key });
  } catch (e) {
    throw new TlsFilesError(`TLS certificate ${files.cert} and key ${files.key} cannot serve: ${(e as Error).message}`);
  }
  return { cert, key, certificate };
}

/** The host's pair, checked; undefined when its configuration has no TLS. */
export function hostTlsPair(config: HostConfig): TlsPair | undefined {
  return config.tls ? loadTlsPair(config.tls) : undefined;
}

/** One line about a certificate for people: subject, names, fingerprint and end of validity. */
export function describeCertificate(certificate: crypto.X509Certificate): string {
  const subject = certificate.subject.replace(/\n/g, ', ');
  const names = certificate.subjectAltName ? `, names ${certificate.subjectAltName}` : '';
  return `${subject}${names}, valid until ${day(new Date(certificate.validTo))}, SHA-256 fingerprint ${certificate.fingerprint256}`;
}

/** A certificate file alone (the key stays with the daemon): what a health check trusts. */
export function loadCertificate(file: string): crypto.X509Certificate {
  const pem = readPem(file, 'certificate');
  try {
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new Error('no PEM certificate');
    return new crypto.X509Certificate(pem);
  } catch {
    throw new TlsFilesError(`TLS certificate ${file} is not a PEM certificate (-----BEGIN CERTIFICATE-----)`);
  }
}

/** A daemon that answered over TLS with a certificate it must not be trusted with. */
export class UntrustedCertificateError extends Error {}

/**
 * GET a JSON answer from a host's own daemon over https, trusting exactly the
 * configured certificate: the daemon must present that very certificate (its
 * SHA-256 fingerprint), and it must be valid now. Nothing else is asked of it:
 * the names in it are for browsers and consoles, and the answer says which host
 * answered. Network failures reject with Node's errors (their code says why).
 */
export function getFromOwnDaemon(url: string, o: { certFile: string; servername: string; signal: AbortSignal }): Promise<{ status: number; body: unknown }> {
  const configured = loadCertificate(o.certFile);
  return new Promise((resolve, reject) => {
    const req = https.get(url, {
      // Checked below against the one certificate it must be, not against any CA.
      rejectUnauthorized: false,
      ...(net.isIP(o.servername) ? {} : { servername: o.servername }),
      agent: false,
      signal: o.signal,
    });
    req.once('socket', (socket) => {
      socket.once('secureConnect', () => {
        const presented = (socket as tls.TLSSocket).getPeerCertificate();
        if (presented.fingerprint256 !== configured.fingerprint256) {
          req.destroy(new UntrustedCertificateError(`${url} presents certificate ${presented.fingerprint256 ?? '(none)'}, not the configured ${o.certFile} (${configured.fingerprint256})`));
          return;
        }
        const now = new Date();
        if (now >= new Date(configured.validTo)) req.destroy(new UntrustedCertificateError(`the certificate ${url} presents (${o.certFile}) expired on ${day(new Date(configured.validTo))}`));
        else if (now < new Date(configured.validFrom)) req.destroy(new UntrustedCertificateError(`the certificate ${url} presents (${o.certFile}) is not valid before ${day(new Date(configured.validFrom))}`));
      });
    });
    req.once('error', reject);
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.once('error', reject);
      res.once('end', () => {
        let body: unknown = {};
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          // not JSON: the caller judges the answer by its status and host
        }
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
  });
}
