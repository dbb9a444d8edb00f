import { LitElement, html, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { EditorState } from 'prosemirror-state';
import { EditorView } from 'prosemirror-view';
import { ySyncPlugin, yCursorPlugin, yUndoPlugin } from 'y-prosemirror';
import { stickyCaretPlugin } from '../editor/stickyCaret.js';
import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import { entrySchema } from '../../shared/editor/schema.js';
import { caretBuilder, yBindingLifecyclePlugin, editorInputRules, editorKeymaps, pasteEmbedsPlugin, placeholderPlugin } from '../editor/editorPlugins.js';
import { adoptEditorStyles, shimShadowRootCreateRange } from '../editor/editorStyles.js';
import './ld-embed.js';

shimShadowRootCreateRange();

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

  /** Focuses the text, keeping the caret where it was (or at the end on first focus). */
  focusEditor() {
    if (!this.view) return;
    this.view.focus();
  }

  get editorView() {
    return this.view;
  }

  private createView() {
    this.destroyView();
    if (!this.fragment || !this.mount) return;
    const plugins = [
      ySyncPlugin(this.fragment),
      stickyCaretPlugin(),
      yBindingLifecyclePlugin(),
      ...(this.awareness ? [yCursorPlugin(this.awareness, { cursorBuilder: caretBuilder })] : []),
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
