// Readers of the `/live` namespace for integration tests: real socket.io-client sockets and a
// reader that follows the contract (shared/realtime/liveEvents.ts) and records exactly what the
// wire gave it, so a test can prove no gap and no duplicate.
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { READER_NAMESPACE, type ReaderChange, type ReaderClientToServer, type ReaderServerToClient, type SubscribeAck } from '../../shared/realtime/liveEvents.js';
import type { TestServer } from './startTestServer.js';

export type ReaderSocket = Socket<ReaderServerToClient, ReaderClientToServer>;

/** A socket to `/live` (websocket unless `polling`); reconnects by itself only when asked. */
export function openReaderSocket(baseUrl: string, opts: { cookie?: string; polling?: boolean; reconnect?: boolean } = {}): ReaderSocket {
  return io(`${baseUrl}${READER_NAMESPACE}`, {
    transports: opts.polling ? ['polling'] : ['websocket'],
    forceNew: true,
    reconnection: opts.reconnect ?? false,
    reconnectionDelay: 50,
    reconnectionDelayMax: 250,
    randomizationFactor: 0,
    extraHeaders: opts.cookie ? { cookie: opts.cookie } : {},
  });
}

export function connected(socket: ReaderSocket, timeoutMs = 5000): Promise<void> {
  if (socket.connected) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('reader did not connect')), timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once('connect_error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

export function disconnected(socket: ReaderSocket, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    if (!socket.connected && !socket.active) return resolve('already');
    const timer = setTimeout(() => reject(new Error('reader was not disconnected')), timeoutMs);
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

export function subscribeOnce(socket: ReaderSocket, slug: string, after: number, timeoutMs = 5000): Promise<SubscribeAck> {
  return socket.timeout(timeoutMs).emitWithAck('subscribe', { slug, after });
}

/**
 * A reader as the contract has it: on every connect it subscribes with the last seq it applied,
 * applies the ack, then each push. It records every seq the wire gave it and flags whatever breaks
 * the contract: a seq not exactly last + 1, a push before the ack, an ack that is not contiguous.
 */
export class LiveReader {
  last: number;
  /** Every seq received, ack's and pushes', in order. */
  readonly received: number[] = [];
  readonly violations: string[] = [];
  readonly acks: SubscribeAck[] = [];
  ended: { slug: string } | null = null;
  private subscribing = false;
  private waiters: Array<() => void> = [];

  constructor(
    readonly socket: ReaderSocket,
    readonly slug: string,
    after = 0,
    /** On { reload: true }: the page's lastSeq, as a page would refetch it. */
    private readonly reload?: () => Promise<number>,
  ) {
    this.last = after;
    socket.on('connect', () => void this.subscribe());
    socket.on('change', (c) => {
      if (this.subscribing) this.violations.push(`push ${c.seq} before the ack`);
      this.take(c);
    });
    socket.on('ended', (e) => {
      this.ended = e;
      this.wake();
    });
    if (socket.connected) void this.subscribe();
  }

  async subscribe(): Promise<void> {
    this.subscribing = true;
    const from = this.last;
    // The callback form: it runs as the ack packet is read, before any packet after it (a promise
    // would settle only after the pushes that came in the same read).
    const ack = await new Promise<SubscribeAck | null>((resolve) => {
      this.socket.timeout(5000).emit('subscribe', { slug: this.slug, after: from }, (err: Error | null, res: SubscribeAck) => {
        this.subscribing = false;
        if (err && this.socket.connected) this.violations.push(`subscribe failed: ${String(err)}`);
        if (!err) this.takeAck(from, res);
        resolve(err ? null : res);
      });
    });
    if (ack && 'reload' in ack && this.reload) this.last = Math.max(this.last, await this.reload());
    this.wake();
  }

  private takeAck(from: number, ack: SubscribeAck): void {
    this.acks.push(ack);
    if ('changes' in ack) {
      const seqs = ack.changes.map((c) => c.seq);
      const expected = Array.from({ length: ack.lastSeq - from }, (_, i) => from + 1 + i);
      if (JSON.stringify(seqs) !== JSON.stringify(expected)) this.violations.push(`ack after ${from} to ${ack.lastSeq} carried [${seqs.join(',')}]`);
      for (const c of ack.changes) this.take(c);
    }
  }

  /** Resolves once the reader applied `seq`. */
  reached(seq: number, timeoutMs = 10_000): Promise<void> {
    return this.until(() => this.last >= seq, `seq ${seq} (at ${this.last})`, timeoutMs);
  }

  until(test: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        reject(new Error(`reader never got ${what}; violations: ${this.violations.join('; ') || 'none'}`));
      }, timeoutMs);
      const check = () => {
        if (!test()) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve();
      };
      this.waiters.push(check);
    });
  }

  private take(c: ReaderChange): void {
    this.received.push(c.seq);
    if (c.seq <= this.last) this.violations.push(`duplicate ${c.seq} (at ${this.last})`);
    else if (c.seq !== this.last + 1) this.violations.push(`gap: ${c.seq} after ${this.last}`);
    if (c.seq > this.last) this.last = c.seq;
    this.wake();
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
}

/**
 * A published change through the real PublishingService (stored with its seq, 'reader:change'
 * emitted), without the desk's create/submit/publish round trips: for tests that need many.
 */
export async function publishDirect(server: TestServer, liveFileId: string, text = `Update ${randomUUID().slice(0, 6)}`): Promise<number> {
  const id = `rd${randomUUID().replace(/-/g, '').slice(0, 20)}`;
  const at = new Date().toISOString();
  const entry = { id, liveFileId, version: 1 } as Parameters<TestServer['server']['services']['publishing']['record']>[0];
  const stored = await server.server.services.publishing.record(entry, {
    kind: 'published', revision: 1, html: `<p>${text}</p>`, text, doc: { type: 'doc', content: [] }, headline: '', bylines: ['Desk'], authorIds: [], approverId: 'test', at,
  });
  return stored.seq;
}
