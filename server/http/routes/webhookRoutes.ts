import { Router } from 'express';
import { LiveFileParams } from '../../../shared/schemas/liveFile.js';
import { WebhookParams } from '../../../shared/schemas/webhook.js';
import type { WebhookService } from '../../features/webhooks/WebhookService.js';
import { requireAuth } from '../authenticate.js';

/** A live file's webhooks: chiefs and admins (the service asks the permission table). */
export function webhookRoutes(deps: { webhooks: WebhookService }): Router {
  const router = Router();
  router.get('/live-files/:liveFileId/webhooks', async (req, res) => {
    const { liveFileId } = LiveFileParams.parse(req.params);
    res.json({ webhooks: await deps.webhooks.list(requireAuth(req).account, liveFileId) });
  });
  router.post('/live-files/:liveFileId/webhooks', async (req, res) => {
    const { liveFileId } = LiveFileParams.parse(req.params);
    // The desk's own origin: the permalinks' when PUBLIC_URL is unset.
    const siteOrigin = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    res.status(201).json(await deps.webhooks.create(requireAuth(req).account, liveFileId, req.body, siteOrigin));
  });
  router.patch('/live-files/:liveFileId/webhooks/:hookId', async (req, res) => {
    const { liveFileId, hookId } = WebhookParams.parse(req.params);
    res.json({ webhook: await deps.webhooks.update(requireAuth(req).account, liveFileId, hookId, req.body) });
  });
  router.delete('/live-files/:liveFileId/webhooks/:hookId', async (req, res) => {
    const { liveFileId, hookId } = WebhookParams.parse(req.params);
    await deps.webhooks.remove(requireAuth(req).account, liveFileId, hookId);
    res.status(204).end();
  });
  return router;
}
