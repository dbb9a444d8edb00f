import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import type { EntryView } from '../../shared/schemas/entry.js';
import { collabHubContext, type CollabHub } from '../controllers/CollabHub.js';
import { EntryDocController } from '../controllers/EntryDocController.js';
import type { CollabDocState } from '../controllers/CollabDoc.js';
import { ClipboardCopy } from '../controllers/ClipboardCopy.js';
import { Limits } from '../../shared/limits.js';
import { CollabClose } from '../../shared/collab/closeCodes.js';
import { entryDocName } from '../../shared/collab/docName.js';
import type { PresenceUser } from '../controllers/presence.js';
import { formatDayAndTime, formatTimeOrDate } from '../format.js';
import { icons } from './icons.js';
import { controlStyles } from './shared-styles.js';
import { isTouchScreen, withKeyHint } from './touch.js';
import { servicesContext, type Services } from '../services/services.js';
import type { FocusOptions, LdEntryEditor, TypedKey } from './ld-entry-editor.js';
import { decide, Permission, type FileFacts } from '../../shared/permissions.js';
import { NowController } from '../controllers/NowController.js';
import { actorOf, flowButtons, mayReadHistory } from '../workflow/flowActions.js';
import { ageLevel, formatWaiting, minutesBetween, waitingSince } from '../workflow/waiting.js';
import type { LdEntryFlow } from './ld-entry-flow.js';
import './ld-entry-editor.js';
import './ld-entry-flow.js';
import './ld-entry-history.js';
import './ld-entry-meta.js';
import './ld-status-badge.js';
import './ld-presence.js';

/**
 * One update of a live file, as the desk sees it: a compact card that expands to its editor in place.
 * @fires entry-expand - detail `{ entryId, expanded }`
 * @fires entry-pin-toggled - detail `{ entryId }`; the page writes the desk doc
 * @fires entry-key-toggled - detail `{ entryId }`
 * @fires entry-move - detail `{ entryId, to: 'up' | 'down' | 'top' }`
 * @fires entry-drag-start - detail `{ entryId }` (the grip only)
 */
@customElement('ld-entry-card')
export class LdEntryCard extends LitElement {
  @property({ attribute: false }) entry?: EntryView;
  @property({ type: Boolean, reflect: true }) pinned = false;
  @property({ type: Boolean, reflect: true, attribute: 'key-event' }) keyEvent = false;
  @property({ type: Boolean, reflect: true }) expanded = false;
  @property({ type: Boolean }) readonly = false;
  /** The desk document takes no writes (refused for its size): no pins, key marks or moves; the text stays editable. */
  @property({ type: Boolean, attribute: 'desk-readonly' }) deskReadonly = false;
  /** The page has no desk document (a correspondent's): no grip, pin, key mark or move to offer her. */
  @property({ type: Boolean, reflect: true, attribute: 'no-desk' }) noDesk = false;
  @property({ attribute: false }) timeZone = 'UTC';
  /** People editing this entry right now (from desk awareness). */
  @property({ attribute: false }) editors: PresenceUser[] = [];
  @property({ type: Number }) position = 0;
  /** Just created here: the server's doc is empty, so the editor needs no load before typing. */
  @property({ type: Boolean }) fresh = false;
  @property({ type: Number }) total = 0;
  /** The live file's restriction and four-eyes: the workflow buttons follow the permission table with them. */
  @property({ attribute: false }) fileFacts: FileFacts = { members: null, fourEyes: false };
  /** Why workflow steps are off on this page right now ('' when on): offline, read-only, session ended. */
  @property({ attribute: false }) flowBlocked = '';

  @consume({ context: collabHubContext, subscribe: true })
  @state()
  hub?: CollabHub;

  @consume({ context: servicesContext, subscribe: true })
  @state()
  services?: Services;

