import { z } from 'zod';
import { Id } from '../../shared/schemas/ids.js';
import { IdempotencyKeyHeader } from '../../shared/schemas/workflow.js';
import { WORKFLOW_ACTIONS } from '../../shared/workflow.js';
import type { LiveFileService } from '../features/liveFiles/LiveFileService.js';
import type { WorkflowService } from '../features/workflow/WorkflowService.js';
import type { WorkflowQueries } from '../features/workflow/WorkflowQueries.js';
import type { Logger } from '../logger.js';
import { onCommand, type LdSocket } from './onCommand.js';
import { syncRooms } from './socketRooms.js';

const TransitionCommand = z.strictObject({
  entryId: Id,
  action: z.enum(WORKFLOW_ACTIONS),
  /** The same body as `POST /api/entries/:entryId/<action>`; the workflow parses it. */
  body: z.unknown(),
  idempotencyKey: IdempotencyKeyHeader.optional(),
});

/** The workflow over Socket.IO: the same service, the same table, the same errors as HTTP. */
export function registerWorkflowHandlers(
  socket: LdSocket,
  deps: { logger: Logger; workflow: WorkflowService; workflowQueries: WorkflowQueries; liveFiles: LiveFileService },
): void {
  onCommand(socket, deps.logger, 'entry:transition', TransitionCommand, ({ entryId, action, body, idempotencyKey }) =>
    deps.workflow.transition(socket.data.auth.account, entryId, action, body, idempotencyKey),
  );

  // The approval queue: watch every file this account may see, so each submission arrives live.
  onCommand(socket, deps.logger, 'queue:watch', z.strictObject({}), async () => {
    const { account } = socket.data.auth;
    for (const row of await deps.liveFiles.list(account)) {
      socket.data.watching.set(row.id, await deps.liveFiles.get(account, row.id));
    }
    syncRooms(socket);
    return { items: await deps.workflowQueries.queue(socket.data.auth.account) };
  });
}
