import { randomUUID } from 'node:crypto';
import { api, type TestServer } from './startTestServer.js';
import type { Person } from './newsroomPeople.js';

export interface ApiResult {
  status: number;
  json: Record<string, unknown> & { error?: { code: string; message: string; details?: Record<string, unknown> } };
}

/** `POST /api/entries/:entryId/<action>` as `who`, optionally with an Idempotency-Key. */
export async function transition(server: TestServer, who: Person, entryId: string, action: string, body: Record<string, unknown>, idempotencyKey?: string): Promise<ApiResult> {
  const res = await fetch(`${server.url}/api/entries/${entryId}/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: who.cookie, ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : {} };
}

/** The entry as `who` sees it over the API. */
export async function entryOf(server: TestServer, who: Person, entryId: string): Promise<Record<string, unknown> & { version: number; revision: number; status: string }> {
  const res = await api(server, who.cookie, 'GET', `/api/entries/${entryId}`);
  return res.json as Record<string, unknown> & { version: number; revision: number; status: string };
}

/** A new entry with `text` by `who`. */
export async function newEntry(server: TestServer, who: Person, liveFileId: string, text: string, headline?: string): Promise<{ id: string; version: number; revision: number }> {
  const res = await api(server, who.cookie, 'POST', `/api/live-files/${liveFileId}/entries`, { idempotencyKey: randomUUID(), text, ...(headline ? { headline } : {}) });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.json)}`);
  return res.json as { id: string; version: number; revision: number };
}

/** Public, no cookie. */
export async function publicGet(server: TestServer, path: string): Promise<ApiResult> {
  const res = await fetch(`${server.url}${path}`);
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : {} };
}

export async function slugOf(server: TestServer, liveFileId: string): Promise<string> {
  return (await server.store.liveFiles.findById(liveFileId))!.slug;
}

/** Reader changes of one live file as the server stores them (the 'reader:change' domain event). */
export function watchReaderChanges(server: TestServer, liveFileId: string) {
  const seen: Array<{ seq: number; kind: string; entryId: string }> = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  const onChange = (c: { liveFileId: string; seq: number; kind: string; entryId: string }) => {
    if (c.liveFileId !== liveFileId) return;
    seen.push({ seq: c.seq, kind: c.kind, entryId: c.entryId });
    for (const w of [...waiters]) if (seen.length >= w.n) { waiters.splice(waiters.indexOf(w), 1); w.resolve(); }
  };
  server.server.services.events.on('reader:change', onChange);
  return {
    seen,
    /** Resolves once `n` changes were stored since the watch began; rejects after timeoutMs. */
    count(n: number, timeoutMs = 5000): Promise<void> {
      if (seen.length >= n) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${seen.length} of ${n} reader changes`)), timeoutMs);
        waiters.push({ n, resolve: () => { clearTimeout(timer); resolve(); } });
      });
    },
    stop: () => server.server.services.events.off('reader:change', onChange),
  };
}
