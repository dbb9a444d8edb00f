import { CreateLiveFileRequest } from '../../../shared/schemas/liveFile.js';
import type { LiveFileView } from '../../../shared/schemas/liveFile.js';
import type { DomainEvents } from '../../events.js';
import { newId } from '../../ids.js';
import type { AccountRecord } from '../../store/ports/accounts.js';
import type { EntryRepo } from '../../store/ports/entries.js';
import type { LiveFileRecord, LiveFileRepo } from '../../store/ports/liveFiles.js';
import { assertCanSeeLiveFile, assertDeskRole } from '../access.js';
import { presentLiveFile } from './presentLiveFile.js';
import { slugify } from './slugify.js';

/** Entries only to count them for the file list. */
export function createLiveFileService(deps: { liveFiles: LiveFileRepo; entries: Pick<EntryRepo, 'countByLiveFile'>; events: DomainEvents }) {
  const { liveFiles, entries, events } = deps;

  async function view(file: LiveFileRecord): Promise<LiveFileView> {
    return presentLiveFile(file, await entries.countByLiveFile(file.id));
  }

  async function list(account: AccountRecord): Promise<LiveFileView[]> {
    const files = await liveFiles.list(account.newsroomId);
    return Promise.all(files.map(view));
  }

  async function get(account: AccountRecord, liveFileId: string): Promise<LiveFileRecord> {
    return assertCanSeeLiveFile(account, await liveFiles.findById(liveFileId));
  }

  async function uniqueSlug(newsroomId: string, title: string): Promise<string> {
    const base = slugify(title);
    for (let n = 1; ; n++) {
      const slug = n === 1 ? base : `${base}-${n}`;
      if (!(await liveFiles.findBySlug(newsroomId, slug))) return slug;
    }
  }

  async function create(account: AccountRecord, input: unknown): Promise<LiveFileRecord> {
    assertDeskRole(account, 'open a live file');
    const req = CreateLiveFileRequest.parse(input);
    const now = new Date().toISOString();
    const file = await liveFiles.create({
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
