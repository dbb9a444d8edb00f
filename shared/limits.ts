/** Caps both sides enforce. The server is authoritative; the client checks early to fail kindly. */
export const Limits = {
  /** JSON request bodies. */
  maxJsonBodyBytes: 256 * 1024,
  /** One collab websocket frame: a whole document at the cap (sync step 2) fits, with room to spare. */
  maxCollabFrameBytes: 4 * 1024 * 1024,
  /** Frames queued per connection while its document loads. */
  maxQueuedFramesWhileLoading: 256,
  maxQueuedBytesWhileLoading: 16 * 1024 * 1024,
  /** The collab server pings this often (COLLAB_HEARTBEAT_MS defaults to it); a socket silent for a period is dropped. */
  collabHeartbeatMs: 4000,
  /** Client updates held aside until their dependencies arrive, per connection: bytes and wait. */
  maxHeldBytesPerConnection: 1024 * 1024,
  maxHeldMs: 10_000,
  /**
   * One document's stored state (an entry's, a live file's desk document): an update that would take
   * it past this is refused whole (CollabClose.DocumentTooLarge). Newsroom entries are a few KB.
   */
  maxDocBytes: 2 * 1024 * 1024,
  /** The desk warns the writer ("getting long: split it") once a document's encoded state reaches this. */
  docWarnBytes: 1.5 * 1024 * 1024,
  liveFileTitleMax: 200,
  entryLabelMax: 120,
  headlineMax: 300,
  placeMax: 120,
  captionMax: 1000,
  maxFiledLinks: 10,
  maxFiledPhotos: 20,
  /** A rejection note or a retraction reason. */
  workflowNoteMax: 2000,
  bylineMax: 120,
  maxBylines: 10,
  usernameMax: 64,
  passwordMin: 8,
  passwordMax: 256,
  displayNameMax: 120,
  /** A session keeps this much of the browser's User-Agent, for its owner's session list. */
  userAgentMax: 200,
  /** An invite link works this long. */
  inviteTtlHours: 72,
} as const;
