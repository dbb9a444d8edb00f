/** Entry workflow states. Authoritative on the server only; never read from a CRDT or a client. */
export const EntryStatus = {
  Draft: 'draft',
  Submitted: 'submitted',
  Scheduled: 'scheduled',
  Published: 'published',
  Rejected: 'rejected',
  Retracted: 'retracted',
} as const;
export type EntryStatus = (typeof EntryStatus)[keyof typeof EntryStatus];
export const ENTRY_STATUSES = Object.values(EntryStatus) as [EntryStatus, ...EntryStatus[]];

/** The transitions a person asks for: `POST /api/entries/:entryId/<action>`. */
export const WorkflowAction = {
  Submit: 'submit',
  Reject: 'reject',
  Publish: 'publish',
  Schedule: 'schedule',
  Retract: 'retract',
} as const;
export type WorkflowAction = (typeof WorkflowAction)[keyof typeof WorkflowAction];
export const WORKFLOW_ACTIONS = Object.values(WorkflowAction) as [WorkflowAction, ...WorkflowAction[]];

/**
 * Which states each action starts from, and where it lands. `published` is a state of the
 * entry's current wording; an edit of a published entry is a pending correction: it is
 * submitted (published → submitted) while readers keep the published revision.
 * Retract needs a publication readers can see, whatever the state of a correction in review.
 */
export const ActionMoves: Record<WorkflowAction, { from: readonly EntryStatus[]; to: EntryStatus }> = {
  submit: { from: ['draft', 'rejected', 'published'], to: 'submitted' },
  reject: { from: ['submitted', 'scheduled'], to: 'rejected' },
  publish: { from: ['submitted', 'scheduled'], to: 'published' },
  schedule: { from: ['submitted'], to: 'scheduled' },
  retract: { from: ['published', 'submitted', 'rejected', 'scheduled'], to: 'retracted' },
};

/** Which state may follow which: derived from ActionMoves, so the two never disagree. */
export const Transitions: Record<EntryStatus, readonly EntryStatus[]> = Object.fromEntries(
  ENTRY_STATUSES.map((from) => [
    from,
    [...new Set(WORKFLOW_ACTIONS.filter((a) => ActionMoves[a].from.includes(from)).map((a) => ActionMoves[a].to))],
  ]),
) as unknown as Record<EntryStatus, readonly EntryStatus[]>;

export function canTransition(from: EntryStatus, to: EntryStatus): boolean {
  return Transitions[from].includes(to);
}
