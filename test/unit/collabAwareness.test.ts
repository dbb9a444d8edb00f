import { describe, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import { encodePresence as update } from '../support/presence.js';
import { AwarenessStore, MAX_OWNED_CLIENT_IDS, type AwarenessPeer } from '../../server/collab/AwarenessStore.js';

function peer(accountId: string): AwarenessPeer {
  return { identity: { accountId, sessionId: `s-${accountId}`, sessionExpiresAt: '2999-01-01T00:00:00.000Z', displayName: `N ${accountId}`, color: '#abc', role: 'editor' }, ownedClientIds: new Set() };
}


function decode(u: Uint8Array | null): Array<[number, number, unknown]> {
  if (!u) return [];
  const dec = decoding.createDecoder(u);
  const n = decoding.readVarUint(dec);
  return Array.from({ length: n }, () => [decoding.readVarUint(dec), decoding.readVarUint(dec), JSON.parse(decoding.readVarString(dec))]);
}

describe('collab awareness store', () => {
  it('[CO10] rewrites user from the identity and keeps the rest', () => {
    const store = new AwarenessStore();
    const out = decode(store.apply(peer('a1'), update([[10, 1, { user: { name: 'Boss' }, cursor: { anchor: 1 } }]])));
    expect(out).toEqual([[10, 1, { user: { name: 'N a1', color: '#abc', accountId: 'a1' }, cursor: { anchor: 1 } }]]);
  });

  it('[CO10] another account cannot write a client ID it does not own; ownership is bounded', () => {
    const store = new AwarenessStore();
    const a = peer('a1');
    store.apply(a, update([[10, 1, {}]]));
    expect(store.apply(peer('b2'), update([[10, 2, {}]]))).toBeNull();
    const many = Array.from({ length: MAX_OWNED_CLIENT_IDS + 3 }, (_, i): [number, number, unknown] => [100 + i, 1, {}]);
    expect(decode(store.apply(a, update(many)))).toHaveLength(MAX_OWNED_CLIENT_IDS - 1);
  });

  it('[CO10] a truncated update changes nothing', () => {
    const store = new AwarenessStore();
    const full = update([[10, 1, {}], [11, 1, {}]]);
    expect(() => store.apply(peer('a1'), full.subarray(0, full.length - 2))).toThrow();
    expect(store.size).toBe(0);
  });

  it('[CO11] removing a peer yields a null state at the same clock', () => {
    const store = new AwarenessStore();
    const a = peer('a1');
    store.apply(a, update([[10, 4, { x: 1 }]]));
    expect(decode(store.removePeer(a))).toEqual([[10, 4, null]]);
    expect(store.encodeAll()).toBeNull();
  });

  it('[CO22] echoes of a known state (same clock) are dropped and claim nothing', () => {
    const store = new AwarenessStore();
    const tabA = peer('a1');
    const tabB = peer('a1'); // a second tab of the same account relays A's state back
    expect(store.apply(tabA, update([[10, 3, { cursor: 1 }]]))).not.toBeNull();
    expect(store.apply(tabB, update([[10, 3, { cursor: 1 }]]))).toBeNull();
    expect(tabB.ownedClientIds.has(10)).toBe(false);
    expect(store.apply(tabA, update([[10, 3, null]]))).not.toBeNull(); // same clock removing is a change
    expect(store.apply(tabA, update([[10, 4, { cursor: 2 }]]))).not.toBeNull();
  });
});
