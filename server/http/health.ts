import { Router } from 'express';
import type { Store } from '../store/Store.js';

/** /healthz: the process answers. /readyz: the store answers too. */
export function healthRoutes(store: Store): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    try {
      await store.ping();
      res.json({ status: 'ready', store: store.kind });
    } catch (err) {
      res.status(503).json({ status: 'unavailable', store: store.kind, reason: (err as Error).message });
    }
  });
  return router;
}
