// The filing page's IndexedDB: the outbox (items, photos with their bytes), the update being
// written (one per account, saved while typing) and small per-account facts kept for offline use
// (the live files, My filings as last seen, recent places). It survives reloads, a killed tab and
// a phone restart; "Clear this device" deletes the whole database.
import type { ComposeRecord, OutboxItem, PhotoRecord } from './model.js';
import type { OutboxStore } from './runner.js';

export const DB_NAME = 'livedesk-filing';
const VERSION = 1;
type StoreName = 'items' | 'photos' | 'compose' | 'meta';

function req<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
    tx.onerror = () => reject(tx.error);
  });
}

export class FilingDb implements OutboxStore {
  private db?: Promise<IDBDatabase>;
  /** Deleted (Clear this device): nothing opens it again until `reopen()` (a sign-in). */
  private destroyed = false;

  reopen(): void {
    this.destroyed = false;
  }

  private open(): Promise<IDBDatabase> {
    if (this.destroyed) return Promise.reject(new Error('this device was cleared'));
    this.db ??= new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open(DB_NAME, VERSION);
      r.onupgradeneeded = () => {
        const db = r.result;
        db.createObjectStore('items', { keyPath: 'id' }).createIndex('accountId', 'accountId');
        db.createObjectStore('photos', { keyPath: 'id' }).createIndex('accountId', 'accountId');
        db.createObjectStore('compose', { keyPath: 'accountId' });
        db.createObjectStore('meta');
      };
      r.onsuccess = () => {
        const db = r.result;
        // Another tab deletes the database (Clear this device): let it.
        db.onversionchange = () => {
          db.close();
          this.db = undefined;
        };
        resolve(db);
      };
      r.onerror = () => reject(r.error);
      r.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
    });
    this.db.catch(() => (this.db = undefined));
    return this.db;
  }

  private async tx<T>(names: StoreName[], mode: IDBTransactionMode, fn: (t: IDBTransaction) => Promise<T> | T): Promise<T> {
    const db = await this.open();
    const t = db.transaction(names, mode, { durability: 'strict' } as IDBTransactionOptions);
    const finished = done(t);
    const result = await fn(t);
    await finished;
    return result;
  }

  listItems(accountId: string): Promise<OutboxItem[]> {
    return this.tx(['items'], 'readonly', (t) => req(t.objectStore('items').index('accountId').getAll(accountId) as IDBRequest<OutboxItem[]>));
  }

  listPhotos(accountId: string): Promise<PhotoRecord[]> {
    return this.tx(['photos'], 'readonly', (t) => req(t.objectStore('photos').index('accountId').getAll(accountId) as IDBRequest<PhotoRecord[]>));
  }

  putItem(item: OutboxItem): Promise<void> {
    return this.tx(['items'], 'readwrite', (t) => void t.objectStore('items').put(item));
  }

  putPhoto(photo: PhotoRecord): Promise<void> {
    return this.tx(['photos'], 'readwrite', (t) => void t.objectStore('photos').put(photo));
  }

  deletePhoto(id: string): Promise<void> {
    return this.tx(['photos'], 'readwrite', (t) => void t.objectStore('photos').delete(id));
  }

  deleteItem(id: string): Promise<void> {
    return this.tx(['items'], 'readwrite', (t) => void t.objectStore('items').delete(id));
  }

  updateItem(id: string, fn: (item: OutboxItem) => OutboxItem | undefined): Promise<OutboxItem | undefined> {
    return this.update<OutboxItem>('items', id, fn);
  }

  updatePhoto(id: string, fn: (photo: PhotoRecord) => PhotoRecord | undefined): Promise<PhotoRecord | undefined> {
    return this.update<PhotoRecord>('photos', id, fn);
  }

  /** One readwrite transaction: read, change, write. Nothing else writes the record in between. */
  private update<T>(name: 'items' | 'photos', id: string, fn: (v: T) => T | undefined): Promise<T | undefined> {
    return this.tx([name], 'readwrite', async (t) => {
      const store = t.objectStore(name);
      const cur = (await req(store.get(id) as IDBRequest<T | undefined>)) ?? undefined;
      if (!cur) return undefined;
      const next = fn(cur);
      if (next) store.put(next);
      return next ?? cur;
    });
  }

  readCompose(accountId: string): Promise<ComposeRecord | undefined> {
    return this.tx(['compose'], 'readonly', (t) => req(t.objectStore('compose').get(accountId) as IDBRequest<ComposeRecord | undefined>));
  }

  writeCompose(record: ComposeRecord): Promise<void> {
    return this.tx(['compose'], 'readwrite', (t) => void t.objectStore('compose').put(record));
  }

  /** Files the update being written: the compose record becomes an outbox item in one transaction. */
  fileCompose(item: OutboxItem, next: ComposeRecord | null): Promise<void> {
    return this.tx(['items', 'compose'], 'readwrite', (t) => {
      t.objectStore('items').put(item);
      if (next) t.objectStore('compose').put(next);
      else t.objectStore('compose').delete(item.accountId);
    });
  }

  readMeta<T>(key: string): Promise<T | undefined> {
    return this.tx(['meta'], 'readonly', (t) => req(t.objectStore('meta').get(key) as IDBRequest<T | undefined>));
  }

  writeMeta(key: string, value: unknown): Promise<void> {
    return this.tx(['meta'], 'readwrite', (t) => void t.objectStore('meta').put(value, key));
  }

  /** The next filing order number on this device (kept across reloads). */
  nextSeq(): Promise<number> {
    return this.tx(['meta'], 'readwrite', async (t) => {
      const store = t.objectStore('meta');
      const n = ((await req(store.get('seq') as IDBRequest<number | undefined>)) ?? 0) + 1;
      store.put(n, 'seq');
      return n;
    });
  }

  /** Everything, every account: for Clear this device (then the database itself is deleted). */
  async counts(): Promise<{ items: OutboxItem[]; photos: PhotoRecord[]; composing: ComposeRecord[] }> {
    return this.tx(['items', 'photos', 'compose'], 'readonly', async (t) => ({
      items: await req(t.objectStore('items').getAll() as IDBRequest<OutboxItem[]>),
      photos: await req(t.objectStore('photos').getAll() as IDBRequest<PhotoRecord[]>),
      composing: await req(t.objectStore('compose').getAll() as IDBRequest<ComposeRecord[]>),
    }));
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
    const db = await this.db?.catch(() => undefined);
    db?.close();
    this.db = undefined;
    await new Promise<void>((resolve, reject) => {
      const r = indexedDB.deleteDatabase(DB_NAME);
      r.onsuccess = () => resolve();
      r.onerror = () => reject(r.error);
      r.onblocked = () => resolve(); // other tabs close on versionchange; the delete completes then
    });
  }
}
