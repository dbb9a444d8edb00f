import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import * as Y from 'yjs';
import { ENTRY_FRAGMENT } from '../../shared/editor/schema.js';
import { docToPlainText } from '../../shared/editor/plainText.js';
import { formatTimeOrDate } from '../format.js';
import { icons } from './icons.js';
import { controlStyles } from './shared-styles.js';
import type { FocusOptions, LdEntryEditor, TypedKey } from './ld-entry-editor.js';
import './ld-entry-editor.js';
import './ld-status-badge.js';

export type PendingState = 'waiting' | 'sending' | 'created' | 'refused';

/**
 * A new entry the server has not created yet, made on this device (offline, or the server did not
 * answer): it looks like a draft card and its text is editable at once, in a document of its own
 * kept in the outbox (EntryOutbox). "Waiting to send" until the create goes through; then its text
 * goes into the real entry and the real card takes its place (PendingEntriesController).
 * @fires pending-retry - detail `{ key }`: Try again after a refusal
 * @fires pending-discard - detail `{ key }`
 */
@customElement('ld-pending-entry')
export class LdPendingEntry extends LitElement {
  @property() key = '';
  @property() createdAt = '';
  @property({ attribute: false }) doc?: Y.Doc;
  @property({ reflect: true }) state: PendingState = 'waiting';
  /** Why the server refused it (plain words), when `state` is 'refused'. */
  @property() reason = '';
  @property() authorName = '';
  @property({ attribute: false }) timeZone = 'UTC';
  @query('ld-entry-editor') private editorEl?: LdEntryEditor;
  @query('textarea') private plainEl?: HTMLTextAreaElement;
  /**
   * The rich editor could not be made (its code is fetched when the first editor opens, and this
   * device is offline): a plain text field takes the words instead, one paragraph a line.
   */
  @state() private plain = false;

  static override styles = [
    controlStyles,
    css`
      :host { display: block; min-width: 0; border: 1px dashed var(--border); border-radius: var(--r2); background: var(--bg);
        scroll-margin: 96px 0 24px; }
      /* The time lines up with the cards' times (after their grip). */
      .head { display: flex; align-items: center; gap: var(--s2); padding: var(--s1) var(--s2) var(--s1) calc(var(--s2) + 28px + var(--s2));
        flex-wrap: wrap; min-height: 44px; }
      time { font-variant-numeric: tabular-nums; font-weight: 700; font-size: 14px; }
      .author { color: var(--text-muted); font-size: 14px; min-width: 0; overflow-wrap: anywhere; flex: 1 1 8ch; }
      .state { display: inline-flex; align-items: center; gap: var(--s1); font-size: 12px; font-weight: 700; padding: 2px var(--s2);
        border-radius: var(--r1); color: var(--warn); background: var(--warn-bg); }
      :host([state='refused']) .state { color: var(--live); background: var(--danger-bg); }
      .state .icon { width: 16px; height: 16px; }
      .body { padding: 0 var(--s3) var(--s3) calc(var(--s2) + 28px + var(--s2)); }
      textarea.plain { display: block; width: 100%; font: 16px/1.5 var(--font); color: var(--text); background: var(--bg); resize: vertical;
        border: 1px solid var(--border); border-radius: var(--r1); padding: var(--s2) var(--s3); min-height: 6em; }
      .note { font-size: 12px; color: var(--text-muted); margin: var(--s1) 0 0; }
      .refused { display: flex; flex-wrap: wrap; gap: var(--s2); align-items: center; margin: var(--s2) 0 0; font-size: 14px; }
      .refused span { flex: 1 1 16rem; }
      /* Phones: the cards' grip is 24 px (none on touch screens); the time still lines up with theirs. */
      @media (max-width: 600px) { .head { padding: var(--s1) var(--s2) var(--s1) calc(var(--s2) + 24px + var(--s2)); } .body { padding: 0 var(--s2) var(--s2); } }
      @media (max-width: 600px) and (hover: none) and (pointer: coarse) { .head { padding-inline-start: var(--s2); } }
    `,
  ];

  override updated() {
    void this.checkEditor();
  }

  /** Puts the caret in the text (at the end the first time), scrolled into view. */
  async focusEditor(opts: FocusOptions = {}): Promise<boolean> {
    await this.checkEditor();
    const field = this.plainEl;
    if (this.plain && field) {
      field.focus({ preventScroll: true });
      field.setSelectionRange(field.value.length, field.value.length);
      if (opts.scroll !== false) field.scrollIntoView({ block: 'nearest' });
      return true;
    }
    this.editorEl?.focusEditor(opts);
    return !!this.editorEl?.editorView;
  }

  /** Types keys captured before this editor existed into it (the desk's type-ahead). */
  replayKeys(keys: readonly TypedKey[]) {
    const field = this.plainEl;
    if (!this.plain || !field) return void this.editorEl?.replayKeys(keys);
    for (const k of keys) field.setRangeText(k.key === 'Enter' ? '\n' : k.key === 'Backspace' ? '' : k.key,
      k.key === 'Backspace' ? Math.max(0, field.selectionStart - 1) : field.selectionStart, field.selectionEnd, 'end');
    this.onPlainInput();
  }

  /** The caret, and whether the text has focus: handed to the real card when it takes over. */
  get caret(): { at: { anchor: number; head: number } | null; focused: boolean } {
    if (this.plain) return { at: null, focused: !!this.plainEl && this.shadowRoot?.activeElement === this.plainEl };
    const view = this.editorEl?.editorView;
    return { at: this.editorEl?.selection ?? null, focused: !!view?.hasFocus() };
  }

