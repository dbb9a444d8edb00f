// Transaction origins. Anything else as an origin is the CollabConnection that sent the update.

/** Updates read from the store: already stored, never re-persisted. */
export const STORE_ORIGIN = Object.freeze({ source: 'store' as const });
/** CollabService.change(): a server-side edit. */
export const SERVER_ORIGIN = Object.freeze({ source: 'server' as const });
