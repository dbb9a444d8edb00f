import { LitElement, html, nothing, type PropertyValues } from 'lit';
import type { LiveFileView } from '../../shared/schemas/liveFile.js';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { consume, ContextProvider } from '@lit/context';
import { Task } from '@lit/task';
import type { EntryView } from '../../shared/schemas/entry.js';
import type { FileFacts } from '../../shared/permissions.js';
import { servicesContext, newIdempotencyKey, type Services } from '../services/services.js';
import { DeskDocController } from '../controllers/DeskDocController.js';
import { EntriesController } from '../controllers/EntriesController.js';
import { DeskDragController } from '../controllers/DeskDragController.js';
import { DeskShortcutsController } from '../controllers/DeskShortcutsController.js';
import { ClipboardCopy } from '../controllers/ClipboardCopy.js';
import { CardFocusController } from '../controllers/CardFocusController.js';
import { OpenEntries } from '../controllers/OpenEntries.js';
import { PhoneLayoutController } from '../controllers/PhoneLayoutController.js';
import { TypeAheadController } from '../controllers/TypeAheadController.js';
import { collabHubContext, type ConnectionSummary } from '../controllers/CollabHub.js';
import { entryDocName } from '../../shared/collab/docName.js';
import { formatTimeOrDate } from '../format.js';
import { controlStyles } from '../components/shared-styles.js';
import { deskPageStyles } from './ld-live-file-page.styles.js';
import { cardFromEvent } from './deskKeys.js';
import { anchoredMove, deskRows, moveTarget, type DeskFilter, type DeskRow, type DeskRows } from './deskRows.js';
import { deskHeader, deskToolbar, shortcutHelp } from './deskHeader.js';
import { entriesAsText, readOnlyBanner } from './readOnlyBanner.js';
import { deskSizeBanner } from './deskSizeBanner.js';
import { loadFailed, loadFailedStyles } from './loadFailed.js';
import { plainError } from '../services/plainError.js';
import { readLastKnownFile, saveLastKnownFile, type LastKnownFile } from '../services/lastKnown.js';
import { LastKnownController } from '../controllers/LastKnownController.js';
import type { LdEntryCard } from '../components/ld-entry-card.js';
import '../components/ld-entry-card.js';
import { isTouchScreen } from '../components/touch.js';
import { PendingEntriesController, type PendingEntry } from '../controllers/PendingEntriesController.js';
import type { LdPendingEntry } from '../components/ld-pending-entry.js';
import '../components/ld-pending-entry.js';
import { actorOf, fileFactsOf, mayManageFile, mayReadHistory } from '../workflow/flowActions.js';
import '../components/ld-file-settings.js';

/** The desk of one live file: its column of entries, ordered by the shared desk doc. */
@customElement('ld-live-file-page')
export class LdLiveFilePage extends LitElement {
  @property() liveFileId = '';
  /** Set by ld-app when the session ended (revoked, signed out elsewhere): read-only, nothing syncs. */
  @property({ attribute: false }) sessionEnded: string | null = null;
  @consume({ context: servicesContext })
  services?: Services;

