// Test certificates, made by the openssl command line (Debian's openssl package,
// scripts/ensure-openssl.sh): a CA of the test's own and certificates it issues,
// or self-signed ones; and a fetch that trusts such a CA, which the global fetch
// cannot be told to.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';

export interface TestCertificate {
  certFile: string;
  keyFile: string;
  /** The certificate, PEM. */
  pem: string;
  /** SHA-256, AB:CD:… as Node and openssl x509 -fingerprint -sha256 print it. */
  fingerprint: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

const subjectAltName = (names: string[]) => names.map((n) => (/^[\d.]+$|:/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',');

function certificateOf(certFile: string, keyFile: string): TestCertificate {
  const pem = fs.readFileSync(certFile, 'utf8');
  return { certFile, keyFile, pem, fingerprint: new crypto.X509Certificate(pem).fingerprint256 };
}

/** A new P-256 key and certificate request for CN=name in dir. */
function request(dir: string, base: string, name: string): { key: string; csr: string } {
  const key = path.join(dir, `${base}.key`);
  const csr = path.join(dir, `${base}.csr`);
  openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', csr, '-subj', `/CN=${name}`], dir);
  return { key, csr };
}

export class TestCa {
  private serial = 1;

  private constructor(
    readonly dir: string,
    readonly certificate: TestCertificate,
  ) {}

  get certFile(): string {
    return this.certificate.certFile;
  }

  get pem(): string {
    return this.certificate.pem;
  }

  /** A CA certificate (CA:TRUE) and its key in dir. */
  static create(dir: string, name = 'Jobscope test CA'): TestCa {
    fs.mkdirSync(dir, { recursive: true });
    const base = name.replace(/\W+/g, '-').toLowerCase();
    const cert = path.join(dir, `${base}.crt`);
    const key = path.join(dir, `${base}.key`);
    openssl(
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-days', '30', '-subj', `/CN=${name}`,
        '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
      dir,
    );
    return new TestCa(dir, certificateOf(cert, key));
  }

  /**
   * A server certificate for CN=name naming `names` (DNS names and IP addresses);
   * `days: -1` makes one that expired yesterday.
   */
  issue(name: string, names: string[], { days = 30, file = name }: { days?: number; file?: string } = {}): TestCertificate {
    const { key, csr } = request(this.dir, file, name);
    const ext = path.join(this.dir, `${file}.ext`);
    fs.writeFileSync(ext, `subjectAltName=${subjectAltName(names)}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`);
    const cert = path.join(this.dir, `${file}.crt`);
    openssl(['x509', '-req', '-in', csr, '-CA', this.certificate.certFile, '-CAkey', this.certificate.keyFile, '-set_serial', String(this.serial++), '-out', cert, '-days', String(days), '-extfile', ext], this.dir);
    return certificateOf(cert, key);
  }
}

/** A self-signed server certificate for CN=name naming `names`. */
export function selfSigned(dir: string, name: string, names: string[], file = `${name}-self`): TestCertificate {
  fs.mkdirSync(dir, { recursive: true });
  const cert = path.join(dir, `${file}.crt`);
  const key = path.join(dir, `${file}.key`);
  openssl(
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-days', '30', '-subj', `/CN=${name}`, '-addext', `subjectAltName=${subjectAltName(names)}`],
    dir,
  );
  return certificateOf(cert, key);
}

/** How a test client reaches a server: trusting a CA (https), from a chosen local address. */
export interface Reach {
  ca?: string;
  localAddress?: string;
}

/**
 * fetch, or when a CA or a local address is asked for, the same request through
 * node:http(s) with them, answered as a fetch Response.
 */
export async function fetchWith(url: string, init: RequestInit = {}, reach: Reach = {}): Promise<Response> {
  if (!reach.ca && !reach.localAddress) return fetch(url, init);
  const target = new URL(url);
  const body = init.body === undefined || init.body === null ? undefined : Buffer.from(init.body as string);
  const headers = Object.fromEntries(new Headers(init.headers).entries());
  return new Promise((resolve, reject) => {
    const req = (target.protocol === 'https:' ? https : http).request(
      target,
      {
        method: init.method ?? 'GET',
        headers: body ? { ...headers, 'content-length': String(body.length) } : headers,
        ca: reach.ca,
        localAddress: reach.localAddress,
        agent: false,
        signal: init.signal ?? undefined,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.once('error', reject);
        res.once('end', () => {
          const answer = new Headers();
          for (let i = 0; i < res.rawHeaders.length; i += 2) answer.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
          const status = res.statusCode ?? 0;
          const empty = [101, 204, 205, 304].includes(status);
          resolve(new Response(empty ? null : Buffer.concat(chunks), { status, headers: answer }));
        });
      },
    );
    req.once('error', reject);
    req.end(body);
  });
}
