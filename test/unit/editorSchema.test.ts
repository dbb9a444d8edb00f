/* eslint-disable @typescript-eslint/no-explicit-any -- a hand-made DOM stand-in: typing it fully would double this file */
import { describe, expect, it } from 'vitest';
import { DOMSerializer, Node } from 'prosemirror-model';
import { entrySchema } from '../../shared/editor/schema.js';

const s = entrySchema;

/** A tiny stand-in for `document`, enough for DOMSerializer (no jsdom in this repo). */
function fakeDocument() {
  const make = (tag: string): any => ({
    nodeName: tag.toUpperCase(),
    attributes: {} as Record<string, string>,
    children: [] as any[],
    setAttribute(k: string, v: string) { this.attributes[k] = v; },
    appendChild(c: any) { this.children.push(c); return c; },
  });
  return {
    createElement: make,
    createElementNS: (_ns: string, tag: string) => make(tag),
    createTextNode: (text: string) => ({ text }),
    createDocumentFragment: () => make('#fragment'),
  };
}

describe('entry schema', () => {
  it('has the nodes and marks the desk needs', () => {
    for (const n of ['doc', 'paragraph', 'heading', 'blockquote', 'bullet_list', 'ordered_list', 'list_item', 'hard_break', 'text', 'photo', 'embed', 'quote']) {
      expect(s.nodes[n], n).toBeDefined();
    }
    for (const m of ['bold', 'italic', 'underline', 'strike', 'link']) expect(s.marks[m], m).toBeDefined();
  });

  it('gives every block dir="auto" so each paragraph finds its own direction', () => {
    const blocks = [
      s.node('paragraph', null, [s.text('مرحبا')]),
      s.node('heading', { level: 1 }, [s.text('Сводка')]),
      s.node('blockquote', null, [s.node('paragraph', null, [s.text('x')])]),
      s.node('bullet_list', null, [s.node('list_item', null, [s.node('paragraph')])]),
      s.node('ordered_list', null, [s.node('list_item', null, [s.node('paragraph')])]),
      s.node('photo', { mediaId: 'abc12345', caption: 'Dam', credit: 'AP' }),
      s.node('embed', { provider: 'youtube', embedId: 'dQw4w9WgXcQ', url: 'https://youtu.be/dQw4w9WgXcQ' }),
      s.node('quote', { attribution: 'Mayor' }, [s.text('We are ready')]),
    ];
    for (const node of blocks) {
      const spec = node.type.spec.toDOM!(node) as [string, Record<string, string>];
      expect(spec[1].dir, node.type.name).toBe('auto');
    }
  });

  it('refuses a link mark with an unsafe href', () => {
    expect(() => s.marks.link.create({ href: 'javascript:alert(1)' })).toThrow();
    expect(s.marks.link.create({ href: 'https://example.com' }).attrs.href).toBe('https://example.com');
  });

  it('drops unsafe links when parsing pasted HTML', () => {
    const rule = s.marks.link.spec.parseDOM![0]!;
    const el = (href: string) => ({ getAttribute: (n: string) => (n === 'href' ? href : null) }) as any;
    expect(rule.getAttrs!(el('javascript:alert(1)'))).toBe(false);
    expect(rule.getAttrs!(el('data:text/html,x'))).toBe(false);
    expect(rule.getAttrs!(el('https://example.com/a'))).toEqual({ href: 'https://example.com/a' });
  });

  it('rejects an embed element from an unknown provider or with a script url', () => {
    const rule = s.nodes.embed.spec.parseDOM![0]!;
    const el = (a: Record<string, string>) => ({ getAttribute: (n: string) => a[n] ?? null }) as any;
    expect(rule.getAttrs!(el({ provider: 'evil', 'embed-id': '1', url: 'https://x.com' }))).toBe(false);
    expect(rule.getAttrs!(el({ provider: 'x', 'embed-id': '1', url: 'javascript:1' }))).toBe(false);
    expect(rule.getAttrs!(el({ provider: 'x', 'embed-id': '1', url: 'https://x.com/a/status/1' }))).toMatchObject({ provider: 'x' });
  });

  it('round-trips JSON and serialises without a real DOM', () => {
    const doc = s.node('doc', null, [
      s.node('paragraph', null, [s.text('Bold', [s.marks.bold.create()]), s.node('hard_break'), s.text('next')]),
    ]);
    expect(Node.fromJSON(s, doc.toJSON()).eq(doc)).toBe(true);
    const frag = DOMSerializer.fromSchema(s).serializeFragment(doc.content, { document: fakeDocument() as any }) as any;
    expect(frag.children[0].nodeName).toBe('P');
    expect(frag.children[0].attributes.dir).toBe('auto');
  });
});
