import { svg, html, type TemplateResult } from 'lit';

/** Inline 20 px icons, currentColor, hidden from assistive tech: a visible word or aria-label goes beside. */
function icon(body: TemplateResult<2>, cls = ''): TemplateResult {
  return html`<svg class="icon ${cls}" width="20" height="20" viewBox="0 0 20 20" fill="none" stroke="currentColor"
    stroke-width="1.75" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">${body}</svg>`;
}

export const icons = {
  draft: () => icon(svg`<path d="M4 16l1-4 8-8 3 3-8 8-4 1z"/>`),
  submitted: () => icon(svg`<circle cx="10" cy="10" r="7"/><path d="M10 6v4l3 2"/>`),
  scheduled: () => icon(svg`<rect x="3" y="4.5" width="14" height="12.5" rx="1.5"/><path d="M3 8.5h14M7 3v3M13 3v3M10 11v2.5l1.5 1"/>`),
  retracted: () => icon(svg`<circle cx="10" cy="10" r="7"/><path d="M5 15L15 5"/>`),
  check: () => icon(svg`<path d="M4 10.5l4 4 8-9"/>`),
  send: () => icon(svg`<path d="M3 10l14-6-5 14-2.5-5.5z"/><path d="M9.5 12.5L17 4"/>`),
  history: () => icon(svg`<path d="M3.5 10a6.5 6.5 0 1 0 2-4.7M3 3v3.5h3.5"/><path d="M10 6.5V10l2.5 1.5"/>`),
  settings: () => icon(svg`<path d="M3 5.5h8M15 5.5h2M3 10h2M9 10h8M3 14.5h6M13 14.5h4"/><circle cx="13" cy="5.5" r="2"/><circle cx="7" cy="10" r="2"/><circle cx="11" cy="14.5" r="2"/>`),
  queue: () => icon(svg`<path d="M4 5h12M4 10h12M4 15h7"/><circle cx="15" cy="15" r="2.5"/>`),
  download: () => icon(svg`<path d="M10 3v10M6 9l4 4 4-4M4 17h12"/>`),
  published: () => icon(svg`<circle cx="10" cy="10" r="7"/><path d="M3 10h14M10 3c2.5 2.5 2.5 11.5 0 14M10 3c-2.5 2.5-2.5 11.5 0 14"/>`),
  rejected: () => icon(svg`<path d="M5 5l10 10M15 5L5 15"/>`),
  pin: () => icon(svg`<path d="M7 3h6l-1 5 3 3H5l3-3-1-5zM10 11v6"/>`),
  key: () => icon(svg`<path d="M10 2.5l2.2 4.6 5 .7-3.6 3.5.9 5-4.5-2.4-4.5 2.4.9-5L2.8 7.8l5-.7z"/>`),
  plus: () => icon(svg`<path d="M10 4v12M4 10h12"/>`),
  up: () => icon(svg`<path d="M10 16V4M5 9l5-5 5 5"/>`, 'mirror-no'),
  down: () => icon(svg`<path d="M10 4v12M5 11l5 5 5-5"/>`, 'mirror-no'),
  top: () => icon(svg`<path d="M4 3h12M10 17V7M5 12l5-5 5 5"/>`),
  back: () => icon(svg`<path d="M12 4l-6 6 6 6"/>`, 'mirror'),
  live: () => icon(svg`<circle cx="10" cy="10" r="4" fill="currentColor" stroke="none"/>`),
  cloudOff: () => icon(svg`<path d="M3 3l14 14M7 6.5A5 5 0 0 1 15 10h.5a3 3 0 0 1 1.3 5.7M13.5 16H6a4 4 0 0 1-1.6-7.7"/>`),
  sync: () => icon(svg`<path d="M16 8a6 6 0 0 0-11-2M4 12a6 6 0 0 0 11 2M4 3v3h3M16 17v-3h-3"/>`),
  edit: () => icon(svg`<path d="M4 16l1-4 8-8 3 3-8 8-4 1z"/>`),
  more: () => icon(svg`<circle cx="4.5" cy="10" r="1.4" fill="currentColor" stroke="none"/><circle cx="10" cy="10" r="1.4" fill="currentColor" stroke="none"/><circle cx="15.5" cy="10" r="1.4" fill="currentColor" stroke="none"/>`),
  close: () => icon(svg`<path d="M5 5l10 10M15 5L5 15"/>`),
  link: () => icon(svg`<path d="M8.5 11.5a3 3 0 0 0 4.2 0l2.8-2.8a3 3 0 0 0-4.2-4.2l-1 1M11.5 8.5a3 3 0 0 0-4.2 0l-2.8 2.8a3 3 0 0 0 4.2 4.2l1-1"/>`),
  play: () => icon(svg`<path d="M7 5l8 5-8 5z" fill="currentColor"/>`),
  warn: () => icon(svg`<path d="M10 3l8 14H2z"/><path d="M10 8.5v3.5M10 14.5v.01"/>`),
  lock: () => icon(svg`<rect x="4" y="9" width="12" height="8" rx="1.5"/><path d="M7 9V6.5a3 3 0 0 1 6 0V9"/>`),
};
