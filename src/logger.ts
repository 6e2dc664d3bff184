import pino, { type Logger } from 'pino';

export type { Logger };

/** Paths that may carry secrets are censored wherever they appear in a log line. */
const REDACT = [
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'authorization',
  '*.token',
  '*.botToken',
  '*.appToken',
  '*.signingSecret',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  '*.headers.authorization',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' } }, destination);
}
