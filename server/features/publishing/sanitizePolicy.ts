import sanitizeHtml, { type IOptions } from 'sanitize-html';

/**
 * What published entry HTML may contain: exactly what the entry schema renders (renderEntry.ts),
 * nothing more. The render escapes every author string already; this is the second wall, so a
 * schema change that forgets to escape, or an attribute nobody validates, still cannot reach readers.
 */

/** URL schemes an href or src may carry. Relative paths stay (a photo is `/api/media/<id>`). */
export const PUBLISHED_SCHEMES = ['http', 'https', 'mailto'] as const;

export const LINK_REL = 'noopener noreferrer nofollow';

const BLOCK = ['dir'];

export const PUBLISH_POLICY: IOptions = {
  allowedTags: ['p', 'h1', 'h2', 'h3', 'blockquote', 'ul', 'ol', 'li', 'figure', 'figcaption', 'picture', 'source', 'img', 'a', 'strong', 'em', 'u', 's', 'br'],
  allowedAttributes: {
    p: BLOCK,
    h1: BLOCK,
    h2: BLOCK,
    h3: BLOCK,
    blockquote: [...BLOCK, 'data-attribution'],
    ul: BLOCK,
    ol: [...BLOCK, 'start'],
    li: BLOCK,
    figure: [...BLOCK, 'data-media-id', 'data-caption', 'data-credit', 'data-provider', 'data-embed-id'],
    figcaption: BLOCK,
    picture: [],
    source: ['type', 'srcset', 'sizes'],
    img: ['src', 'srcset', 'sizes', 'width', 'height', 'alt', 'loading', 'decoding'],
    a: ['href', 'rel', 'target'],
  },
  // `class` only with these values; any other class is dropped.
  allowedClasses: { figure: ['ld-photo', 'ld-embed'], blockquote: ['ld-quote'] },
  allowedSchemes: [...PUBLISHED_SCHEMES],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
  allowProtocolRelative: false,
  allowedIframeHostnames: [],
  allowedStyles: {},
  allowVulnerableTags: false,
  // <source> is void like <img>: no closing tag; one without our own srcset is dropped.
  exclusiveFilter: (frame) => frame.tag === 'source' && !frame.attribs.srcset,
  selfClosing: ['img', 'br', 'source'],
  disallowedTagsMode: 'discard',
  // Dropped with everything inside them, not kept as text.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'template', 'title', 'xmp', 'noembed', 'noframes', 'iframe', 'object', 'svg', 'math'],
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: LINK_REL, target: '_blank' } }),
    // Pictures come from our own media store only: any other source is dropped.
    img: (tagName, attribs) => ({ tagName, attribs: ownMediaOnly(attribs) }),
    source: (tagName, attribs) => ({ tagName, attribs: ownMediaOnly(attribs) }),
  },
};

/** Where published photos live (the media store's public renditions); the desk's own copy is /api/media. */
export const MEDIA_PREFIXES = ['/media/', '/api/media/'] as const;
const isOwnMedia = (url: string) => MEDIA_PREFIXES.some((p) => url.startsWith(p)) && !url.includes('..') && !/[\s"'<>\\]/.test(url);

function ownMediaOnly(attribs: Record<string, string>): Record<string, string> {
  const out = { ...attribs };
  if (out.src !== undefined && !isOwnMedia(out.src)) delete out.src;
  if (out.srcset !== undefined) {
    const kept = out.srcset.split(',').map((s) => s.trim()).filter((s) => isOwnMedia(s.split(/\s+/)[0] ?? ''));
    if (kept.length > 0) out.srcset = kept.join(', ');
    else delete out.srcset;
  }
  return out;
}

export function sanitizeEntryHtml(html: string): string {
  return sanitizeHtml(html, PUBLISH_POLICY);
}
