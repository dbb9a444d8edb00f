import { randomBytes, randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { entryDocName, fileDocName } from '../../shared/collab/docName.js';
import { addEntryToDesk, setKeyEvent, setPinned } from '../../shared/collab/deskDoc.js';
import { Role } from '../../shared/roles.js';
import type { CollabService } from '../collab/CollabService.js';
import type { AccountService } from '../features/accounts/AccountService.js';
import { writeParagraphs, readPlainText } from '../features/entries/entryText.js';
import { newId } from '../ids.js';
import type { AccountRecord, Store } from '../store/Store.js';
import { DEMO_ENTRIES, DEMO_FILE } from './demoContent.js';
import type { WorkflowService } from '../features/workflow/WorkflowService.js';
import { contentHash, renderEntry } from '../features/publishing/renderEntry.js';

export interface DemoLogin {
  username: string;
  password: string;
  role: string;
  displayName: string;
}

const DEMO_ACCOUNTS = [
  { username: 'correspondent', displayName: 'Dana Sadykova', role: Role.Correspondent },
  { username: 'editor', displayName: 'Arman Nurlanov', role: Role.Editor },
  { username: 'editor2', displayName: 'Aizhan Bekova', role: Role.Editor },
  { username: 'chief', displayName: 'Timur Ospanov', role: Role.Chief },
  { username: 'admin', displayName: 'Admin', role: Role.Admin },
] as const;

/** Creates the demo newsroom on an empty store; returns the logins to print once, or null if not empty. */
export async function seedDemo(deps: { store: Store; accounts: AccountService; collab: CollabService; workflow: WorkflowService }): Promise<DemoLogin[] | null> {
  const { store } = deps;
  if ((await store.accounts.count()) > 0) return null;
  const newsroomId = newId();
  const logins: DemoLogin[] = [];
  const byName = new Map<string, AccountRecord>();
  for (const a of DEMO_ACCOUNTS) {
    const password = randomBytes(9).toString('base64url');
    byName.set(a.username, await deps.accounts.createAccount({ newsroomId, ...a, password }));
    logins.push({ ...a, password });
  }

  const now = Date.now();
  const editor = byName.get('editor')!;
  const file = await store.liveFiles.create({
    id: newId(), newsroomId, slug: 'almaty-floods', title: DEMO_FILE.title, status: 'live',
    timezone: DEMO_FILE.timezone, createdBy: editor.id,
    createdAt: new Date(now - 200 * 60_000).toISOString(), updatedAt: new Date(now).toISOString(),
  });

  const chief = byName.get('chief')!;
  for (const demo of DEMO_ENTRIES) {
    const author = byName.get(demo.author)!;
    const at = new Date(now - demo.minutesAgo * 60_000).toISOString();
    const text = new Y.Doc();
    writeParagraphs(text, demo.text);
    const bylines = [author.displayName];
    const { entry } = await store.entries.createOnce({
      id: newId(), liveFileId: file.id, newsroomId, authorId: author.id, status: 'draft',
      preview: readPlainText(text), ...(demo.headline ? { headline: demo.headline } : {}),
      bylines, contributorIds: [author.id], idempotencyKey: randomUUID(),
      revision: 1, revisionHash: contentHash(renderEntry(text), demo.headline ?? '', bylines),
      createdAt: at, updatedAt: at,
    });
    await deps.collab.change(entryDocName(entry.id), (doc) => writeParagraphs(doc, demo.text));
    await deps.collab.change(fileDocName(file.id), (doc) => {
      addEntryToDesk(doc, entry.id, { label: demo.headline ?? '' });
      if (demo.pinned) setPinned(doc, entry.id, true);
      if (demo.keyEvent) setKeyEvent(doc, entry.id, true);
    });
    // Through the real workflow, so the public API serves the demo's published entries.
    if (demo.status === 'submitted' || demo.status === 'published') await deps.workflow.transition(author, entry.id, 'submit', { version: 0 });
    if (demo.status === 'published') await deps.workflow.transition(chief, entry.id, 'publish', { version: 1 });
  }
  return logins;
}
