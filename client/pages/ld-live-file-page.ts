import { LitElement, html, nothing, type PropertyValues } from 'lit';
import type { LiveFileView } from '../../shared/schemas/liveFile.js';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { consume, ContextProvider } from '@lit/context';
import { Task } from '@lit/task';
import type { EntryView } from '../../shared/schemas/entry.js';
import { servicesContext, newIdempotencyKey, type Services } from '../services/services.js';
import { ApiError } from '../services/apiClient.js';
import { DeskDocController } from '../controllers/DeskDocController.js';
import { EntriesController } from '../controllers/EntriesController.js';
import { collabHubContext } from '../controllers/CollabHub.js';
import { entryDocName } from '../../shared/collab/docName.js';
import { formatTimeOrDate, zoneLabel } from '../format.js';
import { controlStyles } from '../components/shared-styles.js';
import { icons } from '../components/icons.js';
import { deskPageStyles } from './ld-live-file-page.styles.js';
import { isTypingTarget, cardFromEvent, dropSlot } from './deskKeys.js';
import type { LdEntryCard } from '../components/ld-entry-card.js';
import { isPrintableKey, type TypedKey } from '../components/ld-entry-editor.js';
import '../components/ld-entry-card.js';
import '../components/ld-presence.js';
import '../components/ld-connection-status.js';

type Filter = 'all' | 'mine' | 'key' | 'drafts';
interface Row {
  entry: EntryView;
  pinned: boolean;
  keyEvent: boolean;
}

/** The desk of one live file: its column of entries, ordered by the shared desk doc. */
@customElement('ld-live-file-page')
export class LdLiveFilePage extends LitElement {
  @property() liveFileId = '';
  /** Set by ld-app when the session ended (revoked, signed out elsewhere): read-only, nothing syncs. */
  @property({ attribute: false }) sessionEnded: string | null = null;
  @consume({ context: servicesContext })
  services?: Services;

  @state() private expanded = new Set<string>();
  @state() private announcement = '';
  @state() private filter: Filter = 'all';
  @state() private createError = '';
  @state() private showHelp = false;
  @state() private drag: { entryId: string; slot: number | null; pinned: boolean } | null = null;
  @state() private copyState: { ok: boolean; text: string } | null = null;
  /** Phone width: the header keeps to one row (a shorter facepile). */
  @state() private narrow = false;
  /** A touch phone: no keyboard for the shortcut sheet, so no button for it (? still opens it). */
  @state() private touchPhone = false;
  private readonly narrowQuery = matchMedia('(max-width: 600px)');
  private readonly touchPhoneQuery = matchMedia('(max-width: 600px) and (pointer: coarse)');
  private readonly onNarrow = () => {
    this.narrow = this.narrowQuery.matches;
    this.touchPhone = this.touchPhoneQuery.matches;
  };

  private readonly desk = new DeskDocController(this, () => this.services, () => this.liveFileId || undefined);
  private readonly entries = new EntriesController(this, () => this.services?.realtime, () => this.liveFileId || undefined);
  private readonly hubProvider = new ContextProvider(this, { context: collabHubContext });
  private pendingCreateKey?: string;
  /**
   * Type-ahead: between N (or New entry) and the new editor taking focus, keys are text for that
   * entry, not desk shortcuts. `capturing` while a create is under way; `typeAhead` holds the keys
   * until the editor has focus (kept across a failed create, replayed when one succeeds).
   */
  private capturing = false;
  private typeAhead: TypedKey[] = [];
  /** Entries this tab created: editable at once (nothing on the server to wait for). */
  private readonly fresh = new Set<string>();
  private focusAfterRender?: { entryId: string; editor: boolean };
  /** The entry whose editor had focus last: what others see us "in" while it stays expanded. */
  private lastFocusedEntry: string | null = null;

  private readonly load = new Task(this, {
    task: async ([id], { signal }) => {
      const res = await this.services!.api.readLiveFile(id as string, signal);
      this.entries.seed(res.entries);
      this.desk.hub?.resumeUnsent(res.entries.map((e) => entryDocName(e.id)));
      return res.liveFile;
    },
    args: () => [this.liveFileId],
  });

  static override styles = [controlStyles, deskPageStyles];

