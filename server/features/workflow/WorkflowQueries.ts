import { stringify } from 'csv-stringify/sync';
import { entryDocName } from '../../../shared/collab/docName.js';
import { decide, Permission } from '../../../shared/permissions.js';
import type { AuditView, EntryHistory, QueueItem } from '../../../shared/schemas/workflow.js';
import { forbidden, notFound } from '../../errors.js';
import type { AccountRecord, AccountRepo } from '../../store/ports/accounts.js';
import type { AuditRecord, AuditRepo } from '../../store/ports/audit.js';
import type { EntryRepo } from '../../store/ports/entries.js';
import type { LiveFileRecord, LiveFileRepo } from '../../store/ports/liveFiles.js';
import type { PublishingRepo } from '../../store/ports/publishing.js';
import { canSeeLiveFile } from '../access.js';
import type { EntryDocs } from '../entries/EntryDocs.js';
import type { EntryService } from '../entries/EntryService.js';
import { renderStoredEntry } from '../publishing/photoSources.js';
import type { MediaService } from '../media/MediaService.js';
import { fileFacts } from './fileFacts.js';

/** What the desk reads of the workflow: the approval queue, an entry's history, the audit export. */
export function createWorkflowQueries(deps: {
  entries: Pick<EntryRepo, 'listByStatus'>;
  liveFiles: Pick<LiveFileRepo, 'findById'>;
  accounts: Pick<AccountRepo, 'findById'>;
  audit: AuditRepo;
  publishing: Pick<PublishingRepo, 'findReaderEntry' | 'publicationsOf'>;
  entryDocs: Pick<EntryDocs, 'read'>;
  entryService: Pick<EntryService, 'settle' | 'present' | 'get'>;
  media: Pick<MediaService, 'lookup'>;
}) {
  const { entries, liveFiles, accounts, audit, publishing, entryDocs, entryService } = deps;

  /**
   * Submitted and scheduled entries of every file the chief may act in, oldest waiting first. Each is settled
   * first, so the revision shown is the revision of the wording shown.
   */
  async function queue(actor: AccountRecord): Promise<QueueItem[]> {
    const files = new Map<string, LiveFileRecord | null>();
    const items: QueueItem[] = [];
    const waitingOnes = [...(await entries.listByStatus('submitted', actor.newsroomId)), ...(await entries.listByStatus('scheduled', actor.newsroomId))];
    for (const waiting of waitingOnes) {
      if (!files.has(waiting.liveFileId)) files.set(waiting.liveFileId, await liveFiles.findById(waiting.liveFileId));
      const file = files.get(waiting.liveFileId);
      if (!file || !canSeeLiveFile(actor, file)) continue;
      if (!decide(Permission.Publish, actor, { ...fileFacts(file), fourEyes: false }, { status: 'submitted', authorId: '', contributorIds: [] }).allowed) continue;
      // A scheduled entry shows the wording approved for its time; a submitted one its wording now.
      const entry = waiting.status === 'scheduled' ? waiting : ((await entryService.settle(waiting.id)) ?? waiting);
      if (entry.status !== waiting.status) continue;
      let rendered: { text: string; html: string };
      if (entry.status === 'scheduled' && entry.scheduled) {
        rendered = { text: entry.scheduled.text, html: entry.scheduled.html };
      } else {
        rendered = await renderStoredEntry(deps.media, await entryDocs.read(entryDocName(entry.id)));
      }
      const published = entry.publishedRevision !== undefined ? await publishing.findReaderEntry(entry.id) : null;
      const [view] = await entryService.present([entry]);
      items.push({
        entry: view,
        liveFile: { id: file.id, title: file.title, slug: file.slug, fourEyes: file.fourEyes === true },
        publishedText: published ? published.text : null,
        currentText: rendered.text,
        currentHtml: rendered.html,
      });
    }
    const waitingSince = (i: QueueItem) => i.entry.lastAction?.at ?? i.entry.updatedAt;
    return items.sort((a, b) => (waitingSince(a) < waitingSince(b) ? -1 : waitingSince(a) > waitingSince(b) ? 1 : 0));
  }

  async function history(actor: AccountRecord, entryId: string): Promise<EntryHistory> {
    const entry = await entryService.get(actor, entryId);
    const [trail, publications] = await Promise.all([audit.listByEntry(entry.id), publishing.publicationsOf(entry.id)]);
    const names = new Map<string, string>();
    for (const p of publications) {
      const id = p.publication?.approverId;
      if (id && !names.has(id)) names.set(id, (await accounts.findById(id))?.displayName ?? 'Former colleague');
    }
    return {
      audit: trail.map(presentAudit),
      publications: publications.map((p) => ({
        seq: p.seq,
        kind: p.kind,
        revision: p.publication?.revision ?? p.entry.revision,
        at: p.at,
        html: p.publication?.html ?? p.entry.html,
        text: p.publication?.text ?? p.entry.text,
        approverName: names.get(p.publication?.approverId ?? '') ?? 'Former colleague',
      })),
    };
  }

  async function auditOf(actor: AccountRecord, liveFileId: string): Promise<{ file: LiveFileRecord; records: AuditView[] }> {
    const file = await liveFiles.findById(liveFileId);
    if (!file || !canSeeLiveFile(actor, file)) throw notFound('Live file');
    const decision = decide(Permission.AuditRead, actor, fileFacts(file));
    if (!decision.allowed) throw forbidden('Only the desk reads the audit log.');
    return { file, records: (await audit.listByLiveFile(file.id)).map(presentAudit) };
  }

  async function auditCsv(actor: AccountRecord, liveFileId: string): Promise<{ file: LiveFileRecord; csv: string }> {
    const { file, records } = await auditOf(actor, liveFileId);
    const rows = records.map((r) => [r.at, r.entryId, r.action, r.from, r.to, r.actorName, r.actorId, r.note ?? '', r.revision, r.version].map(neutralize));
    const csv = stringify([['at', 'entryId', 'action', 'from', 'to', 'actor', 'actorId', 'note', 'revision', 'version'], ...rows]);
    return { file, csv };
  }

  return { queue, history, auditOf, auditCsv };
}
export type WorkflowQueries = ReturnType<typeof createWorkflowQueries>;

function presentAudit(r: AuditRecord): AuditView {
  return {
    at: r.at, action: r.action, actorId: r.actorId, actorName: r.actorName, from: r.from, to: r.to,
    ...(r.note !== undefined ? { note: r.note } : {}), revision: r.revision, version: r.version, entryId: r.entryId,
  };
}

/** A spreadsheet runs a cell starting with = + - @ as a formula: such text is prefixed with '. */
function neutralize(value: string | number): string | number {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
