// Which account introduced each Yjs client id of one document. Structs under an id another account
// owns are refused: otherwise a writer could extend (or contradict) an editor's own history and
// leave joiners with a document the editors do not have.
import type { DocRepo } from '../store/Store.js';

/** The owner recorded for structs the server itself writes (CollabService.change). */
export const SERVER_ACCOUNT = '@server';

export class ClientOwners {
  /** Stored owners plus claims being written (a claim is visible at once, so no two accounts race). */
  private readonly owners: Map<number, string>;

  constructor(
    private readonly docs: DocRepo,
    private readonly docName: string,
    stored: Map<number, string>,
  ) {
    this.owners = new Map(stored);
  }

  ownerOf(clientId: number): string | undefined {
    return this.owners.get(clientId);
  }

  /** The first of `clientIds` some other account owns, if any. */
  takenFrom(clientIds: number[], accountId: string): number | undefined {
    return clientIds.find((id) => {
      const owner = this.owners.get(id);
      return owner !== undefined && owner !== accountId;
    });
  }

  unowned(clientIds: number[]): number[] {
    return clientIds.filter((id) => !this.owners.has(id));
  }

  /** An id first seen in presence: claimed for its account in the background (ClientIdRegistry). */
  announce(clientId: number, accountId: string): void {
    if (this.owners.has(clientId)) return;
    this.claim([clientId], accountId).catch(() => undefined); // the claim is forgotten; structs claim it again
  }

  /**
   * Claims unowned ids for `accountId`, durably. False when another process's claim came first
   * (the stored owner is then remembered). A failed write forgets the claims and rethrows.
   */
  async claim(clientIds: number[], accountId: string): Promise<boolean> {
    const fresh = this.unowned(clientIds);
    for (const id of fresh) this.owners.set(id, accountId);
    let stored: Map<number, string>;
    try {
      stored = await this.docs.claimClientIds(this.docName, fresh, accountId);
    } catch (err) {
      for (const id of fresh) if (this.owners.get(id) === accountId) this.owners.delete(id);
      throw err;
    }
    for (const [id, owner] of stored) this.owners.set(id, owner);
    return clientIds.every((id) => this.owners.get(id) === accountId);
  }
}