  override connectedCallback() {
    super.connectedCallback();
    addEventListener('keydown', this.onKeydown);
    addEventListener('keydown', this.onTypeAhead, true);
    this.narrowQuery.addEventListener('change', this.onNarrow);
    this.touchPhoneQuery.addEventListener('change', this.onNarrow);
    this.onNarrow();
    document.documentElement.style.overflowAnchor = 'auto';
  }
  override disconnectedCallback() {
    removeEventListener('keydown', this.onKeydown);
    removeEventListener('keydown', this.onTypeAhead, true);
    this.narrowQuery.removeEventListener('change', this.onNarrow);
    this.touchPhoneQuery.removeEventListener('change', this.onNarrow);
    super.disconnectedCallback();
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (this.hubProvider.value !== this.desk.hub) this.hubProvider.setValue(this.desk.hub);
    if (changed.has('sessionEnded') && this.sessionEnded) this.desk.hub?.haltAll(this.sessionEnded);
    // Remember focus by entry id: keyed repeat moves cards when someone reorders, and a moved
    // node loses focus. updated() puts it back on the same entry.
    if (!this.focusAfterRender) {
      const active = this.shadowRoot?.activeElement as LdEntryCard | null;
      const id = active?.dataset?.entryId;
      if (id) this.focusAfterRender = { entryId: id, editor: !!active.shadowRoot?.activeElement?.closest('ld-entry-editor') };
    }
  }

  protected override updated() {
    const f = this.focusAfterRender;
    this.focusAfterRender = undefined;
    if (!f) return;
    const card = this.card(f.entryId);
    if (!card || this.shadowRoot?.activeElement === card) return;
    if (f.editor) card.focusEditor();
    else card.focus({ preventScroll: true });
  }

  override render() {
    return this.load.render({
      pending: () => html`<p class="status" role="status">Opening the live file…</p>`,
      error: (e) => html`<p class="status error" role="alert">Couldn't open this live file: ${e instanceof ApiError ? e.message : String(e)}.
        <a href="#/">Back to live files</a></p>`,
      complete: (file) => this.renderDesk(file),
    });
  }

  private renderDesk(file: LiveFileView) {
    const { pinned, rest } = this.rows();
    const all = [...pinned, ...rest];
    const c = this.desk.connection;
    const readOnly = c.readOnly || !!this.sessionEnded;
    return html`
      <header>
        <a class="back btn ghost" href="#/" aria-label="All live files" title="All live files">${icons.back()}</a>
        <div class="title">
          <h1 dir="auto" data-testid="live-file-title" title=${file.title}>${file.title}</h1>
          <span class="zone" title=${`Times in ${zoneLabel(file.timezone)} (${file.timezone})`}>Times in ${zoneLabel(file.timezone)}<span
            class="zone-id"> (${file.timezone})</span></span>
        </div>
        <ld-presence .users=${this.desk.presence} max=${this.narrow ? 3 : 5} .describeEntry=${this.describeEntry} @presence-jump=${this.onJump}></ld-presence>
        <ld-connection-status .summary=${c}></ld-connection-status>
        ${this.touchPhone ? nothing : html`<button class="ghost help" aria-label="Keyboard shortcuts (?)" title="Keyboard shortcuts (?)"
          @click=${() => (this.showHelp = !this.showHelp)}>?</button>`}
        ${readOnly ? this.renderReadOnly(all) : nothing}
      </header>
      ${this.showHelp ? this.renderHelp() : nothing}
      <div class="toolbar">
        <button class="primary" @click=${() => this.createEntry()} ?disabled=${readOnly} data-testid="new-entry">
          ${icons.plus()} New entry <kbd>N</kbd></button>
        <div class="filters" role="group" aria-label="Show">
          ${(['all', 'mine', 'key', 'drafts'] as const).map((f) => html`<button class="ghost" aria-pressed=${String(this.filter === f)}
            @click=${() => (this.filter = f)} data-testid=${`filter-${f}`}>${f[0]!.toUpperCase() + f.slice(1)}</button>`)}
        </div>
      </div>
      ${this.createError ? html`<p class="error" role="alert">${this.createError}${this.typeAhead.length
        ? html` What you typed (<q dir="auto" data-testid="type-ahead-kept">${typedText(this.typeAhead)}</q>) is kept and goes into the entry once it is created.`
        : nothing} <button @click=${() => this.createEntry()}>Try again</button></p>` : nothing}
      <div class="visually-hidden" role="status" aria-live="polite" data-testid="announcer">${this.announcement}</div>
      ${all.length === 0
        ? html`<p class="empty" data-testid="empty-state">No entries yet. Press <kbd>N</kbd> to write the first one.</p>`
        : html`<ol class="entries" aria-label="Entries" data-testid="entry-list"
            @dragover=${this.onDragOver} @drop=${this.onDrop} @dragend=${this.onDragEnd}
            @entry-drag-start=${this.onDragStart} @entry-expand=${this.onExpand} @entry-move=${this.onMoveEvent}
            @entry-meta-saved=${(e: CustomEvent<EntryView>) => this.entries.upsert(e.detail)}
            @entry-pin-toggled=${(e: CustomEvent) => this.togglePin(e.detail.entryId)}
            @entry-key-toggled=${(e: CustomEvent) => this.toggleKey(e.detail.entryId)}
            @focusin=${this.onFocusIn}>
            ${pinned.length ? html`<li class="band" aria-hidden="true">Pinned</li>` : nothing}
            ${repeat(all, (r) => r.entry.id, (r, i) => this.renderRow(r, i, all.length, file.timezone, readOnly))}
          </ol>`}`;
  }

