/** Link targets an author may set: web pages and mail only (no javascript:, data:, file:, …). */
const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/** True when `href` is an absolute http(s) or mailto URL. Pure: used by the schema, the server and tests. */
export function isSafeHref(href: unknown): href is string {
  if (typeof href !== 'string') return false;
  const trimmed = href.trim();
  // Control characters and whitespace inside a scheme are how "java\tscript:" slips past naive checks.
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this rejects
  if (trimmed === '' || /[\u0000-\u001F\u007F]/.test(trimmed)) return false;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return false;
  }
  if (!SAFE_PROTOCOLS.has(url.protocol)) return false;
  if (url.protocol === 'mailto:') return url.pathname.length > 0;
  return url.hostname.length > 0;
}
