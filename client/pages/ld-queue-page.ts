import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { consume } from '@lit/context';
import type { QueueItem } from '../../shared/schemas/workflow.js';
import type { EntryView } from '../../shared/schemas/entry.js';
import type { LiveFileView } from '../../shared/schemas/liveFile.js';
import type { WorkflowAction } from '../../shared/workflow.js';
import { servicesContext, type Services } from '../services/services.js';
import { queueFeedFor, type QueueFeed } from '../services/queueFeed.js';
import { plainError, errorDetails } from '../services/plainError.js';
import { WorkflowController } from '../controllers/WorkflowController.js';
import { NowController } from '../controllers/NowController.js';
import { ACTION_LABEL, actorOf, flowButtons, type FlowButton } from '../workflow/flowActions.js';
import { diffSummary, wordDiff, type WordDiff } from '../workflow/wordDiff.js';
import { ageLevel, formatWaiting, minutesBetween, waitingSince } from '../workflow/waiting.js';
import { formatTimeOrDate, zoneLabel } from '../format.js';
import { isTypingTarget } from './deskKeys.js';
import { controlStyles } from '../components/shared-styles.js';
import { icons } from '../components/icons.js';
import { isTouchScreen } from '../components/touch.js';
import type { LdFlowPrompt, PromptKind } from '../components/ld-flow-prompt.js';
import '../components/ld-flow-prompt.js';
import '../components/ld-status-badge.js';
import '../components/ld-entry-history.js';

/** The keys of the queue (ux.md §2), for the sheet and aria-keyshortcuts. */
const KEYS: Array<[string, string]> = [
  ['J / ↓', 'Next entry'], ['K / ↑', 'Previous entry'], ['P', 'Publish'], ['S', 'Schedule (type the time)'],
  ['R', 'Reject with a note (Enter sends, Esc cancels)'], ['H', 'History'], ['/', 'Choose the live file'], ['?', 'These keys'],
];

const NARROW = '(max-width: 760px)';

/**
 * The chief's approval queue (ux.md §2) [QU1–QU6]: every submitted entry of the files the chief may
 * see, oldest waiting first, with a word-level diff against the published wording and the HTML
 * readers will get; publish, schedule or reject with a note, from the keyboard. Live: the same
 * feed as the header's count (queue:watch, then entry events). After an action focus goes to the
 * next entry, never the top.
 */
@customElement('ld-queue-page')
export class LdQueuePage extends LitElement {
  @consume({ context: servicesContext, subscribe: true })
  @state()
  services?: Services;

  @state() private selectedId: string | null = null;
  @state() private fileFilter = 'all';
  @state() private prompt: PromptKind | null = null;
  @state() private historyOf: QueueItem | null = null;
  @state() private showHelp = false;
  /** A step that lost its race on an entry that left the queue: the server's sentence, kept until the next step. */
  @state() private notice = '';
  @state() private announcement = '';
  @state() private connected = true;
  @state() private narrow = matchMedia(NARROW).matches;
  /** Phones: the detail of the selected entry instead of the list. */
  @state() private detailOpen = false;
  @state() private files = new Map<string, LiveFileView>();
  /** The revision shown to the chief, per entry: a newer one in the feed means it changed while she read. */
  private readonly shown = new Map<string, number>();
  @state() private changedWhileReading = new Set<string>();
  /** Where the selected entry was in the list: if it leaves (someone else acted), the one now there is selected, not the top. */
  private selectedIndex = 0;
  private refocus = false;

  private feed?: QueueFeed;
  private offFeed?: () => void;
  private offConnection?: () => void;
  private readonly mq = matchMedia(NARROW);
  private readonly clock = new NowController(this);
  private readonly flow = new WorkflowController(this, {
    api: () => this.services?.api,
    applied: (entry, action) => this.afterStep(entry, action),
    // Lost a race: the server's sentence (who acted first) at the top, where it stays whichever
    // entry is selected next; the entry as it is now replaces the stale one [QU5].
    refreshed: (entry, refusal) => {
      this.prompt = null;
      this.notice = refusal.text;
      this.flow.clear();
      if (entry) this.feed?.applied(entry);
      else void this.feed?.refresh();
    },
  });

