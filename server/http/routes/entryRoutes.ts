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
  // The author writes her filing again (the phone's "Edit and resubmit").
  router.put('/entries/:entryId/content', async (req, res) => {
    const { entryId } = EntryParams.parse(req.params);
    const entry = await deps.entries.replaceContent(requireAuth(req).account, entryId, req.body);
    const [view] = await deps.entries.present([entry]);
    res.json(view);
  });

  // A correspondent's filings across live files, newest first (the phone's "My filings").
  router.get('/me/filings', async (req, res) => {
    const rows = await deps.entries.filings(requireAuth(req).account);
    const views = await deps.entries.present(rows.map((r) => r.entry));
    res.json({ filings: rows.map((r, i) => ({ entry: views[i], liveFile: r.liveFile })) });
  });
  return router;
}
