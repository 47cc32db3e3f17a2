// A real SMTP server for tests (smtp-server, the server half of nodemailer's
// project) on 127.0.0.1 (or the address given) and a free port, keeping every message it accepted as
// mailparser reads it. Plain SMTP (no STARTTLS: the console's `smtp.security`
// is "none" against it); AUTH is taken when the test gives a user and password.
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

export interface ReceivedMail {
  envelope: { from: string; to: string[] };
  mail: ParsedMail;
  /** The user it authenticated as, if any. */
  user: string | undefined;
}

export interface TestSmtpServer {
  port: number;
  received: ReceivedMail[];
  /** Decides each recipient: a reply code (550) refuses it; null takes it. Default: take all. */
  refuseRecipient: (address: string) => number | null;
  close(): Promise<void>;
}

export async function startSmtpServer(options: { user?: string; password?: string; address?: string } = {}): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const state: TestSmtpServer = { port: 0, received, refuseRecipient: () => null, close: async () => {} };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authOptional: options.user === undefined,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === options.user && auth.password === options.password) callback(null, { user: auth.username });
      else callback(Object.assign(new Error('invalid credentials'), { responseCode: 535 }));
    },
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const code = state.refuseRecipient(address.address);
      if (code === null) callback();
      else callback(Object.assign(new Error(`mailbox ${address.address} unavailable`), { responseCode: code }));
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          const from = session.envelope.mailFrom;
          received.push({ envelope: { from: from ? from.address : '', to: session.envelope.rcptTo.map((r) => r.address) }, mail, user: session.user as string | undefined });
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, options.address ?? '127.0.0.1', () => resolve());
  });
  state.port = (server.server.address() as { port: number }).port;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}
