// The ProseMirror side of <ld-entry-editor>: everything that needs prosemirror-state/-view and
// y-prosemirror at runtime. Its own chunk, fetched when the first editor mounts (an entry opens),
// so the live file's cards and the sign-in page never wait for it.
import { EditorState, Selection, TextSelection } from 'prosemirror-state';
import { EditorView } from 'prosemirror-view';
import { ySyncPlugin, yCursorPlugin, yUndoPlugin } from 'y-prosemirror';
import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import { entrySchema } from '../../shared/editor/schema.js';
import { stickyCaretPlugin } from './stickyCaret.js';
import { caretBuilder, caretLabelFitPlugin, yBindingLifecyclePlugin, editorInputRules, editorKeymaps, pasteEmbedsPlugin, placeholderPlugin } from './editorPlugins.js';

export interface EntryViewOptions {
  fragment: Y.XmlFragment;
  awareness?: Awareness;
  placeholder: string;
  label: string;
  editable: () => boolean;
  onEscape: () => void;
  onSave: () => void;
  onSubmit: () => void;
  onFocus: () => void;
}

export function createEntryView(mount: HTMLElement, o: EntryViewOptions): EditorView {
  const plugins = [
    ySyncPlugin(o.fragment),
    stickyCaretPlugin(),
    yBindingLifecyclePlugin(),
    ...(o.awareness ? [yCursorPlugin(o.awareness, { cursorBuilder: caretBuilder }), caretLabelFitPlugin()] : []),
    yUndoPlugin(),
    pasteEmbedsPlugin(),
    editorInputRules(),
    ...editorKeymaps({ onEscape: o.onEscape, onSave: o.onSave, onSubmit: o.onSubmit }),
    placeholderPlugin(o.placeholder),
  ];
  return new EditorView(mount, {
    state: EditorState.create({ schema: entrySchema, plugins }),
    editable: o.editable,
    // The desk's sticky header covers the top of the screen: keep the caret clear of it.
    scrollMargin: { top: 112, bottom: 24, left: 8, right: 8 },
    scrollThreshold: { top: 112, bottom: 24, left: 8, right: 8 },
    handleDOMEvents: { focus: () => void o.onFocus() },
    // Blur on removal and awareness listeners can still dispatch into a view we just destroyed.
    attributes: { 'aria-label': o.label, 'aria-multiline': 'true', role: 'textbox', dir: 'auto', 'data-testid': 'editor-content' },
  });
}

/** A transaction that puts the caret at `at` (clamped to the document), or at the end of the text. */
export function caretTransaction(view: EditorView, at: { anchor: number; head: number } | 'end' | null) {
  const { doc } = view.state;
  const tr = view.state.tr;
  if (at === 'end') tr.setSelection(Selection.atEnd(doc));
  else if (at) {
    const clamp = (p: number) => Math.min(Math.max(p, 0), doc.content.size);
    tr.setSelection(TextSelection.between(doc.resolve(clamp(at.anchor)), doc.resolve(clamp(at.head))));
  }
  return tr;
}
