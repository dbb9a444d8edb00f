// Entry documents as the real client shapes them: y-prosemirror binds the XmlFragment 'prosemirror'
// (ENTRY_FRAGMENT), blocks are XmlElements ('paragraph', ...), their text is XmlText, and marks are
// formatting attributes named after the mark (`{ bold: {} }`, removed with `{ bold: null }`).
// The server refuses any other root (shared/collab/docRoots.ts), so collab tests write through these.
import * as Y from 'yjs';
import { ENTRY_FRAGMENT } from '../../shared/collab/docRoots.js';

export function entryFragment(doc: Y.Doc): Y.XmlFragment {
  return doc.getXmlFragment(ENTRY_FRAGMENT);
}

function firstParagraph(doc: Y.Doc): Y.XmlElement | null {
  for (const node of entryFragment(doc).toArray()) if (node instanceof Y.XmlElement && node.nodeName === 'paragraph') return node;
  return null;
}

function firstText(paragraph: Y.XmlElement): Y.XmlText | null {
  for (const node of paragraph.toArray()) if (node instanceof Y.XmlText) return node;
  return null;
}

/**
 * The first paragraph's text, to write into or observe. When the entry has no paragraph (or the
 * paragraph no text node) one is created, as ProseMirror does on the first keystroke; a reader
 * that must not write uses `textOf` instead.
 */
export function entryText(doc: Y.Doc): Y.XmlText {
  const existing = firstParagraph(doc);
  const found = existing && firstText(existing);
  if (found) return found;
  const text = new Y.XmlText();
  doc.transact(() => {
    if (existing) existing.insert(0, [text]);
    else {
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [text]);
      const fragment = entryFragment(doc);
      fragment.insert(fragment.length, [paragraph]);
    }
  });
  return text;
}

/** Inserts into the first paragraph (created if needed) in one transaction: one update. */
export function insertText(doc: Y.Doc, index: number, text: string, marks?: Record<string, unknown>): void {
  doc.transact(() => entryText(doc).insert(index, text, marks));
}

/** Appends to the first paragraph. */
export function appendText(doc: Y.Doc, text: string, marks?: Record<string, unknown>): void {
  doc.transact(() => {
    const t = entryText(doc);
    t.insert(t.length, text, marks);
  });
}

export function deleteText(doc: Y.Doc, index: number, length: number): void {
  entryText(doc).delete(index, length);
}

/** Sets (`{ bold: {} }`) or removes (`{ bold: null }`) marks on a range of the first paragraph. */
export function formatText(doc: Y.Doc, index: number, length: number, marks: Record<string, unknown>): void {
  entryText(doc).format(index, length, marks);
}

/** Adds a paragraph of text after the others. */
export function addParagraph(doc: Y.Doc, text: string): void {
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText(text)]);
  const fragment = entryFragment(doc);
  fragment.insert(fragment.length, [paragraph]);
}

function plain(node: Y.XmlElement | Y.XmlText | Y.XmlHook): string {
  if (node instanceof Y.XmlText) {
    return (node.toDelta() as Array<{ insert: unknown }>).map((d) => (typeof d.insert === 'string' ? d.insert : '')).join('');
  }
  if (node instanceof Y.XmlElement) return node.toArray().map(plain).join('');
  return '';
}

/** Every block's plain text (no marks), joined by '\n'. Never writes. */
export function textOf(doc: Y.Doc): string {
  return entryFragment(doc).toArray().map(plain).join('\n');
}

/** The whole entry with its marks, as XML: what two replicas must agree on. Never writes. */
export function entryXml(doc: Y.Doc): string {
  return entryFragment(doc).toString();
}
