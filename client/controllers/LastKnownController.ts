import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { LiveFileView } from '../../shared/schemas/liveFile.js';
import type { EntryView } from '../../shared/schemas/entry.js';
import { saveLastKnownFile } from '../services/lastKnown.js';

/** How often at most the page's entries are written down (they change with every broadcast). */
const SAVE_EVERY_MS = 2000;

export interface DeskSnapshot {
  accountId: string;
  liveFile: LiveFileView;
  entries: ReadonlyMap<string, EntryView>;
}

/**
 * Keeps what the desk shows written down on this device (services/lastKnown.ts), so a desk that
 * cannot load later shows what was last seen [ER2]. After each render, when the entries changed,
 * at most every SAVE_EVERY_MS; `snapshot` answers null while the page shows no live data.
 */
export class LastKnownController implements ReactiveController {
  private saved = '';
  private timer?: ReturnType<typeof setTimeout>;
  private lastSaveAt = Number.NEGATIVE_INFINITY;

  constructor(host: ReactiveControllerHost, private readonly snapshot: () => DeskSnapshot | null) {
    host.addController(this);
  }

  hostUpdated() {
    if (this.timer !== undefined) return;
    const wait = Math.max(0, this.lastSaveAt + SAVE_EVERY_MS - Date.now());
    if (wait === 0) this.save();
    else this.timer = setTimeout(() => ((this.timer = undefined), this.save()), wait);
  }

  hostDisconnected() {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.save();
  }

  private save() {
    const s = this.snapshot();
    if (!s) return;
    this.lastSaveAt = Date.now(); // checked: the next look waits SAVE_EVERY_MS, changed or not
    let sig = `${s.accountId}|${s.liveFile.id}|${s.liveFile.updatedAt}|${s.liveFile.title}|${s.entries.size}`;
    for (const e of s.entries.values()) sig += `|${e.id}:${e.version}:${e.updatedAt}`;
    if (sig === this.saved) return;
    this.saved = sig;
    saveLastKnownFile(s.accountId, s.liveFile, s.entries.values());
  }
}
