import { Schema, type DOMOutputSpec, type NodeSpec, type MarkSpec, type Attrs } from 'prosemirror-model';
import { isSafeHref } from './safeHref.js';
import { isEmbedProvider } from './embeds.js';

export { isSafeHref } from './safeHref.js';

/**
 * The entry document schema, shared by the desk editor, the server (previews, publishing) and tests.
 * Pure: toDOM returns specs, never touches `document`, so Node can import it.
 * Every block carries dir="auto" so Arabic/Hebrew paragraphs run right-to-left and Latin/Cyrillic
 * left-to-right, each on its own.
 */
type DomLike = { getAttribute(name: string): string | null; textContent: string | null };
const AUTO = { dir: 'auto' } as const;

function attr(dom: unknown, name: string): string | null {
  return (dom as DomLike).getAttribute(name);
}

const nodes: Record<string, NodeSpec> = {
  doc: { content: 'block+' },
  paragraph: {
    content: 'inline*',
    group: 'block',
    parseDOM: [{ tag: 'p' }],
    toDOM: (): DOMOutputSpec => ['p', AUTO, 0],
  },
  heading: {
    attrs: { level: { default: 2, validate: 'number' } },
    content: 'inline*',
    group: 'block',
    defining: true,
    parseDOM: [
      { tag: 'h1', attrs: { level: 1 } },
      { tag: 'h2', attrs: { level: 2 } },
      { tag: 'h3', attrs: { level: 3 } },
      // Deeper headings from pasted pages fold into the smallest level we keep.
      { tag: 'h4', attrs: { level: 3 } },
      { tag: 'h5', attrs: { level: 3 } },
      { tag: 'h6', attrs: { level: 3 } },
    ],
    toDOM: (node): DOMOutputSpec => ['h' + clampLevel(node.attrs.level), AUTO, 0],
  },
  blockquote: {
    content: 'block+',
    group: 'block',
    defining: true,
    parseDOM: [{ tag: 'blockquote:not(.ld-quote)' }],
    toDOM: (): DOMOutputSpec => ['blockquote', AUTO, 0],
  },
  bullet_list: {
    content: 'list_item+',
    group: 'block',
    parseDOM: [{ tag: 'ul' }],
    toDOM: (): DOMOutputSpec => ['ul', AUTO, 0],
  },
  ordered_list: {
    attrs: { order: { default: 1, validate: 'number' } },
    content: 'list_item+',
    group: 'block',
    parseDOM: [
      {
        tag: 'ol',
        getAttrs: (dom) => {
          const start = attr(dom, 'start');
          return { order: start && /^\d+$/.test(start) ? Number(start) : 1 };
        },
      },
    ],
    toDOM: (node): DOMOutputSpec =>
      node.attrs.order === 1 ? ['ol', AUTO, 0] : ['ol', { ...AUTO, start: String(node.attrs.order) }, 0],
  },
  list_item: {
    content: 'paragraph block*',
    defining: true,
    parseDOM: [{ tag: 'li' }],
    toDOM: (): DOMOutputSpec => ['li', AUTO, 0],
  },
  /** A photo from our media store, never an arbitrary URL. */
  photo: {
    group: 'block',
    atom: true,
    draggable: true,
    attrs: {
      mediaId: { validate: 'string' },
      caption: { default: '', validate: 'string' },
      credit: { default: '', validate: 'string' },
    },
    parseDOM: [
      {
        tag: 'figure[data-media-id]',
        getAttrs: (dom) => {
          const mediaId = attr(dom, 'data-media-id');
          if (!mediaId || !/^[A-Za-z0-9_-]{1,64}$/.test(mediaId)) return false;
          return { mediaId, caption: attr(dom, 'data-caption') ?? '', credit: attr(dom, 'data-credit') ?? '' };
        },
      },
    ],
    toDOM: (node): DOMOutputSpec => [
      'figure',
      { ...AUTO, class: 'ld-photo', 'data-media-id': node.attrs.mediaId, 'data-caption': node.attrs.caption, 'data-credit': node.attrs.credit },
      ['img', { src: `/api/media/${encodeURIComponent(node.attrs.mediaId)}`, alt: node.attrs.caption, loading: 'lazy' }],
      ['figcaption', AUTO, node.attrs.caption + (node.attrs.credit ? ` (${node.attrs.credit})` : '')],
    ],
  },
  /** A video or social post. Rendered by our own ld-embed card: never an author-supplied iframe. */
  embed: {
    group: 'block',
    atom: true,
    draggable: true,
    attrs: {
      provider: { validate: 'string' },
      embedId: { validate: 'string' },
      url: { validate: 'string' },
      caption: { default: '', validate: 'string' },
    },
    parseDOM: [
      {
        tag: 'ld-embed',
        getAttrs: (dom) => {
          const provider = attr(dom, 'provider');
          const embedId = attr(dom, 'embed-id');
          const url = attr(dom, 'url');
          if (!provider || !isEmbedProvider(provider) || !embedId || !isSafeHref(url)) return false;
          return { provider, embedId, url, caption: attr(dom, 'caption') ?? '' };
        },
      },
    ],
    toDOM: (node): DOMOutputSpec => [
      'ld-embed',
      { ...AUTO, provider: node.attrs.provider, 'embed-id': node.attrs.embedId, url: node.attrs.url, caption: node.attrs.caption },
    ],
  },
  /** A pull quote: the words as content, who said them as an attribute. */
  quote: {
    group: 'block',
    content: 'text*',
    marks: '',
    defining: true,
    attrs: { attribution: { default: '', validate: 'string' } },
    parseDOM: [
      {
        tag: 'blockquote.ld-quote',
        contentElement: 'p',
        getAttrs: (dom) => ({ attribution: attr(dom, 'data-attribution') ?? '' }),
      },
    ],
    toDOM: (node): DOMOutputSpec => [
      'blockquote',
      { ...AUTO, class: 'ld-quote', 'data-attribution': node.attrs.attribution },
      ['p', AUTO, 0],
    ],
  },
  text: { group: 'inline' },
  hard_break: {
    inline: true,
    group: 'inline',
    selectable: false,
    parseDOM: [{ tag: 'br' }],
    toDOM: (): DOMOutputSpec => ['br'],
  },
};