  @state() private announcement = '';
  @state() private filter: DeskFilter = 'all';
  /** The toolbar's search box: hides cards whose text lacks a word of it (deskSearch.ts). */
  @state() private query = '';
  @state() private createError = '';
  @state() private showHelp = false;
  /** The file's settings dialog is open (restriction, four-eyes, audit export). */
  @state() private settingsOpen = false;
  /** The file as its settings dialog last saved it (four-eyes and members follow at once). */
  @state() private savedFile: LiveFileView | null = null;
  private readonly layout = new PhoneLayoutController(this);
  private readonly desk = new DeskDocController(this, () => this.services, () => this.liveFileId || undefined);
  private readonly entries = new EntriesController(this, () => this.services?.realtime, () => this.liveFileId || undefined);
  private readonly hubProvider = new ContextProvider(this, { context: collabHubContext });
  private readonly typeAhead = new TypeAheadController(this);
  private readonly cardFocus = new CardFocusController(this, () => this.shadowRoot, (id) => this.card(id));
  private readonly clipboard = new ClipboardCopy(this, () => this.shadowRoot?.querySelector<HTMLTextAreaElement>('[data-testid=copy-fallback]'));
  private readonly open = new OpenEntries(this, (id) => this.desk.setEditing(id));
  private readonly drag = new DeskDragController(this, {
    band: (pinned) => this.bandOf(pinned).map((r) => r.entry.id),
    cardRect: (id) => this.card(id)?.getBoundingClientRect(),
    moveTo: (id, pinned, target) => this.moveTo(id, pinned, target),
  });
  private readonly shortcuts = new DeskShortcutsController(this, {
    ready: () => !!this.load.value,
    deskReadOnly: () => this.desk.connection.readOnly || this.desk.deskReadOnly,
    readOnly: () => this.desk.connection.readOnly || !!this.sessionEnded || this.desk.deskReadOnly,
    isExpanded: (id) => this.open.has(id),
    cards: () => [...(this.shadowRoot?.querySelectorAll<LdEntryCard>('ld-entry-card') ?? [])],
    createEntry: () => void this.createEntry(),
    toggleHelp: () => (this.showHelp = !this.showHelp),
    focusSearch: () => this.shadowRoot?.querySelector<HTMLInputElement>('[data-testid="desk-search"]')?.focus(),
    undoMove: (redo) => (redo ? this.desk.redoMove() : this.desk.undoMove()) && this.announce(redo ? 'Redone' : 'Undone'),
    move: (id, to) => this.move(id, to),
    collapse: (id) => this.open.set(id, false),
    togglePin: (id) => this.togglePin(id),
    toggleKey: (id) => this.toggleKey(id),
    submit: (card) => card.submitEntry(),
    history: (card) => card.openHistory(),
  });
  private pendingCreateKey?: string;
  /** Entries this tab created: editable at once (nothing on the server to wait for). */
  private readonly fresh = new Set<string>();
  /** New entries the server could not be asked to create yet: on this device, sent when it answers [OB1, OB2]. */
  private readonly pending = new PendingEntriesController(this, {
    services: () => this.services,
    liveFileId: () => this.liveFileId || undefined,
    hub: () => this.desk.hub,
    created: (entry) => this.showCreated(entry),
    shown: (id) => { const { pinned, rest } = this.rows(); return pinned.some((r) => r.entry.id === id) || rest.some((r) => r.entry.id === id); },
    pendingElement: (key) => this.pendingElement(key),
    card: (id) => this.card(id),
    connected: () => this.desk.connection.state === 'live',
    handOver: (card, opts) => {
      this.typeAhead.capturing = true; // keys typed while the real card's editor mounts go into it
      void this.typeAhead.handOver(card, opts);
    },
  });

  /** The live file did not load: what this device last saw of it, shown read-only meanwhile [ER2]. */
  @state() private lastKnown: LastKnownFile | null = null;
  private lastError: unknown;
  private readonly keepLastKnown = new LastKnownController(this, () =>
    this.services && this.load.value && !this.lastKnown ? { accountId: this.services.account.id, liveFile: this.load.value, entries: this.entries.byId } : null);

  private readonly load = new Task(this, {
    task: async ([id], { signal }) => {
      const services = this.services!;
      let res: Awaited<ReturnType<typeof services.api.readLiveFile>>;
      try {
        res = await services.api.readLiveFile(id as string, signal);
      } catch (err) {
        const last = plainError(err).transient ? readLastKnownFile(services.account.id, id as string) : null;
        if (last && !this.lastKnown) this.entries.seed(last.entries);
        this.lastKnown = last;
        this.lastError = err;
        throw err;
      }
      this.lastKnown = null;
      saveLastKnownFile(services.account.id, res.liveFile, res.entries);
      this.entries.seed(res.entries);
      this.desk.hub?.resumeUnsent(res.entries.map((e) => entryDocName(e.id)));
      return res.liveFile;
    },
    args: () => [this.liveFileId],
  });

