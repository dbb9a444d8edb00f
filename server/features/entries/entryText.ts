import * as Y from 'yjs';

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

/** Text of every block, one per line: the server's preview of an entry. */
export function readPlainText(doc: Y.Doc, maxChars = 500): string {
  const lines: string[] = [];
  const walk = (node: Y.XmlElement | Y.XmlText | Y.XmlFragment): void => {
    if (node instanceof Y.XmlText) {
      lines.push(node.toDelta().map((d: { insert?: unknown }) => (typeof d.insert === 'string' ? d.insert : '')).join(''));
      return;
    }
    const before = lines.length;
    for (const child of node.toArray()) walk(child as Y.XmlElement | Y.XmlText);
    if (node instanceof Y.XmlElement && lines.length > before + 1) {
      // A block with several text runs (e.g. around a hard break) reads as one line.
      lines.splice(before, lines.length - before, lines.slice(before).join(' '));
    }
  };
  walk(doc.getXmlFragment(ENTRY_FRAGMENT));
  return lines.filter((l) => l.trim()).join('\n').slice(0, maxChars);
}
