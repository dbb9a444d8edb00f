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
  allowedTags: ['p', 'h1', 'h2', 'h3', 'blockquote', 'ul', 'ol', 'li', 'figure', 'figcaption', 'img', 'a', 'strong', 'em', 'u', 's', 'br'],
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
    img: ['src', 'alt', 'loading'],
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
  disallowedTagsMode: 'discard',
  // Dropped with everything inside them, not kept as text.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'template', 'title', 'xmp', 'noembed', 'noframes', 'iframe', 'object', 'svg', 'math'],
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: LINK_REL, target: '_blank' } }),
  },
};

export function sanitizeEntryHtml(html: string): string {
  return sanitizeHtml(html, PUBLISH_POLICY);
}
