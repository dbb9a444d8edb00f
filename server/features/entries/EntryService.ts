import * as Y from 'yjs';
import { CreateEntryRequest, UpdateEntryMetaRequest } from '../../../shared/schemas/entry.js';
import type { EntryView } from '../../../shared/schemas/entry.js';
import { entryDocName, fileDocName } from '../../../shared/collab/docName.js';
import { addEntryToDesk } from '../../../shared/collab/deskDoc.js';
import { EntryStatus } from '../../../shared/workflow.js';
import { conflict, forbidden, notFound } from '../../errors.js';
import type { DomainEvents } from '../../events.js';
import { newId } from '../../ids.js';
import type { AccountRecord, EntryRecord, Store } from '../../store/Store.js';
import type { CollabService } from '../../collab/CollabService.js';
import { assertCanSeeLiveFile, canSeeEntry, entryDocAccess } from '../access.js';
import { presentEntry } from './presentEntry.js';
import { readPlainText, writeParagraphs } from './entryText.js';

/** Collab is handed in late (it needs the hook below), hence the getter. */
export function createEntryService(deps: { store: Store; events: DomainEvents; collab: () => CollabService }) {
  const { store, events } = deps;

  async function present(entries: EntryRecord[]): Promise<EntryView[]> {
    const names = new Map<string, string>();
    for (const id of new Set(entries.flatMap((e) => [e.authorId, ...e.contributorIds]))) {
      names.set(id, (await store.accounts.findById(id))?.displayName ?? 'Former colleague');
    }
    return entries.map((e) => presentEntry(e, (id) => names.get(id) ?? 'Former colleague'));
  }

  async function list(account: AccountRecord, liveFileId: string): Promise<EntryRecord[]> {
    assertCanSeeLiveFile(account, await store.liveFiles.findById(liveFileId));
    const all = await store.entries.listByLiveFile(liveFileId);
    return all.filter((e) => canSeeEntry(account, e));
  }

  async function get(account: AccountRecord, entryId: string): Promise<EntryRecord> {
    const entry = await store.entries.findById(entryId);
    if (!entry || !canSeeEntry(account, entry)) throw notFound('Entry');
    return entry;
  }

  async function create(account: AccountRecord, liveFileId: string, input: unknown) {
    const req = CreateEntryRequest.parse(input);
    const file = assertCanSeeLiveFile(account, await store.liveFiles.findById(liveFileId));
    if (file.status !== 'live') throw conflict('This live file has ended; it takes no new entries.');
    const now = new Date().toISOString();
    const text = req.text ?? '';
    const { entry, created } = await store.entries.createOnce({
      id: newId(),
      liveFileId,
      newsroomId: file.newsroomId,
      authorId: account.id,
      status: EntryStatus.Draft,
      preview: previewOf(text),
      ...(req.headline ? { headline: req.headline } : {}),
      bylines: [account.displayName],
      contributorIds: [account.id],
      idempotencyKey: req.idempotencyKey,
      createdAt: now,
      updatedAt: now,
    });
    if (created) {
      const collab = deps.collab();
      if (text) await collab.change(entryDocName(entry.id), (doc) => writeParagraphs(doc, text));
      await collab.change(fileDocName(liveFileId), (doc) => addEntryToDesk(doc, entry.id, { label: req.headline ?? '' }));
      events.emit('entry:created', entry);
    }
    return { entry, created };
  }

  async function updateMeta(account: AccountRecord, entryId: string, input: unknown): Promise<EntryRecord> {
    const req = UpdateEntryMetaRequest.parse(input);
    // Same rule as the text: a correspondent's entry belongs to the desk once submitted.
    if (entryDocAccess(account, await get(account, entryId)) !== 'write') throw forbidden('This entry is with the desk now; ask an editor to change it.');
    const updated = await store.entries.updateMeta(entryId, {
      ...(req.headline !== undefined ? { headline: req.headline ?? '' } : {}),
      ...(req.bylines ? { bylines: req.bylines } : {}),
      updatedAt: new Date().toISOString(),
    });
    if (!updated) throw notFound('Entry');
    events.emit('entry:updated', updated);
    return updated;
  }

  /** Collab hook: who edited, and the text as it now reads. */
  async function recordEdit(entryId: string, accountIds: string[], doc: Y.Doc): Promise<void> {
    const preview = readPlainText(doc);
    const current = await store.entries.findById(entryId);
    if (!current) return;
    const newcomers = accountIds.filter((id) => !current.contributorIds.includes(id));
    // Formatting, or typing past the preview's 500 characters, changes nothing the desk lists:
    // no writes, no broadcast.
    if (newcomers.length === 0 && current.preview === preview) return;
    if (newcomers.length > 0) await store.entries.addContributors(entryId, newcomers);
    const updated = await store.entries.updateMeta(entryId, { preview, updatedAt: new Date().toISOString() });
    if (updated) events.emit('entry:updated', updated);
  }

  return { list, get, create, updateMeta, recordEdit, present };
}
export type EntryService = ReturnType<typeof createEntryService>;

/** The preview a new entry's text will have once it is a document: same rules as edits. */
function previewOf(text: string): string {
  const doc = new Y.Doc();
  writeParagraphs(doc, text);
  return readPlainText(doc);
}