  @state() private savedNote = '';
  @state() private historyOpen = false;
  /** "waiting 4 min" on a submitted entry ticks on its own. */
  private readonly clock = new NowController(this, () => this.entry?.status === 'submitted');
  @query('ld-entry-flow') private flowEl?: LdEntryFlow;
  /** Phones: the row of pin, key mark and move buttons is shown (the ⋯ button); it costs a row, so it is folded by default. */
  @state() private moreOpen = false;
  /** Near the viewport (IntersectionObserver): only then does an expanded card mount its editor. */
  @state() private near = true;
  private io?: IntersectionObserver;
  @query('ld-entry-editor') private editorEl?: LdEntryEditor;
  private readonly docCtl = new EntryDocController(this);
  /** "Copy text" in the size-limit notice (a field to copy by hand where the clipboard is blocked). */
  private readonly copy = new ClipboardCopy(this, () => this.renderRoot.querySelector<HTMLTextAreaElement>('[data-testid=entry-copy-fallback]'));
  private focusWhenReady = false;
  /** Where focusEditor() puts the caret (by default where it was, or the end of the text; scrolled into view). */
  private focusOpts: FocusOptions = {};
  private readonly onEditorFocused: Array<(focused: boolean) => void> = [];

  static override styles = [
    controlStyles,
    css`
      :host { display: block; min-width: 0; border: 1px solid var(--border); border-radius: var(--r2); background: var(--bg);
        scroll-margin: 96px 0 24px; }
      :host(:focus-visible) { outline: 2px solid var(--accent); outline-offset: 2px; }
      :host(:focus) { outline: 2px solid var(--accent); outline-offset: 2px; }
      :host([pinned]) { background: var(--surface); }
      :host([key-event]) { border-inline-start: 4px solid var(--accent); }
      .head { display: flex; align-items: center; gap: var(--s2); padding: var(--s1) var(--s2); flex-wrap: wrap; min-height: 44px; }
      .grip { cursor: grab; color: var(--text-muted); font-weight: 700; letter-spacing: -1px; user-select: none;
        min-width: 28px; min-height: var(--target); display: inline-flex; align-items: center; justify-content: center;
        border-radius: var(--r1); touch-action: none; }
      .grip:hover { background: var(--surface); color: var(--text); }
      time { font-variant-numeric: tabular-nums; font-weight: 700; font-size: 14px; }
      .waiting { font-size: 12px; font-weight: 600; color: var(--text-muted); font-variant-numeric: tabular-nums; white-space: nowrap; }
      .waiting[data-age='amber'] { color: var(--warn); }
      .waiting[data-age='red'] { color: var(--live); }
      /* position: relative keeps the visually-hidden sentence inside (it widened phones to 846 px). */
      .byline { position: relative; display: inline-flex; align-items: baseline; gap: var(--s1); min-width: 0; flex: 1 1 8ch;
        overflow: hidden; color: var(--text-muted); font-size: 14px; }
      .authors { min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      .byline .more { flex: none; font-weight: 600; color: var(--text); cursor: help; }
      .contributors { font-size: 12px; color: var(--text-muted); margin: var(--s1) 0 0; }
      .marks { display: inline-flex; gap: var(--s1); font-size: 12px; font-weight: 700; }
      .mark { display: inline-flex; align-items: center; gap: 2px; color: var(--accent); }
      .mark .icon { width: 16px; height: 16px; }
      .actions { display: inline-flex; gap: 2px; margin-inline-start: auto; align-items: center; }
      .actions button { padding: 0; width: var(--target); }
      .actions .more-toggle, .actions .word, .break, .actions .phone-only { display: none; }
      /* Touch screens: no grip (a finger drags the page; moves are in the card's row of actions). */
      @media (hover: none) and (pointer: coarse) { .grip { display: none; } }
      .body { padding: 0 var(--s3) var(--s3) calc(var(--s2) + 28px + var(--s2)); }
      .headline { font-weight: 700; margin: 0 0 var(--s1); overflow-wrap: anywhere; }
      .preview { margin: 0; color: var(--text); display: -webkit-box; -webkit-line-clamp: 3; -webkit-box-orient: vertical;
        overflow: hidden; white-space: pre-wrap; overflow-wrap: anywhere; cursor: text; }
      .preview.empty { color: var(--text-muted); font-style: italic; }
      .preview.full { -webkit-line-clamp: unset; display: block; padding: var(--s2) var(--s3); border: 1px dashed var(--border);
        border-radius: var(--r1); background: var(--surface); cursor: default; }
      .note { font-size: 12px; color: var(--text-muted); margin-top: var(--s1); min-height: 18px; }
      .loading { color: var(--text-muted); font-size: 14px; }
      .correction { display: flex; gap: var(--s2); align-items: center; margin: 0 0 var(--s2); padding: var(--s1) var(--s2);
        border-radius: var(--r1); background: var(--badge-corrected-bg); color: var(--badge-corrected); font-size: 14px; }
      .correction .icon { width: 16px; height: 16px; }
      /* The size notice sticks to the bottom of the screen while the card is on it: after a long paste
         the writer is at the end of the text, far below the top of the card. */
      .size { position: sticky; bottom: 0; z-index: 1; }
      .size.warn, .size.refused { margin-top: var(--s2); padding: var(--s2) var(--s3); border-radius: var(--r1); font-size: 14px;
        display: flex; flex-wrap: wrap; gap: var(--s1) var(--s2); align-items: center; box-shadow: 0 -2px 8px rgb(0 0 0 / 0.12); }
      .size.warn { background: var(--warn-bg); color: var(--warn); border: 1px solid currentColor; }
      .size.refused { background: var(--danger-bg); color: var(--text); border: 1px solid var(--live); }
      .size [role='status'] { margin: 0; flex: 1 1 16rem; display: flex; gap: var(--s2); align-items: flex-start; overflow-wrap: anywhere; }
      .size [role='status'] .icon { width: 18px; height: 18px; margin-top: 1px; }
      .size.refused [role='status'] .icon { color: var(--live); }
      .size details { flex-basis: 100%; font-size: 12px; color: var(--text-muted); }
      .size summary { cursor: pointer; padding-block: 4px; width: max-content; }
      .size .copied { flex-basis: 100%; font-size: 12px; }
      .size label { flex-basis: 100%; display: grid; gap: var(--s1); font-size: 12px; }
      .size textarea { font: 14px/1.4 var(--font); width: 100%; color: var(--text); background: var(--bg);
        border: 1px solid var(--border); border-radius: var(--r1); padding: var(--s2); }
      /* Phones: one row says what the entry is (grip, time, badge, marks, authors, who is in it) and ends
         with the pencil and ⋯, each a full 44 px target under the thumb; the other actions wait behind ⋯. */
      @media (max-width: 600px) {
        .head { column-gap: var(--s2); row-gap: 0; padding: var(--s1) var(--s2) 0; }
        .grip { min-width: 24px; }
        /* Marks as icons (the word stays for screen readers; the pinned band and the key border say it too). */
        .marks { position: relative; }
        .mark-word { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
        /* Pinned shows already (the Pinned band, the shaded card, "pinned" in its name): its room goes to the names. */
        .mark[data-testid='pinned-mark'] { display: none; }
        /* Names wrap onto a second line inside row 1 rather than vanish into an ellipsis. */
        .byline { display: block; flex: 1 1 6ch; line-height: 1.3; }
        /* A time with its date: the date small above the time, so row 1 keeps the names and the pencil. */
        time.dated { display: inline-flex; flex-direction: column; line-height: 1.15; }
        time.dated .day { font-size: 12px; font-weight: 600; color: var(--text-muted); }
        time.dated .comma { display: none; }
        .authors { display: inline; white-space: normal; overflow: visible; text-overflow: clip; overflow-wrap: anywhere; }
        /* Row 1 ends with the pencil and ⋯; ⋯ unfolds pin, key mark and moves as a row of labelled buttons. */
        .actions { display: contents; }
        .actions .more-toggle { display: inline-flex; }
        .actions .secondary { display: none; }
        .head.more-open .break { display: block; order: 10; flex-basis: 100%; height: 0; }
        /* Each as wide as its word; more than a row's worth (History, Submit) wraps onto a second row. */
        .head.more-open .actions .secondary { display: inline-flex; order: 11; flex: 1 1 auto; width: auto; min-width: var(--target);
          padding: 0 var(--s1); gap: var(--s1); font-size: 14px; }
        .head.more-open .actions .word { display: inline; }
        .actions .more-toggle[aria-expanded='true'] { background: var(--surface); border-color: var(--border); }
        /* ⋯ and the pencil side by side at the end of the row (their 44 px boxes already space the icons). */
        .actions .more-toggle { margin-inline-end: calc(-1 * var(--s2)); }
        .head { padding-inline-end: var(--s1); }
        .body { padding: 0 var(--s2) var(--s2); }
        .size summary { padding-block: 12px; } /* a 44 px target, the disclosure triangle kept */
      }
      /* The narrowest phones: names take the second row, so the pencil and ⋯ never fall off the first. */
      @media (max-width: 359px) {
        .marks { margin-inline-end: auto; }
        .byline, ld-presence { order: 9; }
        .byline { flex-basis: calc(100% - 32px); }
      }
    `,
  ];

