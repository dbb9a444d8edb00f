// A client's update on its way into a SharedDoc: declared roots, owned client ids, dependencies.
// Refused whole (nothing applied), held aside until its dependencies arrive, or applied.
import { CollabClose } from '../../shared/collab/closeCodes.js';
import type { RootKind } from '../../shared/collab/docRoots.js';
import { checkUpdateV1, type DecodedUpdate } from './checkUpdate.js';
import type { ClientOwners } from './ClientOwners.js';
import { HeldUpdates, type HeldLimits } from './HeldUpdates.js';
import { clientIdsWritten, findForeignRoot, lacksDependencies } from './vetUpdate.js';
import type { DocPeer, Rejection } from './SharedDoc.js';

/** What the intake needs of its document. */
export interface IntakeTarget {
  readonly ready: boolean;
  readonly failed: boolean;
  readonly peers: ReadonlySet<DocPeer>;
  /** The document's clock for one client (Y.getState). */
  clockOf(client: number): number;
  whenSettled(): Promise<void>;
  /** Applies an update whose dependencies are present and whose ids are claimed: a Rejection if the doc refuses it. */
  applyVetted(peer: DocPeer, update: Uint8Array, accountId: string): Rejection | null;
}

export type IntakeResult = Rejection | null | Promise<Rejection | null>;

const reject = (close: Rejection['close'], why: string): Rejection => ({ close, why });

export class ClientUpdateIntake {
  private readonly held: HeldUpdates<DocPeer>;
  private retrying = false;

  constructor(
    private readonly doc: IntakeTarget,
    private readonly roots: Readonly<Record<string, RootKind>>,
    private readonly owners: ClientOwners,
    heldLimits: HeldLimits,
  ) {
    this.held = new HeldUpdates(heldLimits, (peer) => peer.close(CollabClose.PendingOverflow, 'held update: its dependencies never arrived'));
  }

  /**
   * Throws ProtocolError for an undecodable update. A Rejection when the sender must be closed;
   * a Promise when a client-id claim is stored first (the connection handles nothing else meanwhile).
   */
  receive(peer: DocPeer, update: Uint8Array, accountId: string): IntakeResult {
    const decoded = checkUpdateV1(update); // V1 only: V2 or garbage fails here, before it touches the doc
    const foreignRoot = findForeignRoot(decoded, this.roots);
    if (foreignRoot) return reject(CollabClose.MalformedMessage, foreignRoot);
    if (lacksDependencies(decoded, this.known)) {
      // Refused at once if it writes under someone else's id; claimed only once it applies, so an
      // orphan that never does leaves nothing in the store.
      const taken = this.owners.takenFrom(clientIdsWritten(decoded, this.known), accountId);
      if (taken !== undefined) return reject(CollabClose.MalformedMessage, `structs under client id ${taken}, which another account owns`);
      if (this.held.hold(peer, { update, decoded, accountId })) return null;
      return reject(CollabClose.PendingOverflow, 'too many held updates waiting for their dependencies');
    }
    return this.admit(peer, update, decoded, accountId);
  }

  /** The document changed: held updates whose dependencies have now arrived are admitted. */
  retryHeld(): void {
    if (this.retrying || this.held.size === 0) return;
    this.retrying = true;
    try {
      for (;;) {
        const next = this.held.takeReady((h) => !lacksDependencies(h.decoded, this.known));
        if (!next || !this.doc.ready) break;
        const { peer, held } = next;
        const settle = (rejection: Rejection | null) => rejection && peer.close(rejection.close, rejection.why);
        const result = this.admit(peer, held.update, held.decoded, held.accountId);
        if (result instanceof Promise) result.then(settle, () => peer.close(CollabClose.Internal, 'claim failed'));
        else settle(result);
      }
    } finally {
      this.retrying = false;
    }
  }

  /** The peer left: what it had held goes with it. */
  forget(peer: DocPeer): void {
    this.held.drop(peer);
  }

  /** The document reloaded or failed: held updates were vetted against the old copy; their senders resend. */
  clear(): void {
    this.held.clear();
  }

  private readonly known = (client: number): number => this.doc.clockOf(client);

  /** Its dependencies are here: claim the client ids it writes under (durably), then apply. */
  private admit(peer: DocPeer, update: Uint8Array, decoded: DecodedUpdate, accountId: string): IntakeResult {
    const written = clientIdsWritten(decoded, this.known);
    const taken = this.owners.takenFrom(written, accountId);
    if (taken !== undefined) return reject(CollabClose.MalformedMessage, `structs under client id ${taken}, which another account owns`);
    if (this.owners.unclaimed(written).length === 0) return this.apply(peer, update, accountId);
    return this.owners.claim(written, accountId).then(async (mine) => {
      if (!mine) return reject(CollabClose.MalformedMessage, 'structs under a client id another account claimed first');
      await this.doc.whenSettled();
      if (this.doc.failed || !this.doc.peers.has(peer)) return null; // that peer was closed meanwhile
      return this.apply(peer, update, accountId);
    });
  }

  private apply(peer: DocPeer, update: Uint8Array, accountId: string): Rejection | null {
    const rejection = this.doc.applyVetted(peer, update, accountId);
    if (!rejection) this.retryHeld();
    return rejection;
  }
}
