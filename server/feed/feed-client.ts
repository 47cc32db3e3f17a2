// The console's connection to one monitored host's feed: GET over plain http, or
// over https checked as the registry says (server/feed/feed-trust.ts):
//   - a CA: the chain must lead to that CA (and nothing else: not the system's
//     CAs), be valid now, and the certificate must name the logical host, or the
//     address the console dials;
//   - a pin: the agent must present exactly the certificate with that SHA-256
//     fingerprint; no CA, no names, no dates: it is trusted because it is that one.
// A connection is handed to a request only once it is checked, so that the feed
// token never goes to a server that failed the check. Every failure is a
// FeedConnectionError carrying the problem kept as the host's last error.
import https from 'node:https';
import http from 'node:http';
import net from 'node:net';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import { feedProblems, problemWords, type FeedProblem } from '../domain/feed-problems';
import { deadline } from '../deadline';
import { feedTrust, type FeedTrust } from './feed-trust';

export interface FeedEndpoint {
  /** The logical host name: sent as SNI, and what a CA-checked certificate names. */
  name: string;
  address: string;
  feedPort: number;
  tlsCa: string | null;
  tlsFingerprint: string | null;
}

export class FeedConnectionError extends Error {
  constructor(readonly problem: FeedProblem) {
    super(problemWords(problem).en);
  }
}

/** host:port, an IPv6 address in brackets. */
export const feedAddress = (e: { address: string; feedPort: number }) => `${e.address.includes(':') ? `[${e.address}]` : e.address}:${e.feedPort}`;

/** A TLS handshake that takes longer than this is a failure (the request's own timeout is longer). */
const HANDSHAKE_TIMEOUT_MS = 10_000;
/** Idle connections are let go before the agent's keep-alive (65 s) would close them under a request. */
const IDLE_SOCKET_MS = 30_000;

// OpenSSL's verification codes as Node reports them, and Node's own name check.
const CERTIFICATE_CODES = /CERT|CRL|SIGNATURE|ISSUER|INVALID_CA|PATH_LENGTH|INVALID_PURPOSE|HOSTNAME_MISMATCH/;
// What a TLS client sees when the other side does not speak TLS (a plain http agent).
const NOT_TLS = /wrong version number|packet length too long|unknown protocol|record layer failure/i;

/** Whether a CA-checked certificate names the logical host, or else the address dialled (an IP, or a DNS name). */
function namesProblem(endpoint: FeedEndpoint, cert: tls.PeerCertificate): Error | undefined {
  if (tls.checkServerIdentity(endpoint.name, cert) === undefined) return undefined;
  if (endpoint.address !== endpoint.name && tls.checkServerIdentity(endpoint.address, cert) === undefined) return undefined;
  const names = cert.subjectaltname || (cert.subject?.CN ? `CN=${cert.subject.CN}` : 'nothing');
  return new FeedConnectionError(feedProblems.certificateNames(feedAddress(endpoint), endpoint.name, endpoint.address, names));
}

/** An https agent whose connections are checked, as the endpoint's trust says, before a request may use them. */
class CheckedTlsAgent extends https.Agent {
  constructor(
    private endpoint: FeedEndpoint,
    private trust: NonNullable<FeedTrust>,
  ) {
    super({ keepAlive: true, maxFreeSockets: 1, timeout: IDLE_SOCKET_MS });
  }

  override createConnection(_options: https.RequestOptions, callback?: (err: Error | null, stream: Duplex) => void): Duplex | undefined {
    const { endpoint, trust } = this;
    const socket = tls.connect({
      host: endpoint.address,
      port: endpoint.feedPort,
      // SNI names the logical host; an address is not a server name.
      ...(net.isIP(endpoint.name) ? {} : { servername: endpoint.name }),
      ...(trust.kind === 'ca'
        ? { ca: trust.ca, rejectUnauthorized: true, checkServerIdentity: (_servername: string, cert: tls.PeerCertificate) => namesProblem(endpoint, cert) }
        : // The pin is checked below, on the certificate presented: no CA is asked.
          { rejectUnauthorized: false }),
    });
    let settled = false;
    const settle = (err: Error | null) => {
      if (settled) return;
      settled = true;
      socket.setTimeout(0);
      if (err) {
        socket.destroy();
        callback?.(err, socket);
      } else {
        callback?.(null, socket);
      }
    };
    socket.setTimeout(HANDSHAKE_TIMEOUT_MS, () => settle(new FeedConnectionError(feedProblems.unreachable(feedAddress(endpoint), 'TLS handshake timed out'))));
    socket.once('error', (err) => settle(err));
    socket.once('secureConnect', () => {
      if (trust.kind === 'pin') {
        const presented = socket.getPeerCertificate().fingerprint256;
        if (presented !== trust.fingerprint) return settle(new FeedConnectionError(feedProblems.pinMismatch(feedAddress(endpoint), presented ?? 'none')));
      }
      settle(null);
    });
    return undefined;
  }
}

