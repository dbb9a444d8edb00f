import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { EditorView } from 'prosemirror-view';
import type * as EntryViewModule from '../editor/entryView.js';
import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import { docToPlainText } from '../../shared/editor/plainText.js';
import { adoptEditorStyles, shimShadowRootCreateRange } from '../editor/editorStyles.js';
import './ld-embed.js';

shimShadowRootCreateRange();

type EditorKit = typeof EntryViewModule;
let editorKit: Promise<EditorKit> | undefined;
/**
 * ProseMirror and y-prosemirror (client/editor/entryView.ts) travel in their own chunk, fetched
 * when the first editor mounts: the cards show before it. A failed fetch (offline) is retried next time.
 */
export function loadEditorKit(): Promise<EditorKit> {
  editorKit ??= import('../editor/entryView.js').catch((err: unknown) => {
    editorKit = undefined;
    throw err;
  });
  return editorKit;
}

/** Where focusing an editor puts its caret, and whether it scrolls it into view. */
export interface FocusOptions {
  at?: { anchor: number; head: number };
  scroll?: boolean;
}

/** A key typed before an editor could take it: the character, or 'Enter' / 'Backspace'. */
export interface TypedKey {
  key: string;
  shiftKey: boolean;
}

/** A key that types one character (KeyboardEvent.key of a printable key; astral characters are two code units). */
export function isPrintableKey(key: string): boolean {
  return key.length > 0 && [...key].length === 1;
}

/**
 * The rich-text editor of one entry, bound to its Y.XmlFragment 'prosemirror'.
 * Renders into LIGHT DOM: y-prosemirror calls root.createRange(), which a ShadowRoot lacks, so
 * remote edits would throw while focused and replicas would diverge. Cards hold editors inside their
 * own shadow roots, so the ShadowRoot createRange shim is installed too, and our styles are adopted
 * into whichever root holds us.
 * @fires editor-escape - Esc pressed: the card takes focus back
 * @fires editor-save - Ctrl/Cmd+S (saving is automatic; the card just says so)
 * @fires editor-submit - Ctrl/Cmd+Enter
 */
@customElement('ld-entry-editor')
export class LdEntryEditor extends LitElement {
  @property({ attribute: false }) fragment?: Y.XmlFragment;
  @property({ attribute: false }) awareness?: Awareness;
  @property({ type: Boolean, reflect: true }) readonly = false;
  @property() placeholder = 'Write the update…';
  @property() label = 'Entry text';

  private view?: EditorView;
  private mount?: HTMLDivElement;
  /** Settles when the view of the current fragment exists (or could not be made). */
  private viewReady: Promise<void> = Promise.resolve();
  /** Bumped by every create and destroy: a view whose code arrives late is not made for a stale fragment. */
  private generation = 0;
  @state() private kit: 'loading' | 'ready' | 'failed' = 'ready';
  /** The text has had focus since this view was made (a click or focusEditor placed the caret). */
  private placed = false;

  protected override createRenderRoot() {
    return this;
  }

  override render() {
    // While the editor's code travels: the text as it stands, marked busy; if it cannot come, say so.
    return html`<div class="ld-editor-mount" data-testid="entry-editor" aria-busy=${this.kit === 'loading' ? 'true' : 'false'}></div>${this.kit === 'loading'
      ? html`<div class="ld-editor-loading" dir="auto" data-testid="editor-loading">${docToPlainText(this.fragment)}</div>`
      : this.kit === 'failed' ? html`<p class="ld-editor-failed" role="alert" data-testid="editor-load-failed">The editor could not be loaded: check the connection, then open the entry again.</p>`
      : nothing}`;
  }

  /** Also waits for the view: callers that focus or replay keys after an update find it made. */
  protected override async getUpdateComplete(): Promise<boolean> {
    const done = await super.getUpdateComplete();
    await this.viewReady;
    return done;
  }

  protected override updated(changed: PropertyValues<this>) {
    this.mount ??= this.querySelector<HTMLDivElement>('.ld-editor-mount') ?? undefined;
    if (changed.has('fragment') || changed.has('awareness')) this.createView();
    else if (changed.has('readonly')) this.view?.setProps({ editable: () => !this.readonly });
  }

  override connectedCallback() {
    super.connectedCallback();
    adoptEditorStyles(this.getRootNode());
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.destroyView();
  }

  /**
   * Focuses the text and scrolls the caret into view: at `at` when given (positions in this
   * document, e.g. carried over from another editor of the same text), else where it was, or at
   * the end of the text the first time this editor takes focus (where an update goes on).
   * `scroll: false` leaves the viewport alone (focus kept across someone else's reorder).
   */
  focusEditor({ at, scroll = true }: FocusOptions = {}) {
    const view = this.view;
    if (!view || !this.kitModule) return;
    const tr = this.kitModule.caretTransaction(view, at ?? (this.placed ? null : 'end'));
    view.focus();
    view.dispatch(scroll ? tr.scrollIntoView() : tr);
  }

  /** The caret (or selection) of this editor, for handing over to another editor of the same text. */
  get selection(): { anchor: number; head: number } | null {
    const sel = this.view?.state.selection;
    return sel ? { anchor: sel.anchor, head: sel.head } : null;
  }

  /**
   * Replays keys typed before this editor existed (see the desk's type-ahead) as if typed here:
   * characters through the input rules, Enter/Backspace through the keymaps.
   */
  replayKeys(keys: readonly TypedKey[]) {
    const view = this.view;
    if (!view || this.readonly) return;
    for (const k of keys) {
      if (isPrintableKey(k.key)) {
        const { from, to } = view.state.selection;
        const deflt = () => view.state.tr.insertText(k.key, from, to);
        if (!view.someProp('handleTextInput', (f) => f(view, from, to, k.key, deflt))) view.dispatch(deflt().scrollIntoView());
      } else {
        const ev = new KeyboardEvent('keydown', { key: k.key, shiftKey: k.shiftKey });
        view.someProp('handleKeyDown', (f) => f(view, ev));
      }
    }
  }

  get editorView() {
    return this.view;
  }

  private kitModule?: EditorKit;

  private createView() {
    this.destroyView();
    this.placed = false;
    if (!this.fragment || !this.mount) return;
    const generation = this.generation;
    const fragment = this.fragment;
    if (!this.kitModule) this.kit = 'loading';
    this.viewReady = loadEditorKit().then(
      (kit) => {
        this.kitModule = kit;
        this.kit = 'ready';
        if (generation !== this.generation || !this.mount || !this.isConnected) return;
        this.view = kit.createEntryView(this.mount, {
          fragment,
          awareness: this.awareness,
          placeholder: this.placeholder,
          label: this.label,
          editable: () => !this.readonly,
          onEscape: () => this.fire('editor-escape'),
          onSave: () => this.fire('editor-save'),
          onSubmit: () => this.fire('editor-submit'),
          onFocus: () => void (this.placed = true),
        });
      },
      () => {
        if (generation === this.generation) this.kit = 'failed';
      },
    );
  }

  private destroyView() {
    this.generation++;
    this.view?.destroy();
    this.view = undefined;
  }

  private fire(name: string) {
    this.dispatchEvent(new CustomEvent(name, { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ld-entry-editor': LdEntryEditor;
  }
}
