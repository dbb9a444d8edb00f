import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Role } from '../../shared/roles.js';
import type { DocAccess } from '../features/access.js';
import type { EntryDocs } from '../features/entries/EntryDocs.js';

/** Who is on a collab connection: decided by upgrade.ts from the session, never by the client. */
export interface CollabIdentity {
  accountId: string;
  sessionId: string;
  /** The session's end: the connection is closed then (Unauthenticated). */
  sessionExpiresAt: string;
  displayName: string;
  color: string;
  role: Role;
}

export interface CollabAccess {
  identity: CollabIdentity;
  /** Writes are dropped by the server (and the client told) when true. */
  readOnly: boolean;
}

/** Called (coalesced per doc) after accepted client updates to an entry document. */
export type EntryEditedHook = (entryId: string, accountIds: string[]) => void;
/** Called (coalesced per doc) after accepted client updates to a desk document (order, pins, key events). */
export type DeskEditedHook = (liveFileId: string, accountIds: string[]) => void;

/** Decides, from the store as it is now, what an account may do with a document ('missing': no such doc). */
export type CollabAuthorizer = (docName: string, identity: CollabIdentity) => Promise<DocAccess | 'missing'>;

/** What the rest of the server sees of the collab endpoint: it implements the features' EntryDocs port. */
export interface CollabService extends EntryDocs {
  /** upgrade.ts calls this after its pre-101 checks passed: completes the handshake and serves the doc. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, docName: string, access: CollabAccess): void;
  /** Re-checks every open connection of an account (role changed, deactivated). */
  reauthorizeAccount(accountId: string): Promise<void>;
  /** Closes every collab connection of a session (sign-out, deactivation). */
  closeSession(sessionId: string, close: { code: number; reason: string }): void;
  stats(): { loadedDocs: number; connections: number };
  /** Persists pending writes, compacts, closes every connection. */
  shutdown(): Promise<void>;
}