  private renderRow(r: Row, i: number, total: number, timeZone: string, readOnly: boolean) {
    const id = r.entry.id;
    const band = this.bandOf(r.pinned);
    const bandIndex = band.findIndex((b) => b.entry.id === id);
    const d = this.drag;
    const dropBefore = d && d.pinned === r.pinned && d.slot === bandIndex;
    const dropAfter = d && d.pinned === r.pinned && d.slot === band.length && bandIndex === band.length - 1;
    const editors = this.desk.presence.filter((u) => u.editing === id && !u.self);
    return html`<li class=${dropBefore ? 'drop-before' : dropAfter ? 'drop-after' : ''} data-row=${id}>
      <ld-entry-card tabindex="0" data-entry-id=${id} data-testid="entry-card" .entry=${r.entry} ?pinned=${r.pinned}
        ?key-event=${r.keyEvent} ?expanded=${this.expanded.has(id)} ?fresh=${this.fresh.has(id)} ?readonly=${readOnly} .timeZone=${timeZone}
        .editors=${editors} .position=${bandIndex + 1} .total=${band.length}
        aria-label=${`Entry ${i + 1} of ${total}${r.pinned ? ', pinned' : ''}${r.keyEvent ? ', key event' : ''}, ${r.entry.status}`}></ld-entry-card>
    </li>`;
  }

  private renderReadOnly(rows: Row[]) {
    const stay = this.desk.connection.stayAway;
    const ended = this.sessionEnded ?? (stay && stay.code !== 4404 ? stay.reason : null);
    const title = !ended ? 'Read-only.' : ended === 'signed-out' ? 'You were signed out.' : 'Your access was removed.';
    const why = ended
      ? 'Editing is off and this desk no longer syncs. Everything you typed is kept on this device; copy what you need, then sign in again.'
      : 'This live file is read-only for you: changes are not saved on the server. Your text is still here to copy.';
    const c = this.copyState;
    return html`<div class="banner ${ended ? 'ended' : ''}" role="status" data-testid="read-only-banner" data-reason=${ended ?? 'read-only'}>
      ${icons.lock()}<span><strong>${title}</strong> ${why}</span>
      <button @click=${() => this.copyAll(rows)} data-testid="copy-text">Copy text</button>
      ${ended ? html`<button class="primary" data-testid="banner-sign-in"
        @click=${() => this.dispatchEvent(new CustomEvent('sign-in-again', { bubbles: true, composed: true }))}>Sign in</button>` : nothing}
      ${c?.ok ? html`<span class="copied" role="status">Copied ${c.text.length.toLocaleString('en')} characters.</span>` : nothing}
      ${c && !c.ok ? html`<label class="copy-fallback">Copying is blocked here: select this text and copy it (Ctrl+C).
        <textarea readonly rows="6" data-testid="copy-fallback" .value=${c.text} @focus=${(e: Event) => (e.target as HTMLTextAreaElement).select()}></textarea></label>` : nothing}
    </div>`;
  }

  /** Every visible entry as plain text, from this device's copy of its document when it has one. */
  private textForCopy(rows: Row[]): string {
    const tz = this.load.value?.timezone ?? 'UTC';
    return rows.map((r) => {
      const e = r.entry;
      const body = this.desk.hub?.textOf(entryDocName(e.id)) ?? e.preview;
      return [`${formatTimeOrDate(e.createdAt, tz)}${e.headline ? ` ${e.headline}` : ''}`, body].join('\n');
    }).join('\n\n');
  }

