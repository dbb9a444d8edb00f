// A lean y-websocket client: ws + Y.Doc + y-protocols sync, and a real awareness state of its
// own (encoded by hand, no timers). Received awareness is counted, not stored.
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';

export interface LeanClientOptions {
  headers?: Record<string, string>;
  /** Awareness state sent on open (as a stock client does); null sends none. */
  awareness?: Record<string, unknown> | null;
  /** Apply remote updates to the local doc (false: a write-only client that still syncs). */
  applyRemote?: boolean;
  doc?: Y.Doc;
}

export class LeanClient {
  readonly doc: Y.Doc;
  readonly ws: WebSocket;
  readonly opened: Promise<void>;
  readonly synced: Promise<void>;
  /** Monotonic ms when the first sync step 2 arrived. */
  syncedAt = 0;
  framesIn = 0;
  private awarenessClock = 0;
  private step2Waiters: Array<() => void> = [];
  private failWaiters: Array<(e: Error) => void> = [];
  /** Close code and reason, once the socket closed. */
  closedWith: { code: number; reason: string } | null = null;
  private closedP: Promise<void>;

  constructor(serverUrl: string, docName: string, private readonly opts: LeanClientOptions = {}) {
    this.doc = opts.doc ?? new Y.Doc();
    this.ws = new WebSocket(`${serverUrl}/${docName}`, { headers: opts.headers, perMessageDeflate: false });
    this.ws.binaryType = 'nodebuffer';
    let resolveSynced!: () => void;
    this.synced = new Promise((r) => (resolveSynced = r));
    this.step2Waiters.push(() => {
      this.syncedAt = Number(process.hrtime.bigint()) / 1e6;
      resolveSynced();
    });
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
      this.ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
    this.closedP = new Promise((r) => this.ws.once('close', (code: number, reason: Buffer) => {
      this.closedWith = { code, reason: reason.toString() };
      const err = new Error(`${docName}: connection closed ${code} ${reason.toString()}`);
      for (const f of this.failWaiters.splice(0)) f(err);
      r();
    }));
    this.ws.on('error', () => {});
    this.ws.on('open', () => {
      const enc = encoding.createEncoder();
      encoding.writeVarUint(enc, 0);
      syncProtocol.writeSyncStep1(enc, this.doc);
      this.ws.send(encoding.toUint8Array(enc));
      if (opts.awareness !== null) this.setAwareness(opts.awareness ?? { user: { name: 'bench' } });
    });
    this.ws.on('message', (data: Buffer) => this.onMessage(data));
    this.doc.on('update', this.onLocalUpdate);
  }

  private readonly onLocalUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === this || this.ws.readyState !== WebSocket.OPEN) return;
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, 0);
    syncProtocol.writeUpdate(enc, update);
    this.ws.send(encoding.toUint8Array(enc));
  };

  setAwareness(state: Record<string, unknown> | null): void {
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, 1);
    const inner = encoding.createEncoder();
    encoding.writeVarUint(inner, 1);
    encoding.writeVarUint(inner, this.doc.clientID);
    encoding.writeVarUint(inner, ++this.awarenessClock);
    encoding.writeVarString(inner, JSON.stringify(state));
    encoding.writeVarUint8Array(enc, encoding.toUint8Array(inner));
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(encoding.toUint8Array(enc));
  }

  /** Sends sync step 1 and resolves on the next step 2: the server has handled everything sent before. */
  roundTrip(): Promise<void> {
    if (this.closedWith) return Promise.reject(new Error(`connection closed ${this.closedWith.code} ${this.closedWith.reason}`));
    return new Promise((resolve, reject) => {
      this.step2Waiters.push(resolve);
      this.failWaiters.push(reject);
      const enc = encoding.createEncoder();
      encoding.writeVarUint(enc, 0);
      syncProtocol.writeSyncStep1(enc, this.doc);
      this.ws.send(encoding.toUint8Array(enc));
    });
  }

  private onMessage(data: Buffer): void {
    this.framesIn++;
    const dec = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    const type = decoding.readVarUint(dec);
    if (type !== 0) return; // awareness, auth, read-only: not needed here
    const kind = decoding.readVarUint(dec);
    if (kind === syncProtocol.messageYjsSyncStep1) {
      const enc = encoding.createEncoder();
      encoding.writeVarUint(enc, 0);
      syncProtocol.readSyncStep1(dec, enc, this.doc);
      this.ws.send(encoding.toUint8Array(enc));
      return;
    }
    const update = decoding.readVarUint8Array(dec);
    if (this.opts.applyRemote !== false || kind === syncProtocol.messageYjsSyncStep2) Y.applyUpdate(this.doc, update, this);
    if (kind === syncProtocol.messageYjsSyncStep2) this.step2Waiters.shift()?.();
  }

  close(): Promise<void> {
    this.doc.off('update', this.onLocalUpdate);
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    this.ws.close();
    return this.closedP;
  }
}