  static override styles = [
    controlStyles,
    css`
      :host { display: block; max-width: 1240px; margin: 0 auto; padding: var(--s3) var(--s4) var(--s7); }
      header { display: flex; flex-wrap: wrap; align-items: center; gap: var(--s2) var(--s3); margin-bottom: var(--s3); }
      h1 { font-size: 24px; line-height: 1.25; margin: 0; }
      .counts { display: flex; gap: var(--s2); font-size: 14px; color: var(--text-muted); font-variant-numeric: tabular-nums; }
      .counts strong { color: var(--text); }
      label.file { display: inline-flex; align-items: center; gap: var(--s2); font-size: 14px; margin-inline-start: auto; }
      label.file select { font-size: 16px; max-width: 18rem; }
      .help-toggle { font-weight: 700; padding: 0; }
      .offline { flex-basis: 100%; margin: 0; padding: var(--s2) var(--s3); border-radius: var(--r1); background: var(--warn-bg); color: var(--warn); font-size: 14px; }
      .notice { margin: 0 0 var(--s3); padding: var(--s2) var(--s3); border-radius: var(--r1); background: var(--danger-bg); border: 1px solid var(--live);
        display: flex; gap: var(--s2); align-items: center; flex-wrap: wrap; font-size: 14px; }
      .notice span { flex: 1 1 16rem; }
      section.keys { margin: 0 0 var(--s3); padding: var(--s3); background: var(--surface); border-radius: var(--r2); }
      section.keys dl { display: grid; grid-template-columns: max-content 1fr; gap: var(--s1) var(--s3); margin: 0; font-size: 14px; }
      section.keys dd { margin: 0; }
      .split { display: grid; grid-template-columns: minmax(280px, 380px) minmax(0, 1fr); gap: var(--s4); align-items: start; }
      .list { display: grid; gap: var(--s3); position: sticky; top: var(--s2); max-height: calc(100dvh - 120px); overflow: auto; padding: 2px; }
      h2.group { font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; color: var(--text-muted); margin: 0 0 var(--s1); }
      ol.items { list-style: none; margin: 0; padding: 0; display: grid; gap: var(--s2); }
      button.item { display: grid; grid-template-columns: auto 1fr auto; gap: 2px var(--s2); width: 100%; text-align: start; white-space: normal;
        padding: var(--s2) var(--s3); min-height: 76px; align-items: baseline; align-content: start; justify-content: stretch; border-radius: var(--r2); }
      button.item[aria-current='true'] { border: 2px solid var(--accent); background: var(--surface); padding: calc(var(--s2) - 1px) calc(var(--s3) - 1px); }
      button.item:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
      .item time { font-variant-numeric: tabular-nums; font-weight: 700; }
      .item .file { font-weight: 600; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      .item .snippet { grid-column: 1 / -1; color: var(--text-muted); font-size: 14px; overflow: hidden; display: -webkit-box;
        -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow-wrap: anywhere; }
      .item .tags { grid-column: 1 / -1; display: flex; flex-wrap: wrap; gap: var(--s1); font-size: 12px; }
      .tag { padding: 0 6px; border-radius: var(--r1); background: var(--surface); border: 1px solid var(--border); line-height: 18px; }
      .age { font-size: 12px; font-weight: 700; font-variant-numeric: tabular-nums; white-space: nowrap; color: var(--text-muted); }
      .age[data-age='amber'] { color: var(--warn); }
      .age[data-age='red'] { color: var(--live); }
      .skeleton { height: 76px; border-radius: var(--r2); background: var(--surface); border: 1px solid var(--border); }
      .empty { color: var(--text-muted); padding: var(--s6) var(--s3); text-align: center; font-size: 16px; border: 1px dashed var(--border); border-radius: var(--r2); }
      .detail { min-width: 0; border: 1px solid var(--border); border-radius: var(--r2); padding: var(--s3) var(--s4); display: grid; gap: var(--s3); }
      .detail h2 { font-size: 20px; line-height: 1.25; margin: 0; overflow-wrap: anywhere; }
      .detail h2:focus { outline: none; }
      .detail h2:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
      .detail h3 { font-size: 14px; margin: 0 0 var(--s1); color: var(--text-muted); font-weight: 700; }
      .who { display: flex; flex-wrap: wrap; gap: var(--s1) var(--s2); align-items: center; font-size: 14px; margin: 0; }
      .muted { color: var(--text-muted); }
      .four-eyes { margin: 0; font-size: 14px; display: flex; gap: var(--s2); align-items: center; }
      .changed { margin: 0; padding: var(--s2) var(--s3); border-radius: var(--r1); background: var(--warn-bg); color: var(--warn); font-weight: 600; font-size: 14px; }
      .summary { font-size: 12px; color: var(--text-muted); margin: 0 0 var(--s1); }
      .diff, .rendered { border: 1px solid var(--border); border-radius: var(--r1); padding: var(--s2) var(--s3); background: var(--bg); overflow-wrap: anywhere; }
      .diff { white-space: pre-wrap; line-height: 1.6; font-size: 16px; }
      /* Never colour alone: struck through and underlined, plus the words for screen readers. */
      ins { text-decoration: underline 2px; text-underline-offset: 3px; background: var(--badge-scheduled-bg); color: var(--badge-scheduled); }
      del { text-decoration: line-through 2px; background: var(--badge-rejected-bg); color: var(--badge-rejected); }
      ins::before, ins::after, del::before, del::after { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
      ins::before { content: ' [added: '; }
      del::before { content: ' [removed: '; }
      ins::after, del::after { content: '] '; }
      .rendered { font-size: 17px; line-height: 1.5; }
      .rendered > :first-child { margin-top: 0; }
      .rendered > :last-child { margin-bottom: 0; }
      .rendered img, .rendered video, .rendered iframe { max-width: 100%; height: auto; }
      .rendered a { color: var(--accent); }
      .rendered blockquote { margin-inline: 0; padding-inline-start: var(--s3); border-inline-start: 3px solid var(--border); }
      .actions { display: flex; flex-wrap: wrap; gap: var(--s2); align-items: center; }
      .actions .why { flex-basis: 100%; font-size: 13px; color: var(--text-muted); margin: 0; }
      .refusal { margin: 0; padding: var(--s2) var(--s3); border-radius: var(--r1); background: var(--danger-bg); border: 1px solid var(--live);
        display: flex; gap: var(--s2); flex-wrap: wrap; align-items: center; font-size: 14px; }
      .refusal span { flex: 1 1 14rem; }
      .back { display: none; }
      @media (max-width: 760px) {
        :host { padding: var(--s2) var(--s2) var(--s7); }
        h1 { font-size: 20px; }
        label.file { margin-inline-start: 0; flex: 1 1 100%; }
        label.file select { flex: 1; max-width: none; min-height: 44px; }
        .split { grid-template-columns: minmax(0, 1fr); }
        .list { position: static; max-height: none; overflow: visible; }
        .split.detail-open .list { display: none; }
        .split:not(.detail-open) .detail { display: none; }
        .back { display: inline-flex; justify-self: start; }
        .detail { padding: var(--s2) var(--s3); }
        .actions button { flex: 1 1 auto; min-height: 44px; }
        .help-toggle { display: none; }
      }
    `,
  ];

