/** Entry workflow states. Authoritative on the server only; never read from a CRDT or a client. */
export const EntryStatus = {
  Draft: 'draft',
  Submitted: 'submitted',
  Approved: 'approved',
  Published: 'published',
  Rejected: 'rejected',
} as const;
export type EntryStatus = (typeof EntryStatus)[keyof typeof EntryStatus];
export const ENTRY_STATUSES = Object.values(EntryStatus) as [EntryStatus, ...EntryStatus[]];

/** Which state may follow which. The workflow service enforces this table. */
export const Transitions: Record<EntryStatus, readonly EntryStatus[]> = {
  draft: ['submitted'],
  submitted: ['approved', 'rejected', 'draft'],
  approved: ['published', 'rejected'],
  published: ['submitted'],
  rejected: ['submitted', 'draft'],
};

export function canTransition(from: EntryStatus, to: EntryStatus): boolean {
  return Transitions[from].includes(to);
}