  override connectedCallback() {
    super.connectedCallback();
    this.io = new IntersectionObserver(([e]) => {
      if (!e) return;
      // Never pull the editor out from under someone typing in it.
      if (!e.isIntersecting && this.editorEl?.contains(this.shadowRoot?.activeElement ?? null)) return;
      this.near = e.isIntersecting;
    }, { rootMargin: '800px 0px' });
    this.io.observe(this);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.io?.disconnect();
    this.io = undefined;
  }

  /**
   * Expand (if needed) and put the caret in the text once it has loaded. Resolves true once the
   * text has focus (never resolves false on its own: callers that cannot wait race it with a timeout).
   */
  focusEditor(opts: FocusOptions = {}): Promise<boolean> {
    this.near = true;
    this.focusWhenReady = true;
    this.focusOpts = opts;
    const focused = new Promise<boolean>((resolve) => this.onEditorFocused.push(resolve));
    if (!this.expanded) this.fireExpand(true);
    else this.tryFocusEditor();
    return focused;
  }

  /** Types keys captured before the editor existed into it, at the caret (the editor has focus). */
  replayKeys(keys: readonly TypedKey[]) {
    this.editorEl?.replayKeys(keys);
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if ((changed.has('expanded') || changed.has('hub') || changed.has('entry')) && this.entry && this.hub) {
      if (this.expanded) this.docCtl.open(this.hub, this.entry.id);
      else this.docCtl.close();
    }
  }

