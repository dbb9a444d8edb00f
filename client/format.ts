/** Times on the desk: 24-hour HH:mm in the live file's zone (ux.md §6). Formatters are cached. */
const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, withDate: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${withDate}`;
  let f = cache.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-GB', {
        timeZone,
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        ...(withDate ? { day: 'numeric', month: 'short' } : {}),
      });
    } catch {
      f = formatter('UTC', withDate);
    }
    cache.set(key, f);
  }
  return f;
}

export function formatTime(iso: string, timeZone: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : formatter(timeZone, false).format(d);
}

const dayKeys = new Map<string, Intl.DateTimeFormat>();
/** The calendar day of `d` in that zone, comparable between dates (formatters cached per zone). */
function dayKey(d: Date, timeZone: string): string {
  let f = dayKeys.get(timeZone);
  if (!f) dayKeys.set(timeZone, (f = new Intl.DateTimeFormat('en-CA', { timeZone: formatter(timeZone, false).resolvedOptions().timeZone, dateStyle: 'short' })));
  return f.format(d);
}

/** HH:mm, with the date added when it is not today in that zone ("1 Dec, 23:58"). */
export function formatTimeOrDate(iso: string, timeZone: string, now = new Date()): string {
  const { day, time } = formatDayAndTime(iso, timeZone, now);
  return day ? `${day}, ${time}` : time;
}

/** formatTimeOrDate's two parts, for layouts that set them apart: the day ("1 Dec", null when today) and HH:mm. */
export function formatDayAndTime(iso: string, timeZone: string, now = new Date()): { day: string | null; time: string } {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return { day: null, time: '' };
  const time = formatter(timeZone, false).format(d);
  if (dayKey(d, timeZone) === dayKey(now, timeZone)) return { day: null, time };
  const parts = formatter(timeZone, true).formatToParts(d);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { day: `${part('day')} ${part('month')}`, time };
}

/** "Almaty" from "Asia/Almaty", for the header. */
export function zoneLabel(timeZone: string): string {
  const last = timeZone.split('/').pop() ?? timeZone;
  return last.replace(/_/g, ' ');
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0]![0], parts[parts.length - 1]![0]] : [...(parts[0] ?? '?')].slice(0, 2);
  return letters.join('').toUpperCase();
}
