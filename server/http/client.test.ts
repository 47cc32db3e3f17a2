import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientResolver } from './client';

/** A request as the server sees it: its peer, whether the socket is TLS, its headers. */
const request = (peer: string, headers: Record<string, string | string[]> = {}, encrypted = false) =>
  ({ socket: { remoteAddress: peer, encrypted }, headers }) as unknown as IncomingMessage;

describe('the client of a request', () => {
  const trusting = clientResolver(['10.0.0.0/24', '2001:db8::1']);

  it('is the socket itself when no proxy is trusted, whatever the headers say', () => {
    const clientOf = clientResolver(undefined);
    expect(clientOf(request('192.0.2.7', { 'x-forwarded-for': '198.51.100.1', 'x-forwarded-proto': 'https' }))).toEqual({ address: '192.0.2.7', secure: false });
    expect(clientOf(request('192.0.2.7', {}, true))).toEqual({ address: '192.0.2.7', secure: true });
  });

  it('ignores the headers from a peer that is not a trusted proxy', () => {
    expect(trusting(request('10.0.1.5', { 'x-forwarded-for': '198.51.100.1', 'x-forwarded-proto': 'https' }))).toEqual({ address: '10.0.1.5', secure: false });
  });

  it('believes a trusted proxy: the right-most address that is no trusted proxy, and https', () => {
    expect(trusting(request('10.0.0.9', { 'x-forwarded-for': '198.51.100.1', 'x-forwarded-proto': 'https' }))).toEqual({ address: '198.51.100.1', secure: true });
    // What the client wrote itself, left of the address the proxy appended, is not believed.
    expect(trusting(request('10.0.0.9', { 'x-forwarded-for': '203.0.113.66, 198.51.100.1', 'x-forwarded-proto': 'http' }))).toEqual({ address: '198.51.100.1', secure: false });
    // Through two trusted proxies (one of them by IPv6, as a socket reports an IPv4 peer mapped).
    expect(trusting(request('::ffff:10.0.0.9', { 'x-forwarded-for': '203.0.113.66, 198.51.100.1, 2001:db8::1' }))).toEqual({ address: '198.51.100.1', secure: false });
    // Ports and brackets as some proxies write them; a list of schemes: the nearest one counts.
    expect(trusting(request('10.0.0.9', { 'x-forwarded-for': '[2001:db8::7]:443', 'x-forwarded-proto': 'http, HTTPS' }))).toEqual({ address: '2001:db8::7', secure: true });
    expect(trusting(request('10.0.0.9', { 'x-forwarded-for': '198.51.100.1:5123' }))).toEqual({ address: '198.51.100.1', secure: false });
  });

  it('falls back to the last address believed when an entry is no address, or every one is a trusted proxy', () => {
    expect(trusting(request('10.0.0.9', { 'x-forwarded-for': 'unknown' }))).toEqual({ address: '10.0.0.9', secure: false });
    expect(trusting(request('10.0.0.9', { 'x-forwarded-for': '198.51.100.1, garbage, 10.0.0.3' }))).toEqual({ address: '10.0.0.3', secure: false });
    expect(trusting(request('10.0.0.9', { 'x-forwarded-for': '10.0.0.4, 10.0.0.3' }))).toEqual({ address: '10.0.0.4', secure: false });
    expect(trusting(request('10.0.0.9'))).toEqual({ address: '10.0.0.9', secure: false });
  });

  it('keeps a TLS connection secure whatever a trusted proxy says of the scheme', () => {
    expect(trusting(request('10.0.0.9', { 'x-forwarded-proto': 'http' }, true))).toEqual({ address: '10.0.0.9', secure: true });
  });
});
