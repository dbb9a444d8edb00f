/**
 * Words and times on the reader page, the same on the server (first render) and in the reader
 * script (live updates): the entry's language, its label, and times in the live file's zone.
 */

import type { ReaderEntry } from '../realtime/liveEvents.js';

/** A reader entry as the public API and the /live socket give it (one definition: shared/realtime/liveEvents.ts). */
export type { ReaderEntry };

/** The live file as GET /api/public/live/:slug gives it. */
export interface ReaderFile {
  slug: string;
  title: string;
  status: string;
  lastSeq: number;
  timezone: string;
  coverageStartsAt?: string;
  endedAt?: string;
  createdAt: string;
}

export interface ReaderPageJson {
  liveFile: ReaderFile;
  entries: ReaderEntry[];
  nextCursor: string | null;
}

/** The language of the page's own words, and of entries in no script we tell apart. */
export const FILE_LANG = 'en';

const ARABIC = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/gu;
const CYRILLIC = /[\u0400-\u04FF\u0500-\u052F]/gu;
const LATIN = /[A-Za-z\u00C0-\u024F]/gu;
/** Letters Kazakh writes and Russian does not. */
const KAZAKH = /[әғқңөұүһіӘҒҚҢӨҰҮҺІ]/u;

/** The entry's language from its script: Arabic → ar; Cyrillic → kk with a Kazakh-only letter, else ru; otherwise the file's. */
export function detectLang(text: string, fallback: string = FILE_LANG): string {
  const count = (re: RegExp) => text.match(re)?.length ?? 0;
  const arabic = count(ARABIC);
  const cyrillic = count(CYRILLIC);
  const latin = count(LATIN);
  if (arabic > 0 && arabic >= cyrillic && arabic >= latin) return 'ar';
  if (cyrillic > 0 && cyrillic >= latin) return KAZAKH.test(text) ? 'kk' : 'ru';
  return fallback;
}

/** The first words of `text`, at most `max` characters, cut at a word and marked with an ellipsis. */
export function firstWords(text: string, max = 90): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.5 ? cut.slice(0, space) : cut).replace(/[\s,;:.–—-]+$/u, '')}…`;
}

/** The entry's label: its headline, else its first words. */
export function entryLabel(e: Pick<ReaderEntry, 'headline' | 'text'>, max = 90): string {
  return e.headline.trim() || firstWords(e.text, max);
}

/** "Almaty" from "Asia/Almaty". */
export function zoneLabel(timeZone: string): string {
  return (timeZone.split('/').pop() ?? timeZone).replace(/_/g, ' ');
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string, kind: 'time' | 'date' | 'day'): Intl.DateTimeFormat {
  const key = `${timeZone}|${kind}`;
  let f = formatters.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      kind === 'time' ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
        : kind === 'date' ? { day: 'numeric', month: 'short' }
          : { year: 'numeric', month: '2-digit', day: '2-digit' };
    try {
      f = new Intl.DateTimeFormat('en-GB', { timeZone, ...options });
    } catch {
      f = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', ...options });
    }
    formatters.set(key, f);
  }
  return f;
}

export interface ZonedTime {
  /** 24-hour "14:05" in the zone. */
  time: string;
  /** "1 Dec" when the day is not today in the zone, else "". */
  date: string;
}

/** The time of `iso` in `timeZone`, with the date when it is not the same day as `now` there. */
export function zonedTime(iso: string, timeZone: string, now: Date): ZonedTime {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return { time: '', date: '' };
  const sameDay = formatter(timeZone, 'day').format(d) === formatter(timeZone, 'day').format(now);
  return { time: formatter(timeZone, 'time').format(d), date: sameDay ? '' : formatter(timeZone, 'date').format(d) };
}

/** "14:05" or "30 Nov, 23:50". */
export function timeText(iso: string, timeZone: string, now: Date): string {
  const t = zonedTime(iso, timeZone, now);
  return t.date ? `${t.date}, ${t.time}` : t.time;
}

/** "12 min ago" under an hour ("just now" under a minute), else "" (the absolute time says it). */
export function relativeTime(iso: string, now: Date): string {
  const ms = now.getTime() - new Date(iso).getTime();
  if (!Number.isFinite(ms) || ms < -60_000 || ms >= 3_600_000) return '';
  const min = Math.floor(Math.max(0, ms) / 60_000);
  return min < 1 ? 'just now' : `${min} min ago`;
}

export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "3 new updates": the button's words and the status line's, never an entry's text. */
export function newUpdatesText(n: number): string {
  return plural(n, 'new update', 'new updates');
}

/** Reader order: pinned first, then the desk position ascending, then id (plain string order). */
export function compareReaderOrder(a: Pick<ReaderEntry, 'pinned' | 'position' | 'id'>, b: Pick<ReaderEntry, 'pinned' | 'position' | 'id'>): number {
  if (a.pinned !== b.pinned) return a.pinned ? -1 : 1;
  if (a.position !== b.position) return a.position < b.position ? -1 : 1;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return 0;
}

/** The page's path of a live file, and of one entry (its permalink). */
export function livePath(slug: string, entryId?: string): string {
  return `/live/${encodeURIComponent(slug)}${entryId ? `/${encodeURIComponent(entryId)}` : ''}`;
}
