import { Router } from 'express';
import { EntryParams } from '../../../shared/schemas/entry.js';
import type { EntryService } from '../../features/entries/EntryService.js';
import { requireAuth } from '../authenticate.js';

export function entryRoutes(deps: { entries: EntryService }): Router {
  const router = Router();

  router.get('/entries/:entryId', async (req, res) => {
    const { entryId } = EntryParams.parse(req.params);
    const [view] = await deps.entries.present([await deps.entries.get(requireAuth(req).account, entryId)]);
    res.json(view);
  });

  router.patch('/entries/:entryId', async (req, res) => {
    const { entryId } = EntryParams.parse(req.params);
    const entry = await deps.entries.updateMeta(requireAuth(req).account, entryId, req.body);
    const [view] = await deps.entries.present([entry]);
    res.json(view);
  });
  return router;
}