  /** Once the rich editor has had its chance: no view means its code could not come, so the plain field. */
  private async checkEditor() {
    await this.updateComplete;
    const ed = this.editorEl;
    if (this.plain || !ed) return;
    await ed.updateComplete;
    if (!ed.editorView && this.editorEl === ed) {
      this.plain = true;
      await this.updateComplete;
      // Set once, not bound: a re-render must not put back a value that lacks a line just typed.
      if (this.plainEl && this.doc) this.plainEl.value = docToPlainText(this.doc.getXmlFragment(ENTRY_FRAGMENT)).replace(/\n\n/g, '\n');
    }
  }

  /** The field's lines become the document's paragraphs (only what changed is written, as typing would). */
  private onPlainInput = () => {
    const doc = this.doc;
    const field = this.plainEl;
    if (!doc || !field) return;
    doc.transact(() => writeLines(doc.getXmlFragment(ENTRY_FRAGMENT), field.value.split('\n')));
  };

  override render() {
    const [icon, word] = this.state === 'refused' ? [icons.warn(), 'Not sent']
      : this.state === 'sending' ? [icons.sync(), 'Sending…']
      : this.state === 'created' ? [icons.sync(), 'Sent, opening…']
      : [icons.cloudOff(), 'Waiting to send'];
    return html`
      <div class="head">
        <time datetime=${this.createdAt}>${formatTimeOrDate(this.createdAt, this.timeZone)}</time>
        <ld-status-badge status="draft"></ld-status-badge>
        <span class="state" data-testid="pending-state" data-state=${this.state}>${icon}${word}</span>
        <span class="author" dir="auto"><bdi>${this.authorName}</bdi></span>
      </div>
      <div class="body">
        ${!this.doc ? nothing : this.plain
          ? html`<textarea class="plain" dir="auto" rows="4" data-testid="pending-plain" aria-label=${`Text of the new entry (${word.toLowerCase()})`}
              placeholder="Write the update…" @input=${this.onPlainInput}></textarea>`
          : html`<ld-entry-editor .fragment=${this.doc.getXmlFragment(ENTRY_FRAGMENT)}
              label=${`Text of the new entry (${word.toLowerCase()})`}></ld-entry-editor>`}
        ${this.state === 'refused'
          ? html`<p class="refused" role="alert"><span>Couldn't create this entry: ${this.reason}. Its text stays on this device.</span>
              <button @click=${() => this.fire('pending-retry')} data-testid="pending-retry">Try again</button>
              <button class="ghost" @click=${this.onDiscard} data-testid="pending-discard">Discard</button></p>`
          : html`<p class="note" role="status" data-testid="pending-note">${this.state === 'waiting'
            ? 'Kept on this device: it is created, with everything you type here, as soon as the server answers.'
            : ''}</p>`}
      </div>`;
  }

  private onDiscard = () => {
    if (confirm('Discard this new entry? Its text is only on this device and will be gone.')) this.fire('pending-discard');
  };

  private fire(name: string) {
    this.dispatchEvent(new CustomEvent(name, { detail: { key: this.key }, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ld-pending-entry': LdPendingEntry;
  }
}

/** The text of a plain paragraph (one Y.XmlText, or none), or null for anything richer. */
function lineOf(node: unknown): string | null {
  if (!(node instanceof Y.XmlElement) || node.nodeName !== 'paragraph') return null;
  if (node.length === 0) return '';
  const only = node.get(0);
  return node.length === 1 && only instanceof Y.XmlText ? only.toString() : null;
}

function paragraph(line: string): Y.XmlElement {
  const p = new Y.XmlElement('paragraph');
  if (line) p.insert(0, [new Y.XmlText(line)]);
  return p;
}

/**
 * Makes `fragment` read as `lines`, one paragraph each, touching only what differs: typing in one
 * line edits that line's text at the caret; a line break or a paste replaces the lines it changed.
 */
export function writeLines(fragment: Y.XmlFragment, lines: string[]): void {
  const nodes = fragment.toArray();
  const old = nodes.map(lineOf);
  let start = 0;
  while (start < old.length && start < lines.length && old[start] === lines[start]) start += 1;
  let tail = 0;
  while (tail < old.length - start && tail < lines.length - start && old[old.length - 1 - tail] === lines[lines.length - 1 - tail]) tail += 1;
  const oldEnd = old.length - tail;
  const newEnd = lines.length - tail;
  if (oldEnd - start === 1 && newEnd - start === 1 && old[start] !== null) {
    const para = nodes[start] as Y.XmlElement;
    const before = old[start]!;
    const after = lines[start]!;
    if (para.length === 0) return void para.insert(0, [new Y.XmlText(after)]);
    const text = para.get(0) as Y.XmlText;
    let p = 0;
    while (p < before.length && p < after.length && before[p] === after[p]) p += 1;
    let q = 0;
    while (q < before.length - p && q < after.length - p && before[before.length - 1 - q] === after[after.length - 1 - q]) q += 1;
    if (before.length - p - q > 0) text.delete(p, before.length - p - q);
    if (after.length - p - q > 0) text.insert(p, after.slice(p, after.length - q));
    return;
  }
  if (oldEnd > start) fragment.delete(start, oldEnd - start);
  if (newEnd > start) fragment.insert(start, lines.slice(start, newEnd).map(paragraph));
}
