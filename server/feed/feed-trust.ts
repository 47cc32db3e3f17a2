// How a console trusts a monitored host's feed over TLS, as its registry keeps it
// (so that every console node has it): a CA certificate, or the pinned SHA-256
// fingerprint of the agent's certificate. Either one turns TLS on for that feed;
// neither is plain http. Here they are checked and put in one form when they come
// in (API, command line, import), and described for people.
import crypto from 'node:crypto';
import { z } from 'zod';
import { inRenderingLang, says, words, type Words } from '../input';

/** Room for a CA and a few intermediates. */
export const MAX_CA_CHARS = 32 * 1024;

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+?-----END CERTIFICATE-----/g;

/** The certificates of a PEM text, one per block (text between blocks is ignored, as openssl does). */
export function pemCertificates(pem: string): crypto.X509Certificate[] {
  return (pem.match(PEM_CERTIFICATE) ?? []).map((block) => new crypto.X509Certificate(block));
}

/** A CA for the registry: its certificates, one block each, in a form that reads back the same; or what is wrong. */
export function checkCaPem(text: string, now = new Date()): { ok: true; pem: string } | { ok: false; problem: Words } {
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
    return { ok: false, problem: words('this is a private key: give the CA certificate (never a key)', 'これは秘密鍵です。CA 証明書を指定してください (鍵は渡さないでください)') };
  }
  const blocks = text.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) return { ok: false, problem: words('not a PEM certificate (-----BEGIN CERTIFICATE-----)', 'PEM 形式の証明書ではありません (-----BEGIN CERTIFICATE-----)') };
  for (const block of blocks) {
    let certificate: crypto.X509Certificate;
    try {
      certificate = new crypto.X509Certificate(block);
    } catch {
      return { ok: false, problem: words('a certificate block cannot be read', '読めない証明書のブロックがあります') };
    }
    const until = new Date(certificate.validTo);
    if (until <= now) {
      const day = until.toISOString().slice(0, 10);
      return { ok: false, problem: words(`the CA certificate ${certificate.subject.replace(/\n/g, ', ')} expired on ${day}`, `CA 証明書 ${certificate.subject.replace(/\n/g, ', ')} は ${day} に期限が切れています`) };
    }
  }
  return { ok: true, pem: blocks.map((b) => b.replace(/\r\n/g, '\n').trim()).join('\n') + '\n' };
}

/**
 * A SHA-256 fingerprint as Node reports a certificate's (AB:CD:…, upper case), from
 * what people paste: openssl's `sha256 Fingerprint=ab:cd:…`, with or without colons,
 * in either case. Null when it is not 32 bytes of hex.
 */
export function normalizeFingerprint(text: string): string | null {
  const hex = text
    .trim()
    .replace(/^sha-?256\s*fingerprint\s*=\s*/i, '')
    .replace(/[:\s]/g, '');
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return null;
  return hex.toUpperCase().match(/../g)!.join(':');
}

/** Empty text is no setting, as if not given. */
const blankIsAbsent = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

export const tlsCaSchema = z.preprocess(
  blankIsAbsent,
  z
    .string()
    .max(MAX_CA_CHARS, says(`CA certificate is longer than ${MAX_CA_CHARS} characters`, `CA 証明書が ${MAX_CA_CHARS} 文字を超えています`))
    .transform((text, ctx) => {
      const checked = checkCaPem(text);
      if (checked.ok) return checked.pem;
      ctx.addIssue({ code: 'custom', message: inRenderingLang(checked.problem) });
      return z.NEVER;
    })
    .nullish(),
);

export const tlsFingerprintSchema = z.preprocess(
  blankIsAbsent,
  z
    .string()
    .max(200)
    .transform((text, ctx) => {
      const fingerprint = normalizeFingerprint(text);
      if (fingerprint) return fingerprint;
      ctx.addIssue({
        code: 'custom',
        message: inRenderingLang(words('fingerprint must be a SHA-256 fingerprint: 32 bytes in hex, as openssl x509 -fingerprint -sha256 prints it', 'フィンガープリントは SHA-256 (16 進 32 バイト、openssl x509 -fingerprint -sha256 の出力) です')),
      });
      return z.NEVER;
    })
    .nullish(),
);

/** A CA or a pin, never both: each means something else (a chain and a name, or exactly one certificate). */
export const BOTH_TRUSTS = words('give a CA certificate or a fingerprint, not both', 'CA 証明書かフィンガープリントのどちらか一方を指定してください');

/** How the console checks a feed: none (plain http), a CA with the host's name, or exactly one certificate. */
export type FeedTrust = { kind: 'ca'; ca: string } | { kind: 'pin'; fingerprint: string } | null;

export function feedTrust(host: { tlsCa?: string | null; tlsFingerprint?: string | null }): FeedTrust {
  if (host.tlsCa) return { kind: 'ca', ca: host.tlsCa };
  if (host.tlsFingerprint) return { kind: 'pin', fingerprint: host.tlsFingerprint };
  return null;
}

/** What the hosts page and the command line show of a feed's TLS. */
export type FeedTlsView = { kind: 'ca'; subjects: string[] } | { kind: 'pin'; fingerprint: string } | null;

export function feedTlsView(host: { tlsCa?: string | null; tlsFingerprint?: string | null }): FeedTlsView {
  const trust = feedTrust(host);
  if (!trust) return null;
  if (trust.kind === 'pin') return trust;
  let subjects: string[];
  try {
    subjects = pemCertificates(trust.ca).map((c) => c.subject.replace(/\n/g, ', '));
  } catch {
    subjects = [];
  }
  return { kind: 'ca', subjects };
}