  private async copyAll(rows: Row[]) {
    const text = this.textForCopy(rows);
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(text);
      this.copyState = { ok: true, text };
    } catch {
      this.copyState = { ok: false, text };
      await this.updateComplete;
      this.shadowRoot?.querySelector<HTMLTextAreaElement>('[data-testid=copy-fallback]')?.focus();
    }
  }

  private renderHelp() {
    const keys: Array<[string, string]> = [
      ['N', 'New entry'], ['↑ / ↓', 'Previous / next card'], ['Enter', 'Edit the card'], ['Esc', 'Back to the card'],
      ['P', 'Pin or unpin'], ['K', 'Mark key event'], ['Alt+↑ / Alt+↓', 'Move up / down'], ['Alt+Home', 'Move to top'],
      ['Ctrl+Z / Ctrl+Shift+Z', 'Undo / redo your own change'], ['Ctrl+S', 'Saving is automatic'],
    ];
    return html`<section class="help" aria-label="Keyboard shortcuts"><dl>
      ${keys.map(([k, v]) => html`<dt><kbd>${k}</kbd></dt><dd>${v}</dd>`)}</dl></section>`;
  }

  /** Desk-doc order: pinned band first; entries not yet placed by the server go on top. */
  private rows(): { pinned: Row[]; rest: Row[] } {
    const byId = this.entries.byId;
    const placed = new Set<string>();
    const pinned: Row[] = [];
    const rest: Row[] = [];
    for (const item of this.desk.items) {
      const entry = byId.get(item.entryId);
      if (!entry) continue;
      placed.add(item.entryId);
      (item.pinned ? pinned : rest).push({ entry, pinned: item.pinned, keyEvent: item.keyEvent });
    }
    const unplaced = [...byId.values()].filter((e) => !placed.has(e.id)).sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
    const keep = (r: Row) => this.matchesFilter(r);
    return {
      pinned: pinned.filter(keep),
      rest: [...unplaced.map((entry) => ({ entry, pinned: false, keyEvent: false })), ...rest].filter(keep),
    };
  }

  private matchesFilter(r: Row): boolean {
    const me = this.services?.account.id;
    switch (this.filter) {
      case 'mine': return r.entry.authorId === me || r.entry.contributorIds.includes(me ?? '');
      case 'key': return r.keyEvent;
      case 'drafts': return r.entry.status === 'draft';
      default: return true;
    }
  }

  private bandOf(pinned: boolean): Row[] {
    const { pinned: p, rest } = this.rows();
    return pinned ? p : rest;
  }

  private card(entryId: string): LdEntryCard | null {
    return this.shadowRoot?.querySelector<LdEntryCard>(`ld-entry-card[data-entry-id="${CSS.escape(entryId)}"]`) ?? null;
  }

  async createEntry() {
    if (!this.services || this.desk.connection.readOnly || this.capturing) return;
    this.createError = '';
    this.pendingCreateKey ??= newIdempotencyKey();
    this.capturing = true;
    try {
      const entry = await this.services.api.createEntry(this.liveFileId, { idempotencyKey: this.pendingCreateKey });
      this.pendingCreateKey = undefined;
      this.fresh.add(entry.id);
      this.entries.upsert(entry);
      if (this.filter !== 'all' && this.filter !== 'mine' && this.filter !== 'drafts') this.filter = 'all';
      this.expanded = new Set(this.expanded).add(entry.id);
      this.lastFocusedEntry = entry.id;
      this.syncPresence();
      await this.updateComplete;
      await this.focusNewEntry(entry.id);
    } catch (err) {
      this.capturing = false;
      this.createError = err instanceof ApiError && err.code === 'unavailable'
        ? "Couldn't create a new entry: the server can't be reached. Nothing was lost; try again when the connection is back."
        : `Couldn't create a new entry: ${err instanceof Error ? err.message : 'unknown error'}.`;
    }
  }

  /**
   * Focuses the new entry's editor, then types into it what was typed meanwhile. Focus and replay
   * run in one task, so no key can land in between. If the editor takes too long, keys stop being
   * held (they still go in when it does focus).
   */
  private async focusNewEntry(entryId: string) {
    const card = this.card(entryId);
    if (!card) return void (this.capturing = false);
    const focused = card.focusEditor().then(() => {
      const keys = this.typeAhead.splice(0);
      if (keys.length) card.replayKeys(keys);
      this.capturing = false;
      return true;
    });
    const waited = await Promise.race([focused, new Promise<false>((r) => setTimeout(() => r(false), TYPE_AHEAD_MAX_MS))]);
    if (!waited) this.capturing = false;
  }

  /** Capture phase, before any shortcut: while a new entry is on its way, its keys are held for it. */
  private onTypeAhead = (e: KeyboardEvent) => {
    if (!this.capturing || e.defaultPrevented || e.isComposing) return;
    const path = e.composedPath();
    if (isTypingTarget(path)) return; // the person clicked into a field: the keys are theirs
    const altGr = e.getModifierState('AltGraph');
    if ((e.ctrlKey || e.metaKey || e.altKey) && !altGr) return;
    const key = e.key;
    if (!isPrintableKey(key) && key !== 'Enter' && key !== 'Backspace') return;
    e.preventDefault(); // no shortcut, no button activation (Space/Enter on "New entry")
    if (key === 'Backspace' && this.typeAhead.length && this.typeAhead[this.typeAhead.length - 1]!.key !== 'Enter') this.typeAhead.pop();
    else this.typeAhead.push({ key, shiftKey: e.shiftKey });
  };

  private onExpand = (e: CustomEvent<{ entryId: string; expanded: boolean }>) => {
    const next = new Set(this.expanded);
    next.delete(e.detail.entryId);
    if (e.detail.expanded) {
      next.add(e.detail.entryId); // last in the set = most recently opened
      this.lastFocusedEntry = e.detail.entryId;
    }
    this.expanded = next;
    this.syncPresence();
  };

  /** Awareness `entryId`: the last focused entry if still open, else the most recently opened one. */
  private syncPresence() {
    const open = [...this.expanded];
    const id = this.lastFocusedEntry && this.expanded.has(this.lastFocusedEntry) ? this.lastFocusedEntry : (open[open.length - 1] ?? null);
    this.desk.setEditing(id);
  }

  private onMoveEvent = (e: CustomEvent<{ entryId: string; to: 'up' | 'down' | 'top' }>) => this.move(e.detail.entryId, e.detail.to);

  private move(entryId: string, to: 'up' | 'down' | 'top') {
    const rows = this.rows();
    const me = [...rows.pinned, ...rows.rest].find((r) => r.entry.id === entryId);
    if (!me) return;
    const band = me.pinned ? rows.pinned : rows.rest;
    const idx = band.findIndex((r) => r.entry.id === entryId);
    const target = to === 'top' ? 0 : to === 'up' ? idx - 1 : idx + 1;
    if (target < 0 || target >= band.length || target === idx) return;
    this.moveTo(entryId, me.pinned, target);
  }

  /** Moves to `target` (index in the visible band without the entry) and announces the new place. */
  private moveTo(entryId: string, pinned: boolean, target: number) {
    const band = this.bandOf(pinned).filter((r) => r.entry.id !== entryId);
    // Anchor on visible neighbours (filters may hide some); the desk doc finds them in the full order.
    const below = band[target]?.entry.id;
    const above = band[target - 1]?.entry.id;
    const to = target === 0 || (!below && !above) ? { toTop: true as const } : below ? { before: below } : { after: above! };
    if (!this.desk.move(entryId, to)) return;
    this.focusAfterRender ??= { entryId, editor: false };
    const { pinned: p, rest } = this.rows();
    const pos = (pinned ? 0 : p.length) + target + 1;
    this.announce(`Moved to position ${pos} of ${p.length + rest.length}`);
  }

  private togglePin(entryId: string) {
    const now = this.desk.togglePinned(entryId);
    if (now !== null) this.announce(now ? 'Pinned' : 'Unpinned');
  }
  private toggleKey(entryId: string) {
    const now = this.desk.toggleKeyEvent(entryId);
    if (now !== null) this.announce(now ? 'Marked as key event' : 'No longer a key event');
  }

  private announce(text: string) {
    // Same text twice must still be heard: clear, then set on the next frame.
    this.announcement = '';
    requestAnimationFrame(() => (this.announcement = text));
  }

  private onKeydown = (e: KeyboardEvent) => {
    if (e.defaultPrevented || !this.load.value) return;
    const path = e.composedPath();
    const card = cardFromEvent(path);
    const typing = isTypingTarget(path);
    if (typing) return; // the editor owns its keys (Esc → back to the card, Mod-z → its own undo)
    const plain = !e.altKey && !e.ctrlKey && !e.metaKey;
    const id = card?.dataset.entryId;
    const key = e.key;
    if (plain && (key === 'n' || key === 'N')) return void (e.preventDefault(), this.createEntry());
    if (plain && key === '?') return void (this.showHelp = !this.showHelp);
    if ((e.ctrlKey || e.metaKey) && !e.altKey && key.toLowerCase() === 'z' && !this.desk.connection.readOnly) {
      e.preventDefault();
      const ok = e.shiftKey ? this.desk.redoMove() : this.desk.undoMove();
      if (ok) this.announce(e.shiftKey ? 'Redone' : 'Undone');
      return;
    }
    if (!id || !card) return;
    const readOnly = this.desk.connection.readOnly || !!this.sessionEnded;
    if (e.altKey && !e.ctrlKey && !e.metaKey && !readOnly) {
      const to = key === 'ArrowUp' ? 'up' : key === 'ArrowDown' ? 'down' : key === 'Home' ? 'top' : null;
      if (to) return void (e.preventDefault(), this.move(id, to));
    }
    if (!plain) return;
    if (key === 'ArrowDown' || key === 'ArrowUp') {
      const cards = [...(this.shadowRoot?.querySelectorAll<LdEntryCard>('ld-entry-card') ?? [])];
      const next = cards[cards.indexOf(card) + (key === 'ArrowDown' ? 1 : -1)];
      if (next) {
        e.preventDefault();
        next.focus();
      }
    } else if (key === 'Enter' && path[0] === card) {
      e.preventDefault();
      card.focusEditor();
    } else if (key === 'Escape' && this.expanded.has(id)) {
      this.onExpand(new CustomEvent('x', { detail: { entryId: id, expanded: false } }));
    } else if (readOnly) {
      return;
    } else if (key === 'p' || key === 'P') {
      this.togglePin(id);
    } else if (key === 'k' || key === 'K') {
      this.toggleKey(id);
    }
  };

  private onFocusIn = (e: FocusEvent) => {
    const id = cardFromEvent(e.composedPath())?.dataset.entryId;
    if (id && this.expanded.has(id)) {
      this.lastFocusedEntry = id;
      this.syncPresence();
    }
  };

  private describeEntry = (entryId: string): string => {
    const e = this.entries.byId.get(entryId);
    const tz = this.load.value?.timezone ?? 'UTC';
    return e ? `the ${formatTimeOrDate(e.createdAt, tz)} entry` : 'an entry';
  };

  /** Avatar activated: bring that person's entry into view and focus it (all filters off if hidden). */
  private onJump = async (e: CustomEvent<{ entryId: string }>) => {
    const id = e.detail.entryId;
    if (!this.card(id) && this.filter !== 'all') {
      this.filter = 'all';
      await this.updateComplete;
    }
    const card = this.card(id);
    if (!card) return void this.announce('That entry is not on this desk any more');
    card.scrollIntoView({ block: 'center', behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' });
    card.focus({ preventScroll: true });
  };

  private onDragStart = (e: CustomEvent<{ entryId: string }>) => {
    const row = [...this.rows().pinned, ...this.rows().rest].find((r) => r.entry.id === e.detail.entryId);
    if (row) this.drag = { entryId: row.entry.id, slot: null, pinned: row.pinned };
  };

  private onDragOver = (e: DragEvent) => {
    if (!this.drag) return;
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'move';
    const band = this.bandOf(this.drag.pinned);
    const rects = band.map((r) => this.card(r.entry.id)?.getBoundingClientRect()).filter((r): r is DOMRect => !!r);
    const slot = dropSlot(rects, e.clientY);
    if (slot !== this.drag.slot) this.drag = { ...this.drag, slot };
  };

  private onDrop = (e: DragEvent) => {
    const d = this.drag;
    this.drag = null;
    if (!d || d.slot === null) return;
    e.preventDefault();
    const band = this.bandOf(d.pinned);
    const from = band.findIndex((r) => r.entry.id === d.entryId);
    const target = d.slot > from ? d.slot - 1 : d.slot;
    if (target !== from) this.moveTo(d.entryId, d.pinned, target);
  };

  /** Fires after a drop and after Esc (native cancel): either way the drop line goes. */
  private onDragEnd = () => {
    this.drag = null;
  };
}

/** How long keys are held for a new entry's editor before they act normally again. */
const TYPE_AHEAD_MAX_MS = 5000;

/** Held keys as the text they would type (for the "kept" note). */
function typedText(keys: readonly TypedKey[]): string {
  return keys.map((k) => (k.key === 'Enter' ? ' ' : k.key === 'Backspace' ? '' : k.key)).join('');
}

declare global {
  interface HTMLElementTagNameMap {
    'ld-live-file-page': LdLiveFilePage;
  }
}