  static override styles = [controlStyles, deskPageStyles, loadFailedStyles];

  override connectedCallback() {
    super.connectedCallback();
    document.documentElement.style.overflowAnchor = 'auto';
  }

  override disconnectedCallback() {
    this.offFileUpdates?.();
    this.offFileUpdates = undefined;
    super.disconnectedCallback();
  }

  /** Another chief changed the file's four-eyes or members: the cards' buttons follow at once. */
  private offFileUpdates?: () => void;

  protected override willUpdate(changed: PropertyValues<this>) {
    if (!this.offFileUpdates && this.services) {
      this.offFileUpdates = this.services.realtime.on('liveFile:updated', (f) => {
        if (f.id === this.liveFileId) this.savedFile = f;
      });
    }
    if (this.hubProvider.value !== this.desk.hub) this.hubProvider.setValue(this.desk.hub);
    if (changed.has('sessionEnded') && this.sessionEnded) this.desk.hub?.haltAll(this.sessionEnded);
  }

  override render() {
    return this.load.render({
      // A Try again keeps the last-known desk on screen until the answer comes.
      pending: () => (this.lastKnown ? this.renderDesk(this.lastKnown.liveFile, true)
        : html`<p class="status" role="status">Opening the live file…</p>`),
      error: (e) => (this.lastKnown ? this.renderDesk(this.lastKnown.liveFile, false, e)
        : loadFailed({ what: 'this live file', error: plainError(e), savedAt: null, timeZone: zone(), retrying: false, onRetry: this.retryLoad, back: true })),
      complete: (file) => this.renderDesk(file),
    });
  }

  private retryLoad = () => void this.load.run();

