import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../server/config.js';
import { createLogger, type Logger } from '../../server/logger.js';
import { createServer, type LivedeskServer } from '../../server/createServer.js';
import { openEmbeddedStore } from '../../server/store/embedded/openEmbeddedStore.js';
import { openMongoStore } from '../../server/store/mongo/openMongoStore.js';
import { seedDemo, type DemoLogin } from '../../server/seed/seedDemo.js';
import type { Store } from '../../server/store/Store.js';

export interface TestServer {
  url: string;
  wsUrl: string;
  server: LivedeskServer;
  store: Store;
  logins: DemoLogin[];
  dataDir: string;
  /**
   * Stops and starts again on the same data directory (and port 0: a new url; `samePort`: the
   * same url, so clients that reconnect by themselves find the new server).
   */
  restart(opts?: { samePort?: boolean }): Promise<void>;
  close(): Promise<void>;
}

const clientDir = fileURLToPath(new URL('../../dist', import.meta.url));

/** The real server on port 0 over a temporary embedded store, seeded with the demo newsroom. */
export async function startTestServer(
  opts: { env?: Record<string, string>; seed?: boolean; clientDir?: string; mongo?: { uri: string; dbName: string }; logger?: Logger } = {},
): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'livedesk-test-'));
  const config = loadConfig({ LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', COLLAB_COMPACT_EVERY: '50', ...opts.env, DATA_DIR: dataDir });
  const logger = opts.logger ?? createLogger(config.LOG_LEVEL);
  let logins: DemoLogin[] = [];

  const boot = async (port = 0) => {
    const store = opts.mongo ? await openMongoStore({ uri: opts.mongo.uri, dbName: opts.mongo.dbName }) : await openEmbeddedStore({ dir: dataDir });
    const server = createServer({ config, logger, store, clientDir: opts.clientDir ?? clientDir });
    if (opts.seed !== false) logins = (await seedDemo({ store, accounts: server.services.accounts, collab: server.collab, workflow: server.services.workflow })) ?? logins;
    const url = await server.listen(port, '127.0.0.1');
    return { store, server, url };
  };

  let current = await boot();
  const handle: TestServer = {
    get url() { return current.url; },
    get wsUrl() { return current.url.replace(/^http/, 'ws'); },
    get server() { return current.server; },
    get store() { return current.store; },
    get logins() { return logins; },
    dataDir,
    async restart(restartOpts = {}) {
      const port = restartOpts.samePort ? Number(new URL(current.url).port) : 0;
      await current.server.close();
      await current.store.close();
      current = await boot(port);
    },
    async close() {
      await current.server.close();
      await current.store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return handle;
}

export function loginOf(server: TestServer, username: string): DemoLogin {
  const login = server.logins.find((l) => l.username === username);
  if (!login) throw new Error(`no demo login ${username}`);
  return login;
}

/** Signs in over HTTP; returns the Cookie header value for other clients. */
export async function signIn(server: TestServer, username: string): Promise<string> {
  const { password } = loginOf(server, username);
  const res = await fetch(`${server.url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in as ${username} failed: ${res.status} ${await res.text()}`);
  const setCookie = res.headers.get('set-cookie') ?? '';
  return setCookie.split(';')[0];
}

/** fetch with a session cookie and JSON in and out. */
export async function api(server: TestServer, cookie: string | null, method: string, path: string, body?: unknown) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...(cookie ? { cookie } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  const json = parseJsonOr(text);
  return { status: res.status, json: json as Record<string, unknown> & { error?: { code: string; message: string } } };
}

function parseJsonOr(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