  override connectedCallback() {
    super.connectedCallback();
    addEventListener('keydown', this.onKeydown);
    this.mq.addEventListener('change', this.onMedia);
  }

  override disconnectedCallback() {
    removeEventListener('keydown', this.onKeydown);
    this.mq.removeEventListener('change', this.onMedia);
    this.offFeed?.();
    this.offFeed = undefined;
    this.offConnection?.();
    this.offConnection = undefined;
    this.feed = undefined;
    super.disconnectedCallback();
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('services')) this.bind();
    this.keepPlace();
    this.noteChanges();
  }

  protected override updated() {
    const sel = this.selected();
    if (sel) this.selectedIndex = Math.max(0, this.ordered().indexOf(sel));
    if (this.refocus && sel) {
      this.refocus = false;
      this.itemButton(sel.entry.id)?.focus();
    }
  }

  /** The selected entry left the queue under the chief's eyes: the entry now in its place is selected (and focused if it was). */
  private keepPlace() {
    if (!this.selectedId) return;
    const list = this.ordered();
    if (list.some((i) => i.entry.id === this.selectedId) || !this.feed?.items) return;
    const focused = (this.shadowRoot?.activeElement as HTMLElement | null)?.dataset?.entryId === this.selectedId;
    const next = list[Math.min(this.selectedIndex, list.length - 1)];
    this.selectedId = next?.entry.id ?? null;
    this.prompt = null;
    this.refocus = focused && !!next;
  }

  private get isChief(): boolean {
    const r = this.services?.account.role;
    return r === 'chief' || r === 'admin';
  }

  private bind() {
    this.offFeed?.();
    this.offConnection?.();
    this.feed = undefined;
    const s = this.services;
    if (!s || !this.isChief) return;
    this.feed = queueFeedFor(s.api, s.realtime);
    this.offFeed = this.feed.subscribe(() => this.requestUpdate());
    // The header's link started the feed already, with an ack; fetch anyway: this page shows the texts.
    void this.feed.refresh();
    this.connected = s.realtime.connected || this.feed.items !== null;
    this.offConnection = s.realtime.onConnection((c) => (this.connected = c));
    void s.api.listLiveFiles().then(({ liveFiles }) => (this.files = new Map(liveFiles.map((f) => [f.id, f]))), () => {});
  }

  /** Marks the entries whose wording changed since the chief was shown them ("Changed while you were reading"). */
  private noteChanges() {
    const sel = this.selected();
    if (!sel) return;
    const seen = this.shown.get(sel.entry.id);
    this.shown.set(sel.entry.id, sel.entry.revision);
    if (seen !== undefined && seen !== sel.entry.revision) this.changedWhileReading = new Set([...this.changedWhileReading, sel.entry.id]);
  }

  /** Waiting entries first (oldest first, as the server orders them), then the scheduled ones. */
  private visible(): { waiting: QueueItem[]; scheduled: QueueItem[] } {
    const items = (this.feed?.items ?? []).filter((i) => this.fileFilter === 'all' || i.liveFile.id === this.fileFilter);
    return { waiting: items.filter((i) => i.entry.status === 'submitted'), scheduled: items.filter((i) => i.entry.status === 'scheduled') };
  }

  private ordered(): QueueItem[] {
    const { waiting, scheduled } = this.visible();
    return [...waiting, ...scheduled];
  }

  private selected(): QueueItem | undefined {
    const list = this.ordered();
    return list.find((i) => i.entry.id === this.selectedId) ?? (this.narrow && this.detailOpen ? undefined : list[0]);
  }

  private zoneOf(item: QueueItem): string {
    return this.files.get(item.liveFile.id)?.timezone ?? 'UTC';
  }

  override render() {
    if (!this.services) return nothing;
    if (!this.isChief) {
      return html`<h1>Approval queue</h1><p class="empty" data-testid="queue-not-chief">The approval queue is for chiefs and admins.
        Your submissions show their state on each card of the live file.</p>`;
    }
    const feed = this.feed;
    const { waiting, scheduled } = this.visible();
    const all = feed?.items ?? [];
    const sel = this.selected();
    const fileIds = [...new Map(all.map((i) => [i.liveFile.id, i.liveFile.title])).entries()];
    return html`
      <header>
        <h1 id="queue-title">Approval queue</h1>
        <span class="counts" data-testid="queue-counts"><span><strong data-testid="queue-waiting-count">${feed?.items ? waiting.length : '…'}</strong> waiting</span>
          ${scheduled.length ? html`<span>· <strong>${scheduled.length}</strong> scheduled</span>` : nothing}</span>
        <label class="file">Live file
          <select data-testid="queue-file-filter" aria-keyshortcuts="/" .value=${this.fileFilter}
            @change=${(e: Event) => ((this.fileFilter = (e.target as HTMLSelectElement).value), (this.selectedId = null))}>
            <option value="all">All files (${all.length})</option>
            ${fileIds.map(([id, title]) => html`<option value=${id}>${title} (${all.filter((i) => i.liveFile.id === id).length})</option>`)}
          </select></label>
        ${isTouchScreen() ? nothing : html`<button class="ghost help-toggle" aria-label="Keyboard shortcuts (?)" title="Keyboard shortcuts (?)"
          aria-expanded=${String(this.showHelp)} @click=${() => (this.showHelp = !this.showHelp)}>?</button>`}
        ${!this.connected ? html`<p class="offline" role="status" data-testid="queue-offline">Offline: publishing, scheduling and rejecting are off until the
          connection is back. Nothing is queued on this device: a late approval is better than a stale one.</p>` : nothing}
      </header>
      ${this.showHelp ? html`<section class="keys" aria-label="Keyboard shortcuts"><dl>${KEYS.map(([k, v]) => html`<dt><kbd>${k}</kbd></dt><dd>${v}</dd>`)}</dl></section>` : nothing}
      ${this.notice ? html`<p class="notice" role="alert" data-testid="queue-notice">${icons.warn()}<span>${this.notice}</span>
        <button class="ghost" @click=${() => (this.notice = '')}>Dismiss</button></p>` : nothing}
      <div class="visually-hidden" role="status" aria-live="polite" data-testid="queue-announcer">${this.announcement}</div>
      ${!feed?.items && feed?.failed ? html`<p class="notice" role="alert">${icons.warn()}<span>Couldn't load the queue: ${plainError(feed.failed).reason}.</span>
          <button @click=${() => void feed.refresh()}>Try again</button></p>${errorDetails(plainError(feed.failed).details)}`
        : !feed?.items ? html`<div class="split"><div class="list" aria-busy="true" aria-label="Loading the queue">
            ${[0, 1, 2, 3].map(() => html`<div class="skeleton"></div>`)}</div></div>`
        : waiting.length + scheduled.length === 0 ? html`<p class="empty" data-testid="queue-empty">Nothing waiting. New submissions appear here as they arrive.</p>`
        : html`<div class="split ${this.detailOpen ? 'detail-open' : ''}">
            <nav class="list" aria-label="Entries to approve">
              ${waiting.length ? html`<div><h2 class="group" id="waiting-title">Waiting, oldest first</h2>
                ${this.renderItems(waiting, sel, 'waiting-title')}</div>` : nothing}
              ${scheduled.length ? html`<div><h2 class="group" id="scheduled-title">Scheduled</h2>
                ${this.renderItems(scheduled, sel, 'scheduled-title')}</div>` : nothing}
            </nav>
            ${sel ? this.renderDetail(sel) : nothing}
          </div>`}
      ${this.historyOf ? html`<ld-entry-history .entryId=${this.historyOf.entry.id} .api=${this.services.api} .timeZone=${this.zoneOf(this.historyOf)}
        entryLabel=${`the ${formatTimeOrDate(this.historyOf.entry.createdAt, this.zoneOf(this.historyOf))} entry of ${this.historyOf.liveFile.title}`}
        @history-closed=${() => (this.historyOf = null)}></ld-entry-history>` : nothing}`;
  }

  private renderItems(items: QueueItem[], sel: QueueItem | undefined, labelledBy: string) {
    return html`<ol class="items" aria-labelledby=${labelledBy} data-testid="queue-items">${repeat(items, (i) => i.entry.id, (i) => {
      const e = i.entry;
      const tz = this.zoneOf(i);
      const since = waitingSince(e);
      const min = minutesBetween(since, this.clock.now);
      const current = sel?.entry.id === e.id;
      return html`<li><button class="ghost item" data-testid="queue-item" data-entry-id=${e.id} aria-current=${current ? 'true' : 'false'}
          aria-keyshortcuts="J K ArrowDown ArrowUp" @click=${() => this.select(e.id, true)}>
        <time datetime=${e.createdAt}>${formatTimeOrDate(e.createdAt, tz)}</time>
        <span class="file" dir="auto">${i.liveFile.title}</span>
        ${e.status === 'scheduled' && e.publishAt
          ? html`<span class="age">at ${formatTimeOrDate(e.publishAt, tz)}</span>`
          : html`<span class="age" data-age=${ageLevel(min)} data-testid="queue-item-age">${formatWaiting(since, this.clock.now, tz)}</span>`}
        <span class="snippet" dir="auto"><bdi>${e.authorName}</bdi>: ${i.currentText.slice(0, 160) || 'Empty entry'}</span>
        ${i.publishedText !== null || i.liveFile.fourEyes || this.changedWhileReading.has(e.id) ? html`<span class="tags">
          ${i.publishedText !== null ? html`<span class="tag">Correction</span>` : nothing}
          ${i.liveFile.fourEyes ? html`<span class="tag">Four eyes</span>` : nothing}
          ${this.changedWhileReading.has(e.id) ? html`<span class="tag">Changed</span>` : nothing}</span>` : nothing}
      </button></li>`;
    })}</ol>`;
  }

  private renderDetail(item: QueueItem) {
    const e = item.entry;
    const tz = this.zoneOf(item);
    const diff: WordDiff = wordDiff(item.publishedText, item.currentText);
    const buttons = this.buttonsFor(item);
    const r = this.flow.refusal;
    const since = waitingSince(e);
    const writers = [...new Set([e.authorName, ...e.contributors.map((c) => c.name)])];
    const disabledWhy = buttons.find((b) => !b.enabled)?.reason;
    const list = this.ordered();
    return html`<section class="detail" aria-labelledby="detail-title" data-testid="queue-detail" data-entry-id=${e.id}>
      <button class="back" @click=${this.closeDetail} data-testid="queue-back">${icons.back()}All waiting (${list.length})</button>
      <h2 id="detail-title" tabindex="-1"><bdi dir="auto">${item.liveFile.title}</bdi>, entry <time datetime=${e.createdAt}>${formatTimeOrDate(e.createdAt, tz)}</time></h2>
      <p class="who"><ld-status-badge .status=${e.status} .publishAt=${e.publishAt} .timeZone=${tz}></ld-status-badge>
        <span>by <bdi>${e.authorName}</bdi>${e.status === 'submitted' ? html`, <span data-testid="queue-detail-age">${formatWaiting(since, this.clock.now, tz)}</span>` : nothing}</span>
        <span class="muted">Times in ${zoneLabel(tz)}</span></p>
      ${item.liveFile.fourEyes ? html`<p class="four-eyes" data-testid="queue-four-eyes">${icons.lock()}<span>Four eyes: a chief other than
        ${writers.map((n, i) => html`${i ? (i === writers.length - 1 ? ' and ' : ', ') : ''}<bdi>${n}</bdi>`)} publishes this.</span></p>` : nothing}
      ${this.changedWhileReading.has(e.id) ? html`<p class="changed" role="status" data-testid="queue-changed">Changed while you were reading: the diff below is the new wording.</p>` : nothing}
      <div>
        <h3 id="diff-title">${diff.isNew ? 'New entry: nothing published yet' : 'Changes against the published wording'}</h3>
        <p class="summary" data-testid="queue-diff-summary">${diffSummary(diff)}</p>
        <div class="diff" dir="auto" aria-labelledby="diff-title" data-testid="queue-diff" role="group">${diff.parts.map((p) => p.kind === 'same' ? p.text
          : p.kind === 'added' ? html`<ins data-testid="diff-added">${p.text}</ins>` : html`<del data-testid="diff-removed">${p.text}</del>`)}</div>
      </div>
      <div>
        <h3 id="preview-title">As readers will see it</h3>
        <div class="rendered" dir="auto" role="group" aria-labelledby="preview-title" data-testid="queue-preview">${unsafeHTML(item.currentHtml)}</div>
      </div>
      ${r ? html`<p class="refusal" role="alert" data-testid="queue-refusal">${icons.warn()}<span>${r.text}</span>
        ${r.retry ? html`<button @click=${() => void this.flow.retry()} ?disabled=${!!this.flow.busy || !this.connected} data-testid="queue-retry">Try again</button>` : nothing}</p>` : nothing}
      ${this.prompt ? html`<ld-flow-prompt .kind=${this.prompt} .timeZone=${tz} ?busy=${!!this.flow.busy} recipient=${e.authorName}
        @prompt-confirm=${this.onConfirm} @prompt-cancel=${this.onPromptCancel}></ld-flow-prompt>` : nothing}
      <div class="actions" data-testid="queue-actions">
        ${buttons.map((b) => this.actionButton(b))}
        <button @click=${() => this.openHistory(item)} data-testid="queue-history" aria-keyshortcuts="H">${icons.history()}History${this.keyCap('H')}</button>
        ${disabledWhy ? html`<p class="why" id="why" data-testid="queue-why">${disabledWhy}</p>` : nothing}
      </div>
    </section>`;
  }

  private keyCap(k: string) {
    return isTouchScreen() ? nothing : html` <kbd>${k}</kbd>`;
  }

  private actionButton(b: FlowButton) {
    const key = b.action === 'publish' ? 'P' : b.action === 'schedule' ? 'S' : b.action === 'reject' ? 'R' : '';
    const icon = b.action === 'publish' ? icons.published() : b.action === 'schedule' ? icons.scheduled() : b.action === 'reject' ? icons.rejected() : icons.retracted();
    const busy = this.flow.busy === b.action;
    return html`<button class=${b.action === 'publish' ? 'primary' : ''} data-testid=${`queue-${b.action}`} aria-keyshortcuts=${key || nothing}
      ?disabled=${!b.enabled || !this.connected || !!this.flow.busy} aria-describedby=${b.enabled ? nothing : 'why'}
      aria-expanded=${b.action === 'reject' || b.action === 'schedule' ? String(this.prompt === b.action) : nothing}
      title=${b.enabled ? (this.connected ? nothing : 'Offline: wait for the connection') : (b.reason ?? nothing)}
      @click=${() => this.act(b.action)}>${icon}${busy ? `${ACTION_LABEL[b.action]}…` : ACTION_LABEL[b.action]}${key ? this.keyCap(key) : nothing}</button>`;
  }

  /** Publish, schedule and reject (the queue is not where entries are retracted). */
  private buttonsFor(item: QueueItem): FlowButton[] {
    const account = this.services?.account;
    if (!account) return [];
    return flowButtons(actorOf(account), { members: null, fourEyes: item.liveFile.fourEyes }, item.entry, ['publish', 'schedule', 'reject']);
  }

  private select(id: string, fromClick = false) {
    if (this.selectedId !== id) {
      this.prompt = null;
      this.flow.clear();
    }
    this.selectedId = id;
    if (fromClick && this.narrow) {
      this.detailOpen = true;
      void this.updateComplete.then(() => this.focusDetail());
    }
  }

  private closeDetail = () => {
    const id = this.selected()?.entry.id;
    this.detailOpen = false;
    void this.updateComplete.then(() => id && this.itemButton(id)?.focus());
  };

  private focusDetail() {
    this.renderRoot.querySelector<HTMLElement>('#detail-title')?.focus();
  }

  private itemButton(id: string): HTMLButtonElement | null {
    return this.renderRoot.querySelector<HTMLButtonElement>(`button.item[data-entry-id="${CSS.escape(id)}"]`);
  }

  /** J/K and the arrows: the next or previous entry, focused (in the list, or the detail's title on a phone). */
  private move(by: 1 | -1) {
    const list = this.ordered();
    if (!list.length) return;
    const at = list.findIndex((i) => i.entry.id === this.selected()?.entry.id);
    const next = list[Math.min(list.length - 1, Math.max(0, at + by))]!;
    this.select(next.entry.id);
    void this.updateComplete.then(() => (this.narrow && this.detailOpen ? this.focusDetail() : this.itemButton(next.entry.id)?.focus()));
  }

  private act(action: WorkflowAction) {
    const item = this.selected();
    if (!item || !this.connected || this.flow.busy) return;
    const b = this.buttonsFor(item).find((x) => x.action === action);
    if (!b) return;
    if (!b.enabled) return void this.say(b.reason ?? `${ACTION_LABEL[action]} is not possible here.`);
    const e = item.entry;
    // The revision is the one on screen: if the text changed since, the server refuses and says who changed it (WF7).
    if (action === 'publish') return void this.flow.run(e.id, 'publish', { version: e.version, revision: e.revision });
    this.prompt = this.prompt === action ? null : (action as PromptKind);
    if (this.prompt) void this.updateComplete.then(() => this.renderRoot.querySelector<LdFlowPrompt>('ld-flow-prompt')?.focus());
  }

  private onConfirm = (ev: CustomEvent<{ text?: string; publishAt?: string }>) => {
    const item = this.selected();
    if (!item || !this.prompt) return;
    const e = item.entry;
    const revision = e.revision;
    if (this.prompt === 'reject') void this.flow.run(e.id, 'reject', { version: e.version, note: ev.detail.text! });
    else if (this.prompt === 'schedule') void this.flow.run(e.id, 'schedule', { version: e.version, revision, publishAt: ev.detail.publishAt! });
  };

  private onPromptCancel = () => {
    const kind = this.prompt;
    this.prompt = null;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>(`[data-testid="queue-${kind}"]`)?.focus());
  };

  /** A step went through: the entry leaves (or moves to Scheduled); focus goes to the entry after it, never the top. */
  private afterStep(entry: EntryView, action: WorkflowAction) {
    const entryId = entry.id;
    const before = this.ordered().filter((i) => i.entry.status === 'submitted');
    const at = before.findIndex((i) => i.entry.id === entryId);
    const rest = before.filter((i) => i.entry.id !== entryId);
    const next = rest[Math.min(Math.max(at, 0), rest.length - 1)];
    this.prompt = null;
    this.notice = '';
    this.shown.delete(entryId);
    const item = before[at];
    const who = item ? item.entry.authorName : 'the author';
    const verb = action === 'publish' ? 'Published' : action === 'schedule' ? 'Scheduled' : action === 'reject' ? `Sent back to ${who}` : ACTION_LABEL[action];
    this.say(`${verb}. ${rest.length} waiting${next ? `; now the ${formatTimeOrDate(next.entry.createdAt, this.zoneOf(next))} entry of ${next.liveFile.title}` : ''}.`);
    // The feed takes the entry out at once (from the answer) and fetches the queue again.
    this.feed?.applied(entry);
    this.changedWhileReading.delete(entryId);
    this.selectedId = next?.entry.id ?? null;
    void this.updateComplete.then(() => {
      if (!next) return this.renderRoot.querySelector<HTMLElement>('[data-testid="queue-empty"], h1')?.focus();
      if (this.narrow && this.detailOpen) this.focusDetail();
      else this.itemButton(next.entry.id)?.focus();
    });
  }

  private openHistory(item: QueueItem) {
    this.historyOf = item;
  }

  private say(text: string) {
    this.announcement = '';
    requestAnimationFrame(() => (this.announcement = text));
  }

  private onMedia = (e: MediaQueryListEvent) => {
    this.narrow = e.matches;
    if (!e.matches) this.detailOpen = false;
  };

  private onKeydown = (e: KeyboardEvent) => {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || this.historyOf) return;
    const path = e.composedPath();
    if (isTypingTarget(path)) return;
    const inList = path.some((t) => t instanceof HTMLElement && t.classList.contains('item'));
    const k = e.key;
    if (k === 'j' || k === 'J' || (k === 'ArrowDown' && inList)) return void (e.preventDefault(), this.move(1));
    if (k === 'k' || k === 'K' || (k === 'ArrowUp' && inList)) return void (e.preventDefault(), this.move(-1));
    if (k === '?') return void (this.showHelp = !this.showHelp);
    if (k === '/') return void (e.preventDefault(), this.renderRoot.querySelector<HTMLSelectElement>('[data-testid="queue-file-filter"]')?.focus());
    if (k === 'Escape' && this.narrow && this.detailOpen) return void this.closeDetail();
    const item = this.selected();
    if (!item) return;
    if (k === 'p' || k === 'P') return void (e.preventDefault(), this.act('publish'));
    if (k === 'r' || k === 'R') return void (e.preventDefault(), this.act('reject'));
    if (k === 's' || k === 'S' || k === 'l' || k === 'L') return void (e.preventDefault(), this.act('schedule'));
    if (k === 'h' || k === 'H') return void (e.preventDefault(), this.openHistory(item));
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'ld-queue-page': LdQueuePage;
  }
}
