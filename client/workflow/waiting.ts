import type { EntryView } from '../../shared/schemas/entry.js';
import { formatTimeOrDate } from '../format.js';

/** How old a waiting submission looks (ux.md §2): amber at 5 min, red at 15. */
export type AgeLevel = 'fresh' | 'amber' | 'red';

/** When the entry started waiting: its last submit, else its last change. */
export function waitingSince(e: Pick<EntryView, 'lastAction' | 'updatedAt'>): string {
  return e.lastAction?.action === 'submit' ? e.lastAction.at : e.updatedAt;
}

/** Whole minutes from `since` to `now` (never negative: a clock a little ahead reads "0"). */
export function minutesBetween(since: string, now: number): number {
  const t = Date.parse(since);
  if (Number.isNaN(t)) return 0;
  return Math.max(0, Math.floor((now - t) / 60_000));
}

export function ageLevel(minutes: number): AgeLevel {
  return minutes >= 15 ? 'red' : minutes >= 5 ? 'amber' : 'fresh';
}

/**
 * "waiting 4 min"; under a minute "waiting under a minute"; relative time only under an hour
 * (ux.md §6, Time), then the absolute time in the file's zone: "waiting since 13:05".
 */
export function formatWaiting(since: string, now: number, timeZone: string): string {
  const min = minutesBetween(since, now);
  if (min < 1) return 'waiting under a minute';
  if (min < 60) return `waiting ${min} min`;
  return `waiting since ${formatTimeOrDate(since, timeZone, new Date(now))}`;
}

/** "3 s ago", "4 min ago", "at 13:05": when someone acted, for conflict lines. */
export function formatAgo(at: string, now: number, timeZone: string): string {
  const t = Date.parse(at);
  if (Number.isNaN(t)) return '';
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  return `at ${formatTimeOrDate(at, timeZone, new Date(now))}`;
}
