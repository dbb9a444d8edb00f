import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { LiveFileView } from '../../shared/schemas/liveFile.js';
import type { RealtimeClient } from '../services/realtimeClient.js';

/** Live files created or changed elsewhere while the desk list is open. */
export class LiveFilesController implements ReactiveController {
  readonly byId = new Map<string, LiveFileView>();
  private offs: Array<() => void> = [];

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly realtime: () => RealtimeClient | undefined,
  ) {
    host.addController(this);
  }

  add(f: LiveFileView) {
    this.byId.set(f.id, f);
    this.host.requestUpdate();
  }

  /** Merges the REST list with what arrived over the socket, newest first. */
  merge(list: LiveFileView[]): LiveFileView[] {
    const all = new Map(list.map((f) => [f.id, f]));
    for (const [id, f] of this.byId) {
      const prev = all.get(id);
      if (!prev || prev.updatedAt <= f.updatedAt) all.set(id, f);
    }
    return [...all.values()].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
  }

  hostConnected() {
    const rt = this.realtime();
    if (!rt) return;
    this.offs = [rt.on('liveFile:created', (f) => this.add(f)), rt.on('liveFile:updated', (f) => this.add(f))];
  }

  hostDisconnected() {
    for (const off of this.offs) off();
    this.offs = [];
  }
}
