import pino, { type Logger } from 'pino';

/** JSON logs on stdout; secrets that could reach a log line are redacted. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: ['req.headers.authorization', 'sessionKey', 'session_key', 'secret', '*.secret'],
  });
}
