// Publishing's render step: an entry's Yjs state to ProseMirror JSON, sanitized HTML and plain text.
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ENTRY_FRAGMENT, writeParagraphs } from '../../server/features/entries/entryText.js';
import { contentHash, renderEntry } from '../../server/features/publishing/renderEntry.js';
import { sanitizeEntryHtml } from '../../server/features/publishing/sanitizePolicy.js';
import { XSS_PAYLOADS } from '../fixtures/xssPayloads.js';

// ---- building entry documents the way y-prosemirror stores them ----

type Child = Y.XmlElement | Y.XmlText;

function el(name: string, attrs: Record<string, unknown> = {}, children: Child[] = []): Y.XmlElement {
  const node = new Y.XmlElement(name);
  // Yjs types attributes as strings; y-prosemirror stores numbers (a heading's level) as they are.
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v as string);
  node.insert(0, children);
  return node;
}

/** One text run: [text, marks] pieces, as the editor writes them (marks are format attributes). */
function text(...runs: Array<string | [string, Record<string, unknown>]>): Y.XmlText {
  const t = new Y.XmlText();
  t.applyDelta(runs.map((run) => (typeof run === 'string' ? { insert: run } : { insert: run[0], attributes: run[1] })));
  return t;
}

const p = (...runs: Array<string | [string, Record<string, unknown>]>) => el('paragraph', {}, [text(...runs)]);

function entry(...blocks: Y.XmlElement[]): Y.Doc {
  const doc = new Y.Doc();
  doc.getXmlFragment(ENTRY_FRAGMENT).insert(0, blocks);
  return doc;
}

// ---- reading the output the way a browser would ----

/** What published HTML may hold: tag → attributes (checked apart from the sanitizer's own policy). */
const PUBLISHED: Record<string, string[]> = {
  p: ['dir'], h1: ['dir'], h2: ['dir'], h3: ['dir'], ul: ['dir'], li: ['dir'], figcaption: ['dir'],
  ol: ['dir', 'start'],
  blockquote: ['dir', 'class', 'data-attribution'],
  figure: ['dir', 'class', 'data-media-id', 'data-caption', 'data-credit', 'data-provider', 'data-embed-id'],
  img: ['src', 'srcset', 'sizes', 'width', 'height', 'alt', 'loading', 'decoding'],
  picture: [],
  source: ['type', 'srcset', 'sizes'],
  a: ['href', 'rel', 'target'],
  strong: [], em: [], u: [], s: [], br: [],
};
const CLASSES = new Set(['ld-photo', 'ld-embed', 'ld-quote']);
const SCHEMES = new Set(['http', 'https', 'mailto']);

/** The little of linkedom's DOM these tests read (the server tsconfig has no DOM types). */
interface DomElement {
  tagName: string;
  textContent: string | null;
  attributes: ArrayLike<{ name: string; value: string }>;
  children: ArrayLike<DomElement>;
  childNodes: ArrayLike<DomElement>;
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
}

function body(html: string): DomElement {
  return parseHTML(`<!doctype html><html><head></head><body>${html}</body></html>`).document.body as unknown as DomElement;
}

/** A URL as a browser reads it, stricter: it drops controls and spaces at the edges and tabs and newlines inside. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what browsers ignore here
const bare = (url: string) => url.replace(/[\u0000-\u0020]/g, '');

function schemeOf(url: string): string | null {
  const m = /^([a-z][a-z0-9+.-]*):/i.exec(bare(url));
  return m ? m[1].toLowerCase() : null;
}

/** Every way `html` breaks the published allow-list; `relative` says which scheme-less URLs pass. */
function violations(html: string, relative: RegExp): string[] {
  const found: string[] = [];
  for (const node of Array.from(body(html).querySelectorAll('*'))) {
    const tag = node.tagName.toLowerCase();
    const allowed = PUBLISHED[tag];
    if (!allowed) {
      found.push(`tag <${tag}>`);
      continue;
    }
    for (const { name, value } of Array.from(node.attributes)) {
      if (/^on/i.test(name)) found.push(`handler ${tag}[${name}]`);
      else if (name === 'style') found.push(`style on <${tag}>`);
      else if (!allowed.includes(name)) found.push(`attribute ${tag}[${name}]`);
      else if (name === 'class' && !value.split(/\s+/).every((c) => CLASSES.has(c))) found.push(`class "${value}"`);
      else if (name === 'href' || name === 'src') {
        const scheme = schemeOf(value);
        if (scheme ? !SCHEMES.has(scheme) : !relative.test(bare(value))) found.push(`${tag}[${name}]="${value}"`);
      } else if (name === 'srcset') {
        // Photos come from our own media store only: every candidate a relative media path.
        for (const candidate of value.split(',')) if (!/^\/(api\/)?media\/[A-Za-z0-9_.-]+(\s+\d+w)?$/.test(candidate.trim())) found.push(`${tag}[srcset] candidate "${candidate}"`);
      }
    }
    if (tag === 'a' && node.getAttribute('rel') !== 'noopener noreferrer nofollow') found.push(`a[rel]="${node.getAttribute('rel')}"`);
  }
  return found;
}

