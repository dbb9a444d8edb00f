import { Router } from 'express';
import { LiveFileParams } from '../../../shared/schemas/liveFile.js';
import type { LiveFileService } from '../../features/liveFiles/LiveFileService.js';
import type { EntryService } from '../../features/entries/EntryService.js';
import { requireAuth } from '../authenticate.js';

export function liveFileRoutes(deps: { liveFiles: LiveFileService; entries: EntryService }): Router {
  const router = Router();

  router.get('/live-files', async (req, res) => {
    res.json({ liveFiles: await deps.liveFiles.list(requireAuth(req).account) });
  });

  router.post('/live-files', async (req, res) => {
    const file = await deps.liveFiles.create(requireAuth(req).account, req.body);
    res.status(201).json(deps.liveFiles.viewNew(file));
  });

  router.get('/live-files/:liveFileId', async (req, res) => {
    const { account } = requireAuth(req);
    const { liveFileId } = LiveFileParams.parse(req.params);
    const file = await deps.liveFiles.get(account, liveFileId);
    const entries = await deps.entries.list(account, liveFileId);
    res.json({ liveFile: await deps.liveFiles.view(account, file), entries: await deps.entries.present(entries) });
  });

  router.post('/live-files/:liveFileId/entries', async (req, res) => {
    const { account } = requireAuth(req);
    const { liveFileId } = LiveFileParams.parse(req.params);
    const { entry, created } = await deps.entries.create(account, liveFileId, req.body);
    const [view] = await deps.entries.present([entry]);
    res.status(created ? 201 : 200).json(view);
  });
  return router;
}
