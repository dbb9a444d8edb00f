import { formatTime, zoneLabel } from '../format.js';

/** A wall-clock time typed by a chief: "14:30", "1430", "9.05". */
export interface Clock {
  h: number;
  m: number;
}

export function parseClock(text: string): Clock | null {
  const m = /^\s*(\d{1,2})\s*[:.hH]?\s*(\d{2})\s*$/.exec(text);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h < 24 && min < 60 ? { h, m: min } : null;
}

export function formatClock(c: Clock): string {
  return `${String(c.h).padStart(2, '0')}:${String(c.m).padStart(2, '0')}`;
}

interface DayParts {
  y: number;
  mo: number;
  d: number;
}

function parts(at: Date, timeZone: string): DayParts & { h: number; m: number; s: number } {
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  });
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(f.formatToParts(at).find((p) => p.type === type)?.value ?? 0);
  return { y: get('year'), mo: get('month'), d: get('day'), h: get('hour'), m: get('minute'), s: get('second') };
}

/** The zone's offset from UTC at `at`, in ms (Almaty +5 h: 18 000 000). */
export function zoneOffsetMs(timeZone: string, at: Date): number {
  const p = parts(at, timeZone);
  const wall = Date.UTC(p.y, p.mo - 1, p.d, p.h, p.m, p.s);
  return wall - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant a wall-clock time in `timeZone` names (the later reading across a DST gap). */
export function zonedToUtc(day: DayParts, c: Clock, timeZone: string): Date {
  const wall = Date.UTC(day.y, day.mo - 1, day.d, c.h, c.m);
  const first = zoneOffsetMs(timeZone, new Date(wall));
  let t = wall - first;
  const second = zoneOffsetMs(timeZone, new Date(t));
  if (second !== first) t = wall - second;
  return new Date(t);
}

/**
 * When "14:30" typed now means, in the live file's zone: today, or tomorrow once today's 14:30 is
 * past (less than a minute ahead counts as past: scheduling must be in the future).
 */
export function scheduleAt(c: Clock, timeZone: string, now: Date): { at: Date; tomorrow: boolean } {
  const today = parts(now, timeZone);
  const at = zonedToUtc(today, c, timeZone);
  if (at.getTime() > now.getTime() + 60_000) return { at, tomorrow: false };
  const next = new Date(Date.UTC(today.y, today.mo - 1, today.d + 1));
  return { at: zonedToUtc({ y: next.getUTCFullYear(), mo: next.getUTCMonth() + 1, d: next.getUTCDate() }, c, timeZone), tomorrow: true };
}

/** "in 25 min", "in 2 h 5 min". */
export function formatIn(ms: number): string {
  const min = Math.max(1, Math.round(ms / 60_000));
  if (min < 60) return `in ${min} min`;
  const h = Math.floor(min / 60);
  const rest = min % 60;
  return rest ? `in ${h} h ${rest} min` : `in ${h} h`;
}

/** The echo under the time field (ux.md §2): "14:30 Almaty, 09:30 UTC, in 25 min". */
export function describeSchedule(at: Date, tomorrow: boolean, timeZone: string, now: Date): string {
  const local = `${tomorrow ? 'tomorrow ' : ''}${formatTime(at.toISOString(), timeZone)} ${zoneLabel(timeZone)}`;
  const utc = zoneOffsetMs(timeZone, at) === 0 ? '' : `, ${formatTime(at.toISOString(), 'UTC')} UTC`;
  return `${local}${utc}, ${formatIn(at.getTime() - now.getTime())}`;
}

/** A sensible first value for the time field: half an hour from now, on the next 5 minutes, in the zone. */
export function defaultClock(timeZone: string, now: Date): Clock {
  const p = parts(new Date(now.getTime() + 30 * 60_000), timeZone);
  const m = Math.ceil(p.m / 5) * 5;
  return m === 60 ? { h: (p.h + 1) % 24, m: 0 } : { h: p.h, m };
}
