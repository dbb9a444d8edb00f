// Child process: many idle lean clients (sync + one awareness state each), opened in batches.
import { LeanClient } from './lib/leanClient.js';
import { serveRequests } from './lib/proc.js';
import { nowMs } from './lib/stats.js';

const clients: LeanClient[] = [];

serveRequests({
  /** Opens one client per doc name, `batch` at a time; resolves when all are synced. */
  open: async (a) => {
    const names = a.docNames as string[];
    const batch = Number(a.batch ?? 100);
    const headers = a.cookie ? { cookie: String(a.cookie) } : undefined;
    const t = nowMs();
    for (let i = 0; i < names.length; i += batch) {
      const now = names.slice(i, i + batch).map((n) => new LeanClient(String(a.serverUrl), n, { headers, awareness: { user: { name: 'idle' }, cursor: null } }));
      clients.push(...now);
      await Promise.all(now.map(async (c) => {
        await c.opened;
        await c.synced;
      }));
    }
    return { ms: nowMs() - t, open: clients.length };
  },
  closeAll: async () => {
    const t = nowMs();
    const all = clients.splice(0);
    await Promise.all(all.map((c) => c.close()));
    return { ms: nowMs() - t };
  },
});
process.on('SIGTERM', () => process.exit(0));