  protected override updated() {
    if (this.focusWhenReady) this.tryFocusEditor();
  }

  private tryFocusEditor() {
    if (!this.docCtl.state?.loaded && !this.fresh) return;
    // The editor child renders after our updated(): wait for it to create its view.
    if (this.editorEl && !this.editorEl.editorView) return void this.editorEl.updateComplete.then(() => this.tryFocusEditor());
    if (!this.editorEl?.editorView) return;
    this.focusWhenReady = false;
    this.editorEl.focusEditor(this.focusOpts);
    this.focusOpts = {};
    for (const resolve of this.onEditorFocused.splice(0)) resolve(true);
  }

  override render() {
    const e = this.entry;
    if (!e) return nothing;
    const authors = e.bylines.length ? e.bylines.join(', ') : e.authorName;
    const { extra, sentence } = contributorsOf(e);
    // Not today in the file's zone, the time carries its date ("1 Dec, 23:58"): phones stack the two.
    const { day, time: clock } = formatDayAndTime(e.createdAt, this.timeZone);
    return html`
      <div class="head ${this.moreOpen ? 'more-open' : ''}">
        ${this.noDesk ? nothing : html`<span class="grip" draggable=${this.readonly || this.deskReadonly ? 'false' : 'true'} title=${withKeyHint('Drag to reorder', 'or Alt+↑/↓')}
          aria-hidden="true" data-testid="drag-grip" @dragstart=${this.onDragStart}>::</span>`}
        <time datetime=${e.createdAt} title=${e.createdAt} class=${day ? 'dated' : ''}>${day
          ? html`<span class="day">${day}<span class="comma">,</span></span> <span>${clock}</span>`
          : clock}</time>
        <ld-status-badge .status=${e.status} .publishAt=${e.publishAt} .timeZone=${this.timeZone}></ld-status-badge>
        ${e.status === 'submitted' ? this.renderWaiting(e) : nothing}
        <span class="marks">
          ${this.pinned ? html`<span class="mark" data-testid="pinned-mark" title="Pinned">${icons.pin()}<span class="mark-word">Pinned</span></span>` : nothing}
          ${this.keyEvent ? html`<span class="mark" data-testid="key-mark" title="Key event">${icons.key()}<span class="mark-word">Key</span></span>` : nothing}
        </span>
        <span class="byline" title=${sentence || authors} data-testid="entry-authors"><span class="authors" dir="auto"><bdi>${authors}</bdi></span>${extra > 0
          ? html` <span class="more" data-testid="entry-contributors-more" aria-hidden="true">+${extra}</span><span class="visually-hidden">; ${sentence}</span>`
          : nothing}</span>
        ${this.editors.length ? html`<ld-presence compact .users=${this.editors} max="3" .describeEntry=${() => 'this entry'}
          data-testid="entry-presence"></ld-presence>` : nothing}
        <span class="actions">
          ${this.noDesk ? nothing : html`
          <span class="break"></span>
          ${this.actionButton('pin', this.pinned ? 'Unpin' : 'Pin', 'P', icons.pin(), () => this.fire('entry-pin-toggled', {}), { pressed: this.pinned, word: this.pinned ? 'Unpin' : 'Pin' })}
          ${this.actionButton('key', this.keyEvent ? 'Unmark key event' : 'Mark key event', 'K', icons.key(), () => this.fire('entry-key-toggled', {}), { pressed: this.keyEvent, word: 'Key event' })}
          ${this.actionButton('move-up', 'Move up', 'Alt+↑', icons.up(), () => this.fire('entry-move', { to: 'up' }), { disabled: this.position <= 1, word: 'Up', keys: 'Alt+ArrowUp' })}
          ${this.actionButton('move-down', 'Move down', 'Alt+↓', icons.down(), () => this.fire('entry-move', { to: 'down' }), { disabled: this.position >= this.total, word: 'Down', keys: 'Alt+ArrowDown' })}
          ${!this.expanded && this.maySubmit(e) ? this.actionButton('submit', 'Submit', 'Ctrl+Enter', icons.send(), () => this.submitEntry(),
            { word: 'Submit', keys: 'Control+Enter Meta+Enter', cls: 'phone-only', disabled: this.readonly || !!this.flowBlocked }) : nothing}
          <button class="ghost more-toggle" data-testid="entry-more" aria-expanded=${String(this.moreOpen)} aria-label="More actions"
            title=${isTouchScreen() ? nothing : 'More actions'} @click=${(ev: Event) => (ev.stopPropagation(), (this.moreOpen = !this.moreOpen))}>${icons.more()}</button>`}
          ${this.mayReadHistory() ? this.actionButton('history', 'History', 'H', icons.history(), () => (this.historyOpen = true), { word: 'History' }) : nothing}
          ${this.actionButton('edit', this.expanded ? 'Close editor' : 'Edit', this.expanded ? 'Esc' : 'Enter', this.expanded ? icons.close() : icons.edit(), () => this.onEditButton(), { keys: this.expanded ? 'Escape' : 'Enter' })}
        </span>
      </div>
      <div class="body">
        ${e.headline && !this.expanded ? html`<p class="headline" dir="auto" data-testid="entry-headline">${e.headline}</p>` : nothing}
        ${this.expanded && e.status === 'published'
          ? html`<p class="correction" data-testid="correction-warning">${icons.published()}<span>Readers see this once approved as a correction.</span></p>`
          : nothing}
        ${this.expanded ? html`<ld-entry-meta .entry=${e} .api=${this.services?.api} ?readonly=${this.textReadonly(e)}></ld-entry-meta>` : nothing}
        ${this.expanded ? this.renderEditor(e) : this.renderPreview(e)}
        ${this.renderSize(e)}
        ${this.expanded && sentence ? html`<p class="contributors" data-testid="entry-contributors">${e.contributors.map((c, i) => html`${i ? ', ' : ''}<bdi>${c.name}</bdi>`)} worked on this</p>` : nothing}
        <ld-entry-flow .entry=${e} .fileFacts=${this.fileFacts} .timeZone=${this.timeZone} .blocked=${this.flowBlocked} ?expanded=${this.expanded}
          ?desk=${!this.noDesk} ?can-write=${this.mayWrite(e)} @flow-edit=${() => void this.focusEditor()}></ld-entry-flow>
      </div>
      ${this.historyOpen ? html`<ld-entry-history .entryId=${e.id} .api=${this.services?.api} .timeZone=${this.timeZone}
        entryLabel=${`the ${formatTimeOrDate(e.createdAt, this.timeZone)} entry`} @history-closed=${() => (this.historyOpen = false)}></ld-entry-history>` : nothing}`;
  }

