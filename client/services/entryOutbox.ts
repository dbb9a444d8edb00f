/**
 * New entries made on this device that the server has not created yet (offline, or the server did
 * not answer), kept per account in localStorage: each with its idempotency key and the text typed
 * into it so far, as a Yjs update of its own document. localStorage, not IndexedDB: its writes are
 * synchronous, so a keystroke is on the device before the next one, even if the tab is killed.
 * Entries are a few KB; the store stays small.
 */
export interface PendingEntryRecord {
  /** The idempotency key of the create request: every retry sends the same one. */
  key: string;
  liveFileId: string;
  /** When it was made on this device (shown as its time until the server gives it its own). */
  createdAt: string;
  /** base64 of Y.encodeStateAsUpdate of the entry's local document: what was typed into it. */
  update: string;
}

const PREFIX = 'livedesk:outbox:';

export class EntryOutbox {
  private readonly storageKey: string;

  constructor(accountId: string) {
    this.storageKey = `${PREFIX}${accountId}`;
  }

  all(): PendingEntryRecord[] {
    try {
      const raw = localStorage.getItem(this.storageKey);
      const parsed: unknown = raw ? JSON.parse(raw) : [];
      return Array.isArray(parsed) ? parsed.filter(isRecord) : [];
    } catch {
      return [];
    }
  }

  forFile(liveFileId: string): PendingEntryRecord[] {
    return this.all().filter((r) => r.liveFileId === liveFileId);
  }

  /** Adds or replaces the record with this key. Throws when storage is full (the caller says so). */
  put(record: PendingEntryRecord): void {
    const rest = this.all().filter((r) => r.key !== record.key);
    this.write([...rest, record]);
  }

  remove(key: string): void {
    const all = this.all();
    const rest = all.filter((r) => r.key !== key);
    if (rest.length !== all.length) this.write(rest);
  }

  private write(records: PendingEntryRecord[]) {
    if (records.length === 0) localStorage.removeItem(this.storageKey);
    else localStorage.setItem(this.storageKey, JSON.stringify(records));
  }
}

function isRecord(v: unknown): v is PendingEntryRecord {
  const r = v as PendingEntryRecord;
  return !!r && typeof r.key === 'string' && typeof r.liveFileId === 'string' && typeof r.createdAt === 'string' && typeof r.update === 'string';
}