  /** The desk; with `failed` (or while retrying) it is the last-known copy, read-only, under the load-failed notice. */
  private renderDesk(loaded: LiveFileView, retrying = false, failed?: unknown) {
    const file = this.savedFile?.id === loaded.id ? this.savedFile : loaded;
    const { pinned, rest } = this.rows();
    const all = [...pinned, ...rest];
    const index = new Map(all.map((r, i) => [r.entry.id, i]));
    // New entries still on this device sit where they will land: on top of the unpinned ones.
    const waiting = this.pending.items;
    const list: Array<DeskRow | PendingEntry> = [...pinned, ...waiting, ...rest];
    const stale = retrying || failed !== undefined;
    const lockedOut = this.desk.connection.readOnly || !!this.sessionEnded;
    const readOnly = lockedOut || stale;
    const flowBlocked = this.flowBlocked(stale);
    const facts = fileFactsOf(file);
    return html`
      ${deskHeader({ file, presence: this.desk.presence, connection: this.withPending(this.desk.connection), narrow: this.layout.narrow, touchPhone: this.layout.touchPhone,
        banner: html`${lockedOut ? this.renderReadOnly(all) : nothing}${deskSizeBanner(this.desk.deskState)}`, describeEntry: this.describeEntry, onJump: this.onJump,
        onToggleHelp: () => (this.showHelp = !this.showHelp), onSettings: this.settingsButton(file) })}
      ${this.settingsOpen ? html`<ld-file-settings .file=${file} .api=${this.services?.api} ?can-manage=${this.mayManage(file)} selfId=${this.services?.account.id ?? ''}
        @file-settings-saved=${(e: CustomEvent<LiveFileView>) => (this.savedFile = e.detail)} @file-settings-closed=${() => (this.settingsOpen = false)}></ld-file-settings>` : nothing}
      ${stale && this.lastKnown ? loadFailed({ what: 'this live file', error: plainError(failed ?? this.lastError), savedAt: this.lastKnown.savedAt,
        timeZone: file.timezone, retrying, onRetry: this.retryLoad, back: false }) : nothing}
      ${this.showHelp ? shortcutHelp(this.desk.atDesk) : nothing}
      ${deskToolbar({ readOnly, filter: this.filter, query: this.query, filters: this.desk.atDesk ? undefined : OWN_FILTERS,
        onNew: () => this.createEntry(), onFilter: (f) => (this.filter = f), onQuery: (q) => (this.query = q) })}
      ${this.createError ? html`<p class="error" role="alert">${this.createError}${this.typeAhead.holding
        ? html` What you typed (<q dir="auto" data-testid="type-ahead-kept">${this.typeAhead.text}</q>) is kept and goes into the entry once it is created.`
        : nothing} <button @click=${() => this.createEntry()}>Try again</button></p>` : nothing}
      <div class="visually-hidden" role="status" aria-live="polite" data-testid="announcer">${this.announcement}</div>
      ${all.length === 0 && waiting.length === 0 && this.query.trim()
        ? html`<p class="empty" data-testid="no-match">No entries match <q dir="auto">${this.query.trim()}</q>.
            <button class="ghost" @click=${() => (this.query = '')}>Clear the search</button></p>`
        : all.length === 0 && waiting.length === 0
        ? html`<p class="empty" data-testid="empty-state">No entries yet. ${isTouchScreen() ? 'Tap New entry' : html`Press <kbd>N</kbd>`} to write the first one.</p>`
        : html`<ol class="entries" aria-label="Entries" data-testid="entry-list"
            @dragover=${this.drag.onDragOver} @drop=${this.drag.onDrop} @dragend=${this.drag.onDragEnd}
            @entry-drag-start=${this.drag.onDragStart} @entry-expand=${this.onExpand} @entry-move=${this.onMoveEvent}
            @entry-meta-saved=${(e: CustomEvent<EntryView>) => this.entries.upsert(e.detail)}
            @entry-workflow=${(e: CustomEvent<EntryView>) => this.entries.upsert(e.detail)}
            @entry-pin-toggled=${(e: CustomEvent) => this.togglePin(e.detail.entryId)}
            @entry-key-toggled=${(e: CustomEvent) => this.toggleKey(e.detail.entryId)}
            @focusin=${this.onFocusIn}>
            ${pinned.length ? html`<li class="band" aria-hidden="true">Pinned</li>` : nothing}
            ${repeat(list, (x) => ('entry' in x ? x.entry.id : `pending:${x.key}`), (x) => ('entry' in x
              ? this.renderRow(x, index.get(x.entry.id)!, all.length, file.timezone, readOnly, facts, flowBlocked)
              : this.renderPending(x, file.timezone)))}
          </ol>`}`;
  }

  private renderRow(r: DeskRow, i: number, total: number, timeZone: string, readOnly: boolean, facts: FileFacts, flowBlocked: string) {
    const id = r.entry.id;
    const band = this.bandOf(r.pinned);
    const bandIndex = band.findIndex((b) => b.entry.id === id);
    const editors = this.desk.presence.filter((u) => u.editing === id && !u.self);
    return html`<li class=${this.drag.rowClass(r.pinned, bandIndex, band.length)} data-row=${id}>
      <ld-entry-card tabindex="0" data-entry-id=${id} data-testid="entry-card" .entry=${r.entry} ?pinned=${r.pinned}
        ?key-event=${r.keyEvent} ?expanded=${this.open.has(id)} ?fresh=${this.fresh.has(id)} ?readonly=${readOnly} ?desk-readonly=${this.desk.deskReadOnly} ?no-desk=${!this.desk.atDesk} .timeZone=${timeZone}
        .editors=${editors} .position=${bandIndex + 1} .total=${band.length} .fileFacts=${facts} .flowBlocked=${flowBlocked}
        aria-label=${`Entry ${i + 1} of ${total}${r.pinned ? ', pinned' : ''}${r.keyEvent ? ', key event' : ''}, ${r.entry.status}`}></ld-entry-card>
    </li>`;
  }