  /** Ctrl/Cmd+Enter on the card or in its editor: submit it, when this viewer may (nothing otherwise). */
  submitEntry(): boolean {
    return this.flowEl?.submit() ?? false;
  }

  /** H on a focused card. */
  openHistory() {
    if (this.mayReadHistory()) this.historyOpen = true;
  }

  private renderWaiting(e: EntryView) {
    const since = waitingSince(e);
    const min = minutesBetween(since, this.clock.now);
    return html`<span class="waiting" data-age=${ageLevel(min)} data-testid="entry-waiting" title=${`Submitted at ${formatTimeOrDate(since, this.timeZone)}`}>${formatWaiting(since, this.clock.now, this.timeZone)}</span>`;
  }

  /** The viewer may submit this entry now (the folded phone card offers it behind ⋯; elsewhere the flow row does). */
  private maySubmit(e: EntryView): boolean {
    const a = this.services?.account;
    return !!a && flowButtons(actorOf(a), this.fileFacts, e, ['submit']).some((b) => b.enabled);
  }

  private mayReadHistory(): boolean {
    const a = this.services?.account;
    return !!a && mayReadHistory(actorOf(a), this.fileFacts);
  }

  /** The permission table says this viewer writes this entry's text now (an author writes hers again once sent back). */
  private mayWrite(e: EntryView): boolean {
    const a = this.services?.account;
    if (!a || this.readonly) return false;
    return decide(Permission.EntryWrite, actorOf(a), this.fileFacts, { status: e.status, authorId: e.authorId, contributorIds: e.contributorIds }).allowed;
  }

