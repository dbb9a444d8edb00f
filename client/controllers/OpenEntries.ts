import type { ReactiveControllerHost } from 'lit';

/**
 * Which entries are open (expanded) in this tab, and so which one others see us "in" (awareness
 * `entryId`): the entry whose editor had focus last while it stays open, else the most recently
 * opened one. Kept together because every change to either must re-announce it.
 */
export class OpenEntries {
  /** Open entries; the last one in the set is the most recently opened. */
  private open = new Set<string>();
  /** The entry whose editor had focus last. */
  private lastFocused: string | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly setEditing: (entryId: string | null) => void,
  ) {}

  has(entryId: string): boolean {
    return this.open.has(entryId);
  }

  set(entryId: string, expanded: boolean) {
    const next = new Set(this.open);
    next.delete(entryId);
    if (expanded) {
      next.add(entryId); // last in the set = most recently opened
      this.lastFocused = entryId;
    }
    this.open = next;
    this.host.requestUpdate();
    this.sync();
  }

  /** Focus went into an entry's card: if it is open, that is the one we are "in" now. */
  focused(entryId: string) {
    if (!this.open.has(entryId)) return;
    this.lastFocused = entryId;
    this.sync();
  }

  private sync() {
    const open = [...this.open];
    const id = this.lastFocused && this.open.has(this.lastFocused) ? this.lastFocused : (open[open.length - 1] ?? null);
    this.setEditing(id);
  }
}
