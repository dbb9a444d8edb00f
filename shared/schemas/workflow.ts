import { z } from 'zod';
import { Limits } from '../limits.js';
import { safeText } from '../text.js';
import { WORKFLOW_ACTIONS } from '../workflow.js';
import { EntryView } from './entry.js';
import { Id } from './ids.js';

/** `POST /api/entries/:entryId/<action>`: the action is in the path, one of these. */
export const WorkflowActionParam = z.object({ entryId: Id, action: z.enum(WORKFLOW_ACTIONS) });

/** The workflow's compare-and-set token: the version the client saw. */
const Version = z.number().int().nonnegative();
/** The content revision the chief was shown; without it the current content is published. */
const Revision = z.number().int().positive();
const Note = safeText().trim().min(1, 'a note is required').max(Limits.workflowNoteMax);

export const SubmitRequest = z.strictObject({ version: Version });
export const RejectRequest = z.strictObject({ version: Version, note: Note });
export const PublishRequest = z.strictObject({ version: Version, revision: Revision.optional() });
export const ScheduleRequest = z.strictObject({
  version: Version,
  revision: Revision.optional(),
  publishAt: z.iso.datetime({ offset: true }),
});
export const RetractRequest = z.strictObject({ version: Version, reason: Note });

export const TransitionRequests = {
  submit: SubmitRequest,
  reject: RejectRequest,
  publish: PublishRequest,
  schedule: ScheduleRequest,
  retract: RetractRequest,
} as const;
export type TransitionRequest = z.infer<(typeof TransitionRequests)[keyof typeof TransitionRequests]>;

/** The `Idempotency-Key` header: printable, bounded (a UUID is the usual choice). */
export const IdempotencyKeyHeader = z.string().regex(/^[A-Za-z0-9_.:-]{8,128}$/, 'Idempotency-Key must be 8–128 letters, digits or _ . : -');

/** A refused transition because someone else acted first: who, and what they did. */
export const ConflictDetails = z.object({
  reason: z.enum(['stale-version', 'wrong-state', 'changed-since-shown']),
  /** The entry as it is now, so the client can refresh without another request. */
  entry: EntryView.optional(),
  by: z.object({ id: Id, name: safeText() }).optional(),
});
export type ConflictDetails = z.infer<typeof ConflictDetails>;

/** The approval queue: submitted entries of every file the chief may see, oldest waiting first. */
export const QueueItem = z.object({
  entry: EntryView,
  liveFile: z.object({ id: Id, title: safeText(), slug: z.string(), fourEyes: z.boolean() }),
  /** The wording readers see now (null when never published) and the wording to approve. */
  publishedText: z.string().nullable(),
  currentText: z.string(),
  /** The rendered HTML the chief approves (sanitized, as readers will get it). */
  currentHtml: z.string(),
});
export type QueueItem = z.infer<typeof QueueItem>;

export const AuditView = z.object({
  at: z.string(),
  action: z.enum(WORKFLOW_ACTIONS),
  actorId: Id,
  actorName: safeText(),
  from: z.string(),
  to: z.string(),
  note: z.string().optional(),
  revision: z.number().int(),
  version: z.number().int(),
  entryId: Id,
});
export type AuditView = z.infer<typeof AuditView>;

/** `GET /api/entries/:entryId/history`: the audit trail and every published wording. */
export const EntryHistory = z.object({
  audit: z.array(AuditView),
  publications: z.array(z.object({ seq: z.number().int(), kind: z.string(), revision: z.number().int(), at: z.string(), html: z.string(), text: z.string(), approverName: safeText() })),
});
export type EntryHistory = z.infer<typeof EntryHistory>;

/** `PATCH /api/live-files/:liveFileId/access` (chiefs): restrict to named members, four-eyes. */
export const LiveFileAccessRequest = z.strictObject({
  members: z.array(Id).max(500).nullable().optional(),
  fourEyes: z.boolean().optional(),
});
export type LiveFileAccessRequest = z.infer<typeof LiveFileAccessRequest>;
