import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { openStore } from './store/openStore.js';
import { createServer } from './createServer.js';
import { seedDemo, type DemoLogin } from './seed/seedDemo.js';

/** The only file that touches `process`: env, signals, exit. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`livedesk: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.LOG_LEVEL);
  const store = await openStore({
    mongodbUri: config.MONGODB_URI,
    mongodbDb: config.MONGODB_DB,
    dataDir: config.DATA_DIR,
    logger,
    connectTimeoutMs: config.STORE_CONNECT_TIMEOUT_S * 1000,
  }).catch((err: unknown) => {
    logger.fatal({ err }, `livedesk: cannot open the ${config.MONGODB_URI ? 'MongoDB' : 'embedded'} store; giving up`);
    process.exit(1);
  });
  const clientDir = fileURLToPath(new URL('../dist', import.meta.url));
  const server = createServer({ config, logger, store, clientDir });

  if (config.SEED_DEMO) {
    const logins = await seedDemo({ store, accounts: server.services.accounts, collab: server.collab, workflow: server.services.workflow });
    if (logins) printLogins(logins);
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: flushing documents');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await server.close().catch((err: unknown) => logger.error({ err }, 'closing the server failed'));
    await store.close().catch((err: unknown) => logger.error({ err }, 'closing the store failed'));
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  const url = await server.listen(config.PORT, config.HOST);
  logger.info({ url, store: store.kind }, `Livedesk is running on http://localhost:${new URL(url).port}`);
}

function printLogins(logins: DemoLogin[]): void {
  const rows = logins.map((l) => `  ${l.role.padEnd(14)} ${l.username.padEnd(14)} ${l.password}   (${l.displayName})`);
  process.stdout.write(
    ['', 'Demo newsroom created. These logins are shown once; keep them:', '  role           username       password', ...rows, ''].join('\n') + '\n',
  );
}

void main();
