// The HTTP steps the bench needs on our server: sign in, find a live file, create an entry.
import { randomUUID } from 'node:crypto';

export interface DemoLogin {
  username: string;
  password: string;
}

export async function signIn(baseUrl: string, logins: DemoLogin[], username: string): Promise<string> {
  const login = logins.find((l) => l.username === username);
  if (!login) throw new Error(`no demo login ${username} (was the store seeded?)`);
  const res = await fetch(`${baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: login.password }),
  });
  if (res.status !== 200) throw new Error(`sign-in as ${username} failed: ${res.status} ${await res.text()}`);
  return (res.headers.get('set-cookie') ?? '').split(';')[0];
}

async function api<T>(baseUrl: string, cookie: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { cookie, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

export async function firstLiveFileId(baseUrl: string, cookie: string): Promise<string> {
  const { liveFiles } = await api<{ liveFiles: Array<{ id: string }> }>(baseUrl, cookie, 'GET', '/api/live-files');
  if (!liveFiles.length) throw new Error('no live file on the server');
  return liveFiles[0].id;
}

/** POST /api/live-files/:id/entries; returns the entry id. */
export async function createEntry(baseUrl: string, cookie: string, liveFileId: string, text?: string): Promise<string> {
  const entry = await api<{ id: string }>(baseUrl, cookie, 'POST', `/api/live-files/${liveFileId}/entries`, {
    idempotencyKey: randomUUID(),
    ...(text ? { text } : {}),
  });
  return entry.id;
}
