import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { leftAssociated } from '../../client/editor/stickyCaret.js';

function paragraphWith(doc: Y.Doc, text: string): Y.XmlText {
  const p = new Y.XmlElement('paragraph');
  const t = new Y.XmlText(text);
  p.insert(0, [t]);
  doc.getXmlFragment('prosemirror').insert(0, [p]);
  return t;
}

describe('sticky caret', () => {
  it('[ED1] a caret at the end stays before text another person inserts at the same spot', () => {
    const doc = new Y.Doc();
    const text = paragraphWith(doc, 'Roads closed: ');
    const caretAtEnd = Y.createRelativePositionFromTypeIndex(text, text.length); // y-prosemirror's choice
    const sticky = leftAssociated(caretAtEnd, doc)!;
    text.insert(text.length, 'Пробки'); // someone else, same spot
    expect(Y.createAbsolutePositionFromRelativePosition(caretAtEnd, doc)!.index).toBe('Roads closed: Пробки'.length);
    expect(Y.createAbsolutePositionFromRelativePosition(sticky, doc)!.index).toBe('Roads closed: '.length);
  });

  it('[ED2] text inserted before the caret still moves it', () => {
    const doc = new Y.Doc();
    const text = paragraphWith(doc, 'abc');
    const sticky = leftAssociated(Y.createRelativePositionFromTypeIndex(text, 2), doc)!;
    text.insert(0, 'XY');
    expect(Y.createAbsolutePositionFromRelativePosition(sticky, doc)!.index).toBe(4);
  });

  it('[ED3] a caret at the start of a text is left as it is', () => {
    const doc = new Y.Doc();
    const text = paragraphWith(doc, 'abc');
    const start = Y.createRelativePositionFromTypeIndex(text, 0);
    expect(leftAssociated(start, doc)).toBe(start);
  });
});
