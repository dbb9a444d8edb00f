import { LitElement, html, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { EditorState, Selection, TextSelection } from 'prosemirror-state';
import { EditorView } from 'prosemirror-view';
import { ySyncPlugin, yCursorPlugin, yUndoPlugin } from 'y-prosemirror';
import { stickyCaretPlugin } from '../editor/stickyCaret.js';
import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import { entrySchema } from '../../shared/editor/schema.js';
import { caretBuilder, caretLabelFitPlugin, yBindingLifecyclePlugin, editorInputRules, editorKeymaps, pasteEmbedsPlugin, placeholderPlugin } from '../editor/editorPlugins.js';
import { adoptEditorStyles, shimShadowRootCreateRange } from '../editor/editorStyles.js';
import './ld-embed.js';

shimShadowRootCreateRange();

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
  /** The text has had focus since this view was made (a click or focusEditor placed the caret). */
  private placed = false;

  protected override createRenderRoot() {
    return this;
  }

  override render() {
    return html`<div class="ld-editor-mount" data-testid="entry-editor"></div>`;
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
    if (!view) return;
    const { doc } = view.state;
    const tr = view.state.tr;
    if (at) {
      const clamp = (p: number) => Math.min(Math.max(p, 0), doc.content.size);
      tr.setSelection(TextSelection.between(doc.resolve(clamp(at.anchor)), doc.resolve(clamp(at.head))));
    } else if (!this.placed) tr.setSelection(Selection.atEnd(doc));
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

  private createView() {
    this.destroyView();
    this.placed = false;
    if (!this.fragment || !this.mount) return;
    const plugins = [
      ySyncPlugin(this.fragment),
      stickyCaretPlugin(),
      yBindingLifecyclePlugin(),
      ...(this.awareness ? [yCursorPlugin(this.awareness, { cursorBuilder: caretBuilder }), caretLabelFitPlugin()] : []),
      yUndoPlugin(),
      pasteEmbedsPlugin(),
      editorInputRules(),
      ...editorKeymaps({
        onEscape: () => this.fire('editor-escape'),
        onSave: () => this.fire('editor-save'),
        onSubmit: () => this.fire('editor-submit'),
      }),
      placeholderPlugin(this.placeholder),
    ];
    this.view = new EditorView(this.mount, {
      state: EditorState.create({ schema: entrySchema, plugins }),
      editable: () => !this.readonly,
      // The desk's sticky header covers the top of the screen: keep the caret clear of it.
      scrollMargin: { top: 112, bottom: 24, left: 8, right: 8 },
      scrollThreshold: { top: 112, bottom: 24, left: 8, right: 8 },
      handleDOMEvents: { focus: () => void (this.placed = true) },
      // Blur on removal and awareness listeners can still dispatch into a view we just destroyed.
      attributes: { 'aria-label': this.label, 'aria-multiline': 'true', role: 'textbox', dir: 'auto', 'data-testid': 'editor-content' },
    });
  }

  private destroyView() {
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
