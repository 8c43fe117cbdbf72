import { pino, type Logger } from 'pino';

/** JSON logs on stderr (stdout stays free for command output); secrets are redacted by key. */
export function createLogger(level: string): Logger {
  return pino(
    {
      level,
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'password', '*.password', 'token', '*.token'],
        censor: '***',
      },
    },
    pino.destination(2),
  );
}
