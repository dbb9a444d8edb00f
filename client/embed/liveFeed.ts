/**
 * The embed's data: the first page from the public API, then every change, from the /live
 * Socket.IO namespace (contract: shared/realtime/liveEvents.ts) or, while that is not connected
 * and subscribed, by polling `/changes?after=<lastSeq>`. Never a cookie: fetch omits credentials
 * and the socket is websocket-only without credentials.
 */
import { io, type Socket } from 'socket.io-client';
import type { ReaderChange, ReaderEntry, SubscribeAck } from '../../shared/realtime/liveEvents.js';

/** What the public API gives per entry: the one shared reader contract. */
export type EmbedEntry = ReaderEntry;
type Change = ReaderChange;
interface Page { liveFile: { slug: string; title: string; status: string; lastSeq: number }; entries: EmbedEntry[] }

export interface FeedState {
  title: string;
  status: string;
  entries: EmbedEntry[];
  /** live: subscribed; polling: the socket is not there, changes are fetched; ended: coverage over. */
  mode: 'loading' | 'live' | 'polling' | 'ended' | 'error';
  error?: string;
}

/** Reader order: pinned first, then the desk's position key (byte order), then id. */
function byReaderOrder(a: EmbedEntry, b: EmbedEntry): number {
  if (a.pinned !== b.pinned) return a.pinned ? -1 : 1;
  if (a.position !== b.position) return a.position < b.position ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function openLiveFeed(opts: { origin: string; slug: string; limit: number; pollMs: number; onState: (s: FeedState) => void }): () => void {
  const { origin, slug, limit } = opts;
  const api = `${origin}/api/public/live/${encodeURIComponent(slug)}`;
  const byId = new Map<string, EmbedEntry>();
  let lastSeq = 0;
  let state: FeedState = { title: '', status: '', entries: [], mode: 'loading' };
  let socket: Socket | null = null;
  let pollTimer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let subscribed = false;

  const emit = (patch: Partial<FeedState>) => {
    state = { ...state, ...patch, entries: [...byId.values()].sort(byReaderOrder).slice(0, limit) };
    opts.onState(state);
  };
  const getJson = async <T>(url: string): Promise<T> => {
    const res = await fetch(url, { credentials: 'omit', mode: 'cors', headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(res.status === 404 ? 'This live file does not exist.' : `The live file could not be loaded (${res.status}).`);
    return (await res.json()) as T;
  };

  async function loadPage(): Promise<void> {
    // A few more than shown: a retraction or a move still leaves `limit` to show.
    const page = await getJson<Page>(`${api}?limit=${Math.min(100, limit + 10)}`);
    byId.clear();
    for (const e of page.entries) byId.set(e.id, e);
    lastSeq = page.liveFile.lastSeq;
    emit({ title: page.liveFile.title, status: page.liveFile.status });
  }

  /** In seq order; anything at or before lastSeq was applied already. */
  function apply(changes: Change[]): void {
    let changed = false;
    for (const c of [...changes].sort((a, b) => a.seq - b.seq)) {
      if (c.seq <= lastSeq) continue;
      byId.set(c.entryId, c.entry);
      lastSeq = c.seq;
      changed = true;
    }
    if (changed) emit({});
  }

  function ended(): void {
    stop();
    emit({ mode: 'ended', status: 'ended' });
  }

  async function poll(): Promise<void> {
    pollTimer = undefined;
    if (stopped || subscribed) return;
    try {
      const got = await getJson<{ changes: Change[]; lastSeq: number }>(`${api}/changes?after=${lastSeq}`);
      apply(got.changes);
      if (state.mode !== 'polling' && !subscribed) emit({ mode: 'polling' });
    } catch {
      /* the network is away: the next poll tries again */
    }
    schedulePoll();
  }
  function schedulePoll(): void {
    if (stopped || subscribed || pollTimer) return;
    pollTimer = setTimeout(() => void poll(), opts.pollMs);
  }

  function subscribe(): void {
    socket?.emit('subscribe', { slug, after: lastSeq }, (ack: SubscribeAck) => {
      if (stopped) return;
      if (!ack || 'error' in ack) return schedulePoll();
      if ('reload' in ack) {
        void loadPage().then(subscribe, schedulePoll);
        return;
      }
      apply(ack.changes);
      if (ack.ended) return ended();
      subscribed = true;
      clearTimeout(pollTimer);
      pollTimer = undefined;
      emit({ mode: 'live' });
    });
  }

  function connect(): void {
    socket = io(`${origin}/live`, { transports: ['websocket'], withCredentials: false, reconnectionDelayMax: 30_000 });
    socket.on('connect', subscribe);
    socket.on('disconnect', () => {
      subscribed = false;
      if (!stopped) schedulePoll();
    });
    socket.on('connect_error', () => schedulePoll());
    socket.on('change', (c: Change) => {
      if (c.seq > lastSeq + 1) subscribe(); // a gap: ask for what is missing
      else apply([c]);
    });
    socket.on('ended', () => ended());
  }

  function stop(): void {
    stopped = true;
    clearTimeout(pollTimer);
    socket?.disconnect();
    socket = null;
  }

  loadPage().then(() => {
    if (stopped) return;
    if (state.status === 'ended' || state.status === 'archived') return emit({ mode: 'ended' });
    emit({ mode: 'polling' });
    schedulePoll();
    connect();
  }, (err: unknown) => emit({ mode: 'error', error: (err as Error).message || 'The live file could not be loaded.' }));

  return stop;
}
