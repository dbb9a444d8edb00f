import { CreateLiveFileRequest, LifecycleRequest, LIFECYCLE_MOVES } from '../../../shared/schemas/liveFile.js';
import { LiveFileAccessRequest } from '../../../shared/schemas/workflow.js';
import { decide, Permission } from '../../../shared/permissions.js';
import { conflict, forbidden, invalidInput, notFound } from '../../errors.js';
import { fileFacts } from '../workflow/fileFacts.js';
import type { LiveFileView } from '../../../shared/schemas/liveFile.js';
import type { DomainEvents } from '../../events.js';
import { newId } from '../../ids.js';
import type { AccountRecord, AccountRepo } from '../../store/ports/accounts.js';
import type { EntryRepo, EntrySummary } from '../../store/ports/entries.js';
import type { LiveFileRecord, LiveFileRepo } from '../../store/ports/liveFiles.js';
import { assertCanSeeLiveFile, assertDeskRole, canSeeEntry, canSeeLiveFile, liveFileRowAudiences } from '../access.js';
import { presentLiveFile } from './presentLiveFile.js';
import { slugify } from './slugify.js';

/** A row as the desk sees it ('desk': every entry), or as one account does (canSeeEntry). */
export type RowViewer = AccountRecord | 'desk';

/** Entries only to count them, and date the row, for the file list; accounts to know an author's role. */
export function createLiveFileService(deps: {
  liveFiles: LiveFileRepo;
  entries: Pick<EntryRepo, 'summariesByLiveFile'>;
  accounts: Pick<AccountRepo, 'findById' | 'list'>;
  events: DomainEvents;
}) {
  const { liveFiles, entries, accounts, events } = deps;

  const visibleTo = (viewer: RowViewer, all: EntrySummary[]) => (viewer === 'desk' ? all : all.filter((e) => canSeeEntry(viewer, e)));

  /** The file's row as `viewer` sees it: her entry count and "updated" time. */
  async function view(viewer: RowViewer, file: LiveFileRecord): Promise<LiveFileView> {
    return presentLiveFile(file, visibleTo(viewer, await entries.summariesByLiveFile(file.id)));
  }

  /** A file just created: nothing in it to count, the same row for everyone. */
  function viewNew(file: LiveFileRecord): LiveFileView {
    return presentLiveFile(file, []);
  }

  async function list(account: AccountRecord): Promise<LiveFileView[]> {
    const files = (await liveFiles.list(account.newsroomId)).filter((f) => canSeeLiveFile(account, f));
    return Promise.all(files.map((f) => view(account, f)));
  }

  /**
   * The rows to send once a file changed: one for the desk, and one for each account not at the
   * desk whose row moved (`authorIds`: the authors of the entries that changed; 'everyone': the file
   * itself changed), each with its rooms (access.ts decides).
   */
  async function rowsAfterChange(liveFileId: string, whose: Iterable<string> | 'everyone'): Promise<Array<{ rooms: string[]; except: string[]; view: LiveFileView }>> {
    const file = await liveFiles.findById(liveFileId);
    if (!file) return [];
    const all = await entries.summariesByLiveFile(file.id);
    if (file.members) {
      // Restricted: one row per named member, as she sees it.
      const members = await Promise.all(file.members.map((id) => accounts.findById(id)));
      return members.flatMap((p) => liveFileRowAudiences(file, p)).map(({ rooms, except, viewer }) => ({ rooms, except, view: presentLiveFile(file, visibleTo(viewer, all)) }));
    }
    const people = whose === 'everyone'
      ? await accounts.list(file.newsroomId)
      : await Promise.all([...new Set(whose)].map((id) => accounts.findById(id)));
    const audiences = [...liveFileRowAudiences(file, null), ...people.flatMap((p) => liveFileRowAudiences(file, p).filter((a) => a.viewer !== 'desk'))];
    return audiences.map(({ rooms, except, viewer }) => ({ rooms, except, view: presentLiveFile(file, visibleTo(viewer, all)) }));
  }

  async function get(account: AccountRecord, liveFileId: string): Promise<LiveFileRecord> {
    return assertCanSeeLiveFile(account, await liveFiles.findById(liveFileId));
  }

  async function uniqueSlug(newsroomId: string, title: string): Promise<string> {
    const base = slugify(title);
    for (let n = 1; ; n++) {
      const slug = n === 1 ? base : `${base}-${n}`;
      // Unique across newsrooms too: the public page is /live/<slug>.
      if (!(await liveFiles.findBySlug(newsroomId, slug)) && !(await liveFiles.findByPublicSlug(slug))) return slug;
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
      status: req.coverageStartsAt && Date.parse(req.coverageStartsAt) > Date.now() ? 'scheduled' : 'live',
      ...(req.coverageStartsAt ? { coverageStartsAt: new Date(req.coverageStartsAt).toISOString() } : {}),
      timezone: req.timezone,
      createdBy: account.id,
      createdAt: now,
      updatedAt: now,
    });
    events.emit('liveFile:created', file);
    return file;
  }

  /**
   * A chief restricts the file to named members (null: the whole newsroom again) or turns
   * four-eyes on or off. She stays a member of what she restricts. Open connections are
   * re-checked at once ('liveFile:accessChanged').
   */
  async function setAccess(account: AccountRecord, liveFileId: string, input: unknown): Promise<LiveFileRecord> {
    const req = LiveFileAccessRequest.parse(input);
    const file = await get(account, liveFileId);
    const decision = decide(Permission.FileManage, account, fileFacts(file));
    if (!decision.allowed) throw forbidden(decision.message);
    let members = req.members === undefined ? undefined : req.members === null ? null : [...new Set([account.id, ...req.members])];
    if (members) {
      const people = await Promise.all(members.map((id) => accounts.findById(id)));
      if (people.some((p) => !p || p.newsroomId !== file.newsroomId)) throw invalidInput('Every member must be a person of this newsroom.');
      members = members.sort();
    }
    const updated = await liveFiles.update(file.id, {
      ...(members !== undefined ? { members } : {}),
      ...(req.fourEyes !== undefined ? { fourEyes: req.fourEyes } : {}),
      updatedAt: new Date().toISOString(),
    });
    if (!updated) throw notFound('Live file');
    events.emit('liveFile:accessChanged', { before: file, after: updated });
    events.emit('liveFile:updated', updated);
    return updated;
  }

  /** Who a chief can name as members: the newsroom's active people. */
  async function people(account: AccountRecord): Promise<Array<{ id: string; displayName: string; role: AccountRecord['role'] }>> {
    const all = await accounts.list(account.newsroomId);
    return all.filter((p) => p.active).map((p) => ({ id: p.id, displayName: p.displayName, role: p.role }));
  }

  /**
   * Moves the file along its life (LIFECYCLE_MOVES): chiefs and admins. Ending it closes its
   * readers' live connections (they keep the page); 'liveFile:lifecycle' tells the edges.
   */
  async function setLifecycle(account: AccountRecord, liveFileId: string, input: unknown): Promise<LiveFileRecord> {
    const req = LifecycleRequest.parse(input);
    const file = await get(account, liveFileId);
    const decision = decide(Permission.FileManage, account, fileFacts(file));
    if (!decision.allowed) throw forbidden('Only chiefs and admins start, end or archive a live file.');
    if (req.status !== file.status && !LIFECYCLE_MOVES[file.status].includes(req.status)) {
      throw conflict(`A live file that is ${file.status} cannot become ${req.status}.`);
    }
    const now = new Date().toISOString();
    const updated = await liveFiles.update(file.id, {
      status: req.status,
      ...(req.coverageStartsAt ? { coverageStartsAt: new Date(req.coverageStartsAt).toISOString() } : {}),
      ...(req.status === 'ended' && file.status !== 'ended' ? { endedAt: now } : {}),
      updatedAt: now,
    });
    if (!updated) throw notFound('Live file');
    if (updated.status !== file.status) events.emit('liveFile:lifecycle', { before: file, after: updated });
    events.emit('liveFile:updated', updated);
    return updated;
  }

  return { list, get, create, view, viewNew, rowsAfterChange, setAccess, setLifecycle, people };
}
export type LiveFileService = ReturnType<typeof createLiveFileService>;
