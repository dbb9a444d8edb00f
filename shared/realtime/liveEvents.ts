// The readers' live delivery: the Socket.IO namespace `/live` (docs/spec.md RD). A public
// contract: the reader page, the embed and partners use exactly these events.

import type { z } from 'zod';
import type { SubscribeRequestSchema } from './subscribeRequest.js';

/** The namespace readers connect to, on the same Socket.IO server (path `/socket.io/`). */
export const READER_NAMESPACE = '/live';

/** Caps of the reader socket; the server disconnects a socket past them. */
export const ReaderLimits = {
  /** Changes a subscribe may catch up; further behind, the ack says `{ reload: true }`. */
  maxCatchUp: 500,
  /** One client packet to `/live` (the encoded Socket.IO packet, in characters). */
  maxPacketChars: 1024,
  /** Packets to `/live` per connection (connect, subscribe, …): this many in a burst, then this many per second. */
  packetBurst: 6,
  packetsPerSecond: 2,
  /** A socket that has not subscribed this long after connecting is disconnected. */
  subscribeWithinMs: 20_000,
  slugMax: 100,
} as const;

/** One published entry as readers see it (`GET /api/public/live/:slug` serves the same). */
export interface ReaderEntry {
  id: string;
  seq: number;
  revision: number;
  html: string;
  text: string;
  headline: string;
  place?: string;
  bylines: string[];
  publishedAt: string;
  updatedAt: string;
  pinned: boolean;
  keyEvent: boolean;
  /** The desk order key: readers sort by (pinned first, position ascending, id). */
  position: string;
  corrected: boolean;
  retracted: null | { reason: string; at: string };
}

export const READER_CHANGE_KINDS = ['published', 'corrected', 'retracted', 'moved', 'pinned', 'unpinned', 'keyEvent'] as const;
export type ReaderChangeKind = (typeof READER_CHANGE_KINDS)[number];

/** One reader change, as `GET /api/public/live/:slug/changes` lists them: apply in seq order. */
export interface ReaderChange {
  seq: number;
  kind: ReaderChangeKind;
  entryId: string;
  entry: ReaderEntry;
}

/** `{ slug, after }`: `after` is the last seq this reader applied (the page's `liveFile.lastSeq` on a fresh page). */
export type SubscribeRequest = z.infer<typeof SubscribeRequestSchema>;

/**
 * The subscribe's answer. Caught up: `changes` are exactly the changes after `after` up to
 * `lastSeq`; every later change arrives as a `change` event, in seq order, none twice. `ended`:
 * the file has ended, the socket is disconnected after the ack (the page is static). `reload`:
 * too far behind (more than ReaderLimits.maxCatchUp changes, or a seq the server never gave):
 * refetch the page; the socket stays subscribed and pushes go on from where the file is, so skip
 * those at or below the page's lastSeq (or subscribe again from it). `error`: an unknown slug
 * (`not_found`) or a malformed request (`invalid_input`); the socket is disconnected.
 */
export type SubscribeAck =
  | { changes: ReaderChange[]; lastSeq: number; ended?: true }
  | { reload: true; ended?: true }
  | { error: { code: 'not_found' | 'invalid_input'; message: string } };

export interface ReaderClientToServer {
  /** The only event a reader sends. One file per socket: a second subscribe switches files. */
  subscribe: (req: SubscribeRequest, ack: (res: SubscribeAck) => void) => void;
}

export interface ReaderServerToClient {
  /** The next change after the last one this socket got (ack or push): seq is always last + 1. */
  change: (change: ReaderChange) => void;
  /** The file ended or was archived: no more changes; the server disconnects the socket next. */
  ended: (info: { slug: string }) => void;
}
