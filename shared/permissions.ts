import { Role } from './roles.js';
import { ActionMoves, type EntryStatus, type WorkflowAction } from './workflow.js';

/**
 * The one permission table (WF11, WF12). The HTTP API, the Socket.IO handlers and the collab
 * upgrade all ask `decide`; nothing else grants or refuses. Pure and shared, so the desk can grey
 * out what the server would refuse anyway.
 *
 * Rows are actions; each says which roles may act (`author` = the entry's author, whatever her
 * role) and in which entry states. On top of the table: a live file restricted to named members
 * is invisible to everyone else, and four-eyes (per live file) bars publishing your own work.
 */
export const Permission = {
  /** See the live file, its desk and (per `entry.read`) its entries. */
  FileView: 'file.view',
  /** Change the desk document: order, pins, key events. */
  DeskEdit: 'desk.edit',
  /** Open a new live file; restrict one to named members, turn four-eyes on or off. */
  FileCreate: 'file.create',
  FileManage: 'file.manage',
  EntryCreate: 'entry.create',
  EntryRead: 'entry.read',
  /** Write the entry's text (collab) and its headline and bylines. */
  EntryWrite: 'entry.write',
  /** The entry's history and the live file's audit export. */
  AuditRead: 'audit.read',
  AccountsManage: 'accounts.manage',
  Submit: 'submit',
  Reject: 'reject',
  Publish: 'publish',
  Schedule: 'schedule',
  Retract: 'retract',
} as const;
export type Permission = (typeof Permission)[keyof typeof Permission];
export const PERMISSIONS = Object.values(Permission) as [Permission, ...Permission[]];

type Who = Role | 'author';
interface Rule {
  who: readonly Who[];
  /** Entry states the action applies in; absent for actions not about one entry. */
  states?: readonly EntryStatus[];
  /** Four-eyes applies: with it on, the entry's author and co-writers are refused. */
  fourEyes?: boolean;
}

const DESK: readonly Who[] = [Role.Editor, Role.Chief, Role.Admin];
const CHIEFS: readonly Who[] = [Role.Chief, Role.Admin];
const EVERYONE: readonly Who[] = [Role.Correspondent, Role.Editor, Role.Chief, Role.Admin];
const EVERY_STATE: readonly EntryStatus[] = ['draft', 'submitted', 'scheduled', 'published', 'rejected', 'retracted'];
/** A retracted entry is closed: nobody writes it again. */
const OPEN_STATES: readonly EntryStatus[] = ['draft', 'submitted', 'scheduled', 'published', 'rejected'];
const move = (a: WorkflowAction) => ActionMoves[a].from;

export const PermissionTable: Record<Permission, Rule> = {
  'file.view': { who: EVERYONE },
  'desk.edit': { who: DESK },
  'file.create': { who: DESK },
  'file.manage': { who: CHIEFS },
  'entry.create': { who: EVERYONE },
  'entry.read': { who: [...DESK, 'author'], states: EVERY_STATE },
  // Desk roles polish in any open state (an edit of a published entry is a correction); the
  // author alone writes her draft until she submits it, and again once it is sent back.
  'entry.write': { who: DESK, states: OPEN_STATES },
  'audit.read': { who: DESK },
  'accounts.manage': { who: [Role.Admin] },
  submit: { who: [...DESK, 'author'], states: move('submit') },
  reject: { who: CHIEFS, states: move('reject') },
  publish: { who: CHIEFS, states: move('publish'), fourEyes: true },
  schedule: { who: CHIEFS, states: move('schedule'), fourEyes: true },
  retract: { who: CHIEFS, states: move('retract') },
};
/** The author's own write window, whatever her role (a correspondent's draft). */
const AUTHOR_WRITES: readonly EntryStatus[] = ['draft', 'rejected'];

export interface Actor {
  id: string;
  role: Role;
  active: boolean;
}
export interface FileFacts {
  /** Named members; null = open to the whole newsroom. */
  members: readonly string[] | null;
  fourEyes: boolean;
}
export interface EntryFacts {
  status: EntryStatus;
  authorId: string;
  contributorIds: readonly string[];
}

export type Refusal = 'inactive' | 'not-a-member' | 'role' | 'state' | 'four-eyes';
export type Decision = { allowed: true } | { allowed: false; refusal: Refusal; message: string };

const ALLOW: Decision = { allowed: true };
const refuse = (refusal: Refusal, message: string): Decision => ({ allowed: false, refusal, message });

export function isFileMember(actor: Actor, file: FileFacts): boolean {
  return file.members === null || file.members.includes(actor.id);
}

/**
 * May `actor` do `permission` in `file` (and on `entry`, for entry actions)? Order matters for
 * the answer: an outsider learns nothing (not-a-member before anything else), a role refusal
 * before a state refusal, four-eyes last.
 */
export function decide(permission: Permission, actor: Actor, file: FileFacts, entry?: EntryFacts): Decision {
  if (!actor.active) return refuse('inactive', 'This account is deactivated.');
  if (!isFileMember(actor, file)) return refuse('not-a-member', 'This live file is restricted to named members.');
  const rule = PermissionTable[permission];
  const isAuthor = entry !== undefined && entry.authorId === actor.id;
  const byRole = rule.who.includes(actor.role);
  const byAuthorship = isAuthor && rule.who.includes('author');
  const authorWrites = permission === Permission.EntryWrite && isAuthor && entry !== undefined && AUTHOR_WRITES.includes(entry.status);
  if (!byRole && !byAuthorship && !authorWrites) return refuse('role', roleMessage(permission));
  if (entry && rule.states && !rule.states.includes(entry.status) && !authorWrites) {
    return refuse('state', `An entry that is ${entry.status} cannot be ${PAST[permission] ?? 'changed that way'}.`);
  }
  if (rule.fourEyes && file.fourEyes && entry && (isAuthor || entry.contributorIds.includes(actor.id))) {
    return refuse('four-eyes', 'Four-eyes is on for this live file: someone who did not write this entry must publish it.');
  }
  return ALLOW;
}

const PAST: Partial<Record<Permission, string>> = {
  submit: 'submitted',
  reject: 'rejected',
  publish: 'published',
  schedule: 'scheduled',
  retract: 'retracted',
  'entry.write': 'edited',
};

function roleMessage(permission: Permission): string {
  switch (permission) {
    case 'reject': case 'publish': case 'schedule': case 'retract':
      return `Only chiefs and admins can ${permission} entries.`;
    case 'submit':
      return 'Only the author or the desk can submit this entry.';
    case 'entry.write':
      return 'This entry is with the desk now; ask an editor to change it.';
    case 'accounts.manage':
      return 'Only admins manage accounts.';
    case 'file.manage':
      return 'Only chiefs and admins change who may see a live file.';
    default:
      return 'Your role does not allow this.';
  }
}
