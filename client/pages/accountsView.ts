import type { Role } from '../../shared/roles.js';
import type { AdminAccountView } from '../../shared/schemas/account.js';

/** Roles in the order the admin picks them, with the words the page uses. */
export const ROLE_CHOICES: ReadonlyArray<{ role: Role; label: string; does: string }> = [
  { role: 'editor', label: 'Editor', does: 'Writes and arranges every entry on the desk.' },
  { role: 'chief', label: 'Chief', does: 'Edits, approves and publishes.' },
  { role: 'correspondent', label: 'Correspondent', does: 'Files her own entries from the field; sees only those.' },
  { role: 'admin', label: 'Admin', does: 'Works the desk and manages people and roles.' },
];

export function roleLabel(role: Role): string {
  return ROLE_CHOICES.find((r) => r.role === role)?.label ?? role;
}

/** "2 min ago" under an hour, "14:05" today, "3 Dec, 14:05" before; "Never" (ux.md §6 Time). */
export function lastActive(iso: string | null, now = Date.now()): string {
  if (!iso) return 'Never';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return 'Never';
  const minutes = Math.floor((now - at) / 60_000);
  if (minutes < 1) return 'Just now';
  if (minutes < 60) return `${minutes} min ago`;
  const d = new Date(at);
  const time = d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return new Date(now).toDateString() === d.toDateString() ? time : `${d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' })}, ${time}`;
}

export function statusOf(a: AdminAccountView): { label: string; kind: 'active' | 'invited' | 'off' } {
  if (!a.active) return { label: 'Deactivated', kind: 'off' };
  if (a.invitePending) return { label: 'Invited, link not used yet', kind: 'invited' };
  return { label: 'Active', kind: 'active' };
}

/** The first name, for sentences ("Dana is signed out everywhere now"). */
export function firstName(a: Pick<AdminAccountView, 'displayName'>): string {
  return a.displayName.trim().split(/\s+/)[0] || a.displayName;
}

export function matches(a: AdminAccountView, query: string): boolean {
  const q = query.trim().toLowerCase();
  return !q || a.displayName.toLowerCase().includes(q) || a.username.toLowerCase().includes(q) || roleLabel(a.role).toLowerCase().includes(q);
}

/** When an invite link stops working, in words: "14 Dec, 14:05". */
export function untilWhen(iso: string): string {
  const d = new Date(iso);
  return `${d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' })}, ${d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })}`;
}