const OUR_MEDIA = /^\/api\/media\/[^/\\]/;
/** Scheme-less, so on our own origin; never `//host` nor `/\host` (protocol-relative in browsers). */
const SAME_ORIGIN = /^(?![\\/]{2})/;

describe('renderEntry: Yjs state to ProseMirror JSON, HTML and text', () => {
  it('[PB1] renders the editor fragment through the entry schema, alike from a Y.Doc or its V1 update', () => {
    const doc = entry(el('heading', { level: 1 }, [text('Flood update')]), p('Water is ', ['rising', { bold: {} }], '.'));
    const rendered = renderEntry(doc);
    expect(rendered).toEqual(renderEntry(Y.encodeStateAsUpdate(doc)));
    expect(rendered.doc).toEqual({
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: 'Flood update' }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'Water is ' }, { type: 'text', text: 'rising', marks: [{ type: 'bold' }] }, { type: 'text', text: '.' }] },
      ],
    });
    expect(rendered.html).toBe('<h1 dir="auto">Flood update</h1><p dir="auto">Water is <strong>rising</strong>.</p>');
    expect(rendered.text).toBe('Flood update\n\nWater is rising.');
  });

  it('[PB1] never changes the live document, even where the schema refuses part of it', () => {
    const doc = entry(
      p('kept'),
      p(['bad link', { link: { href: 'javascript:alert(1)' } }]),
      el('marquee', {}, [text('unknown node')]),
      p(['unknown mark', { blink: {} }]),
    );
    doc.getXmlFragment(ENTRY_FRAGMENT).insert(0, [new Y.XmlText('stray top-level text')]);
    const before = Y.encodeStateAsUpdate(doc);
    const rendered = renderEntry(doc);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
    // y-prosemirror drops what the schema refuses (the editor shows the same): an empty paragraph stays.
    expect(rendered.html).toBe('<p dir="auto">kept</p><p dir="auto"></p><p dir="auto"></p>');
    expect(rendered.text).toBe('kept');
  });

  it('[PB2] each corpus payload typed as a paragraph is escaped text in the HTML and unchanged in the plain text', () => {
    expect(XSS_PAYLOADS.length).toBeGreaterThanOrEqual(300);
    expect(new Set(XSS_PAYLOADS).size).toBe(XSS_PAYLOADS.length);
    const failures: string[] = [];
    for (const payload of XSS_PAYLOADS) {
      const { html, text: plain } = renderEntry(entry(p('before'), p(payload), p('after')));
      const blocks = Array.from(body(html).childNodes);
      const why = [
        plain !== `before\n\n${payload}\n\nafter` && 'text differs',
        blocks.length !== 3 && `${blocks.length} top-level nodes`,
        blocks[1]?.tagName !== 'P' && 'no paragraph',
        blocks[1]?.children.length !== 0 && 'markup inside the paragraph',
        blocks[1]?.textContent !== payload && 'visible text differs',
        violations(html, /^$/).length > 0 && violations(html, /^$/).join(', '),
        !html.startsWith('<p dir="auto">before</p><p dir="auto">') && 'frame changed',
        /[<>]/.test(html.slice('<p dir="auto">before</p><p dir="auto">'.length, -'</p><p dir="auto">after</p>'.length)) && 'raw < or >',
      ].filter(Boolean);
      if (why.length) failures.push(`${JSON.stringify(payload)}: ${why.join('; ')}`);
    }
    expect(failures).toEqual([]);
  });

  it('[PB3] each payload as a link href, photo, embed or attribution yields no script URL, handler or style', () => {
    const failures: string[] = [];
    for (const payload of XSS_PAYLOADS) {
      const doc = entry(
        p(['link', { link: { href: payload } }]),
        p(['link', { link: { href: `https://example.com/${payload}` } }]),
        el('photo', { mediaId: payload, caption: payload, credit: payload }),
        el('embed', { provider: 'youtube', embedId: payload, url: payload, caption: payload }),
        el('embed', { provider: 'youtube', embedId: 'dQw4w9WgXcQ', url: `https://www.youtube.com/watch?v=${payload}` }),
        el('embed', { provider: payload, embedId: payload, url: 'https://vimeo.com/76979871' }),
        el('quote', { attribution: payload }, [text(payload)]),
        el('ordered_list', { order: payload }, [el('list_item', {}, [p(payload)])]),
        el('heading', { level: payload }, [text(payload)]),
      );
      const { html } = renderEntry(doc);
      const found = violations(html, OUR_MEDIA);
      const figures = body(html).querySelectorAll('figure').length;
      if (figures !== 4) found.push(`${figures} figures, not the photo and 3 embeds`);
      if (found.length) failures.push(`${JSON.stringify(payload)}: ${found.join(', ')}`);
    }
    expect(failures).toEqual([]);
  });

  it('[PB4] the sanitizer alone keeps every raw corpus payload inside the allow-list', () => {
    const failures: string[] = [];
    for (const payload of XSS_PAYLOADS) {
      const html = sanitizeEntryHtml(payload);
      const found = violations(html, SAME_ORIGIN);
      if (/<\/?(script|svg|math|iframe|style|object|embed|base|meta|form)\b/i.test(html)) found.push('raw dangerous tag');
      if (found.length) failures.push(`${JSON.stringify(payload)} → ${html}: ${found.join(', ')}`);
    }
    expect(failures).toEqual([]);
    expect(sanitizeEntryHtml('<a href="https://example.com" rel="opener" target="_self" onclick="x()">x</a>')).toBe(
      '<a href="https://example.com" rel="noopener noreferrer nofollow" target="_blank">x</a>',
    );
    expect(sanitizeEntryHtml('<figure class="ld-embed evil" style="x"><iframe src="https://www.youtube.com/embed/x"></iframe></figure>')).toBe(
      '<figure class="ld-embed"></figure>',
    );
  });

  it('[PB5] formatting, lists, quotes, photos and embeds survive the sanitizer, each block with dir="auto"', () => {
    const doc = entry(
      el('heading', { level: 2 }, [text('Live: the storm')]),
      p(
        ['bold', { bold: {} }], ' ', ['italic', { italic: {} }], ' ', ['under', { underline: {} }], ' ', ['struck', { strike: {} }], ' ',
        ['source', { link: { href: 'https://example.com/a?b=1&c=2' } }], ' ', ['mail', { link: { href: 'mailto:desk@example.com' } }],
      ),
      el('paragraph', {}, [text('line one'), el('hard_break'), text('line two')]),
      el('bullet_list', {}, [el('list_item', {}, [p('first')]), el('list_item', {}, [p('second')])]),
      el('ordered_list', { order: 3 }, [el('list_item', {}, [p('third')])]),
      el('blockquote', {}, [p('quoted')]),
      el('quote', { attribution: 'Mayor' }, [text('We are ready')]),
      el('photo', { mediaId: 'abc123', caption: 'The dam', credit: 'AP' }),
      el('embed', { provider: 'youtube', embedId: 'dQw4w9WgXcQ', url: 'https://youtu.be/dQw4w9WgXcQ', caption: 'Footage' }),
      el('embed', { provider: 'youtube', embedId: 'x', url: 'javascript:alert(1)', caption: 'Unsafe' }),
    );
    const { html, text: plain } = renderEntry(doc);
    expect(html).toBe([
      '<h2 dir="auto">Live: the storm</h2>',
      '<p dir="auto"><strong>bold</strong> <em>italic</em> <u>under</u> <s>struck</s> ',
      '<a target="_blank" rel="noopener noreferrer nofollow" href="https://example.com/a?b=1&amp;c=2">source</a> ',
      '<a target="_blank" rel="noopener noreferrer nofollow" href="mailto:desk@example.com">mail</a></p>',
      '<p dir="auto">line one<br />line two</p>',
      '<ul dir="auto"><li dir="auto"><p dir="auto">first</p></li><li dir="auto"><p dir="auto">second</p></li></ul>',
      '<ol start="3" dir="auto"><li dir="auto"><p dir="auto">third</p></li></ol>',
      '<blockquote dir="auto"><p dir="auto">quoted</p></blockquote>',
      '<blockquote data-attribution="Mayor" class="ld-quote" dir="auto"><p dir="auto">We are ready</p></blockquote>',
      '<figure data-credit="AP" data-caption="The dam" data-media-id="abc123" class="ld-photo" dir="auto">',
      '<img loading="lazy" alt="The dam" src="/api/media/abc123" /><figcaption dir="auto">The dam (AP)</figcaption></figure>',
      '<figure data-embed-id="dQw4w9WgXcQ" data-provider="youtube" class="ld-embed" dir="auto">',
      '<a target="_blank" rel="noopener noreferrer nofollow" href="https://youtu.be/dQw4w9WgXcQ">https://youtu.be/dQw4w9WgXcQ</a>',
      '<figcaption dir="auto">Footage</figcaption></figure>',
      '<figure data-embed-id="x" data-provider="youtube" class="ld-embed" dir="auto"><figcaption dir="auto">Unsafe</figcaption></figure>',
    ].join(''));
    expect(violations(html, OUR_MEDIA)).toEqual([]);
    expect(plain).toBe([
      'Live: the storm', 'bold italic under struck source mail', 'line one\nline two', 'first\nsecond', 'third', 'quoted',
      '“We are ready” (Mayor)', 'The dam (AP)', 'Footage', 'Unsafe',
    ].join('\n\n'));
  });

  it('[PB6] Cyrillic, Kazakh, Arabic and emoji come back byte-exact in text and HTML', () => {
    const paragraphs = [
      'Қазақстан ғаламшар өңір',
      'مرحبا بالعالم',
      'Привет, мир! Ёлка, щётка, «кавычки» — тире',
      'Й decomposed: И\u0306, е\u0301',
      '👩🏽‍💻 🇰🇿 😀 𝓪 ZWJ and flags',
    ];
    const doc = new Y.Doc();
    writeParagraphs(doc, paragraphs.join('\n\n'));
    const { html, text: plain } = renderEntry(doc);
    expect(Buffer.from(plain, 'utf8').equals(Buffer.from(paragraphs.join('\n\n'), 'utf8'))).toBe(true);
    expect(html).toBe(paragraphs.map((s) => `<p dir="auto">${s}</p>`).join(''));
    expect(Array.from(body(html).children).map((b) => b.textContent)).toEqual(paragraphs);
  });
});

