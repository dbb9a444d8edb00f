import type { AccountView } from '../../shared/schemas/account.js';
import type { LiveFileView, CreateLiveFileRequest } from '../../shared/schemas/liveFile.js';
import type { EntryView, CreateEntryRequest, UpdateEntryMetaRequest } from '../../shared/schemas/entry.js';
import { ErrorCode, type ErrorBody } from '../../shared/errors.js';

/** An HTTP failure with the server's stable error id (or `unavailable` when the network failed). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Thin typed wrapper over the desk's JSON API. Same origin, cookie auth. */
export class ApiClient {
  constructor(private readonly base = '') {}

  signIn(username: string, password: string) {
    return this.request<{ account: AccountView }>('POST', '/api/session', { username, password });
  }
  readSession() {
    return this.request<{ account: AccountView }>('GET', '/api/session');
  }
  signOut() {
    return this.request<void>('DELETE', '/api/session');
  }
  listLiveFiles() {
    return this.request<{ liveFiles: LiveFileView[] }>('GET', '/api/live-files');
  }
  createLiveFile(req: CreateLiveFileRequest) {
    return this.request<LiveFileView>('POST', '/api/live-files', req);
  }
  readLiveFile(liveFileId: string, signal?: AbortSignal) {
    return this.request<{ liveFile: LiveFileView; entries: EntryView[] }>('GET', `/api/live-files/${enc(liveFileId)}`, undefined, signal);
  }
  createEntry(liveFileId: string, req: CreateEntryRequest) {
    return this.request<EntryView>('POST', `/api/live-files/${enc(liveFileId)}/entries`, req);
  }
  updateEntry(entryId: string, req: UpdateEntryMetaRequest) {
    return this.request<EntryView>('PATCH', `/api/entries/${enc(entryId)}`, req);
  }

  private async request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    let res: Response;
    try {
      res = await fetch(this.base + path, {
        method,
        credentials: 'same-origin',
        headers: body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json', accept: 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      throw new ApiError(0, ErrorCode.Unavailable, 'The server could not be reached. Check the connection and try again.');
    }
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    const json = text ? safeJson(text) : undefined;
    if (!res.ok) {
      const e = (json as { error?: ErrorBody } | undefined)?.error;
      throw new ApiError(res.status, e?.code ?? fallbackCode(res.status), e?.message ?? `Request failed (${res.status})`, e?.details);
    }
    return json as T;
  }
}

function enc(id: string) {
  return encodeURIComponent(id);
}
function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
function fallbackCode(status: number): ErrorCode {
  if (status === 401) return ErrorCode.Unauthenticated;
  if (status === 403) return ErrorCode.Forbidden;
  if (status === 404) return ErrorCode.NotFound;
  if (status === 409) return ErrorCode.Conflict;
  if (status >= 500) return ErrorCode.Unavailable;
  return ErrorCode.InvalidInput;
}
