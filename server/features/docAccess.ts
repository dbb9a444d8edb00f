import { parseDocName, type DocRef } from '../../shared/collab/docName.js';
import type { AccountRecord, AccountRepo } from '../store/ports/accounts.js';
import type { EntryRepo } from '../store/ports/entries.js';
import type { LiveFileRepo } from '../store/ports/liveFiles.js';
import { entryDocAccess, liveFileDocAccess, type DocAccess } from './access.js';

export type DocAccessOrMissing = DocAccess | 'missing';

/**
 * What an account may do with a collab document, read from the store as it is now: the collab
 * upgrade asks it, and so does every re-check of an open connection (access.ts holds the rules).
 */
export function createDocAccessResolver(deps: { accounts: Pick<AccountRepo, 'findById'>; liveFiles: Pick<LiveFileRepo, 'findById'>; entries: Pick<EntryRepo, 'findById'> }) {
  async function forAccount(account: AccountRecord, ref: DocRef): Promise<DocAccessOrMissing> {
    if (!account.active) return 'none';
    if (ref.kind === 'file') {
      const file = await deps.liveFiles.findById(ref.id);
      return file ? liveFileDocAccess(account, file) : 'missing';
    }
    const entry = await deps.entries.findById(ref.id);
    if (!entry) return 'missing';
    // Someone else's entry in another newsroom is indistinguishable from a missing one.
    if (entry.newsroomId !== account.newsroomId) return 'missing';
    const file = await deps.liveFiles.findById(entry.liveFileId);
    return file ? entryDocAccess(account, entry, file) : 'missing';
  }

  /** For an open connection: the account is read afresh (its role or activity may have changed). */
  async function forAccountId(accountId: string, docName: string): Promise<DocAccessOrMissing> {
    const ref = parseDocName(docName);
    const account = await deps.accounts.findById(accountId);
    if (!ref) return 'missing';
    return account ? forAccount(account, ref) : 'none';
  }

  return { forAccount, forAccountId };
}
export type DocAccessResolver = ReturnType<typeof createDocAccessResolver>;
