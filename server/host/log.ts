// Structured logs; every line names the host it acts for.
import pino from 'pino';

export type Logger = pino.Logger;

export function hostLogger(host: string, part: string): Logger {
  return pino({
    base: { host, part, pid: process.pid },
    level: process.env.JOBSCOPE_LOG_LEVEL || 'info',
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['token', 'password', '*.token', '*.password', 'req.headers.cookie', 'req.headers.authorization'], censor: '[secret]' },
  });
}