describe('contentHash: the revision fingerprint', () => {
  const base = () => entry(p('Water is ', ['rising', { bold: {} }]), el('photo', { mediaId: 'abc123', caption: 'Dam' }));

  it('[PB7] equal content gives equal hashes, whatever the key order; any change gives another', () => {
    const one = renderEntry(base());
    const hash = contentHash(one, 'Flood', ['Aigerim', 'Omar']);
    expect(hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(contentHash(renderEntry(base()), 'Flood', ['Aigerim', 'Omar'])).toBe(hash);
    const reordered = JSON.parse(JSON.stringify(one.doc, (_k, v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v));
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(one.doc));
    expect(contentHash({ doc: reordered }, 'Flood', ['Aigerim', 'Omar'])).toBe(hash);

    const changed = [
      contentHash(renderEntry(entry(p('Water is ', ['rising', { bold: {} }], '!'), el('photo', { mediaId: 'abc123', caption: 'Dam' }))), 'Flood', ['Aigerim', 'Omar']),
      contentHash(renderEntry(entry(p('Water is ', ['rising', { italic: {} }]), el('photo', { mediaId: 'abc123', caption: 'Dam' }))), 'Flood', ['Aigerim', 'Omar']),
      contentHash(renderEntry(entry(p('Water is ', ['rising', { bold: {} }]), el('photo', { mediaId: 'abc123', caption: 'Dam', credit: 'AP' }))), 'Flood', ['Aigerim', 'Omar']),
      contentHash(one, 'Flood!', ['Aigerim', 'Omar']),
      contentHash(one, 'Flood', ['Omar', 'Aigerim']),
      contentHash(one, 'Flood', ['Aigerim']),
      contentHash(one, 'Flood', ['Aigerim', 'Omar', '']),
      // The tuple is JSON, so a headline cannot borrow a byline's text.
      contentHash(one, 'Flood","Aigerim', ['Omar']),
    ];
    expect(changed).not.toContain(hash);
    expect(new Set(changed).size).toBe(changed.length);
  });
});
