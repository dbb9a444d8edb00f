import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ContractContext } from '../storeContract.js';
import { buildAccount, buildEntry, buildLiveFile, buildSession, bytesOf } from '../builders.js';
import { rebuild, textOf, typeInSteps } from './yjsHelpers.js';

const RU = 'Митинг на площади Абая';
const KK = 'Алматыда су тасқыны: құтқарушылар жұмыс істеп жатыр';
const AR = 'تظاهرات في الساحة الرئيسية';
const EMOJI = '👩🏽‍💻 🇰🇿 🔥';
const COMBINING = 'e\u0301 vs \u00e9, и\u0306 vs й'; // decomposed and precomposed must both survive unnormalised
const SAMPLES = { RU, KK, AR, EMOJI, COMBINING };

export function unicodeAndDurabilityCases({ store, reopen }: ContractContext): void {
  it.each(Object.entries(SAMPLES))('[ST8] %s round-trips byte-exact in titles, previews, headlines, bylines', async (_, text) => {
    const file = await store().liveFiles.create(buildLiveFile({ title: text }));
    const { entry } = await store().entries.createOnce(buildEntry({ preview: text, headline: text, bylines: [text, KK] }));
    const account = await store().accounts.create(buildAccount({ displayName: text }));
    const [storedFile, storedEntry, storedAccount] = await Promise.all([
      store().liveFiles.findById(file.id),
      store().entries.findById(entry.id),
      store().accounts.findById(account.id),
    ]);
    expect(bytesOf(storedFile!.title).equals(bytesOf(text))).toBe(true);
    expect(bytesOf(storedEntry!.preview).equals(bytesOf(text))).toBe(true);
    expect(bytesOf(storedEntry!.headline!).equals(bytesOf(text))).toBe(true);
    expect(storedEntry!.bylines.map((b) => bytesOf(b).toString('hex'))).toEqual([text, KK].map((b) => bytesOf(b).toString('hex')));
    expect(bytesOf(storedAccount!.displayName).equals(bytesOf(text))).toBe(true);
  });

  it('[ST8] multilingual text inside Yjs updates and snapshots round-trips byte-exact', async () => {
    const steps = [RU, '\n', KK, '\n', AR, ' ', EMOJI, ' ', COMBINING];
    const { doc, updates } = typeInSteps(steps);
    // The first half goes into a snapshot, the rest stays in the log.
    for (const update of updates.slice(0, 4)) await store().docs.append('entry:uni', update);
    const firstHalf = await store().docs.load('entry:uni');
    const snapshot = Y.encodeStateAsUpdate(rebuild(firstHalf));
    await store().docs.compact('entry:uni', snapshot, firstHalf.updates.map((u) => u.id));
    for (const update of updates.slice(4)) await store().docs.append('entry:uni', update);
    const text = textOf(rebuild(await store().docs.load('entry:uni')));
    expect(bytesOf(text).equals(bytesOf(steps.join('')))).toBe(true);
    expect(text).toBe(textOf(doc));
  });

  it('[ST9] data survives close and reopen', async () => {
    const account = await store().accounts.create(buildAccount({ displayName: KK }));
    const session = buildSession(account.id);
    await store().sessions.create(session);
    const file = await store().liveFiles.create(buildLiveFile({ title: AR }));
    await store().liveFiles.bumpSeq(file.id);
    const key = randomUUID();
    const { entry } = await store().entries.createOnce(buildEntry({ liveFileId: file.id, idempotencyKey: key, preview: RU }));
    const { doc, updates } = typeInSteps([RU, ' ', EMOJI]);
    for (const update of updates) await store().docs.append('entry:durable', update);

    await reopen();

    expect(await store().accounts.findByUsername(account.username)).toEqual(account);
    expect(await store().sessions.findById(session.id)).toEqual(session);
    expect(await store().liveFiles.findById(file.id)).toEqual({ ...file, seq: 1 });
    expect(await store().entries.findById(entry.id)).toEqual(entry);
    // Indexes still hold after a reopen: the key repeats, the username is still taken.
    expect(await store().entries.createOnce(buildEntry({ liveFileId: file.id, idempotencyKey: key }))).toEqual({ entry, created: false });
    await expect(store().accounts.create(buildAccount({ username: account.username.toUpperCase() }))).rejects.toThrow();
    expect(await store().liveFiles.bumpSeq(file.id)).toBe(2);
    expect(textOf(rebuild(await store().docs.load('entry:durable')))).toBe(textOf(doc));
  });
}
