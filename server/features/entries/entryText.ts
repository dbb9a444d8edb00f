import * as Y from 'yjs';
import { docToPlainText } from '../../../shared/editor/plainText.js';

/** The XmlFragment y-prosemirror binds to by default. */
export const ENTRY_FRAGMENT = 'prosemirror';

/** Plain paragraphs (blank-line separated) as ProseMirror paragraph nodes. */
export function writeParagraphs(doc: Y.Doc, text: string): void {
  const fragment = doc.getXmlFragment(ENTRY_FRAGMENT);
  const paragraphs = text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const el = new Y.XmlElement('paragraph');
      el.insert(0, [new Y.XmlText(p)]);
      return el;
    });
  fragment.insert(fragment.length, paragraphs);
}

/** The server's preview of an entry: its plain text, capped. */
export function readPlainText(doc: Y.Doc, maxChars = 500): string {
  return docToPlainText(doc.getXmlFragment(ENTRY_FRAGMENT)).slice(0, maxChars);
}
