// A browser request from a page of this console carries an Origin whose host is
// the Host it asked; anything else (another site, a missing Origin) is refused.
import type { IncomingMessage } from 'node:http';

export function isSameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin || !req.headers.host) return false;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