  /** A retracted entry is closed; otherwise the page's read-only and the server's say for this document. */
  private textReadonly(e: EntryView): boolean {
    return this.readonly || !!this.docCtl.state?.readOnly || e.status === 'retracted';
  }

  private renderPreview(e: EntryView) {
    return html`<p class="preview ${e.preview ? '' : 'empty'}" dir="auto" data-testid="entry-preview"
      @click=${() => !this.readonly && this.focusEditor()}>${e.preview || 'Empty draft'}</p>`;
  }

  private renderEditor(e: EntryView) {
    const st = this.docCtl.state;
    // Last known text, read-only, until the document has loaded from this device or the server.
    if ((!st?.loaded && !this.fresh) || !this.docCtl.fragment) {
      return html`<p class="preview full ${e.preview ? '' : 'empty'}" dir="auto" data-testid="entry-loading-preview">${e.preview || 'Empty draft'}</p>
        <div class="loading" role="status">Loading the latest text…</div>`;
    }
    // Far from the viewport: the same text without an editor (mounted again on approach).
    if (!this.near) return html`<p class="preview full" dir="auto">${docPreview(this.hub, e)}</p>`;
    return html`<ld-entry-editor .fragment=${this.docCtl.fragment} .awareness=${this.docCtl.awareness}
        ?readonly=${this.textReadonly(e)} label=${`Text of the ${formatTimeOrDate(e.createdAt, this.timeZone)} entry`}
        @editor-escape=${this.onEditorEscape} @editor-save=${this.onSave} @editor-submit=${() => this.submitEntry()}></ld-entry-editor>
      <div class="note" role="status">${this.savedNote}</div>`;
  }

