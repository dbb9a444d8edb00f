import { z } from 'zod';
import { Limits } from '../shared/limits.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Every environment variable the server reads. README's configuration table mirrors this. */
export const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
    .optional(),
  MONGODB_DB: z.string().regex(/^[A-Za-z0-9_-]{1,63}$/, 'must be a database name').default('livedesk'),
  /** Comma-separated exact origins allowed for browsers besides the server's own host. */
  ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((o) => o.trim()).filter(Boolean))
    .pipe(z.array(z.url())),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(24 * 14),
  /** The byline of an entry filed "as the desk", protecting the correspondent's name. */
  DESK_BYLINE: z.string().trim().min(1).max(120).default('Newsroom desk'),
  /** Create the demo newsroom on first start. */
  SEED_DEMO: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  /** Seconds to keep retrying the store at start-up before exiting. */
  STORE_CONNECT_TIMEOUT_S: z.coerce.number().int().min(0).max(600).default(30),
  /** Compact a document's update log into a snapshot after this many appends. */
  COLLAB_COMPACT_EVERY: z.coerce.number().int().min(1).max(100_000).default(500),
  /** Ping collab sockets this often; one that misses a pong is dropped and its cursors vanish. */
  COLLAB_HEARTBEAT_MS: z.coerce.number().int().min(0).max(600_000).default(Limits.collabHeartbeatMs),
  /** Open collab websockets plus Socket.IO connections one client address may hold; 0: no cap. */
  MAX_CONNECTIONS_PER_ADDRESS: z.coerce.number().int().min(0).max(1_000_000).default(200),
  /**
   * Anonymous Socket.IO connections (readers of `/live`) one client address may hold; 0: no cap.
   * Apart from MAX_CONNECTIONS_PER_ADDRESS: many readers share one NAT address.
   */
  READER_MAX_CONNECTIONS_PER_ADDRESS: z.coerce.number().int().min(0).max(10_000_000).default(2000),
  /** A fan-out to a live file's readers writes sockets for about this long per event-loop turn; 0: all at once. */
  READER_FANOUT_TURN_MS: z.coerce.number().min(0).max(1000).default(5),
  /** Failed sign-ins one username may have per window before 429 (0: no limit). */
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(0).max(1_000_000).default(10),
  /** Failed sign-ins one client address (IPv6: its /64) may have per window before 429 (0: no limit). */
  LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(0).max(1_000_000).default(100),
  /** The sign-in rate-limit window, from an account's or address's first failure. */
  LOGIN_WINDOW_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  /** Cookies marked Secure (set true behind HTTPS). */
  COOKIE_SECURE: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  /** The site's public address (`https://news.example`): absolute links in feeds and webhooks; else the request's host. */
  PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
  /** Webhooks may reach loopback, private and link-local addresses (tests, a newsroom's own LAN). */
  WEBHOOKS_ALLOW_PRIVATE: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  /** One webhook delivery attempt gives up after this long. */
  WEBHOOKS_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(5000),
  /** The waits before each retry of a failed delivery, comma-separated; after the last, it has failed. */
  WEBHOOKS_RETRY_DELAYS_MS: z
    .string()
    .default('1000,5000,30000,120000,600000')
    .transform((s) => s.split(',').map((d) => d.trim()).filter(Boolean).map(Number))
    .pipe(z.array(z.number().int().min(0).max(86_400_000)).max(20)),
  /** A hook whose deliveries failed this many times in a row is turned off. */
  WEBHOOKS_DISABLE_AFTER: z.coerce.number().int().min(1).max(1000).default(10),
});
export type Config = z.infer<typeof ConfigSchema>;
export const CONFIG_KEYS = Object.keys(ConfigSchema.shape) as (keyof Config)[];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** Pure: tests pass plain objects. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const picked = Object.fromEntries(CONFIG_KEYS.map((k) => [k, env[k] === '' ? undefined : env[k]]));
  const parsed = ConfigSchema.safeParse(picked);
  if (parsed.success) return parsed.data;
  throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
}
