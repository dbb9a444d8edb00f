import { afterEach, beforeEach, describe } from 'vitest';
import type { Store } from '../../server/store/Store.js';
import { accountActivityCases, accountAndSessionCases } from './cases/accountsAndSessions.js';
import { rateLimitCases } from './cases/rateLimits.js';
import { inviteCases } from './cases/invites.js';
import { liveFileCases } from './cases/liveFiles.js';
import { entryCases } from './cases/entries.js';
import { docCases } from './cases/docs.js';
import { clientOwnerCases } from './cases/clientOwners.js';
import { unicodeAndDurabilityCases } from './cases/unicodeAndDurability.js';
import { workflowEntryCases } from './cases/workflowEntries.js';
import { publishingCases } from './cases/publishing.js';
import { auditCases } from './cases/audit.js';
import { idempotencyCases } from './cases/idempotency.js';
import { mediaCases } from './cases/media.js';
import { feedEntryCases } from './cases/feedEntries.js';
import { webhookCases } from './cases/webhooks.js';

/** What each case module gets: the open store, and a way to close and reopen the same data. */
export interface ContractContext {
  store(): Store;
  /** Closes the current store and opens the same storage again (same dir / same database). */
  reopen(): Promise<Store>;
}

/**
 * One suite, every adapter. `open` gives a store over fresh, empty storage each time;
 * `reopen` opens the storage behind a closed store again.
 */
export function registerStoreContractTests(
  adapterName: string,
  open: () => Promise<Store>,
  reopen: (closed: Store) => Promise<Store>,
): void {
  describe(`store contract: ${adapterName}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(() => store.close());

    const ctx: ContractContext = {
      store: () => store,
      async reopen() {
        await store.close();
        store = await reopen(store);
        return store;
      },
    };
    describe('accounts and sessions', () => accountAndSessionCases(ctx));
    describe('account activity', () => accountActivityCases(ctx));
    describe('rate limits', () => rateLimitCases(ctx));
    describe('invites', () => inviteCases(ctx));
    describe('live files', () => liveFileCases(ctx));
    describe('entries', () => entryCases(ctx));
    describe('docs', () => docCases(ctx));
    describe('document client-id owners', () => clientOwnerCases(ctx));
    describe('unicode and durability', () => unicodeAndDurabilityCases(ctx));
    describe('workflow entries', () => workflowEntryCases(ctx));
    describe('publishing', () => publishingCases(ctx));
    describe('audit', () => auditCases(ctx));
    describe('idempotency', () => idempotencyCases(ctx));
    describe('media', () => mediaCases(ctx));
    describe('feed entries', () => feedEntryCases(ctx));
    describe('webhooks', () => webhookCases(ctx));
  });
}
