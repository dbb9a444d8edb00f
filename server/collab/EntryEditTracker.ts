// Coalesces "who edited this entry" for the onEntryEdited hook: one call per window per doc.
import type { Logger } from 'pino';
import type { EntryEditedHook } from './CollabService.js';

export const ENTRY_EDITED_WINDOW_MS = 500;

export class EntryEditTracker {
  private readonly editors = new Set<string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly entryId: string,
    private readonly hook: EntryEditedHook,
    private readonly logger: Logger,
    private readonly windowMs = ENTRY_EDITED_WINDOW_MS,
  ) {}

  /** An accepted (durable) client update by this account. */
  note(accountId: string): void {
    this.editors.add(accountId);
    // A window, not a sliding debounce: steady typing still reports every windowMs.
    this.timer ??= setTimeout(() => this.flush(), this.windowMs);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.editors.size === 0) return;
    const accountIds = [...this.editors];
    this.editors.clear();
    try {
      this.hook(this.entryId, accountIds);
    } catch (err) {
      this.logger.error({ err, entryId: this.entryId }, 'onEntryEdited hook threw');
    }
  }
}
