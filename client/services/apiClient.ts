import type {
  AccountView, AdminAccountView, CreateAccountRequest, CreatedAccount, InviteView, SessionView, UpdateAccountRequest,
} from '../../shared/schemas/account.js';
import type { LiveFileView, CreateLiveFileRequest } from '../../shared/schemas/liveFile.js';
import type { EntryView, CreateEntryRequest, UpdateEntryMetaRequest } from '../../shared/schemas/entry.js';
import type { EntryHistory, LiveFileAccessRequest, QueueItem, TransitionRequest } from '../../shared/schemas/workflow.js';
import type { Role } from '../../shared/roles.js';
import type { CreateWebhookRequest, CreatedWebhook, UpdateWebhookRequest, WebhookView } from '../../shared/schemas/webhook.js';
import type { WorkflowAction } from '../../shared/workflow.js';
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
  // Your own sessions (the Sessions page).
  listSessions(signal?: AbortSignal) {
    return this.request<{ sessions: SessionView[] }>('GET', '/api/sessions', undefined, signal);
  }
  endSession(sessionId: string) {
    return this.request<void>('DELETE', `/api/sessions/${enc(sessionId)}`);
  }
  endAllSessions() {
    return this.request<void>('DELETE', '/api/sessions');
  }
  // Accounts (admin) and invite links.
  listAccounts(signal?: AbortSignal) {
    return this.request<{ accounts: AdminAccountView[] }>('GET', '/api/accounts', undefined, signal);
  }
  createAccount(req: CreateAccountRequest) {
    return this.request<CreatedAccount>('POST', '/api/accounts', req);
  }
  updateAccount(accountId: string, req: UpdateAccountRequest) {
    return this.request<{ account: AdminAccountView }>('PATCH', `/api/accounts/${enc(accountId)}`, req);
  }
  /** A lost phone: every session of the person ends now; the account stays active. */
  endSessionsOf(accountId: string) {
    return this.request<{ ended: number }>('DELETE', `/api/accounts/${enc(accountId)}/sessions`);
  }
  reinvite(accountId: string) {
    return this.request<CreatedAccount>('POST', `/api/accounts/${enc(accountId)}/invite`);
  }
  readInvite(token: string) {
    return this.request<InviteView>('GET', `/api/invites/${enc(token)}`);
  }
  acceptInvite(token: string, password: string) {
    return this.request<{ account: AccountView }>('POST', `/api/invites/${enc(token)}`, { password });
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
  readEntry(entryId: string) {
    return this.request<EntryView>('GET', `/api/entries/${enc(entryId)}`);
  }
  updateEntry(entryId: string, req: UpdateEntryMetaRequest) {
    return this.request<EntryView>('PATCH', `/api/entries/${enc(entryId)}`, req);
  }
  /** A workflow step; `idempotencyKey` is one per click, the same again when that click is retried. */
  transition(entryId: string, action: WorkflowAction, body: TransitionRequest, idempotencyKey: string) {
    return this.request<EntryView>('POST', `/api/entries/${enc(entryId)}/${action}`, body, undefined, { 'idempotency-key': idempotencyKey });
  }
  readQueue(signal?: AbortSignal) {
    return this.request<{ items: QueueItem[] }>('GET', '/api/queue', undefined, signal);
  }
  readHistory(entryId: string, signal?: AbortSignal) {
    return this.request<EntryHistory>('GET', `/api/entries/${enc(entryId)}/history`, undefined, signal);
  }
  updateLiveFileAccess(liveFileId: string, req: LiveFileAccessRequest) {
    return this.request<LiveFileView>('PATCH', `/api/live-files/${enc(liveFileId)}/access`, req);
  }
  // A live file's webhooks (chiefs and admins).
  listWebhooks(liveFileId: string, signal?: AbortSignal) {
    return this.request<{ webhooks: WebhookView[] }>('GET', `/api/live-files/${enc(liveFileId)}/webhooks`, undefined, signal);
  }
  createWebhook(liveFileId: string, req: CreateWebhookRequest) {
    return this.request<CreatedWebhook>('POST', `/api/live-files/${enc(liveFileId)}/webhooks`, req);
  }
  updateWebhook(liveFileId: string, hookId: string, req: UpdateWebhookRequest) {
    return this.request<{ webhook: WebhookView }>('PATCH', `/api/live-files/${enc(liveFileId)}/webhooks/${enc(hookId)}`, req);
  }
  deleteWebhook(liveFileId: string, hookId: string) {
    return this.request<void>('DELETE', `/api/live-files/${enc(liveFileId)}/webhooks/${enc(hookId)}`);
  }
  listPeople(signal?: AbortSignal) {
    return this.request<{ people: Array<{ id: string; displayName: string; role: Role }> }>('GET', '/api/newsroom/people', undefined, signal);
  }

  private async request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal, extra: Record<string, string> = {}): Promise<T> {
    let res: Response;
    try {
      res = await fetch(this.base + path, {
        method,
        credentials: 'same-origin',
        headers: { ...(body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json', accept: 'application/json' }), ...extra },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      throw new ApiError(0, ErrorCode.Unavailable, httpReason(0));
    }
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    const json = text ? safeJson(text) : undefined;
    if (!res.ok) {
      const e = (json as { error?: ErrorBody } | undefined)?.error;
      throw new ApiError(res.status, e?.code ?? fallbackCode(res.status), e?.message ?? httpReason(res.status), e?.details);
    }
    return json as T;
  }
}

/** The reason for an HTTP status, in words (also the ApiError message when the body has none); plainError.ts words whole errors. */
export function httpReason(status: number): string {
  if (status === 0) return "this device can't reach the server";
  if (status === 401) return 'you are signed out';
  if (status === 403) return "you don't have access to it";
  if (status === 404) return "it isn't there any more";
  if (status === 409) return 'someone else changed it at the same moment';
  if (status === 413) return 'it is too large';
  if (status === 429) return 'this device sent too many requests just now';
  if (status === 502 || status === 503 || status === 504) return "the desk server isn't answering just now";
  if (status >= 500) return 'something went wrong on the server';
  if (status >= 400) return 'the server refused the request';
  return 'the server gave an answer this page does not understand';
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
