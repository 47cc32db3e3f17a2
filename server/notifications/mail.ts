// Mail, a scope's second notification channel. Sent with nodemailer, the
// standard SMTP client for Node.js (well kept, no dependencies of its own), to
// the SMTP server named in the console host's configuration (`smtp`): a
// connection of its own per mail, 5 s for each of connect, greeting and any
// silence, like a webhook's request. The text is plain, English then Japanese,
// written from the notification's payload whatever its shape. Each mail's
// Message-ID comes from its idempotency key, so a repeat (at least once means
// sometimes twice) is recognisable as the same message.
import { FLAG_WORDS } from '../domain/expectations/flag-words';
import fs from 'node:fs';
import nodemailer from 'nodemailer';
import type { SmtpConfig } from '../host/config';
import { mailRecipients } from './outbox';

const TIMEOUT_MS = 5000;
/** What a mail row keeps as its last error while its console host has no `smtp`: it waits, retried slowly. */
export const MAIL_NOT_CONFIGURED = 'mail-not-configured';
/** The password file named by the configuration cannot be read. */
export const SMTP_PASSWORD_UNREADABLE = 'smtp-password-unreadable';
/** Errors that wait for an operator, not for the server: tried again at the slowest pace. */
export const isConfigurationCode = (error: string) => error === MAIL_NOT_CONFIGURED || error === SMTP_PASSWORD_UNREADABLE;

const DEFAULT_PORT = { tls: 465, starttls: 587, none: 25 } as const;

/** What the sender hands a mail channel: a row of the outbox. */
export interface MailRow {
  key: string;
  scopeId: number;
  url: string;
  payload: string;
}

