/** Caps both sides enforce. The server is authoritative; the client checks early to fail kindly. */
export const Limits = {
  /** JSON request bodies. */
  maxJsonBodyBytes: 256 * 1024,
  /** One collab websocket frame (sync step 2 of a big entry must fit). */
  maxCollabFrameBytes: 8 * 1024 * 1024,
  /** Frames queued per connection while its document loads. */
  maxQueuedFramesWhileLoading: 256,
  maxQueuedBytesWhileLoading: 16 * 1024 * 1024,
  /** Structs waiting for missing dependencies, per document. */
  maxPendingStructsPerDoc: 5_000,
  liveFileTitleMax: 200,
  entryLabelMax: 120,
  headlineMax: 300,
  bylineMax: 120,
  maxBylines: 10,
  usernameMax: 64,
  passwordMin: 8,
  passwordMax: 256,
} as const;
