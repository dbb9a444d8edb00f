import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { pino } from 'pino';
import { removeRetiredLineages } from '../../../server/collab/removeRetiredLineages.js';
import type { ContractContext } from '../storeContract.js';
import { rebuild, textOf, typeInSteps } from './yjsHelpers.js';

const STEPS = ['Water ', 'levels ', 'are rising ', 'in the ', 'Medeu district.'];

export function docCases({ store }: ContractContext): void {
  it('[ST7] an unknown doc loads as no snapshot and no updates', async () => {
    expect(await store().docs.load('entry:nothing')).toEqual({ snapshot: null, updates: [] });
  });

  it('[ST7] append then load returns the updates in order, byte-exact, and rebuilds the text', async () => {
    const { doc, updates } = typeInSteps(STEPS);
    const ids = [];
    for (const update of updates) ids.push(await store().docs.append('entry:e1', update));
    const loaded = await store().docs.load('entry:e1');
    expect(loaded.snapshot).toBeNull();
    expect(loaded.updates.map((u) => u.id)).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    loaded.updates.forEach(({ update }, i) => {
      expect(update).toBeInstanceOf(Uint8Array);
      expect(Buffer.from(update).equals(Buffer.from(updates[i]))).toBe(true);
    });
    expect(textOf(rebuild(loaded))).toBe(textOf(doc));
  });

  it('[ST7] logs of different docs stay apart', async () => {
    const a = typeInSteps(['alpha']);
    const b = typeInSteps(['beta']);
    await store().docs.append('entry:a', a.updates[0]);
    await store().docs.append('entry:b', b.updates[0]);
    expect(textOf(rebuild(await store().docs.load('entry:a')))).toBe('alpha');
    expect(textOf(rebuild(await store().docs.load('entry:b')))).toBe('beta');
  });

  it('[ST7] compact replaces the covered updates with a snapshot; later appends follow it', async () => {
    const { doc, updates } = typeInSteps(STEPS);
    for (const update of updates) await store().docs.append('entry:e2', update);
    const before = await store().docs.load('entry:e2');
    await store().docs.compact('entry:e2', Y.encodeStateAsUpdate(doc), before.updates.map((u) => u.id));
    const after = await store().docs.load('entry:e2');
    expect(after.updates).toEqual([]);
    expect(after.snapshot).toBeInstanceOf(Uint8Array);
    expect(textOf(rebuild(after))).toBe(textOf(doc));

    const more: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => more.push(u));
    doc.getText('body').insert(0, 'UPDATE: ');
    await store().docs.append('entry:e2', more[0]);
    expect(textOf(rebuild(await store().docs.load('entry:e2')))).toBe(textOf(doc));
  });

  it('[ST7] a second compact replaces the first snapshot', async () => {
    const { doc, updates } = typeInSteps(['one ', 'two ']);
    await store().docs.compact('entry:e5', Y.encodeStateAsUpdate(new Y.Doc()), []);
    for (const update of updates) await store().docs.append('entry:e5', update);
    const ids = (await store().docs.load('entry:e5')).updates.map((u) => u.id);
    await store().docs.compact('entry:e5', Y.encodeStateAsUpdate(doc), ids);
    expect(textOf(rebuild(await store().docs.load('entry:e5')))).toBe('one two ');
  });

  it('[ST18] an earlier build\'s store: retired `#lineage-n` documents are deleted at start-up, the documents themselves left as they are', async () => {
    // What the removed history squash left behind: a live doc with a `lineage` root map, and its retired history.
    const old = typeInSteps(['history ', 'heavy ']);
    old.doc.getMap('lineage').set('retired', 1);
    await store().docs.compact('entry:sq1', Y.encodeStateAsUpdate(old.doc), []);
    for (const update of old.updates) await store().docs.append('entry:sq1#lineage-1', update);
    await store().docs.compact('file:sq-file1#lineage-2', Y.encodeStateAsUpdate(old.doc), []);
    const before = await store().docs.load('entry:sq1');
    const silent = pino({ level: 'silent' });
    expect(await removeRetiredLineages(store().docs, silent)).toBe(2);
    expect(await store().docs.listNames()).toEqual(['entry:sq1']);
    expect(await store().docs.load('entry:sq1')).toEqual(before); // the stray `lineage` root stays; collab ignores it
    expect(await store().docs.load('entry:sq1#lineage-1')).toEqual({ snapshot: null, updates: [] });
    expect(await removeRetiredLineages(store().docs, silent)).toBe(0); // the next start finds nothing
  });

  it('[ST7] a crash between snapshot write and delete still yields the same doc', async () => {
    const { doc, updates } = typeInSteps(STEPS);
    for (const update of updates) await store().docs.append('entry:e3', update);
    const ids = (await store().docs.load('entry:e3')).updates.map((u) => u.id);
    // The snapshot covers everything but only some updates were deleted before the "crash".
    await store().docs.compact('entry:e3', Y.encodeStateAsUpdate(doc), ids.slice(0, 2));
    const loaded = await store().docs.load('entry:e3');
    expect(loaded.updates.map((u) => u.id)).toEqual(ids.slice(2));
    expect(textOf(rebuild(loaded))).toBe(textOf(doc));
    // ...and none deleted at all.
    await store().docs.compact('entry:e3', Y.encodeStateAsUpdate(doc), []);
    expect(textOf(rebuild(await store().docs.load('entry:e3')))).toBe(textOf(doc));
  });

  it('[ST7] delete removes snapshot and updates of that doc only', async () => {
    const { doc, updates } = typeInSteps(STEPS);
    for (const update of updates) await store().docs.append('entry:e4', update);
    await store().docs.compact('entry:e4', Y.encodeStateAsUpdate(doc), []);
    await store().docs.append('entry:keep', updates[0]);
    await store().docs.delete('entry:e4');
    expect(await store().docs.load('entry:e4')).toEqual({ snapshot: null, updates: [] });
    expect((await store().docs.load('entry:keep')).updates).toHaveLength(1);
  });
}
