import { pino, type DestinationStream, type Logger } from 'pino';

/** JSON logs on stderr (stdout stays free for command output); secrets are redacted by key. */
export function createLogger(level: string, destination: DestinationStream = pino.destination(2)): Logger {
  return pino(
    {
      level,
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          // The ALB's OIDC identity: its access token is a bearer credential at the IdP (issue #17 defect 8).
          'req.headers["x-amzn-oidc-accesstoken"]',
          'req.headers["x-amzn-oidc-data"]',
          'req.headers["x-amzn-oidc-identity"]',
          'password',
          '*.password',
          'token',
          '*.token',
        ],
        censor: '***',
      },
    },
    destination,
  );
}
