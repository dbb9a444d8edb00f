import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { docToPlainText } from '../../shared/editor/plainText.js';
import { entrySchema as s } from '../../shared/editor/schema.js';

const doc = s.node('doc', null, [
  s.node('heading', { level: 2 }, [s.text('Дамба')]),
  s.node('paragraph', null, [s.text('Rescue teams '), s.text('reached', [s.marks.bold.create()]), s.node('hard_break'), s.text('the dam.')]),
  s.node('bullet_list', null, [
    s.node('list_item', null, [s.node('paragraph', null, [s.text('one')])]),
    s.node('list_item', null, [s.node('paragraph', null, [s.text('two')])]),
  ]),
  s.node('quote', { attribution: 'Mayor' }, [s.text('We are ready')]),
  s.node('embed', { provider: 'youtube', embedId: 'dQw4w9WgXcQ', url: 'https://youtu.be/dQw4w9WgXcQ' }),
  s.node('paragraph', null, [s.text('مرحبا بالعالم')]),
]);

const expected = 'Дамба\n\nRescue teams reached\nthe dam.\n\none\ntwo\n\n“We are ready” (Mayor)\n\nhttps://youtu.be/dQw4w9WgXcQ\n\nمرحبا بالعالم';

describe('docToPlainText', () => {
  it('reads ProseMirror JSON', () => {
    expect(docToPlainText(doc.toJSON())).toBe(expected);
  });

  it('reads a Y.XmlFragment built the way y-prosemirror stores it', () => {
    const ydoc = new Y.Doc();
    const frag = ydoc.getXmlFragment('prosemirror');
    const h = new Y.XmlElement('heading');
    h.setAttribute('level', 2 as unknown as string);
    h.insert(0, [new Y.XmlText('Дамба')]);
    const p = new Y.XmlElement('paragraph');
    const t = new Y.XmlText();
    t.insert(0, 'Kazakh: Қазақстан');
    t.format(0, 6, { bold: {} });
    p.insert(0, [t]);
    frag.insert(0, [h, p]);
    expect(docToPlainText(frag)).toBe('Дамба\n\nKazakh: Қазақстан');
  });

  it('is empty for an empty doc', () => {
    expect(docToPlainText(null)).toBe('');
    expect(docToPlainText(new Y.Doc().getXmlFragment('prosemirror'))).toBe('');
  });
});