/** A header value or a line of text: one line, no control characters, not endless. */
function oneLine(value: unknown, max = 300): string {
  const text = typeof value === 'string' ? value : value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Message-ID: the key (and scope: one key may go to several scopes' recipients), only characters an id may hold. */
export function messageId(key: string, scopeId: number, consoleHost: string): string {
  const safe = (text: string) => text.replace(/[^A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+/g, '-').slice(0, 200) || 'x';
  return `<${safe(key)}.${scopeId}@${safe(consoleHost)}>`;
}

type Labels = Record<string, { en: string; ja: string }>;

/** The fields of an abnormal end's payload (server/notifications/outbox.ts, notificationsFor), in the order a mail shows them. */
const END_FIELDS: Labels = {
  scope: { en: 'Business scope', ja: '業務スコープ' },
  object: { en: 'Monitoring object', ja: '監視オブジェクト' },
  host: { en: 'Host', ja: 'ホスト' },
  unit: { en: 'Unit', ja: 'ユニット' },
  status: { en: 'Status', ja: '状態' },
  exitCode: { en: 'Exit code', ja: '終了コード' },
  at: { en: 'When', ja: '日時' },
  node: { en: 'Node', ja: 'ノード' },
  reason: { en: 'Reason', ja: '理由' },
  runId: { en: 'Run ID', ja: '実行 ID' },
  console: { en: 'Console', ja: 'コンソール' },
  key: { en: 'Key', ja: 'キー' },
};
/** The fields of an expectation flag's payload, known so far; any other is shown by its own name. */
const FLAG_FIELDS: Labels = {
  kind: { en: 'Flag', ja: 'フラグ' },
  scope: { en: 'Business scope', ja: '業務スコープ' },
  object: { en: 'Monitoring object', ja: '監視オブジェクト' },
  occurrence: { en: 'Expected start', ja: '予定開始' },
  dueAt: { en: 'Due at', ja: '期限' },
  at: { en: 'Raised at', ja: '発生日時' },
  host: { en: 'Host', ja: 'ホスト' },
  unit: { en: 'Unit', ja: 'ユニット' },
  console: { en: 'Console', ja: 'コンソール' },
  key: { en: 'Key', ja: 'キー' },
};
/** Fields a mail leaves out: said already (the status's names) or of no use to a reader. */
const LEFT_OUT = new Set(['statusName', 'kindName', 'summary', 'execId', 'objectId']);

/**
 * A mail's subject and plain text from a notification's payload: an abnormal end
 * (it has a status), an expectation flag (it has a kind) or anything else (a line
 * per field). Never throws: a payload that is not even JSON is shown as it is.
 */
export function mailText(payloadText: string | Record<string, unknown>): { subject: string; text: string } {
  let payload: Record<string, unknown>;
  if (typeof payloadText === 'string') {
    try {
      const parsed: unknown = JSON.parse(payloadText);
      payload = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : { value: parsed };
    } catch {
      payload = { value: payloadText };
    }
  } else payload = payloadText;

  const isEnd = typeof payload.status === 'string';
  const isFlag = !isEnd && typeof payload.kind === 'string';
  const labels = isEnd ? END_FIELDS : isFlag ? FLAG_FIELDS : {};
  const what = oneLine(payload.object ?? payload.unit ?? payload.scope ?? '', 120);
  const consoleHost = oneLine(payload.console ?? '', 100);

  const statusName = (payload.statusName ?? {}) as { en?: unknown; ja?: unknown };
  const kind = isFlag ? (FLAG_WORDS as Labels)[String(payload.kind)] : undefined;
  const title = {
    en: isEnd ? oneLine(statusName.en ?? payload.status, 60) : isFlag ? (kind?.en ?? oneLine(payload.kind, 60)) : 'Notification',
    ja: isEnd ? oneLine(statusName.ja ?? payload.status, 60) : isFlag ? (kind?.ja ?? oneLine(payload.kind, 60)) : '通知',
  };
  const value = (field: string, lang: 'en' | 'ja') => {
    if (field === 'status' && isEnd) return `${title[lang]} (${oneLine(payload.status, 40)})`;
    if (field === 'kind' && isFlag) return `${title[lang]} (${oneLine(payload.kind, 40)})`;
    return oneLine(payload[field]);
  };
  // The known fields in their order, then any other the payload has, by its own name.
  const fields = [
    ...Object.keys(labels).filter((f) => payload[f] !== undefined && payload[f] !== null && payload[f] !== ''),
    ...Object.keys(payload).filter((f) => !(f in labels) && !LEFT_OUT.has(f) && payload[f] !== undefined && payload[f] !== null),
  ];
  const lines = (lang: 'en' | 'ja') => fields.map((f) => `${labels[f]?.[lang] ?? oneLine(f, 40)}: ${value(f, lang)}`);
  const about = what ? `: ${what}` : '';
  const subject = oneLine(`[Jobscope${consoleHost ? ` ${consoleHost}` : ''}] ${title.en}${about} / ${title.ja}${about}`, 250);
  const text = [
    isEnd ? `Jobscope reports an end${payload.scope ? ` below business scope ${oneLine(payload.scope)}` : ''}.` : isFlag ? `Jobscope raised an expectation flag${payload.scope ? ` below business scope ${oneLine(payload.scope)}` : ''}.` : 'Jobscope sends a notification.',
    '',
    ...lines('en'),
    '',
    '----',
    '',
    isEnd ? `Jobscope からの通知: ${payload.scope ? `業務スコープ ${oneLine(payload.scope)} の下で` : ''}ジョブが終了しました。` : isFlag ? `Jobscope からの通知: ${payload.scope ? `業務スコープ ${oneLine(payload.scope)} の下で` : ''}予定のフラグが立ちました。` : 'Jobscope からの通知です。',
    '',
    ...lines('ja'),
    '',
  ].join('\n');
  return { subject, text };
}

/** An SMTP failure as the short code kept as the row's last error: "smtp 550", "timed out", "cannot connect", …. */
export function smtpErrorCode(err: unknown): string {
  const e = err as { code?: string; responseCode?: number; message?: string };
  // A server that refuses STARTTLS answers with a code too: that it is TLS that failed says more.
  if (e?.code === 'ETLS') return 'tls failed';
  if (typeof e?.responseCode === 'number' && e.responseCode >= 400) return `smtp ${e.responseCode}`;
  switch (e?.code) {
    case 'ETIMEDOUT':
      return 'timed out';
    case 'EDNS':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'cannot resolve';
    case 'ECONNECTION':
    case 'ECONNREFUSED':
    case 'ECONNRESET':
      return 'cannot connect';
    case 'ETLS':
      return 'tls failed';
    case 'EAUTH':
      return 'smtp auth failed';
    case 'ESOCKET':
      return /timed? ?out/i.test(e.message ?? '') ? 'timed out' : 'cannot connect';
    default:
      return 'smtp failed';
  }
}

/** Sends outbox rows of the mail channel through a console host's SMTP server. */
export class MailChannel {
  constructor(
    private smtp: SmtpConfig | undefined,
    /** Named in the Message-ID and as the client in the SMTP greeting. */
    private consoleHost: string,
    private timeoutMs = TIMEOUT_MS,
  ) {}

  /** null when the server took the mail, else why not, as a short code. */
  async send(n: MailRow): Promise<string | null> {
    const smtp = this.smtp;
    if (!smtp) return MAIL_NOT_CONFIGURED;
    const to = mailRecipients(n.url);
    if (to.length === 0) return 'no recipients';
    let pass: string | undefined;
    if (smtp.passwordFile) {
      try {
        // Read at each send: a rotated password is used without a restart.
        pass = fs.readFileSync(smtp.passwordFile, 'utf8').replace(/\r?\n$/, '');
      } catch {
        return SMTP_PASSWORD_UNREADABLE;
      }
    }
    const security = smtp.security ?? 'starttls';
    const transport = nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port ?? DEFAULT_PORT[security],
      secure: security === 'tls',
      requireTLS: security === 'starttls',
      ignoreTLS: security === 'none',
      auth: smtp.user ? { user: smtp.user, pass } : undefined,
      name: this.consoleHost,
      connectionTimeout: this.timeoutMs,
      greetingTimeout: this.timeoutMs,
      socketTimeout: this.timeoutMs,
      dnsTimeout: this.timeoutMs,
      // A notification's text is data: nothing in it may make nodemailer read a file or a URL.
      disableFileAccess: true,
      disableUrlAccess: true,
      logger: false,
    });
    const { subject, text } = mailText(n.payload);
    try {
      await transport.sendMail({
        from: smtp.from,
        to,
        subject,
        text,
        messageId: messageId(n.key, n.scopeId, this.consoleHost),
        headers: { 'X-Jobscope-Key': oneLine(n.key, 200) },
      });
      // Some recipients refused and others not: sent. Sending again would repeat it to those that took it.
      return null;
    } catch (err) {
      return smtpErrorCode(err);
    } finally {
      transport.close();
    }
  }
}

/** Where a mail row goes, for a log line: how many recipients at which domains, never the addresses. */
export function mailLogTarget(url: string): string {
  const to = mailRecipients(url);
  const domains = [...new Set(to.map((a) => a.slice(a.lastIndexOf('@') + 1)))];
  return `mail to ${to.length} at ${domains.join(', ')}`;
}
