import type { EntryView } from '../../shared/schemas/entry.js';
import type { WorkflowAction } from '../../shared/workflow.js';
import type { TestServer } from './startTestServer.js';

/**
 * `who` (a demo username) takes `action` on the entry at its current version, through the
 * workflow service: for tests that need an entry in some state, not the ones testing transitions.
 */
export async function act(server: Pick<TestServer, 'server' | 'store'>, who: string, entryId: string, action: WorkflowAction, extra: Record<string, unknown> = {}): Promise<EntryView> {
  const actor = await server.store.accounts.findByUsername(who);
  const entry = await server.store.entries.findById(entryId);
  if (!actor || !entry) throw new Error(`no ${actor ? 'entry ' + entryId : 'account ' + who}`);
  const defaults: Record<string, unknown> = action === 'reject' ? { note: 'Please check the facts.' } : action === 'retract' ? { reason: 'Withdrawn.' } : {};
  return server.server.services.workflow.transition(actor, entryId, action, { version: entry.version, ...defaults, ...extra });
}
