// The filing outbox's records (issue 11): what a correspondent filed on this device, kept in
// IndexedDB (outbox/idbStore.ts) until the server has it. Pure data, no DOM: the unit tests run the
// scheduling and the runner in Node over an in-memory store.

/** A photo as an update carries it: the photo record on this device, its caption and credit. */
export interface PhotoRef {
  photoId: string;
  caption: string;
  credit: string;
}

/** What the correspondent wrote. `text` is plain paragraphs separated by blank lines. */
export interface FilingContent {
  headline: string;
  text: string;
  /** Typed by hand, never read from GPS. */
  place: string;
  /** Video and social links (http/https), plain links. */
  links: string[];
  photos: PhotoRef[];
  /** The byline is the desk ("Almaty desk"), not the person. */
  bylineAsDesk: boolean;
}

export interface LiveFileRef {
  id: string;
  slug: string;
  title: string;
  timezone?: string;
}

/** Why a request did not work, kept on the record for the row's "Details". */
export interface SendError {
  /** HTTP status; 0 = no answer (offline, dropped connection). */
  status: number;
  code: string;
  message: string;
  at: string;
}

/** The server's answer to an upload (POST /api/media). */
export interface MediaView {
  id: string;
  width: number;
  height: number;
  renditions: Array<{ width: number; type: string; url: string }>;
}

/** What the outbox needs of an EntryView. */
export interface EntryLike {
  id: string;
  status: string;
  version: number;
}

/** POST /api/live-files/:liveFileId/entries. */
export interface CreateBody {
  idempotencyKey: string;
  text?: string;
  headline?: string;
  place?: string;
  links?: string[];
  photos?: Array<{ mediaId: string; caption: string; credit: string }>;
  bylineAsDesk?: boolean;
}

/** PUT /api/entries/:entryId/content: the whole filing again (a draft or a rejected entry). */
export interface ContentBody {
  headline: string;
  text: string;
  place?: string;
  links?: string[];
  photos?: Array<{ mediaId: string; caption: string; credit: string }>;
}

export type Intent = 'draft' | 'submit';

/**
 * One filing in the outbox. Its idempotency keys are made when it is put in the outbox, before any
 * send, and every retry reuses them: a request whose answer was lost is answered by the server with
 * what it did the first time, never done twice.
 */
export interface OutboxItem {
  /** This device's id for it (also the IndexedDB key). */
  id: string;
  accountId: string;
  liveFile: LiveFileRef;
  /** Order of filing on this device: the outbox sends oldest first. */
  seq: number;
  /** `draft`: create only (Save draft); `submit`: create (or update) then submit. */
  intent: Intent;
  content: FilingContent;
  createKey: string;
  submitKey: string;
  /** The server's entry, once created (or from the start when editing an entry: Edit and resubmit). */
  entryId?: string;
  version?: number;
  /** The create body as first sent: every retry sends exactly this, so the key always matches its payload. */
  createSent?: CreateBody;
  /** The entry on the server does not say `content` yet (an edit of an existing entry, or edited after a create attempt). */
  contentDirty: boolean;
  /** Submit succeeded (intent `submit`). */
  submitted: boolean;
  /** Nothing left to send. Kept a while for its content (Edit and resubmit) and the "Sent" row. */
  done: boolean;
  /** Open in the compose form again: not sent until filed again. */
  held: boolean;
  attempts: number;
  /** Not before this (ms since epoch): the backoff after a failed attempt. */
  nextAttemptAt: number;
  lastError?: SendError;
  /** Refused for good (the file is closed, a photo was refused…): waits for Retry or an edit. */
  failed?: SendError;
  createdAt: string;
  updatedAt: string;
  sentAt?: string;
}

/** A photo kept on this device: resized and re-encoded (no EXIF), with its upload key. */
export interface PhotoRecord {
  id: string;
  accountId: string;
  /** The outbox item (or the compose draft) it belongs to. */
  itemId: string;
  /** The bytes to upload; dropped once the filing is done (the server has them). */
  blob?: Blob;
  type: string;
  width: number;
  height: number;
  bytes: number;
  uploadKey: string;
  media?: MediaView;
  attempts: number;
  nextAttemptAt: number;
  lastError?: SendError;
  failed?: SendError;
  createdAt: string;
}

/** The update being written, saved while typing (one per account). */
export interface ComposeRecord {
  accountId: string;
  /** The id the outbox item will get (its photos already carry it). */
  id: string;
  liveFileId: string;
  content: FilingContent;
  /** Editing an item of the outbox (held) or an entry on the server (a draft, a rejected entry). */
  editing?: { itemId?: string; entryId?: string; version?: number; status?: string; liveFile?: LiveFileRef };
  updatedAt: string;
}

export function emptyContent(): FilingContent {
  return { headline: '', text: '', place: '', links: [], photos: [], bylineAsDesk: false };
}

export function isEmptyContent(c: FilingContent): boolean {
  return !c.headline.trim() && !c.text.trim() && !c.place.trim() && c.links.every((l) => !l.trim()) && c.photos.length === 0;
}
