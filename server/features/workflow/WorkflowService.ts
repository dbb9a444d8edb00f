import { entryDocName, fileDocName } from '../../../shared/collab/docName.js';
import { decide, type Decision } from '../../../shared/permissions.js';
import type { EntryView } from '../../../shared/schemas/entry.js';
import { TransitionRequests, type ConflictDetails } from '../../../shared/schemas/workflow.js';
import { ActionMoves, type WorkflowAction } from '../../../shared/workflow.js';
import { conflict, forbidden, invalidInput, notFound } from '../../errors.js';
import type { DomainEvents } from '../../events.js';
import { newId } from '../../ids.js';
import type { AccountRecord, AccountRepo } from '../../store/ports/accounts.js';
import type { AuditRecord, AuditRepo } from '../../store/ports/audit.js';
import type { EntryRecord, EntryRepo, EntryTransitionPatch, PendingSteps } from '../../store/ports/entries.js';
import type { IdempotencyRepo } from '../../store/ports/idempotency.js';
import type { LiveFileRecord, LiveFileRepo } from '../../store/ports/liveFiles.js';
import type { PublicationSnapshot } from '../../store/ports/publishing.js';
import { canSeeEntry } from '../access.js';
import type { EntryDocs } from '../entries/EntryDocs.js';
import type { EntryService } from '../entries/EntryService.js';
import type { PublishingService } from '../publishing/PublishingService.js';
import { contentHash } from '../publishing/renderEntry.js';
import { renderStoredEntry } from '../publishing/photoSources.js';
import type { MediaService } from '../media/MediaService.js';
import { entryFacts, fileFacts } from './fileFacts.js';
import { createIdempotentRequests } from './idempotentRequests.js';

/** Actions that settle the entry's edits first: their wording (revision, co-writers) must be current. */
const SETTLES: ReadonlySet<WorkflowAction> = new Set(['publish', 'schedule', 'submit']);

export interface WorkflowDeps {
  entries: EntryRepo;
  liveFiles: Pick<LiveFileRepo, 'findById'>;
  accounts: Pick<AccountRepo, 'findById'>;
  audit: AuditRepo;
  idempotency: IdempotencyRepo;
  entryDocs: Pick<EntryDocs, 'read' | 'reauthorize' | 'holding'>;
  entryService: Pick<EntryService, 'settle' | 'present'>;
  publishing: Pick<PublishingService, 'record'>;
  /** Photo renditions for the published HTML. */
  media: Pick<MediaService, 'lookup'>;
  events: DomainEvents;
  /** Told of every transition, so a scheduled entry's timer is armed or dropped. */
  onTransition?: (entry: EntryRecord) => void;
}

type Body = { version: number; revision?: number; note?: string; reason?: string; publishAt?: string };

/**
 * The server-authoritative workflow (WF1–WF13): every transition is one conditional update on
 * (status, version) that also stores what the transition still owes (its audit record, what
 * readers get); those are then written idempotently and the marker cleared.
 */