  /**
   * The entry's size, as this device measures it (CollabDoc.bytes): a warning well before the server's
   * cap, and what happened once the server refused a change for it. The status line is always in the
   * DOM (empty when all is well) so screen readers announce it when it fills.
   */
  private renderSize(e: EntryView) {
    const st: CollabDocState | null = this.docCtl.state ?? this.hub?.stateOf(entryDocName(e.id)) ?? null;
    const refused = !!st?.tooLarge;
    const warn = !refused && !!st && st.bytes >= Limits.docWarnBytes;
    if (!refused && !warn && !this.expanded) return nothing;
    const c = this.copy.state;
    const unsent = st?.unsent ?? 0;
    return html`<div class="size ${refused ? 'refused' : warn ? 'warn' : ''}" data-testid="entry-size" data-kind=${refused ? 'refused' : warn ? 'warn' : 'ok'}>
      <p role="status" data-testid="entry-size-status">${refused
        ? html`${icons.lock()}<span><strong>This entry reached its size limit, so your latest changes were not sent.</strong>
            They are still on this device: copy them into a new entry.</span>`
        : warn ? html`${icons.warn()}<span><strong>This entry is getting long: split it.</strong>
            Put what comes next in a new entry; this one is close to its size limit.</span>` : nothing}</p>
      ${refused ? html`<button class="primary" data-testid="entry-copy-text" @click=${() => this.copy.copy(docPreview(this.hub, e))}>Copy text</button>
        <details data-testid="entry-size-details"><summary>Details</summary>
          The server refused a change that would have made this entry larger than ${megabytes(Limits.maxDocBytes)}
          (${Limits.maxDocBytes.toLocaleString('en')} bytes; this device's copy is ${st!.bytes.toLocaleString('en')} bytes).
          ${unsent} ${unsent === 1 ? 'change' : 'changes'} not sent. Editing this entry is off here, so nothing else is lost.
          Code ${st!.stayAway?.code ?? CollabClose.DocumentTooLarge.code} (${st!.stayAway?.reason ?? CollabClose.DocumentTooLarge.reason}).
        </details>` : nothing}
      ${refused && c?.ok ? html`<span class="copied" role="status">Copied ${c.text.length.toLocaleString('en')} characters.</span>` : nothing}
      ${refused && c && !c.ok ? html`<label>Copying is blocked here: select this text and copy it (Ctrl+C).
        <textarea readonly rows="4" data-testid="entry-copy-fallback" .value=${c.text} @focus=${(ev: Event) => (ev.target as HTMLTextAreaElement).select()}></textarea></label>` : nothing}
    </div>`;
  }

  /**
   * An icon button of the card's toolbar. `hint` is the key as people read it ("Alt+↑"), left out of
   * the name on touch screens; `keys` is the same key for aria-keyshortcuts; `word` is the label
   * shown beside the icon in the phone's row of actions (the "secondary" ones).
   */
  private actionButton(id: string, label: string, hint: string, icon: unknown, onClick: () => void,
    o: { pressed?: boolean; disabled?: boolean; word?: string; keys?: string; cls?: string } = {}) {
    // Reading (the pencil, the history) never waits for write access; the rest are desk-document writes.
    const readonlyBlocked = (this.readonly || this.deskReadonly) && id !== 'edit' && id !== 'history' && id !== 'submit';
    const name = withKeyHint(label, hint);
    return html`<button class="ghost ${o.word ? 'secondary' : ''} ${o.cls ?? ''}" data-testid=${`entry-${id}`} title=${isTouchScreen() ? nothing : name} aria-label=${name}
      aria-keyshortcuts=${o.keys ?? hint} aria-pressed=${o.pressed === undefined ? nothing : String(o.pressed)} ?disabled=${!!o.disabled || readonlyBlocked}
      @click=${(ev: Event) => (ev.stopPropagation(), onClick())}>${icon}${o.word ? html`<span class="word">${o.word}</span>` : nothing}</button>`;
  }

  /** The pencil opens the editor with the caret in the text; as "Close editor" it goes back to the card. */
  private onEditButton() {
    if (this.expanded) return void this.onEditorEscape();
    void this.focusEditor();
  }

  private async onEditorEscape() {
    this.fireExpand(false);
    this.focus({ preventScroll: true });
    // Removing the editor blurs it: take focus again once it is gone.
    await new Promise((r) => requestAnimationFrame(r));
    this.focus({ preventScroll: true });
  }

  private onSave() {
    this.savedNote = 'Saved automatically: every change is kept on this device and sent when online.';
    setTimeout(() => (this.savedNote = ''), 4000);
  }

  private onDragStart(ev: DragEvent) {
    if (!this.entry || this.readonly || this.deskReadonly) return ev.preventDefault();
    ev.dataTransfer?.setData('application/x-livedesk-entry', this.entry.id);
    ev.dataTransfer?.setData('text/plain', this.entry.preview.slice(0, 80));
    if (ev.dataTransfer) ev.dataTransfer.effectAllowed = 'move';
    this.fire('entry-drag-start', {});
  }

  private fireExpand(expanded: boolean) {
    this.fire('entry-expand', { expanded });
  }

  private fire(name: string, extra: Record<string, unknown>) {
    const detail = { entryId: this.entry?.id, ...extra };
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toLocaleString('en', { maximumFractionDigits: 1 })} MB`;
}

/** This device's text of the entry when its doc is open, else the server's preview. */
function docPreview(hub: CollabHub | undefined, e: EntryView): string {
  return hub?.textOf(entryDocName(e.id)) ?? e.preview;
}

/** Who worked on an entry: "+N" beyond its bylines, and the full sentence for titles and screen readers. */
export function contributorsOf(e: Pick<EntryView, 'bylines' | 'authorName' | 'contributors'>): { extra: number; sentence: string } {
  const named = new Set((e.bylines.length ? e.bylines : [e.authorName]).map((n) => n.toLocaleLowerCase()));
  const names = e.contributors.map((c) => c.name);
  const extra = names.filter((n) => !named.has(n.toLocaleLowerCase())).length;
  return { extra, sentence: names.length ? `${names.join(', ')} worked on this` : '' };
}

declare global {
  interface HTMLElementTagNameMap {
    'ld-entry-card': LdEntryCard;
  }
}
