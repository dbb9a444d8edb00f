// One websocket on /collab/<docName>: queues frames until its doc is ready, then hands them
// to handleFrame in order. Closing detaches at once, without waiting for the close handshake.
import { WebSocket } from 'ws';
import type { Logger } from 'pino';
import { CollabClose } from '../../shared/collab/closeCodes.js';
import { Limits } from '../../shared/limits.js';
import type { CollabAccess, CollabIdentity } from './CollabService.js';
import type { DocPeer, SharedDoc } from './SharedDoc.js';
import { sendWireFrame, WireFrame } from '../edgeSupport/wireFrame.js';
import { handleFrame } from './handleFrame.js';
import { watchSessionExpiry } from '../features/accounts/sessionExpiry.js';
import { writeAwareness, writeReadOnly } from './protocol.js';

export const READ_ONLY_REASON = 'read-only';

export class CollabConnection implements DocPeer {
  readonly identity: CollabIdentity;
  readonly ownedClientIds = new Set<number>();
  readOnly: boolean;
  /** Heartbeat: cleared on ping, set on pong. */
  alive = true;
  private shared: SharedDoc | null = null;
  private queue: Uint8Array[] = [];
  private queuedBytes = 0;
  private closed = false;
  /** Frames wait while this is above 0: a store write for the previous frame, an access re-check. */
  private pauses = 0;
  private readonly stopExpiryWatch: () => void;

  constructor(
    readonly ws: WebSocket,
    readonly docName: string,
    access: CollabAccess,
    private readonly logger: Logger,
    /** Called once, when the connection leaves its doc. */
    private readonly onDetach: (conn: CollabConnection) => void,
  ) {
    this.identity = access.identity;
    this.readOnly = access.readOnly;
    // Synchronously, before any frame can arrive: the stock client sends step 1 on open.
    ws.on('message', (data, isBinary) => this.receive(data, isBinary));
    ws.on('close', () => this.detach());
    // ws closes by itself after this (1009 for a frame over maxPayload, 1002 for bad framing).
    ws.on('error', (err) => {
      const accountId = this.identity.accountId;
      this.logger.warn({ docName, accountId, reason: err.message }, 'collab socket error');
    });
    ws.on('pong', () => (this.alive = true));
    this.stopExpiryWatch = watchSessionExpiry(access.identity.sessionExpiresAt, () => this.close(CollabClose.Unauthenticated, 'session expired'));
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** The doc is loaded: join it, greet, replay what arrived meanwhile. */
  attach(shared: SharedDoc): void {
    if (this.closed) return;
    this.shared = shared;
    shared.peers.add(this);
    if (this.readOnly) this.send(writeReadOnly(READ_ONLY_REASON));
    // A joiner sees who is already here at once, not at their next 15 s renewal.
    const everyone = shared.awareness.encodeAll();
    if (everyone) this.send(writeAwareness(everyone));
    this.resume();
  }

  resume(): void {
    let i = 0;
    while (i < this.queue.length && this.canDispatch()) this.dispatch(this.shared!, this.queue[i++]);
    this.queue = this.queue.slice(i);
    this.queuedBytes = this.queue.reduce((n, f) => n + f.byteLength, 0);
  }

  /** Holds this connection's frames until the returned function is called (e.g. while access is re-checked). */
  pause(): () => void {
    this.pauses++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.pauses--;
      this.resume();
    };
  }

  /** Access became read-only while connected: writes are dropped from now on, and the client is told. */
  downgrade(reason: string): void {
    if (this.readOnly || this.closed) return;
    this.readOnly = true;
    this.send(writeReadOnly(reason));
  }

  private canDispatch(): boolean {
    return !this.closed && this.pauses === 0 && this.shared !== null && this.shared.ready;
  }

  send(frame: Uint8Array | WireFrame): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    if (frame instanceof WireFrame) sendWireFrame(this.ws, frame);
    else this.ws.send(frame);
  }

  close(close: { code: number; reason: string }, why?: string): void {
    if (this.closed) return;
    if (why) {
      const { docName } = this;
      this.logger.warn({ docName, accountId: this.identity.accountId, reason: why, code: close.code }, 'collab connection closed');
    }
    this.detach();
    this.ws.close(close.code, close.reason);
  }

  private receive(data: WebSocket.RawData, isBinary: boolean): void {
    if (this.closed) return;
    this.alive = true; // any frame is a sign of life, not only a pong
    if (!isBinary || !Buffer.isBuffer(data)) return this.close(CollabClose.MalformedMessage, 'text frame');
    const frame = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (this.canDispatch() && this.queue.length === 0) return this.dispatch(this.shared!, frame);
    this.queue.push(frame);
    this.queuedBytes += frame.byteLength;
    if (this.queue.length > Limits.maxQueuedFramesWhileLoading || this.queuedBytes > Limits.maxQueuedBytesWhileLoading) {
      this.close(CollabClose.QueueOverflow, 'too many frames while the doc loads');
    }
  }

  private dispatch(shared: SharedDoc, frame: Uint8Array): void {
    let result: ReturnType<typeof handleFrame>;
    try {
      result = handleFrame(this, shared, frame);
    } catch (err) {
      return this.close(CollabClose.MalformedMessage, err instanceof Error ? err.message : String(err));
    }
    if (!(result instanceof Promise)) {
      if (result) this.close(result.close, result.why);
      return;
    }
    const unpause = this.pause();
    result.then(
      (rejection) => {
        if (rejection) this.close(rejection.close, rejection.why);
        unpause();
      },
      (err: unknown) => {
        this.logger.error({ err, docName: this.docName }, 'collab frame failed');
        this.close(CollabClose.Internal, 'frame failed');
        unpause();
      },
    );
  }

  private detach(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopExpiryWatch();
    this.queue = [];
    this.shared?.removePeer(this);
    this.shared = null;
    this.onDetach(this);
  }
}