export function createWorkflowService(deps: WorkflowDeps) {
  const { entries, liveFiles, accounts, audit, entryDocs, entryService, publishing, events } = deps;
  const once = createIdempotentRequests(deps.idempotency);

  async function nameOf(accountId: string | undefined): Promise<{ id: string; name: string } | undefined> {
    if (!accountId) return undefined;
    return { id: accountId, name: (await accounts.findById(accountId))?.displayName ?? 'Former colleague' };
  }

  async function view(entry: EntryRecord): Promise<EntryView> {
    const [v] = await entryService.present([entry]);
    return v;
  }

  async function refuseConflict(message: string, reason: ConflictDetails['reason'], entry: EntryRecord, byId?: string): Promise<never> {
    const by = await nameOf(byId);
    const details: ConflictDetails = { reason, entry: await view(entry), ...(by ? { by } : {}) };
    throw conflict(by ? message.replace('{by}', by.name) : message.replace('{by}', 'someone'), details);
  }

  function refuse(decision: Exclude<Decision, { allowed: true }>, entry: EntryRecord): Promise<never> {
    if (decision.refusal === 'not-a-member') throw notFound('Entry');
    if (decision.refusal === 'state') return refuseConflict(decision.message, 'wrong-state', entry, entry.lastAction?.actorId);
    throw forbidden(decision.message);
  }

  async function load(actor: AccountRecord, entryId: string): Promise<{ entry: EntryRecord; file: LiveFileRecord }> {
    const entry = await entries.findById(entryId);
    if (!entry || !canSeeEntry(actor, entry)) throw notFound('Entry');
    const file = await liveFiles.findById(entry.liveFileId);
    if (!file) throw notFound('Entry');
    return { entry, file };
  }

  /** `POST /api/entries/:entryId/<action>` and the Socket.IO `entry:transition` command. */
  function transition(actor: AccountRecord, entryId: string, action: WorkflowAction, input: unknown, idempotencyKey?: string): Promise<EntryView> {
    const body: Body = TransitionRequests[action].parse(input);
    return once(`${actor.id}:${entryId}:${action}`, idempotencyKey, body, async (claimed) => view(await run(actor, entryId, action, body, claimed)));
  }

  /** `claimed`: awaited before the first change (the request's Idempotency-Key is being claimed meanwhile). */
  async function run(actor: AccountRecord, entryId: string, action: WorkflowAction, body: Body, claimed: () => Promise<void>): Promise<EntryRecord> {
    const loaded = await load(actor, entryId);
    const docs = [
      ...(SETTLES.has(action) ? [entryDocName(loaded.entry.id)] : []),
      ...(action === 'publish' || action === 'retract' ? [fileDocName(loaded.entry.liveFileId)] : []),
    ];
    // The entry and desk documents are read several times below: loaded once, side by side.
    return docs.length ? entryDocs.holding(docs, () => decideAndMove(actor, loaded, action, body, claimed)) : decideAndMove(actor, loaded, action, body, claimed);
  }

  async function decideAndMove(actor: AccountRecord, loaded: { entry: EntryRecord; file: LiveFileRecord }, action: WorkflowAction, body: Body, claimed: () => Promise<void>): Promise<EntryRecord> {
    const { file } = loaded;
    let { entry } = loaded;
    const check = () => decide(action, actor, fileFacts(file), entryFacts(entry));
    let decision = check();
    // A role refusal stands whatever the version; a stale client is told who moved the entry
    // before it is told the state no longer fits.
    if (!decision.allowed && decision.refusal !== 'state') return refuse(decision, entry);
    if (body.version !== entry.version) {
      return refuseConflict('{by} changed this entry first; it is now ' + entry.status + '.', 'stale-version', entry, entry.lastAction?.actorId);
    }
    if (!decision.allowed) return refuse(decision, entry);
    const now = new Date().toISOString();
    let publication: PublicationSnapshot | undefined;
    let scheduled: PublicationSnapshot | undefined;
    if (SETTLES.has(action)) {
      // The wording is decided now: every accepted edit recorded, so revision and co-writers are current.
      entry = (await entryService.settle(entry.id)) ?? entry;
      if (entry.version !== body.version) return refuseConflict('{by} changed this entry first.', 'stale-version', entry, entry.lastAction?.actorId);
      decision = check(); // four-eyes counts co-writers who joined just now
      if (!decision.allowed) return refuse(decision, entry);
    }
    if (action === 'submit' && entry.status === 'published' && entry.revision === entry.publishedRevision) {
      return refuseConflict('Nothing changed since this entry was published: edit it first.', 'wrong-state', entry);
    }
    if (action === 'publish' && entry.status === 'scheduled' && entry.scheduled) {
      // What the chief approved when scheduling goes out, not what was typed since.
      if (body.revision !== undefined && body.revision !== entry.scheduled.revision) {
        return refuseConflict(`This entry is scheduled with revision ${entry.scheduled.revision}.`, 'changed-since-shown', entry, entry.lastEditorId);
      }
      publication = { ...entry.scheduled, kind: entry.publishedRevision ? 'corrected' : 'published', approverId: actor.id, at: now };
    } else if (action === 'publish' || action === 'schedule') {
      const snapshot = await approvedWording(entry, body.revision, actor, now);
      if (action === 'publish') publication = snapshot;
      else scheduled = snapshot;
    }
    if (action === 'schedule' && Date.parse(body.publishAt!) <= Date.now()) throw invalidInput('publishAt must be in the future.');
    if (action === 'retract' && (entry.publishedRevision === undefined || entry.retraction)) {
      return refuseConflict('Only an entry readers can see can be retracted.', 'wrong-state', entry);
    }

    const to = ActionMoves[action].to;
    const note = action === 'reject' ? body.note : action === 'retract' ? body.reason : action === 'schedule' ? body.publishAt : undefined;
    const auditRecord: AuditRecord = {
      id: newId(),
      newsroomId: entry.newsroomId,
      liveFileId: entry.liveFileId,
      entryId: entry.id,
      version: entry.version + 1,
      action,
      actorId: actor.id,
      actorName: actor.displayName,
      from: entry.status,
      to,
      ...(note !== undefined ? { note } : {}),
      revision: publication?.revision ?? scheduled?.revision ?? entry.revision,
      at: now,
    };
    if (action === 'retract') {
      publication = {
        kind: 'retracted', revision: entry.publishedRevision!, html: '', text: '', doc: null, headline: '', bylines: entry.bylines,
        authorIds: entry.contributorIds, approverId: actor.id, at: now, retraction: { reason: body.reason!, at: now },
      };
    }
    const pending: PendingSteps = { audit: auditRecord, ...(publication ? { publication } : {}) };
    const patch: EntryTransitionPatch = {
      status: to,
      updatedAt: now,
      lastAction: { action, actorId: actor.id, at: now },
      pending,
      ...patchFor(action, body, now, publication, scheduled),
    };
    await claimed();
    const updated = await entries.transition(entry.id, { status: entry.status, version: body.version }, patch);
    if (!updated) {
      const winner = await entries.findById(entry.id);
      if (!winner) throw notFound('Entry');
      return refuseConflict(`{by} acted on this entry first; it is now ${winner.status}.`, 'stale-version', winner, winner.lastAction?.actorId);
    }
    return finish(updated);
  }

  /**
   * The rendered wording at the revision the chief saw (`revision`; absent: the current one).
   * The fingerprint of what we render must equal the recorded revision's, or someone typed in
   * between: refused, naming them, never published.
   */
  async function approvedWording(entry: EntryRecord, revision: number | undefined, actor: AccountRecord, at: string): Promise<PublicationSnapshot> {
    if (revision !== undefined && revision !== entry.revision) {
      return refuseConflict(`{by} changed this entry after you were shown it (revision ${revision}, now ${entry.revision}): check the new wording.`, 'changed-since-shown', entry, entry.lastEditorId);
    }
    const rendered = await renderStoredEntry(deps.media, await entryDocs.read(entryDocName(entry.id)));
    if (contentHash(rendered, entry.headline ?? '', entry.bylines, entry.place) !== entry.revisionHash) {
      const latest = (await entryService.settle(entry.id)) ?? entry;
      return refuseConflict('{by} is changing this entry right now: check the new wording.', 'changed-since-shown', latest, latest.lastEditorId);
    }
    return {
      kind: entry.publishedRevision !== undefined ? 'corrected' : 'published',
      revision: entry.revision,
      html: rendered.html,
      text: rendered.text,
      doc: rendered.doc,
      headline: entry.headline ?? '',
      ...(entry.place ? { place: entry.place } : {}),
      bylines: entry.bylines,
      authorIds: [...new Set([entry.authorId, ...entry.contributorIds])],
      approverId: actor.id,
      at,
    };
  }

  /** Writes what the transition owes (idempotent), clears the marker, tells everyone. */
  async function finish(entry: EntryRecord): Promise<EntryRecord> {
    await completePending(entry);
    await entryDocs.reauthorize(entryDocName(entry.id));
    const done: EntryRecord = { ...entry };
    delete done.pending;
    events.emit('entry:updated', done);
    deps.onTransition?.(done);
    return done;
  }

  async function completePending(entry: EntryRecord): Promise<void> {
    if (!entry.pending) return;
    // Both idempotent and independent of each other.
    await Promise.all([audit.append(entry.pending.audit), entry.pending.publication ? publishing.record(entry, entry.pending.publication) : null]);
    await entries.clearPending(entry.id, entry.version);
  }

  /** Start-up: transitions a crash interrupted are finished, in the order they happened. */
  async function finishInterrupted(): Promise<number> {
    const pending = await entries.listPending();
    pending.sort((a, b) => (a.updatedAt < b.updatedAt ? -1 : 1));
    for (const entry of pending) await completePending(entry);
    return pending.length;
  }

  /** The scheduler's call when an entry's time comes: published as approved, once, by the scheduling chief. */
  async function publishScheduled(entryId: string): Promise<EntryRecord | null> {
    const entry = await entries.findById(entryId);
    if (!entry || entry.status !== 'scheduled' || !entry.scheduled || !entry.publishAt) return null;
    if (Date.parse(entry.publishAt) > Date.now()) return null;
    const now = new Date().toISOString();
    const publication: PublicationSnapshot = { ...entry.scheduled, kind: entry.publishedRevision !== undefined ? 'corrected' : 'published', at: now };
    const actorId = entry.scheduled.approverId;
    const actorName = (await accounts.findById(actorId))?.displayName ?? 'Former colleague';
    const auditRecord: AuditRecord = {
      id: newId(), newsroomId: entry.newsroomId, liveFileId: entry.liveFileId, entryId: entry.id, version: entry.version + 1,
      action: 'publish', actorId, actorName, from: 'scheduled', to: 'published', note: `scheduled for ${entry.publishAt}`,
      revision: publication.revision, at: now,
    };
    const updated = await entries.transition(entry.id, { status: 'scheduled', version: entry.version }, {
      status: 'published', updatedAt: now, lastAction: { action: 'publish', actorId, at: now },
      pending: { audit: auditRecord, publication }, publishedRevision: publication.revision, scheduled: null, publishAt: null,
    });
    // Another process (or a chief's click) got there first: it is published once either way.
    return updated ? finish(updated) : null;
  }

  return { transition, finishInterrupted, publishScheduled, load };
}
export type WorkflowService = ReturnType<typeof createWorkflowService>;

/** Per-action fields of the conditional update (null unsets). */
function patchFor(action: WorkflowAction, body: Body, now: string, publication: PublicationSnapshot | undefined, scheduled: PublicationSnapshot | undefined): Partial<EntryTransitionPatch> {
  switch (action) {
    case 'submit':
      return { note: null };
    case 'reject':
      return { note: body.note!, scheduled: null, publishAt: null };
    case 'publish':
      return { publishedRevision: publication!.revision, note: null, scheduled: null, publishAt: null };
    case 'schedule':
      return { scheduled: scheduled!, publishAt: new Date(body.publishAt!).toISOString(), note: null };
    case 'retract':
      return { retraction: { reason: body.reason!, at: now }, scheduled: null, publishAt: null };
  }
}

