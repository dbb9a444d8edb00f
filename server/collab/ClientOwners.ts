// Which account introduced each Yjs client id of one document. Structs under an id another account
// owns are refused: otherwise a writer could extend (or contradict) an editor's own history and
// leave joiners with a document the editors do not have.
import type { DocRepo } from '../store/Store.js';
import type { ClientIdRegistry } from './AwarenessStore.js';

/** The owner recorded for structs the server itself writes (CollabService.change). */
export const SERVER_ACCOUNT = '@server';

/** Announced-only ids remembered per loaded doc. */
const MAX_ANNOUNCED = 4096;

export class ClientOwners implements ClientIdRegistry {
  /** Stored owners plus claims being written (a claim is visible at once, so no two accounts race). */
  private readonly claimed: Map<number, string>;
  /**
   * Ids shown in presence before any struct: held for their account in memory while the doc is
   * loaded, also after the connection drops (a phone that lost signal comes back with the same id
   * and its unsent edits). Not stored: a record per announced id would let anyone grow the store by
   * reconnecting; bounded, oldest first out.
   */
  private readonly announced = new Map<number, string>();

  constructor(
    private readonly docs: DocRepo,
    private readonly docName: string,
    stored: Map<number, string>,
  ) {
    this.claimed = new Map(stored);
  }

  ownerOf(clientId: number): string | undefined {
    return this.claimed.get(clientId) ?? this.announced.get(clientId);
  }

  /** The first of `clientIds` some other account owns (or shows in presence), if any. */
  takenFrom(clientIds: number[], accountId: string): number | undefined {
    return clientIds.find((id) => {
      const owner = this.ownerOf(id);
      return owner !== undefined && owner !== accountId;
    });
  }

  /** Ids without a stored owner: writing under them needs a claim first. */
  unclaimed(clientIds: number[]): number[] {
    return clientIds.filter((id) => !this.claimed.has(id));
  }

  announce(clientId: number, accountId: string): void {
    if (this.ownerOf(clientId)) return;
    this.announced.set(clientId, accountId);
    if (this.announced.size > MAX_ANNOUNCED) this.announced.delete(this.announced.keys().next().value as number);
  }

  /**
   * Claims unclaimed ids for `accountId`, durably; call it only for structs about to be applied.
   * False when another account's claim came first (the stored owner is then remembered). A
   * failed write forgets the claims and rethrows.
   */
  async claim(clientIds: number[], accountId: string): Promise<boolean> {
    const fresh = this.unclaimed(clientIds);
    for (const id of fresh) this.claimed.set(id, accountId);
    let stored: Map<number, string>;
    try {
      stored = await this.docs.claimClientIds(this.docName, fresh, accountId);
    } catch (err) {
      for (const id of fresh) if (this.claimed.get(id) === accountId) this.claimed.delete(id);
      throw err;
    }
    for (const [id, owner] of stored) this.claimed.set(id, owner);
    for (const id of fresh) this.announced.delete(id);
    return clientIds.every((id) => this.claimed.get(id) === accountId);
  }
}
