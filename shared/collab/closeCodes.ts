/** WebSocket close codes on /collab after the handshake (before it: HTTP 401/403/404). docs/protocol.md. */
export const CollabClose = {
  MessageTooBig: { code: 1009, reason: 'message-too-big' },
  ServerShutdown: { code: 1001, reason: 'server-shutdown' },
  MalformedMessage: { code: 4400, reason: 'malformed-message' },
  Unauthenticated: { code: 4401, reason: 'unauthenticated' },
  AccessRevoked: { code: 4403, reason: 'access-revoked' },
  /** Access changed while connected (e.g. an entry came back to its author): reconnect to get the new access. */
  AccessChanged: { code: 4409, reason: 'access-changed' },
  DocumentGone: { code: 4404, reason: 'document-gone' },
  PendingOverflow: { code: 4413, reason: 'pending-overflow' },
  /** The update would take the document past Limits.maxDocBytes: refused whole, nothing applied. */
  DocumentTooLarge: { code: 4414, reason: 'document-too-large' },
  QueueOverflow: { code: 4429, reason: 'queue-overflow' },
  Internal: { code: 4500, reason: 'internal-error' },
} as const satisfies Record<string, { code: number; reason: string }>;

/** Codes after which a client must not reconnect on its own. */
export const STAY_AWAY_CODES: ReadonlySet<number> = new Set([
  CollabClose.Unauthenticated.code,
  CollabClose.AccessRevoked.code,
  CollabClose.DocumentGone.code,
  // Reconnecting would resend the refused update (it is still in this device's copy) and be refused again.
  CollabClose.DocumentTooLarge.code,
  CollabClose.MessageTooBig.code, // likewise: a frame over Limits.maxCollabFrameBytes is only ever our own change
]);

/** Closes meaning a change of this device's was too large for the document: kept here, never resent. */
export const TOO_LARGE_CODES: ReadonlySet<number> = new Set([CollabClose.DocumentTooLarge.code, CollabClose.MessageTooBig.code]);

/** Custom application message on /collab (server → client): the connection is read-only. */
export const MESSAGE_READ_ONLY = 100;

/**
 * Custom application message on /collab (server → client): `varUint(102) • varUint(periodMs)`, sent on
 * join and every period to connections that asked for it (`?heartbeat=1`), so a client can tell a
 * silent server from a quiet one (WebSocket pings are invisible to browser code) [HB1].
 */
export const MESSAGE_HEARTBEAT = 102;

/** The query parameter by which a client asks for heartbeats (the stock client would log each one). */
export const HEARTBEAT_PARAM = 'heartbeat';
