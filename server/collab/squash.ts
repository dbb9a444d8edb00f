// History squash for heavy entry documents: when a big entry's history (deleted runs every replica
// must keep) dwarfs its text, the idle document is replaced by a new lineage holding only the
// current content, so new clients sync in milliseconds, not seconds (docs/protocol.md, "Big
// documents"). Devices still holding the old lineage are recognised by their state vector; what
// they wrote late is merged block by block (blockMerge.ts), never lost.
import * as Y from 'yjs';
import { ENTRY_FRAGMENT } from '../../shared/editor/schema.js';
import { planBlockMerge } from './blockMerge.js';

/** A lineage's retired state is stored as its own doc in the DocRepo under this name. */
export const retiredDocName = (docName: string, lineage: number) => `${docName}#lineage-${lineage}`;

/** Root map of an entry doc that records the lineages it replaced; written by the server only. */
export const LINEAGE_MAP = 'lineage';
interface RetiredLineage {
  lineage: number;
  clients: number[];
}

/** The lineages this doc replaced, newest last (kept in the doc itself, so it travels with it). */
function retiredLineages(doc: Y.Doc): RetiredLineage[] {
  return (doc.getMap(LINEAGE_MAP).get('retired') as RetiredLineage[] | undefined) ?? [];
}

/** Client id → the retired lineage it wrote in. */
export function retiredClientIndex(doc: Y.Doc): Map<number, number> {
  const index = new Map<number, number>();
  for (const r of retiredLineages(doc)) for (const c of r.clients) index.set(c, r.lineage);
  return index;
}

/** The retired lineage a client's state vector belongs to, or null for a client of this one. */
export function lineageOfStateVector(index: ReadonlyMap<number, number>, stateVector: Uint8Array): number | null {
  if (index.size === 0) return null;
  let found: number | null = null;
  for (const client of Y.decodeStateVector(stateVector).keys()) {
    const lineage = index.get(client);
    if (lineage !== undefined) found = Math.max(found ?? lineage, lineage);
  }
  return found;
}

/**
 * The squashed form of `doc` when its history makes up most of it: a fresh doc with the same
 * blocks (cloned, formatting included) and the lineage record extended; null when not worth it.
 */
export function squashIfHeavy(doc: Y.Doc, fullState: Uint8Array, minBytes: number): { state: Uint8Array; lineage: number } | null {
  if (minBytes <= 0 || fullState.byteLength < minBytes) return null;
  const fresh = new Y.Doc();
  const blocks = doc.getXmlFragment(ENTRY_FRAGMENT).toArray()
    .map((node) => node.clone())
    .filter((node): node is Y.XmlElement | Y.XmlText => !(node instanceof Y.XmlHook));
  const retired = retiredLineages(doc);
  const lineage = (retired.at(-1)?.lineage ?? 0) + 1;
  fresh.transact(() => {
    fresh.getXmlFragment(ENTRY_FRAGMENT).insert(0, blocks);
    const clients = [...Y.decodeStateVector(Y.encodeStateVectorFromUpdate(fullState)).keys()];
    fresh.getMap(LINEAGE_MAP).set('retired', [...retired, { lineage, clients }]);
  });
  const state = Y.encodeStateAsUpdate(fresh);
  fresh.destroy();
  // History under three quarters of the whole: keep the doc as it is (merges stay letter-precise).
  return state.byteLength * 4 <= fullState.byteLength ? { state, lineage } : null;
}

const blockStrings = (doc: Y.Doc) => doc.getXmlFragment(ENTRY_FRAGMENT).toArray().map((n) => n.toString());

/**
 * Applies a late client's update to its retired lineage (`retired`, updated in place) and plans
 * what it changed as a merge into the live doc's blocks. Everything that can fail happens here;
 * `mutate` (null when no block changed) only inserts clones and deletes, inside the live doc's
 * transaction. `gained`: the retired lineage learnt something (store the update with it).
 */
export function transplant(retired: Y.Doc, update: Uint8Array, liveClients: ReadonlySet<number>): { gained: boolean; mutate: ((live: Y.Doc) => void) | null; mixed: boolean } {
  // Structs of the live lineage mean the device's copy got mixed (e.g. from another tab): merging
  // them into the retired lineage would bring the live text back a second time. Refuse.
  for (const client of Y.decodeStateVector(Y.encodeStateVectorFromUpdate(update)).keys()) {
    if (liveClients.has(client)) return { gained: false, mutate: null, mixed: true };
  }
  const base = blockStrings(retired);
  let gained = false;
  const onUpdate = () => (gained = true);
  retired.on('update', onUpdate);
  try {
    Y.applyUpdate(retired, update);
  } finally {
    retired.off('update', onUpdate);
  }
  const ours = blockStrings(retired);
  if (!gained || (ours.length === base.length && ours.every((b, i) => b === base[i]))) return { gained, mutate: null, mixed: false };
  const oursBlocks = retired.getXmlFragment(ENTRY_FRAGMENT).toArray();
  const mutate = (live: Y.Doc) => {
    const fragment = live.getXmlFragment(ENTRY_FRAGMENT);
    const { deletes, inserts } = planBlockMerge(base, ours, blockStrings(live));
    const clone = (i: number) => {
      const node = oursBlocks[i];
      if (!node || node instanceof Y.XmlHook) throw new Error('not an entry block');
      return node.clone();
    };
    const byAnchor = new Map<number, Array<Y.XmlElement | Y.XmlText>>();
    for (const i of inserts) byAnchor.set(i.after, [...(byAnchor.get(i.after) ?? []), clone(i.ours)]);
    // From the bottom up, so every index still means what it meant in the plan.
    for (let k = fragment.length - 1; k >= -1; k--) {
      const here = byAnchor.get(k);
      if (here) fragment.insert(k + 1, here);
      if (k >= 0 && deletes.has(k)) fragment.delete(k, 1);
    }
  };
  return { gained, mutate, mixed: false };
}