/** Why an answer could not be had. */
function problemOf(err: Error & { code?: string }, endpoint: FeedEndpoint, secure: boolean): FeedProblem {
  if (err instanceof FeedConnectionError) return err.problem;
  const at = feedAddress(endpoint);
  if (secure && err.code && CERTIFICATE_CODES.test(err.code)) return feedProblems.certificate(at, err.message);
  if (secure && (err.code === 'ERR_SSL_WRONG_VERSION_NUMBER' || NOT_TLS.test(err.message))) return feedProblems.notTls(at);
  return feedProblems.unreachable(at, err.code ?? err.message);
}

/**
 * No feed answer is read past this: an agent's batch of 200 events is a few MiB at
 * most, a snapshot of 100,000 units some tens; a larger answer is not an agent's.
 */
export const MAX_ANSWER_BYTES = 256 * 1024 * 1024;
const TOO_LARGE = 'ERR_FEED_ANSWER_TOO_LARGE';

export class FeedConnection {
  readonly trust: FeedTrust;
  private agent: http.Agent;

  constructor(readonly endpoint: FeedEndpoint) {
    this.trust = feedTrust(endpoint);
    this.agent = this.trust ? new CheckedTlsAgent(endpoint, this.trust) : new http.Agent({ keepAlive: true, maxFreeSockets: 1, timeout: IDLE_SOCKET_MS });
  }

  /**
   * GET path; resolves with any answer the feed gives. Rejects with a FeedConnectionError,
   * or with the abort itself when `signal` ends the wait.
   */
  async get(path: string, headers: Record<string, string>, signal: AbortSignal, timeoutMs: number): Promise<{ status: number; text: string }> {
    const timeout = deadline(timeoutMs, signal);
    const both = timeout.signal;
    try {
      return await this.once(path, headers, both);
    } catch (err) {
      const e = err as Error & { code?: string; reusedSocket?: boolean };
      if (signal.aborted) throw err;
      if (e.code === TOO_LARGE) throw new FeedConnectionError(feedProblems.tooLarge(MAX_ANSWER_BYTES));
      if (timeout.passed) throw new FeedConnectionError(feedProblems.unreachable(feedAddress(this.endpoint), 'TimeoutError'));
      // A kept-alive connection the agent closed as it was reused: once more on a new one.
      if (e.reusedSocket && (e.code === 'ECONNRESET' || e.code === 'EPIPE')) {
        try {
          return await this.once(path, headers, both);
        } catch (again) {
          if (signal.aborted) throw again;
          if (timeout.passed) throw new FeedConnectionError(feedProblems.unreachable(feedAddress(this.endpoint), 'TimeoutError'));
          throw new FeedConnectionError(problemOf(again as Error, this.endpoint, this.trust !== null));
        }
      }
      throw new FeedConnectionError(problemOf(e, this.endpoint, this.trust !== null));
    } finally {
      timeout.clear();
    }
  }

  private once(path: string, headers: Record<string, string>, signal: AbortSignal): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const req = (this.trust ? https : http).request({
        host: this.endpoint.address,
        port: this.endpoint.feedPort,
        path,
        method: 'GET',
        headers,
        agent: this.agent,
        signal,
      });
      req.once('error', (err) => reject(Object.assign(err, { reusedSocket: req.reusedSocket })));
      req.once('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_ANSWER_BYTES) return void chunks.push(chunk);
          reject(Object.assign(new Error('the answer is too large'), { code: TOO_LARGE }));
          req.destroy();
        });
        res.once('error', reject);
        res.once('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        // Cut off before its end (the agent went away, or the wait was aborted): no answer.
        res.once('close', () => {
          if (!res.complete) reject(Object.assign(new Error('the answer was cut off'), { code: 'ECONNRESET' }));
        });
      });
      req.end();
    });
  }

  /** Lets every connection go: the puller stopped. */
  close(): void {
    this.agent.destroy();
  }
}
