import { decide, Permission, type Actor, type Decision, type FileFacts } from '../../shared/permissions.js';
import type { EntryView } from '../../shared/schemas/entry.js';
import type { LiveFileView } from '../../shared/schemas/liveFile.js';
import type { AccountView } from '../../shared/schemas/account.js';
import type { WorkflowAction } from '../../shared/workflow.js';
import type { ConflictDetails } from '../../shared/schemas/workflow.js';
import { ErrorCode } from '../../shared/errors.js';
import { ApiError } from '../services/apiClient.js';

/** A workflow button a viewer sees on an entry: enabled, or shown disabled with the reason (four-eyes). */
export interface FlowButton {
  action: WorkflowAction;
  enabled: boolean;
  /** Why it is disabled, in words (the permission table's own sentence). */
  reason?: string;
}

export const ACTION_LABEL: Record<WorkflowAction, string> = {
  submit: 'Submit',
  publish: 'Publish',
  schedule: 'Schedule',
  reject: 'Reject',
  retract: 'Retract',
};

/** What the verb did, for confirmations: "Published", "Sent back". */
export const ACTION_DONE: Record<WorkflowAction, string> = {
  submit: 'Submitted',
  publish: 'Published',
  schedule: 'Scheduled',
  reject: 'Sent back to the author',
  retract: 'Retracted',
};

export function actorOf(account: Pick<AccountView, 'id' | 'role'>): Actor {
  return { id: account.id, role: account.role, active: true };
}

export function fileFactsOf(file: Pick<LiveFileView, 'members' | 'fourEyes'> | undefined): FileFacts {
  return { members: file?.members ?? null, fourEyes: file?.fourEyes ?? false };
}

/** An edit of a published entry not yet published itself: readers still see the old wording. */
export function hasPendingCorrection(e: Pick<EntryView, 'revision' | 'publishedRevision'>): boolean {
  return e.publishedRevision !== undefined && e.revision > e.publishedRevision;
}

/**
 * The workflow buttons for `actor` on `entry`, in the order the card and the queue show them. A
 * button the server would refuse for the viewer's role or the entry's state is left out; one it
 * would refuse for four-eyes stays, disabled, with the reason (ux.md §2). Submit on a published
 * entry only when there is a correction to send.
 */
export function flowButtons(actor: Actor, file: FileFacts, entry: EntryView, only?: readonly WorkflowAction[]): FlowButton[] {
  const facts = { status: entry.status, authorId: entry.authorId, contributorIds: entry.contributorIds };
  const order: WorkflowAction[] = ['submit', 'publish', 'schedule', 'reject', 'retract'];
  const out: FlowButton[] = [];
  for (const action of only ?? order) {
    if (action === 'submit' && entry.status === 'published' && !hasPendingCorrection(entry)) continue;
    if (action === 'retract' && entry.publishedRevision === undefined) continue;
    const d: Decision = decide(PERMISSION_OF[action], actor, file, facts);
    if (d.allowed) out.push({ action, enabled: true });
    else if (d.refusal === 'four-eyes') out.push({ action, enabled: false, reason: d.message });
  }
  return out;
}

const PERMISSION_OF: Record<WorkflowAction, Permission> = {
  submit: Permission.Submit,
  publish: Permission.Publish,
  schedule: Permission.Schedule,
  reject: Permission.Reject,
  retract: Permission.Retract,
};

export function mayReadHistory(actor: Actor, file: FileFacts): boolean {
  return decide(Permission.AuditRead, actor, file).allowed;
}
export function mayManageFile(actor: Actor, file: FileFacts): boolean {
  return decide(Permission.FileManage, actor, file).allowed;
}

/** A refused or lost workflow step, as the card or the queue shows it. */
export interface FlowRefusal {
  /** What to show: the server's sentence (it names who acted first), or ours when it sent none. */
  text: string;
  /** 409: someone acted first or the text changed; the entry as it is now, when the server sent it. */
  conflict: boolean;
  entry?: EntryView;
  reason?: ConflictDetails['reason'];
  /** No answer (network, server away): the same click may be tried again, with the same key. */
  retry: boolean;
}

export function refusalOf(err: unknown, action: WorkflowAction): FlowRefusal {
  if (!(err instanceof ApiError)) return { text: `Couldn't ${verb(action)} this entry: something went wrong in this page.`, conflict: false, retry: true };
  if (err.code === ErrorCode.Conflict) {
    const details = conflictDetails(err.details);
    const text = err.message && err.message !== 'someone else changed it at the same moment' ? sentence(err.message)
      : details?.by ? `${details.by.name} changed this entry first.` : 'Someone else changed this entry at the same moment.';
    return { text, conflict: true, entry: details?.entry, reason: details?.reason, retry: false };
  }
  if (err.status === 0 || err.status === 429 || err.status >= 500) {
    return { text: `Couldn't ${verb(action)} this entry: ${err.message}. Nothing was changed; try again.`, conflict: false, retry: true };
  }
  if (err.code === ErrorCode.Forbidden) return { text: sentence(err.message), conflict: false, retry: false };
  return { text: `Couldn't ${verb(action)} this entry: ${err.message}.`, conflict: false, retry: false };
}

const REASONS: ReadonlySet<string> = new Set(['stale-version', 'wrong-state', 'changed-since-shown']);

/**
 * The 409's details, read by hand: zod stays out of the desk's chunks (it would be ~100 KB on a
 * phone's first load for one shape). Anything malformed is simply left out.
 */
function conflictDetails(d: unknown): ConflictDetails | undefined {
  if (!d || typeof d !== 'object') return undefined;
  const o = d as Record<string, unknown>;
  if (typeof o.reason !== 'string' || !REASONS.has(o.reason)) return undefined;
  const out: ConflictDetails = { reason: o.reason as ConflictDetails['reason'] };
  const e = o.entry as Record<string, unknown> | undefined;
  if (e && typeof e === 'object' && typeof e.id === 'string' && typeof e.status === 'string' && typeof e.version === 'number') out.entry = e as unknown as EntryView;
  const by = o.by as Record<string, unknown> | undefined;
  if (by && typeof by === 'object' && typeof by.id === 'string' && typeof by.name === 'string') out.by = { id: by.id, name: by.name };
  return out;
}

function verb(action: WorkflowAction): string {
  return action;
}

function sentence(s: string): string {
  const t = s.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}