const marks: Record<string, MarkSpec> = {
  link: {
    attrs: { href: { validate: (v: unknown) => { if (!isSafeHref(v)) throw new RangeError('unsafe href'); } } },
    inclusive: false,
    parseDOM: [
      {
        tag: 'a[href]',
        getAttrs: (dom): Attrs | false => {
          const href = attr(dom, 'href');
          return isSafeHref(href) ? { href: href.trim() } : false;
        },
      },
    ],
    toDOM: (mark): DOMOutputSpec => ['a', { href: mark.attrs.href, rel: 'noopener noreferrer nofollow', target: '_blank' }, 0],
  },
  bold: {
    parseDOM: [
      { tag: 'strong' },
      // Google Docs wraps everything in <b style="font-weight:normal">.
      { tag: 'b', getAttrs: (dom) => ((dom as { style?: { fontWeight?: string } }).style?.fontWeight !== 'normal' ? null : false) },
      { style: 'font-weight', getAttrs: (v) => (/^(bold(er)?|[5-9]\d{2,})$/.test(String(v)) ? null : false) },
    ],
    toDOM: (): DOMOutputSpec => ['strong', 0],
  },
  italic: {
    parseDOM: [{ tag: 'i' }, { tag: 'em' }, { style: 'font-style=italic' }],
    toDOM: (): DOMOutputSpec => ['em', 0],
  },
  underline: {
    parseDOM: [{ tag: 'u' }, { style: 'text-decoration=underline' }],
    toDOM: (): DOMOutputSpec => ['u', 0],
  },
  strike: {
    parseDOM: [{ tag: 's' }, { tag: 'del' }, { tag: 'strike' }, { style: 'text-decoration=line-through' }],
    toDOM: (): DOMOutputSpec => ['s', 0],
  },
};

function clampLevel(level: unknown): 1 | 2 | 3 {
  return level === 1 || level === 3 ? level : 2;
}

// Pure: a client chunk that only needs ENTRY_FRAGMENT (re-exported below) leaves prosemirror-model out.
export const entrySchema = /* @__PURE__ */ new Schema({ nodes, marks });
export type EntrySchema = typeof entrySchema;

/** The name of the Y.XmlFragment inside an entry doc that y-prosemirror binds to. */
export { ENTRY_FRAGMENT } from '../collab/docRoots.js';
