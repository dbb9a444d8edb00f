import { expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ContractContext } from '../storeContract.js';
import { typeInSteps } from './yjsHelpers.js';

/** Yjs client ids are random uint32s; these stand in for three devices. */
const PHONE = 3_141_592_653;
const LAPTOP = 27_182_818;
const TAB = 1;

export function clientOwnerCases({ store, reopen }: ContractContext): void {
  it('[ST14] a document nobody claimed in has no owners; a claim records the claimant', async () => {
    expect(await store().docs.loadClientOwners('entry:own-0001')).toEqual(new Map());
    const owners = await store().docs.claimClientIds('entry:own-0001', [PHONE, LAPTOP], 'account-a');
    expect(owners).toEqual(new Map([[PHONE, 'account-a'], [LAPTOP, 'account-a']]));
    expect(await store().docs.loadClientOwners('entry:own-0001')).toEqual(owners);
  });

  it('[ST14] the first claim of a client id wins; a later claim gets the first owner back', async () => {
    await store().docs.claimClientIds('entry:own-0002', [PHONE], 'account-a');
    const later = await store().docs.claimClientIds('entry:own-0002', [PHONE, TAB], 'account-b');
    expect(later).toEqual(new Map([[PHONE, 'account-a'], [TAB, 'account-b']]));
    expect(await store().docs.loadClientOwners('entry:own-0002')).toEqual(later);
  });

  it('[ST14] concurrent claims of one id by two accounts: exactly one owner, both callers see it', async () => {
    for (let round = 0; round < 5; round++) {
      const doc = `entry:own-race-${round}`;
      const [a, b] = await Promise.all([
        store().docs.claimClientIds(doc, [PHONE, LAPTOP], 'account-a'),
        store().docs.claimClientIds(doc, [LAPTOP, PHONE], 'account-b'),
      ]);
      expect(a).toEqual(b);
      const stored = await store().docs.loadClientOwners(doc);
      expect(stored).toEqual(a);
      for (const id of [PHONE, LAPTOP]) expect(['account-a', 'account-b']).toContain(stored.get(id));
    }
  });

  it('[ST14] owners are kept per document', async () => {
    await store().docs.claimClientIds('entry:own-0003', [PHONE], 'account-a');
    await store().docs.claimClientIds('file:own-00003', [PHONE], 'account-b');
    expect(await store().docs.loadClientOwners('entry:own-0003')).toEqual(new Map([[PHONE, 'account-a']]));
    expect(await store().docs.loadClientOwners('file:own-00003')).toEqual(new Map([[PHONE, 'account-b']]));
  });

  it('[ST15] owners survive compaction and reopening the store; the document loads as before', async () => {
    const { doc, updates } = typeInSteps(['Owned ', 'text']);
    for (const update of updates) await store().docs.append('entry:own-0004', update);
    await store().docs.claimClientIds('entry:own-0004', [doc.clientID], 'account-a');
    const ids = (await store().docs.load('entry:own-0004')).updates.map((u) => u.id);
    await store().docs.compact('entry:own-0004', Y.encodeStateAsUpdate(doc), ids);
    await store().docs.claimClientIds('entry:own-0004', [TAB], 'account-b');
    const reopened = await reopen();
    expect(await reopened.docs.loadClientOwners('entry:own-0004')).toEqual(new Map([[doc.clientID, 'account-a'], [TAB, 'account-b']]));
    expect(await reopened.docs.claimClientIds('entry:own-0004', [doc.clientID], 'account-c')).toEqual(new Map([[doc.clientID, 'account-a']]));
    const loaded = await reopened.docs.load('entry:own-0004');
    expect(loaded.updates).toEqual([]);
    expect(Buffer.from(loaded.snapshot!).equals(Buffer.from(Y.encodeStateAsUpdate(doc)))).toBe(true);
  });

  it('[ST16] delete removes the owners with the document; the ids may be claimed afresh', async () => {
    const { updates } = typeInSteps(['gone']);
    await store().docs.append('entry:own-0005', updates[0]);
    await store().docs.claimClientIds('entry:own-0005', [PHONE], 'account-a');
    await store().docs.claimClientIds('entry:own-keep', [PHONE], 'account-a');
    await store().docs.delete('entry:own-0005');
    expect(await store().docs.loadClientOwners('entry:own-0005')).toEqual(new Map());
    expect(await store().docs.claimClientIds('entry:own-0005', [PHONE], 'account-b')).toEqual(new Map([[PHONE, 'account-b']]));
    expect(await store().docs.loadClientOwners('entry:own-keep')).toEqual(new Map([[PHONE, 'account-a']]));
  });

  it('[ST17] listNames lists every stored document, and no deleted one', async () => {
    const { doc, updates } = typeInSteps(['a']);
    await store().docs.append('entry:list-0001', updates[0]);
    await store().docs.compact('file:list-00001', Y.encodeStateAsUpdate(doc), []);
    await store().docs.append('entry:sq1#lineage-1', updates[0]); // a leftover of an earlier build
    await store().docs.append('entry:list-gone', updates[0]);
    await store().docs.delete('entry:list-gone');
    expect((await store().docs.listNames()).sort()).toEqual(['entry:list-0001', 'entry:sq1#lineage-1', 'file:list-00001']);
    const reopened = await reopen();
    expect((await reopened.docs.listNames()).sort()).toEqual(['entry:list-0001', 'entry:sq1#lineage-1', 'file:list-00001']);
  });
}
