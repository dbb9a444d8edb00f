import type { Logger } from 'pino';
import type { DocRepo } from '../store/Store.js';

/** `<doc>#lineage-<n>`: a document's history retired by the history squash of earlier builds. */
const RETIRED_LINEAGE = /#lineage-\d+$/;

/**
 * Start-up housekeeping for stores written by earlier builds: their retired lineages are deleted
 * (nothing reads them any more). A leftover `lineage` root map inside a document is simply ignored.
 */
export async function removeRetiredLineages(docs: DocRepo, logger: Logger): Promise<number> {
  const retired = (await docs.listNames()).filter((name) => RETIRED_LINEAGE.test(name));
  for (const name of retired) await docs.delete(name);
  if (retired.length > 0) logger.info({ count: retired.length }, 'collab: deleted retired lineages left by an earlier build');
  return retired.length;
}
