// HTTP as bytes: a request written exactly as given (duplicate headers, bad
// request lines, odd Host headers, bodies that lie about their length), and the
// answer read back as it came, for tests of what a server does with requests no
// well-behaved client sends.
import net from 'node:net';

export interface RawResponse {
  /** The status code, or null when the server closed or timed out before a status line. */
  status: number | null;
  headers: Record<string, string>;
  body: Buffer;
  /** The server closed the connection (after or instead of an answer). */
  closed: boolean;
  timedOut: boolean;
}

function parseHead(head: string): { status: number | null; headers: Record<string, string> } {
  const [statusLine, ...lines] = head.split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1];
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: status ? Number(status) : null, headers };
}

function chunkedDone(body: Buffer): Buffer | null {
  const out: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = body.indexOf('\r\n', at);
    if (eol < 0) return null;
    const size = parseInt(body.subarray(at, eol).toString('latin1'), 16);
    if (Number.isNaN(size)) return Buffer.concat(out);
    if (size === 0) return Buffer.concat(out);
    if (body.length < eol + 2 + size + 2) return null;
    out.push(body.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

/**
 * Sends `request` (a string is sent as latin1, byte for byte) and reads one answer:
 * up to its Content-Length, its last chunk, or the end of the connection.
 */
export function rawRequest(o: { address: string; port: number; request: string | Buffer; timeoutMs?: number }): Promise<RawResponse> {
  const headOnly = (typeof o.request === 'string' ? o.request : o.request.toString('latin1', 0, 8)).startsWith('HEAD ');
  return new Promise((resolve) => {
    const socket = net.connect({ host: o.address, port: o.port });
    let data: Buffer = Buffer.alloc(0);
    let settled = false;
    const finish = (closed: boolean, timedOut: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const split = data.indexOf('\r\n\r\n');
      const { status, headers } = split >= 0 ? parseHead(data.subarray(0, split).toString('latin1')) : { status: null, headers: {} };
      let body = split >= 0 ? data.subarray(split + 4) : Buffer.alloc(0);
      if (headers['transfer-encoding'] === 'chunked') body = chunkedDone(body) ?? body;
      socket.destroy();
      resolve({ status, headers, body, closed, timedOut });
    };
    const timer = setTimeout(() => finish(false, true), o.timeoutMs ?? 10_000);
    socket.on('data', (chunk) => {
      data = Buffer.concat([data, chunk]);
      const split = data.indexOf('\r\n\r\n');
      if (split < 0) return;
      const { status, headers } = parseHead(data.subarray(0, split).toString('latin1'));
      if (status !== null && status >= 100 && status < 200 && status !== 101) {
        data = data.subarray(split + 4); // an interim answer (100 Continue): the real one follows
        return;
      }
      const body = data.subarray(split + 4);
      if (headers['content-length'] !== undefined && body.length >= Number(headers['content-length'])) finish(false, false);
      else if (headers['transfer-encoding'] === 'chunked' && chunkedDone(body)) finish(false, false);
      else if (status === 204 || status === 304 || headOnly) finish(false, false);
    });
    socket.on('error', () => finish(true, false));
    socket.on('close', () => finish(true, false));
    socket.write(typeof o.request === 'string' ? Buffer.from(o.request, 'latin1') : o.request);
  });
}
