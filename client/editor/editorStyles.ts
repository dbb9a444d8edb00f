import { css } from 'lit';

/**
 * Styles of ld-entry-editor. The editor renders in light DOM, so these are adopted into whatever
 * root holds it (the document, or a card's shadow root), once per root.
 */
export const editorStyles = css`
ld-entry-editor { display: block; }
ld-entry-editor .ProseMirror {
  min-height: 4.5em; padding: var(--s2) var(--s3); outline: none; white-space: pre-wrap;
  overflow-wrap: anywhere; overflow-x: clip; border: 1px solid var(--border); border-radius: var(--r1); background: var(--bg);
}
ld-entry-editor .ProseMirror:focus-visible, ld-entry-editor .ProseMirror:focus { outline: 2px solid var(--accent); outline-offset: 1px; }
ld-entry-editor .ProseMirror p { margin: 0 0 var(--s2); }
ld-entry-editor .ProseMirror h1, ld-entry-editor .ProseMirror h2, ld-entry-editor .ProseMirror h3 { line-height: 1.25; margin: var(--s2) 0; }
ld-entry-editor .ProseMirror h1 { font-size: 24px; } ld-entry-editor .ProseMirror h2 { font-size: 20px; } ld-entry-editor .ProseMirror h3 { font-size: 16px; }
ld-entry-editor .ProseMirror blockquote { margin: 0 0 var(--s2); padding-inline-start: var(--s3); border-inline-start: 3px solid var(--border); }
ld-entry-editor .ProseMirror figure { margin: 0 0 var(--s2); }
ld-entry-editor .ProseMirror a { color: var(--accent); }
ld-entry-editor .ProseMirror .ld-quote { border-inline-start: 4px solid var(--accent); padding-inline-start: var(--s3); font-size: 18px; }
ld-entry-editor .ProseMirror .ld-quote figcaption { color: var(--text-muted); font-size: 14px; }
ld-entry-editor .ProseMirror .ProseMirror-selectednode { outline: 2px solid var(--accent); }
ld-entry-editor .ld-editor-placeholder { color: var(--text-muted); pointer-events: none; }
ld-entry-editor[readonly] .ProseMirror { background: var(--surface); }
/* Remote carets (y-prosemirror yCursorPlugin). */
.ProseMirror-yjs-cursor {
  position: relative; margin-left: -1px; margin-right: -1px; border-left: 1px solid black;
  border-right: 1px solid black; border-color: orange; word-break: normal;
}
/* A wider, invisible hover target so the name can be read on hover; the label itself never takes clicks. */
.ProseMirror-yjs-cursor::before { content: ''; position: absolute; inset: 0 -4px; }
.ProseMirror-yjs-cursor > div {
  position: absolute; top: -1.05em; left: -1px; font-size: 12px; line-height: normal; font-weight: 600;
  user-select: none; color: #fff; padding: 0 3px; border-radius: 3px 3px 3px 0; white-space: nowrap;
  font-family: var(--font); opacity: 1; transition: opacity 150ms; pointer-events: none;
}
/* Flipped to end at the caret when it would run past the editor's edge (caretLabelFitPlugin). */
.ProseMirror-yjs-cursor > div.ld-caret-flip { border-radius: 3px 3px 0 3px; }
.ProseMirror-yjs-cursor > div { overflow: hidden; text-overflow: ellipsis; box-sizing: border-box; }
.ProseMirror-yjs-cursor.ld-caret-quiet > div { opacity: 0; }
.ProseMirror-yjs-cursor:hover > div { opacity: 1; }
.ProseMirror-yjs-selection { opacity: 0.3; }
@media (prefers-reduced-motion: reduce) { .ProseMirror-yjs-cursor > div { transition: none; } }
`;

const adopted = new WeakSet<Document | ShadowRoot>();

export function adoptEditorStyles(root: Node): void {
  const target = root instanceof ShadowRoot || root instanceof Document ? root : null;
  if (!target || adopted.has(target)) return;
  const sheet = editorStyles.styleSheet;
  if (!sheet) return;
  target.adoptedStyleSheets = [...target.adoptedStyleSheets, sheet];
  adopted.add(target);
}

/**
 * ProseMirror finds the nearest ShadowRoot as its root; y-prosemirror then calls root.createRange(),
 * which ShadowRoot lacks. Delegate to the document (ranges are per document, shadow nodes included).
 */
export function shimShadowRootCreateRange(): void {
  const proto = ShadowRoot.prototype as ShadowRoot & { createRange?: () => Range };
  if (typeof proto.createRange !== 'function') {
    Object.defineProperty(proto, 'createRange', { value: function (this: ShadowRoot) { return this.ownerDocument.createRange(); }, configurable: true });
  }
}
