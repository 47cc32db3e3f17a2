// A webhook receiver for tests on a cluster's test network: keeps each
// Idempotency-Key once, with when it first came, how many times, and its payload.
import http from 'node:http';

export interface Received {
  at: number;
  count: number;
  payload: Record<string, unknown>;
}

export class WebhookReceiver {
  readonly keys = new Map<string, Received>();
  private constructor(
    private server: http.Server,
    readonly url: string,
  ) {}

  static async start(address: string): Promise<WebhookReceiver> {
    let self: WebhookReceiver | undefined;
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        const key = String(req.headers['idempotency-key']);
        const seen = self!.keys.get(key);
        if (seen) seen.count++;
        else self!.keys.set(key, { at: Date.now(), count: 1, payload: JSON.parse(body) as Record<string, unknown> });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, address, r));
    self = new WebhookReceiver(server, `http://${address}:${(server.address() as { port: number }).port}/hooks`);
    return self;
  }

  close(): void {
    this.server.close();
  }
}