  /**
   * Why workflow steps are off ('' when on): they are never queued offline (ux.md §1, §2: a stale
   * approval is worse than a late one), and say why instead.
   */
  private flowBlocked(stale: boolean): string {
    if (this.sessionEnded) return 'Signed out: sign in again to submit or publish.';
    if (stale) return 'This is what the device last saw: workflow steps wait until the live file loads.';
    const c = this.desk.connection;
    if (c.state === 'offline' || c.state === 'reconnecting') return 'Offline: submit, publish and the other workflow steps wait for the connection. Your text is kept.';
    if (c.state === 'stopped') return 'Editing is off here, so are workflow steps.';
    return '';
  }

  /** The header's settings button: chiefs and admins manage access; the rest of the desk gets the audit export. */
  private settingsButton(file: LiveFileView): (() => void) | undefined {
    const a = this.services?.account;
    if (!a || !mayReadHistory(actorOf(a), fileFactsOf(file))) return undefined;
    return () => (this.settingsOpen = true);
  }

  private mayManage(file: LiveFileView): boolean {
    const a = this.services?.account;
    return !!a && mayManageFile(actorOf(a), fileFactsOf(file));
  }

  /** The connection as the header says it, counting new entries still on this device as changes not sent. */
  private withPending(c: ConnectionSummary): ConnectionSummary {
    const n = this.pending.unsent;
    return n ? { ...c, unsent: c.unsent + n } : c;
  }

  private renderReadOnly(rows: DeskRow[]) {
    const stay = this.desk.connection.stayAway;
    return readOnlyBanner({
      ended: this.sessionEnded ?? (stay && stay.code !== 4404 ? stay.reason : null),
      copy: this.clipboard.state,
      onCopy: () => this.copyAll(rows),
      onSignIn: () => this.dispatchEvent(new CustomEvent('sign-in-again', { bubbles: true, composed: true })),
    });
  }

  private copyAll(rows: DeskRow[]) {
    const text = entriesAsText(rows, this.load.value?.timezone ?? 'UTC', (id) => this.desk.hub?.textOf(entryDocName(id)));
    return this.clipboard.copy(text);
  }

  private rows(): DeskRows {
    return deskRows(this.desk.items, this.entries.byId, this.filter, this.services?.account.id, this.query);
  }

  private bandOf(pinned: boolean): DeskRow[] {
    const { pinned: p, rest } = this.rows();
    return pinned ? p : rest;
  }

  private card(entryId: string): LdEntryCard | null {
    return this.shadowRoot?.querySelector<LdEntryCard>(`ld-entry-card[data-entry-id="${CSS.escape(entryId)}"]`) ?? null;
  }

  async createEntry() {
    if (!this.services || this.desk.connection.readOnly || this.typeAhead.capturing) return;
    this.createError = '';
    this.pendingCreateKey ??= newIdempotencyKey();
    this.typeAhead.capturing = true;
    const key = this.pendingCreateKey;
    try {
      const entry = await this.services.api.createEntry(this.liveFileId, { idempotencyKey: key });
      this.pendingCreateKey = undefined;
      this.showCreated(entry);
      await this.updateComplete;
      await this.typeAhead.handOver(this.card(entry.id));
    } catch (err) {
      if (plainError(err).transient) {
        // No answer (offline, the server away): the entry waits on this device, editable, and is
        // created under the same key once the server answers [OB1].
        this.pendingCreateKey = undefined;
        const p = this.pending.add(key);
        await this.updateComplete;
        return void (await this.typeAhead.handOver(this.pendingElement(p.key)));
      }
      this.typeAhead.capturing = false;
      this.createError = `Couldn't create a new entry: ${plainError(err).reason}.`;
    }
  }

  /** A new entry the server made: on the desk, open, not hidden by a filter or a search. */
  private showCreated(entry: EntryView) {
    this.fresh.add(entry.id);
    this.entries.upsert(entry);
    if (this.filter !== 'all' && this.filter !== 'mine' && this.filter !== 'drafts') this.filter = 'all';
    this.query = ''; // a new, empty entry matches no search: show it
    this.open.set(entry.id, true);
  }

