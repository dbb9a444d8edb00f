import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type * as Y from 'yjs';
import type { Role } from '../../shared/roles.js';

/** Who is on a collab connection: decided by upgrade.ts from the session, never by the client. */
export interface CollabIdentity {
  accountId: string;
  sessionId: string;
  displayName: string;
  color: string;
  role: Role;
}

export interface CollabAccess {
  identity: CollabIdentity;
  /** Writes are dropped by the server (and the client told) when true. */
  readOnly: boolean;
}

/** Called (debounced) after accepted client updates to an entry document. */
export type EntryEditedHook = (entryId: string, accountIds: string[], doc: Y.Doc) => void;

/** What the rest of the server sees of the collab endpoint. */
export interface CollabService {
  /** upgrade.ts calls this after its pre-101 checks passed: completes the handshake and serves the doc. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, docName: string, access: CollabAccess): void;
  /** A server-side change (e.g. a new entry in a desk doc): applied, persisted, then broadcast. */
  change(docName: string, fn: (doc: Y.Doc) => void): Promise<void>;
  /** Closes every collab connection of a session (sign-out, deactivation, role change). */
  closeSession(sessionId: string, close: { code: number; reason: string }): void;
  stats(): { loadedDocs: number; connections: number };
  /** Persists pending writes, compacts, closes every connection. */
  shutdown(): Promise<void>;
}
