// A wall display's browser, for tests: it keeps its own cookies (the pairing
// secret, then the display credential) as a browser would, asks for a pairing,
// polls it, calls its API and opens its live socket; and it remembers every
// answer it got, so that a test can look for a secret in them.
import { io, type Socket } from 'socket.io-client';
import { fetchWith, type Reach } from './tls';
import type { Client } from './test-host';

export interface Answer {
  status: number;
  body: any;
  /** The Set-Cookie headers, as sent. */
  cookies: string[];
  headers: Headers;
}

/** A cookie's value in a list of Set-Cookie headers: '' when cleared, undefined when not set. */
export function cookieIn(setCookies: string[], name: string): { value: string; attributes: string } | undefined {
  const line = setCookies.find((c) => c.startsWith(`${name}=`));
  if (!line) return undefined;
  const [pair, ...attributes] = line.split(';');
  return { value: pair.slice(name.length + 1), attributes: attributes.map((a) => a.trim()).join('; ') };
}

export class Screen {
  pairingSecret?: string;
  credential?: string;
  /** Every answer's text and Set-Cookie header (its value left out), in order. */
  readonly seen: string[] = [];
  /** Every pairing secret and credential it was given. */
  readonly secrets: string[] = [];

  constructor(
    readonly url: string,
    readonly reach: Reach = {},
    readonly userAgent = 'Mozilla/5.0 (X11; Linux aarch64) WallScreen/1.0',
  ) {}

  private async request(method: string, apiPath: string, cookie: string | undefined, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const res = await fetchWith(
      `${this.url}/api/v1${apiPath}`,
      {
        method,
        headers: {
          origin: this.url,
          'user-agent': this.userAgent,
          ...(cookie ? { cookie } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      },
      this.reach,
    );
    const text = await res.text();
    const cookies = res.headers.getSetCookie();
    this.seen.push(text, ...cookies.map((c) => c.replace(/=[^;]*/, '=(value)')));
    return { status: res.status, body: text ? JSON.parse(text) : undefined, cookies, headers: res.headers };
  }

  /** POST /display/pairing: a new code, and its secret kept as the browser keeps the cookie. */
  async pair(headers: Record<string, string> = {}): Promise<Answer> {
    const answer = await this.request('POST', '/display/pairing', undefined, undefined, headers);
    const secret = cookieIn(answer.cookies, 'jobscope_pairing')?.value;
    if (secret) this.secrets.push((this.pairingSecret = secret));
    return answer;
  }

  /** GET /display/pairing with the pairing cookie; takes the credential when it comes. */
  async poll(): Promise<Answer> {
    const answer = await this.request('GET', '/display/pairing', this.pairingSecret ? `jobscope_pairing=${this.pairingSecret}` : undefined);
    const pairing = cookieIn(answer.cookies, 'jobscope_pairing');
    if (pairing?.value === '') this.pairingSecret = undefined;
    const credential = cookieIn(answer.cookies, 'jobscope_display')?.value;
    if (credential) this.secrets.push((this.credential = credential));
    return answer;
  }

  get cookie(): string | undefined {
    return this.credential ? `jobscope_display=${this.credential}` : undefined;
  }

  /** An API call with the display cookie (and, when given, a person's session cookie beside it). */
  call(method: string, apiPath: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    return this.request(method, apiPath, this.cookie, body, headers);
  }

  /** Its live socket, as its page would open it. */
  socket(o: { auth?: Record<string, unknown>; cookie?: string } = {}): Socket {
    const cookie = o.cookie ?? this.cookie ?? '';
    return io(this.url, { extraHeaders: { cookie, origin: this.url }, auth: o.auth, transports: ['websocket'], reconnection: false, forceNew: true, ...(this.reach.ca ? { ca: this.reach.ca } : {}) });
  }
}

/** A screen paired, enrolled by the admin with this name, scope and settings, and holding its credential. */
export async function enrolScreen(url: string, admin: Client, display: { name: string; scopeId: number; settings?: unknown }, reach: Reach = {}): Promise<{ screen: Screen; id: number }> {
  const screen = new Screen(url, reach);
  const pairing = await screen.pair();
  if (pairing.status !== 201) throw new Error(`pairing refused: ${pairing.status} ${JSON.stringify(pairing.body)}`);
  const enrolled = await admin.call('POST', '/displays', { code: pairing.body.code, ...display });
  if (enrolled.status !== 201) throw new Error(`enrolment refused: ${enrolled.status} ${JSON.stringify(enrolled.body)}`);
  const poll = await screen.poll();
  if (poll.body?.state !== 'enrolled' || !screen.credential) throw new Error(`no credential: ${JSON.stringify(poll.body)}`);
  return { screen, id: enrolled.body.display.id };
}
