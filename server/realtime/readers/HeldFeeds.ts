/** A live file's feed and its readers: closed when nobody has held it for the linger time. */
export interface Closable {
  close(): void;
}

/**
 * The live files' feeds, each held while anyone reads its file and for `lingerMs` after its last
 * reader leaves: readers that all drop at once (a proxy restart, a network blip) come back to a
 * feed that still keeps what they missed, so their subscribes need no store read each (RD10).
 */
export class HeldFeeds<T extends Closable> {
  private readonly held = new Map<string, { value: T; holders: number; linger: ReturnType<typeof setTimeout> | null }>();

  constructor(
    private readonly create: (liveFileId: string) => T,
    private readonly lingerMs: number,
  ) {}

  /** The file's feed if it is held or lingering. */
  get(liveFileId: string): T | undefined {
    return this.held.get(liveFileId)?.value;
  }

  get size(): number {
    return this.held.size;
  }

  hold(liveFileId: string): T {
    let entry = this.held.get(liveFileId);
    if (!entry) {
      entry = { value: this.create(liveFileId), holders: 0, linger: null };
      this.held.set(liveFileId, entry);
    }
    if (entry.linger) clearTimeout(entry.linger);
    entry.linger = null;
    entry.holders++;
    return entry.value;
  }

  release(liveFileId: string): void {
    const entry = this.held.get(liveFileId);
    if (!entry || --entry.holders > 0) return;
    const drop = () => {
      if (this.held.get(liveFileId) !== entry || entry.holders > 0) return;
      this.held.delete(liveFileId);
      entry.value.close();
    };
    if (this.lingerMs <= 0) return drop();
    entry.linger = setTimeout(drop, this.lingerMs);
    entry.linger.unref?.();
  }

  /** Closes every feed, held or not (the server stops). */
  clear(): void {
    for (const entry of this.held.values()) {
      if (entry.linger) clearTimeout(entry.linger);
      entry.value.close();
    }
    this.held.clear();
  }
}
