/**
 * XML 1.0 text by hand, for the feeds (RSS 2.0, Atom): the five special characters escaped, and
 * every character XML 1.0 forbids (C0 controls but tab, newline and return; lone surrogates;
 * U+FFFE/U+FFFF) dropped, since one of them makes the whole document unreadable to a strict
 * parser. Entry text reaches us through safeText (no NUL, no lone surrogates), but a control
 * character like U+0001 typed or pasted into a headline still may.
 */
// eslint-disable-next-line no-control-regex
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function xmlChars(s: string): string {
  return s.replace(NOT_XML_CHAR, '');
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** For element text and attribute values alike (quotes escaped too). */
export function escapeXml(s: string): string {
  return xmlChars(s).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** `<name attr="…">text</name>`, escaped; `text` undefined gives an empty element. */
export function element(name: string, text?: string, attrs: Record<string, string> = {}): string {
  const a = Object.entries(attrs).map(([k, v]) => ` ${k}="${escapeXml(v)}"`).join('');
  return text === undefined ? `<${name}${a}/>` : `<${name}${a}>${escapeXml(text)}</${name}>`;
}

/** HTML text (the retraction note is built here, not by the sanitizer): the same escaping. */
export const escapeHtml = escapeXml;
