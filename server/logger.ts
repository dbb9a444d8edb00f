import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON lines to stdout; `LOG_LEVEL=silent` in tests that start many servers. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'livedesk' },
    redact: { paths: ['req.headers.cookie', 'password', '*.password', 'passwordHash', '*.passwordHash'], remove: true },
  });
}
