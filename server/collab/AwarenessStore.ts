// Presence for one doc. Lighter than y-protocols' Awareness: no timers, no deep compare,
// and it enforces identity: `user` comes from the session and client IDs have owners.
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import type { CollabIdentity } from './CollabService.js';

/** A connection as presence sees it. */
export interface AwarenessPeer {
  identity: CollabIdentity;
  /** Client IDs this connection announced first; bounded by MAX_OWNED_CLIENT_IDS. */
  ownedClientIds: Set<number>;
  /** Set once its first presence message has been seen (the stock client sends its own state alone first). */
  presenceSeen?: boolean;
}

/** A tab has one client ID; a few allow a doc re-created without reconnecting. */
export const MAX_OWNED_CLIENT_IDS = 4;

/** The document's client-id owners (ClientOwners), so presence and structs agree on who is who. */
export interface ClientIdRegistry {
  ownerOf(clientId: number): string | undefined;
  /** A connection's own id, from its first presence message: nobody else may write under it. */
  announce(clientId: number, accountId: string): void;
}

interface Entry {
  clock: number;
  /** JSON of the state, null when removed. */
  json: string;
}

export class AwarenessStore {
  private readonly states = new Map<number, Entry>();
  private readonly owners = new Map<number, AwarenessPeer>();

  /** Without a registry (unit tests), presence alone decides who owns an id. */
  constructor(private readonly registry?: ClientIdRegistry) {}

  get size(): number {
    return this.states.size;
  }

  /** Filters and rewrites a client's awareness update; returns what to broadcast, or null. */
  apply(peer: AwarenessPeer, update: Uint8Array): Uint8Array | null {
    const dec = decoding.createDecoder(update);
    const count = decoding.readVarUint(dec);
    const incoming: Array<[number, number, string]> = [];
    // Decode it all first: a truncated update must change nothing.
    for (let i = 0; i < count; i++) {
      incoming.push([decoding.readVarUint(dec), decoding.readVarUint(dec), decoding.readVarString(dec)]);
    }
    if (decoding.hasContent(dec)) throw new Error('trailing bytes in awareness update');
    // The stock client's first presence message carries its own id alone (later ones may relay
    // others' states it heard, so only this one says whose id it is).
    const ownId = !peer.presenceSeen && incoming.length === 1 && incoming[0][2] !== 'null' ? incoming[0][0] : undefined;
    peer.presenceSeen = true;
    const out: Array<[number, number, string]> = [];
    for (const [clientId, clock, raw] of incoming) {
      // y-protocols' rule: only a newer clock, or the same clock removing a live state, changes
      // anything. Stock clients relay every awareness update they receive, so echoes are common:
      // they must neither be re-broadcast nor claim someone else's client ID.
      const prev = this.states.get(clientId);
      const removesLive = raw === 'null' && prev !== undefined && prev.json !== 'null';
      if (prev && (prev.clock > clock || (prev.clock === clock && !removesLive))) continue;
      if (!this.claim(peer, clientId)) continue;
      if (clientId === ownId) this.registry?.announce(clientId, peer.identity.accountId);
      const json = raw === 'null' ? 'null' : rewriteUser(raw, peer.identity);
      this.states.set(clientId, { clock, json });
      out.push([clientId, clock, json]);
    }
    return out.length ? encodeEntries(out) : null;
  }

  /** Drops the peer's states; returns the removal update to broadcast, or null. */
  removePeer(peer: AwarenessPeer): Uint8Array | null {
    const out: Array<[number, number, string]> = [];
    for (const clientId of peer.ownedClientIds) {
      if (this.owners.get(clientId) !== peer) continue;
      this.owners.delete(clientId);
      const prev = this.states.get(clientId);
      this.states.delete(clientId);
      // Same clock with a null state: receivers remove it (y-protocols' rule).
      if (prev) out.push([clientId, prev.clock, 'null']);
    }
    peer.ownedClientIds.clear();
    return out.length ? encodeEntries(out) : null;
  }

  /** Every known state: for a joiner and for query-awareness. */
  encodeAll(): Uint8Array | null {
    const out: Array<[number, number, string]> = [];
    for (const [clientId, e] of this.states) if (e.json !== 'null') out.push([clientId, e.clock, e.json]);
    return out.length ? encodeEntries(out) : null;
  }

  private claim(peer: AwarenessPeer, clientId: number): boolean {
    if (peer.ownedClientIds.has(clientId)) return true;
    const owner = this.owners.get(clientId);
    // A reconnecting tab may beat the close of its old socket: same account may take over.
    if (owner && owner.identity.accountId !== peer.identity.accountId) return false;
    // An id whose structs (or an earlier announcement) belong to another account is not theirs to show.
    const docOwner = this.registry?.ownerOf(clientId);
    if (docOwner !== undefined && docOwner !== peer.identity.accountId) return false;
    if (peer.ownedClientIds.size >= MAX_OWNED_CLIENT_IDS) return false;
    owner?.ownedClientIds.delete(clientId);
    this.owners.set(clientId, peer);
    peer.ownedClientIds.add(clientId);
    return true;
  }
}

function rewriteUser(raw: string, identity: CollabIdentity): string {
  let state: unknown;
  try {
    state = JSON.parse(raw);
  } catch {
    state = {};
  }
  const obj = state !== null && typeof state === 'object' && !Array.isArray(state) ? (state as Record<string, unknown>) : {};
  obj.user = { name: identity.displayName, color: identity.color, accountId: identity.accountId };
  return JSON.stringify(obj);
}

function encodeEntries(entries: Array<[number, number, string]>): Uint8Array {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, entries.length);
  for (const [clientId, clock, json] of entries) {
    encoding.writeVarUint(enc, clientId);
    encoding.writeVarUint(enc, clock);
    encoding.writeVarString(enc, json);
  }
  return encoding.toUint8Array(enc);
}
