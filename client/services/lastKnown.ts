import type { LiveFileView } from '../../shared/schemas/liveFile.js';
import type { EntryView } from '../../shared/schemas/entry.js';

/**
 * What this device last saw of the desk, per account: the live-files list and, per live file, the
 * file and its entries. Shown read-only when the server cannot be reached ("showing what this device
 * last saw") [ER2, ER3]. localStorage: small (previews, not documents; those are in IndexedDB), and
 * readable at once, before anything else has loaded. Failing to store (quota, private mode) only
 * means there is nothing to show later.
 */
export interface LastKnownFile {
  savedAt: string;
  liveFile: LiveFileView;
  entries: EntryView[];
}
export interface LastKnownList {
  savedAt: string;
  liveFiles: LiveFileView[];
}

const PREFIX = 'livedesk:last:';
const listKey = (accountId: string) => `${PREFIX}${accountId}:files`;
const fileKey = (accountId: string, liveFileId: string) => `${PREFIX}${accountId}:file:${liveFileId}`;

export function saveLastKnownFile(accountId: string, liveFile: LiveFileView, entries: Iterable<EntryView>): void {
  const value: LastKnownFile = { savedAt: new Date().toISOString(), liveFile, entries: [...entries] };
  write(fileKey(accountId, liveFile.id), value);
}

export function readLastKnownFile(accountId: string, liveFileId: string): LastKnownFile | null {
  const v = read<LastKnownFile>(fileKey(accountId, liveFileId));
  return v && v.liveFile?.id === liveFileId && Array.isArray(v.entries) ? v : null;
}

export function saveLastKnownList(accountId: string, liveFiles: LiveFileView[]): void {
  write(listKey(accountId), { savedAt: new Date().toISOString(), liveFiles } satisfies LastKnownList);
}

export function readLastKnownList(accountId: string): LastKnownList | null {
  const v = read<LastKnownList>(listKey(accountId));
  return v && Array.isArray(v.liveFiles) ? v : null;
}

/** Everything this device keeps of the desk for one account (for "clear this device"). */
export function forgetLastKnown(accountId: string): void {
  const mine = `${PREFIX}${accountId}:`;
  for (let i = localStorage.length - 1; i >= 0; i--) {
    const k = localStorage.key(i);
    if (k?.startsWith(mine)) localStorage.removeItem(k);
  }
}

function write(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    /* quota or storage off: nothing to show next time, nothing else lost */
  }
}

function read<T>(key: string): T | null {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}
