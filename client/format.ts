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

/** HH:mm, with the date added when it is not today in that zone. */
export function formatTimeOrDate(iso: string, timeZone: string, now = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const day = (x: Date) => new Intl.DateTimeFormat('en-CA', { timeZone, dateStyle: 'short' }).format(x);
  return day(d) === day(now) ? formatter(timeZone, false).format(d) : formatter(timeZone, true).format(d);
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
