// Connections that hold a retired lineage of their doc (it was squashed while they were away;
// squash.ts). They get the retired lineage's state vector as sync step 1, so their step 2 is
// exactly what they never sent; that is merged into the live doc block by block, stored with the
// retired lineage (so a resend merges nothing twice), and then they are told to reload (message
// 101). They never receive the live doc's frames: its structs would mean nothing to them.
import * as Y from 'yjs';
import type { Logger } from 'pino';
import type { DocRepo } from '../store/Store.js';
import { CollabClose } from '../../shared/collab/closeCodes.js';
import { checkUpdateV1 } from './checkUpdate.js';
import { loadDoc } from './loadDoc.js';
import { SyncType, writeLineageReset, writeSync } from './protocol.js';
import { lineageOfStateVector, retiredClientIndex, retiredDocName, transplant } from './squash.js';
import type { DocPeer } from './SharedDoc.js';

export interface LateLineageHost {
  readonly name: string;
  /** The live doc (a reload replaces it). */
  currentDoc(): Y.Doc;
  /** Runs fn inside a server change of the live doc: durable and broadcast when it resolves. */
  applyServerChange(fn: (doc: Y.Doc) => void, origin: object): Promise<void>;
  noteContributor(accountId: string): void;
}

interface Late {
  lineage: number;
  work: Promise<void>;
  told: boolean;
}

export class LateLineages {
  private readonly late = new Map<DocPeer, Late>();
  private readonly retired = new Map<number, Promise<Y.Doc | null>>();
  private index: Map<number, number>;

  constructor(
    private readonly host: LateLineageHost,
    private readonly docs: DocRepo,
    private readonly logger: Logger,
  ) {
    this.index = retiredClientIndex(host.currentDoc());
  }

  /** The doc was replaced (a reload): its lineage record may differ. */
  reindex(): void {
    this.index = retiredClientIndex(this.host.currentDoc());
  }

  has(peer: DocPeer): boolean {
    return this.late.size > 0 && this.late.has(peer);
  }

  /** Sync step 1 from a peer: true when it holds a retired lineage (then this class serves it). */
  claim(peer: DocPeer, stateVector: Uint8Array, accountId: string): boolean {
    if (this.late.has(peer)) return true;
    const lineage = lineageOfStateVector(this.index, stateVector);
    if (lineage === null) return false;
    const entry: Late = { lineage, work: Promise.resolve(), told: false };
    this.late.set(peer, entry);
    entry.work = this.retiredDoc(lineage).then((retired) => {
      if (!retired) {
        this.logger.error({ docName: this.host.name, lineage }, 'collab: a device holds a lineage whose record is gone');
        peer.close(CollabClose.MalformedMessage, 'unknown document lineage');
        return;
      }
      this.logger.info({ docName: this.host.name, lineage, accountId }, 'collab: a device with a retired lineage reconnected');
      peer.send(writeSync(SyncType.Step1, Y.encodeStateVector(retired)));
    }).catch((err: unknown) => {
      this.logger.error({ err, docName: this.host.name, lineage }, 'collab: a retired lineage could not be read');
      peer.close(CollabClose.Internal, 'retired lineage unreadable'); // it reconnects and tries again
    });
    return true;
  }

  /**
   * An update from a peer that passed step 1 as a client of this lineage but carries structs of a
   * retired one (its copy was mixed after its step 1; e.g. from another tab): true when claimed
   * as late. Applying it would put the old lineage's text into the live doc a second time.
   */
  claimMixed(peer: DocPeer, update: Uint8Array, accountId: string): boolean {
    if (this.index.size === 0) return false;
    const stateVector = Y.encodeStateVectorFromUpdate(update);
    const lineage = lineageOfStateVector(this.index, stateVector);
    if (lineage === null) return false;
    this.logger.error({ docName: this.host.name, lineage, accountId }, 'collab: an update mixes a retired lineage into this one; serving it as late');
    return this.claim(peer, stateVector, accountId);
  }

  /** A step 2 or update from a late peer: merged in order, then the peer is told to reload. */
  receive(peer: DocPeer, update: Uint8Array, accountId: string): void {
    const entry = this.late.get(peer)!;
    checkUpdateV1(update); // throws ProtocolError → the connection closes; nothing applied
    entry.work = entry.work.then(() => this.merge(peer, entry, update, accountId)).catch((err: unknown) => {
      this.logger.error({ err, docName: this.host.name }, 'collab: merging a late lineage failed');
      peer.close(CollabClose.Internal, 'late edits could not be merged');
    });
  }

  remove(peer: DocPeer): void {
    this.late.delete(peer);
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.late.values()].map((l) => l.work));
    for (const r of this.retired.values()) void r.then((d) => d?.destroy());
    this.retired.clear();
  }

  private async merge(peer: DocPeer, entry: Late, update: Uint8Array, accountId: string): Promise<void> {
    const retired = await this.retiredDoc(entry.lineage);
    if (!retired) return;
    const liveClients = new Set(this.host.currentDoc().store.clients.keys());
    const late = transplant(retired, update, liveClients);
    if (late.mixed) {
      this.logger.error({ docName: this.host.name, lineage: entry.lineage, accountId }, 'collab: a late device holds both lineages; not merged, told to reload');
    }
    if (late.mutate) {
      // Live first, then the retired log: a crash in between can duplicate a block, never lose one.
      await this.host.applyServerChange(late.mutate, { source: 'late-lineage', accountId });
      this.host.noteContributor(accountId);
    }
    if (late.gained) await this.docs.append(retiredDocName(this.host.name, entry.lineage), update);
    if (!entry.told) {
      entry.told = true;
      peer.send(writeLineageReset());
    }
  }

  private retiredDoc(lineage: number): Promise<Y.Doc | null> {
    let doc = this.retired.get(lineage);
    if (!doc) {
      const name = retiredDocName(this.host.name, lineage);
      doc = loadDoc(this.docs, name, this.logger).then(({ doc: retired }) => {
        if (retired.store.clients.size > 0) return retired;
        retired.destroy(); // nothing stored under that name
        return null;
      });
      this.retired.set(lineage, doc);
      doc.catch(() => this.retired.delete(lineage)); // a store hiccup: the next device retries
    }
    return doc;
  }
}
