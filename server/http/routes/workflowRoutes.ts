import { Router } from 'express';
import { EntryParams } from '../../../shared/schemas/entry.js';
import { LiveFileParams } from '../../../shared/schemas/liveFile.js';
import { IdempotencyKeyHeader, WorkflowActionParam } from '../../../shared/schemas/workflow.js';
import { WORKFLOW_ACTIONS } from '../../../shared/workflow.js';
import type { WorkflowService } from '../../features/workflow/WorkflowService.js';
import type { WorkflowQueries } from '../../features/workflow/WorkflowQueries.js';
import type { LiveFileService } from '../../features/liveFiles/LiveFileService.js';
import { requireAuth } from '../authenticate.js';

/** The workflow over HTTP: thin, every decision is the workflow service's (WF1–WF13). */
export function workflowRoutes(deps: { workflow: WorkflowService; workflowQueries: WorkflowQueries; liveFiles: LiveFileService }): Router {
  const router = Router();

  router.post('/entries/:entryId/:action', async (req, res, next) => {
    // Not one of the five actions: no such route (404), not a bad request.
    if (!(WORKFLOW_ACTIONS as readonly string[]).includes(req.params.action)) return next();
    const { account } = requireAuth(req);
    const { entryId, action } = WorkflowActionParam.parse(req.params);
    const rawKey = req.get('Idempotency-Key');
    const key = rawKey === undefined ? undefined : IdempotencyKeyHeader.parse(rawKey);
    res.json(await deps.workflow.transition(account, entryId, action, req.body, key));
  });

  router.get('/queue', async (req, res) => {
    res.json({ items: await deps.workflowQueries.queue(requireAuth(req).account) });
  });

  router.get('/entries/:entryId/history', async (req, res) => {
    const { entryId } = EntryParams.parse(req.params);
    res.json(await deps.workflowQueries.history(requireAuth(req).account, entryId));
  });

  router.get('/live-files/:liveFileId/audit.json', async (req, res) => {
    const { liveFileId } = LiveFileParams.parse(req.params);
    const { file, records } = await deps.workflowQueries.auditOf(requireAuth(req).account, liveFileId);
    res.attachment(`${file.slug}-audit.json`).json({ liveFile: { id: file.id, slug: file.slug, title: file.title }, audit: records });
  });

  router.get('/live-files/:liveFileId/audit.csv', async (req, res) => {
    const { liveFileId } = LiveFileParams.parse(req.params);
    const { file, csv } = await deps.workflowQueries.auditCsv(requireAuth(req).account, liveFileId);
    res.attachment(`${file.slug}-audit.csv`).type('text/csv; charset=utf-8').send(csv);
  });

  router.patch('/live-files/:liveFileId/lifecycle', async (req, res) => {
    const { account } = requireAuth(req);
    const { liveFileId } = LiveFileParams.parse(req.params);
    const file = await deps.liveFiles.setLifecycle(account, liveFileId, req.body);
    res.json(await deps.liveFiles.view(account, file));
  });

  router.get('/newsroom/people', async (req, res) => {
    res.json({ people: await deps.liveFiles.people(requireAuth(req).account) });
  });

  router.patch('/live-files/:liveFileId/access', async (req, res) => {
    const { account } = requireAuth(req);
    const { liveFileId } = LiveFileParams.parse(req.params);
    const file = await deps.liveFiles.setAccess(account, liveFileId, req.body);
    res.json(await deps.liveFiles.view(account, file));
  });
  return router;
}