  private pendingElement(key: string): LdPendingEntry | null {
    return this.shadowRoot?.querySelector<LdPendingEntry>(`ld-pending-entry[data-pending-key="${CSS.escape(key)}"]`) ?? null;
  }

  private renderPending(p: PendingEntry, timeZone: string) {
    return html`<li class="pending" data-row=${`pending:${p.key}`}>
      <ld-pending-entry data-pending-key=${p.key} data-testid="pending-entry" .key=${p.key} .createdAt=${p.createdAt} .doc=${p.doc}
        .state=${p.state} .reason=${p.reason} .authorName=${this.services?.account.displayName ?? ''} .timeZone=${timeZone}
        @pending-retry=${() => this.pending.retry(p.key)} @pending-discard=${() => this.pending.discard(p.key)}></ld-pending-entry>
    </li>`;
  }

  private onExpand = (e: CustomEvent<{ entryId: string; expanded: boolean }>) => this.open.set(e.detail.entryId, e.detail.expanded);

  private onMoveEvent = (e: CustomEvent<{ entryId: string; to: 'up' | 'down' | 'top' }>) => this.move(e.detail.entryId, e.detail.to);

  private move(entryId: string, to: 'up' | 'down' | 'top') {
    const m = moveTarget(this.rows(), entryId, to);
    if (m) this.moveTo(entryId, m.pinned, m.target);
  }

  /** Moves to `target` (index in the visible band without the entry) and announces the new place. */
  private moveTo(entryId: string, pinned: boolean, target: number) {
    const band = this.bandOf(pinned).filter((r) => r.entry.id !== entryId);
    if (!this.desk.move(entryId, anchoredMove(band, target))) return;
    this.cardFocus.keep(entryId);
    const { pinned: p, rest } = this.rows();
    const pos = (pinned ? 0 : p.length) + target + 1;
    this.announce(`Moved to position ${pos} of ${p.length + rest.length}`);
  }

  private togglePin(entryId: string) {
    const now = this.desk.togglePinned(entryId);
    if (now === null) return;
    this.announce(now ? 'Pinned' : 'Unpinned');
    void this.follow(entryId);
  }

  /**
   * The person's own pin or unpin moved the card to the other band: it stays on screen (scrolled to,
   * clear of the sticky header) and keeps focus, so the next tap or key acts on it.
   */
  private async follow(entryId: string) {
    await this.updateComplete;
    const card = this.card(entryId);
    if (!card) return;
    card.scrollIntoView({ block: 'nearest', behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' });
    const root = this.shadowRoot;
    if (root?.activeElement !== card && !card.contains(root?.activeElement ?? null)) card.focus({ preventScroll: true });
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

  private onFocusIn = (e: FocusEvent) => {
    const id = cardFromEvent(e.composedPath())?.dataset.entryId;
    if (id) this.open.focused(id);
  };

  private describeEntry = (entryId: string): string => {
    const e = this.entries.byId.get(entryId);
    const tz = this.load.value?.timezone ?? 'UTC';
    return e ? `the ${formatTimeOrDate(e.createdAt, tz)} entry` : 'an entry';
  };

  /** Avatar activated: bring that person's entry into view and focus it (filter and search off if hidden). */
  private onJump = async (e: CustomEvent<{ entryId: string }>) => {
    const id = e.detail.entryId;
    if (!this.card(id) && (this.filter !== 'all' || this.query)) {
      this.filter = 'all';
      this.query = '';
      await this.updateComplete;
    }
    const card = this.card(id);
    if (!card) return void this.announce('That entry is not on this desk any more');
    card.scrollIntoView({ block: 'center', behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' });
    card.focus({ preventScroll: true });
  };
}

/** A correspondent's filters: her page holds only her own entries and no key marks. */
const OWN_FILTERS: readonly DeskFilter[] = ['all', 'drafts'];

/** The viewer's own time zone (no live file loaded to take one from). */
function zone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

declare global {
  interface HTMLElementTagNameMap {
    'ld-live-file-page': LdLiveFilePage;
  }
}
