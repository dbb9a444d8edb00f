import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { EntryView } from '../../shared/schemas/entry.js';
import type { RealtimeClient } from '../services/realtimeClient.js';

/** Keeps the entries of one live file current: REST snapshot first, then Socket.IO broadcasts. */
export class EntriesController implements ReactiveController {
  readonly byId = new Map<string, EntryView>();
  private offs: Array<() => void> = [];

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly realtime: () => RealtimeClient | undefined,
    private readonly liveFileId: () => string | undefined,
  ) {
    host.addController(this);
  }

  /** Seeds from the page's REST load; newer versions (by `version`, then `updatedAt`) win. */
  seed(entries: EntryView[]) {
    for (const e of entries) this.upsert(e, false);
    this.host.requestUpdate();
  }

  upsert(e: EntryView, update = true) {
    if (e.liveFileId !== this.liveFileId()) return;
    const prev = this.byId.get(e.id);
    if (prev && (prev.version > e.version || (prev.version === e.version && prev.updatedAt > e.updatedAt))) return;
    this.byId.set(e.id, e);
    if (update) this.host.requestUpdate();
  }

  hostConnected() {
    const rt = this.realtime();
    const id = this.liveFileId();
    if (!rt || !id) return;
    this.offs = [
      rt.on('entry:created', (e) => this.upsert(e)),
      rt.on('entry:updated', (e) => this.upsert(e)),
      rt.onWatchAck((fileId, entries) => fileId === id && this.seed(entries)),
    ];
    rt.watch(id).catch(() => {
      /* the REST snapshot stands; the socket re-watches on reconnect */
    });
    this.offs.push(() => rt.unwatch(id));
  }

  hostDisconnected() {
    for (const off of this.offs) off();
    this.offs = [];
  }
}
