import type { EntryView } from '../../shared/schemas/entry.js';
import type { QueueItem } from '../../shared/schemas/workflow.js';
import type { ApiClient } from './apiClient.js';
import type { RealtimeClient } from './realtimeClient.js';

/** Entry events come in bursts (one per edit): the queue is fetched again at most this often. */
const REFETCH_DEBOUNCE_MS = 300;

/**
 * The approval queue, kept live for everyone on the page who shows it (the header's count and the
 * queue page share one): `queue:watch` once, then `GET /api/queue` again shortly after an entry
 * event that can change it, i.e. an entry waiting now, or one that was in the queue [QU4].
 */
export class QueueFeed {
  items: QueueItem[] | null = null;
  /** The last refetch failed (the items shown are the ones before it). */
  failed: unknown = null;
  private readonly subs = new Set<() => void>();
  private offs: Array<() => void> = [];
  private timer?: ReturnType<typeof setTimeout>;
  private inFlight: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly api: ApiClient,
    private readonly realtime: RealtimeClient,
  ) {}

  /** Starts the feed with its first subscriber, stops it with its last. */
  subscribe(fn: () => void): () => void {
    this.subs.add(fn);
    if (this.subs.size === 1) this.start();
    return () => {
      this.subs.delete(fn);
      if (this.subs.size === 0) this.stop();
    };
  }

  /** Waiting entries only (scheduled ones are listed apart). */
  get waiting(): QueueItem[] {
    return (this.items ?? []).filter((i) => i.entry.status === 'submitted');
  }

  /** Puts a changed entry in at once (an action's answer) and fetches the queue again to be sure. */
  applied(entry: EntryView) {
    if (this.items) {
      this.items = entry.status === 'submitted'
        ? this.items.map((i) => (i.entry.id === entry.id ? { ...i, entry } : i))
        : this.items.filter((i) => i.entry.id !== entry.id);
      this.notify();
    }
    this.schedule();
  }

  refresh(): Promise<void> {
    if (this.inFlight) {
      this.again = true;
      return this.inFlight;
    }
    this.inFlight = this.api.readQueue().then(
      ({ items }) => {
        this.items = items;
        this.failed = null;
      },
      (err: unknown) => {
        this.failed = err;
      },
    ).finally(() => {
      this.inFlight = null;
      this.notify();
      if (this.again) {
        this.again = false;
        void this.refresh();
      }
    });
    return this.inFlight;
  }

  private start() {
    this.offs = [
      this.realtime.on('entry:created', (e) => this.onEntry(e)),
      this.realtime.on('entry:updated', (e) => this.onEntry(e)),
      this.realtime.onQueueAck((items) => {
        this.items = items;
        this.failed = null;
        this.notify();
      }),
    ];
    this.realtime.watchQueue().catch(() => void this.refresh());
    this.offs.push(() => this.realtime.unwatchQueue());
  }

  private stop() {
    for (const off of this.offs) off();
    this.offs = [];
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private onEntry(e: EntryView) {
    const inQueue = this.items?.some((i) => i.entry.id === e.id) ?? false;
    if (inQueue || e.status === 'submitted' || e.status === 'scheduled') this.schedule();
  }

  private schedule() {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, REFETCH_DEBOUNCE_MS);
  }

  private notify() {
    for (const fn of this.subs) fn();
  }
}

const feeds = new WeakMap<RealtimeClient, QueueFeed>();

/** The page's one queue feed (per signed-in socket: a new sign-in gets a new one). */
export function queueFeedFor(api: ApiClient, realtime: RealtimeClient): QueueFeed {
  let f = feeds.get(realtime);
  if (!f) feeds.set(realtime, (f = new QueueFeed(api, realtime)));
  return f;
}
