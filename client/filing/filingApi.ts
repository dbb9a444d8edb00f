// The filing page's side of the API (issue 11's contract): the outbox's Transport, My filings and
// the live files. JSON over fetch; photo uploads over XMLHttpRequest for their upload progress.
// Every failure is a SendFailure with the HTTP status (0 = no answer) and the server's error id.
import type { EntryView } from '../../shared/schemas/entry.js';
import type { LiveFileView } from '../../shared/schemas/liveFile.js';
import type { ErrorBody } from '../../shared/errors.js';
import type { ContentBody, CreateBody, MediaView, PhotoRecord } from './outbox/model.js';
import { SendFailure, type Transport } from './outbox/runner.js';

export interface FilingRow {
  entry: EntryView;
  liveFile: { id: string; slug: string; title: string };
}

/** Answers wait at most this long; a phone in a crowd can sit on a dead connection for minutes. */
const JSON_TIMEOUT_MS = 30_000;
/** An upload may take long on a slow link, but not with nothing moving: no progress for this long ends it. */
const UPLOAD_STALL_MS = 60_000;

export class FilingApi implements Transport {
  /**
   * `observe(true, ok)` whenever the server answers (any HTTP status; `ok` for a 2xx),
   * `observe(false, false)` when nothing came back: the page's idea of the connection, instead of
   * navigator.onLine.
   */
  constructor(
    private readonly base = '',
    private readonly observe: (answered: boolean, ok: boolean) => void = () => {},
  ) {}

  listLiveFiles() {
    return this.json<{ liveFiles: LiveFileView[] }>('GET', '/api/live-files');
  }
  myFilings() {
    return this.json<{ filings: FilingRow[] }>('GET', '/api/me/filings');
  }
  readSession() {
    return this.json<{ account: { id: string } }>('GET', '/api/session');
  }

  create(liveFileId: string, body: CreateBody): Promise<EntryView> {
    return this.json<EntryView>('POST', `/api/live-files/${encodeURIComponent(liveFileId)}/entries`, body);
  }
  putContent(entryId: string, body: ContentBody): Promise<EntryView> {
    return this.json<EntryView>('PUT', `/api/entries/${encodeURIComponent(entryId)}/content`, body);
  }
  submit(entryId: string, version: number, idempotencyKey: string): Promise<EntryView> {
    return this.json<EntryView>('POST', `/api/entries/${encodeURIComponent(entryId)}/submit`, { version }, { 'idempotency-key': idempotencyKey });
  }
  read(entryId: string): Promise<EntryView> {
    return this.json<EntryView>('GET', `/api/entries/${encodeURIComponent(entryId)}`);
  }

  /**
   * POST /api/media: the photo's bytes as the body, its key in Idempotency-Key. A dropped
   * connection fails the whole upload; the retry starts again from the first byte under the same
   * key (the server answers a repeat of a finished upload with the same photo).
   */
  upload(photo: PhotoRecord & { blob: Blob }, onProgress: (sent: number, total: number) => void): Promise<MediaView> {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      let stall: ReturnType<typeof setTimeout> | undefined;
      const arm = () => {
        clearTimeout(stall);
        stall = setTimeout(() => xhr.abort(), UPLOAD_STALL_MS);
      };
      const fail = (status: number, code: string, message: string, retryAfterMs?: number) => {
        clearTimeout(stall);
        reject(new SendFailure(status, code, message, retryAfterMs));
      };
      xhr.open('POST', `${this.base}/api/media`);
      xhr.withCredentials = true;
      xhr.setRequestHeader('Content-Type', photo.type || photo.blob.type || 'application/octet-stream');
      xhr.setRequestHeader('Idempotency-Key', photo.uploadKey);
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.upload.onprogress = (e) => {
        arm();
        onProgress(e.loaded, e.lengthComputable ? e.total : photo.blob.size);
      };
      xhr.onload = () => {
        clearTimeout(stall);
        this.observe(true, xhr.status >= 200 && xhr.status < 300);
        const body = parse(xhr.responseText);
        if (xhr.status >= 200 && xhr.status < 300 && body && typeof (body as MediaView).id === 'string') return resolve(body as MediaView);
        if (xhr.status >= 200 && xhr.status < 300) return fail(0, 'unavailable', 'the answer to the upload was cut off');
        const e = (body as { error?: ErrorBody } | undefined)?.error;
        fail(xhr.status, e?.code ?? String(xhr.status), e?.message ?? `HTTP ${xhr.status}`, retryAfter(xhr.getResponseHeader('retry-after')));
      };
      xhr.onerror = () => {
        this.observe(false, false);
        fail(0, 'unavailable', 'the connection dropped during the upload');
      };
      xhr.onabort = () => fail(0, 'unavailable', 'the upload stalled: nothing moved for a minute');
      xhr.ontimeout = () => fail(0, 'unavailable', 'the upload timed out');
      arm();
      xhr.send(photo.blob);
    });
  }

  private async json<T>(method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<T> {
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), JSON_TIMEOUT_MS);
    let res: Response;
    try {
      res = await fetch(this.base + path, {
        method,
        credentials: 'same-origin',
        cache: 'no-store',
        headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...extra },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: ctl.signal,
      });
    } catch (err) {
      this.observe(false, false);
      throw new SendFailure(0, 'unavailable', (err as Error).name === 'AbortError' ? 'no answer in time' : "this device can't reach the server");
    } finally {
      clearTimeout(timer);
    }
    this.observe(true, res.ok);
    const text = await res.text().catch(() => '');
    const json = text ? parse(text) : undefined;
    if (!res.ok) {
      const e = (json as { error?: ErrorBody } | undefined)?.error;
      throw new SendFailure(res.status, e?.code ?? String(res.status), e?.message ?? `HTTP ${res.status}`, retryAfter(res.headers.get('retry-after')));
    }
    // A 2xx whose body did not arrive whole: as good as no answer (the retry's key makes it safe).
    if (json === undefined && res.status !== 204) throw new SendFailure(0, 'unavailable', 'the answer was cut off');
    return json as T;
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function retryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const s = Number(header);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}
