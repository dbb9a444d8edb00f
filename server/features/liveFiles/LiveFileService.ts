import { CreateLiveFileRequest } from '../../../shared/schemas/liveFile.js';
import type { LiveFileView } from '../../../shared/schemas/liveFile.js';
import type { DomainEvents } from '../../events.js';
import { newId } from '../../ids.js';
import type { AccountRecord, LiveFileRecord, Store } from '../../store/Store.js';
import { assertCanSeeLiveFile, assertDeskRole } from '../access.js';
import { presentLiveFile } from './presentLiveFile.js';
import { slugify } from './slugify.js';

export function createLiveFileService(deps: { store: Store; events: DomainEvents }) {
  const { store, events } = deps;

  async function view(file: LiveFileRecord): Promise<LiveFileView> {
    return presentLiveFile(file, await store.entries.countByLiveFile(file.id));
  }

  async function list(account: AccountRecord): Promise<LiveFileView[]> {
    const files = await store.liveFiles.list(account.newsroomId);
    return Promise.all(files.map(view));
  }

  async function get(account: AccountRecord, liveFileId: string): Promise<LiveFileRecord> {
    return assertCanSeeLiveFile(account, await store.liveFiles.findById(liveFileId));
  }

  async function uniqueSlug(newsroomId: string, title: string): Promise<string> {
    const base = slugify(title);
    for (let n = 1; ; n++) {
      const slug = n === 1 ? base : `${base}-${n}`;
      if (!(await store.liveFiles.findBySlug(newsroomId, slug))) return slug;
    }
  }

  async function create(account: AccountRecord, input: unknown): Promise<LiveFileRecord> {
    assertDeskRole(account, 'open a live file');
    const req = CreateLiveFileRequest.parse(input);
    const now = new Date().toISOString();
    const file = await store.liveFiles.create({
      id: newId(),
      newsroomId: account.newsroomId,
      slug: await uniqueSlug(account.newsroomId, req.title),
      title: req.title,
      status: 'live',
      timezone: req.timezone,
      createdBy: account.id,
      createdAt: now,
      updatedAt: now,
    });
    events.emit('liveFile:created', file);
    return file;
  }

  return { list, get, create, view };
}
export type LiveFileService = ReturnType<typeof createLiveFileService>;
