/**
 * HTML built from strings with escaping by default, for the reader page on both sides (the server
 * renders the page, the reader script renders new entries with the same templates). Every value
 * interpolated into `html\`…\`` is escaped as text, unless it is itself the result of `html` (or
 * `trusted()`, kept for HTML the server sanitized at publish time). Attribute values must be quoted
 * in the template; escaping covers `& < > " '`, so a value cannot leave its quotes or its element.
 */
const MARK = Symbol('SafeHtml');

export interface SafeHtml {
  readonly [MARK]: true;
  readonly value: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text (or an attribute value) as HTML: `& < > " '` become entities. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function isSafe(v: unknown): v is SafeHtml {
  return typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[MARK] === true;
}

function make(value: string): SafeHtml {
  return { [MARK]: true, value };
}

/** Values a template takes: text, numbers, nested templates, lists of them; null, undefined and false render nothing. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(v: HtmlValue): string {
  if (v === null || v === undefined || v === false) return '';
  if (Array.isArray(v)) return v.map(render).join('');
  if (isSafe(v)) return v.value;
  return escapeHtml(String(v));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return make(out);
}

/**
 * HTML taken as it is. Only for markup this system made safe: an entry's `html`, sanitized by the
 * server at publish time with the one entry policy (server/features/publishing/sanitizePolicy.ts).
 */
export function trusted(markup: string): SafeHtml {
  return make(markup);
}

export function toString(h: SafeHtml): string {
  return h.value;
}
