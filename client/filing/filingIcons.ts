import { html, svg, type TemplateResult } from 'lit';

/** The filing page's own icons, drawn like client/components/icons.ts (20 px grid, currentColor, hidden). */
function icon(body: TemplateResult<2>): TemplateResult {
  return html`<svg class="icon" width="20" height="20" viewBox="0 0 20 20" fill="none" stroke="currentColor"
    stroke-width="1.75" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">${body}</svg>`;
}

export const fi = {
  camera: () => icon(svg`<path d="M3 7.5A1.5 1.5 0 0 1 4.5 6h2l1.5-2h4l1.5 2h2A1.5 1.5 0 0 1 17 7.5v7a1.5 1.5 0 0 1-1.5 1.5h-11A1.5 1.5 0 0 1 3 14.5z"/><circle cx="10" cy="11" r="3"/>`),
  gallery: () => icon(svg`<rect x="3" y="4" width="14" height="12" rx="1.5"/><circle cx="7.5" cy="8" r="1.5"/><path d="M3.5 15l4.5-4.5 3 3 2-2 3.5 3.5"/>`),
  write: () => icon(svg`<path d="M4 16l1-4 8-8 3 3-8 8-4 1z"/><path d="M11 6l3 3"/>`),
  list: () => icon(svg`<path d="M7 5h10M7 10h10M7 15h10"/><circle cx="3.5" cy="5" r="0.9" fill="currentColor"/><circle cx="3.5" cy="10" r="0.9" fill="currentColor"/><circle cx="3.5" cy="15" r="0.9" fill="currentColor"/>`),
  phone: () => icon(svg`<rect x="5.5" y="2.5" width="9" height="15" rx="1.5"/><path d="M9 15h2"/>`),
  send: () => icon(svg`<path d="M3 10l14-6-5 14-2.5-5.5z"/><path d="M9.5 12.5L17 4"/>`),
  save: () => icon(svg`<path d="M4 4h9l3 3v9H4z"/><path d="M7 4v4h5V4M7 16v-5h6v5"/>`),
  place: () => icon(svg`<path d="M10 17s-5-4.8-5-8.5a5 5 0 0 1 10 0c0 3.7-5 8.5-5 8.5z"/><circle cx="10" cy="8.5" r="1.8"/>`),
  link: () => icon(svg`<path d="M8.5 11.5a3 3 0 0 0 4.2 0l2.8-2.8a3 3 0 0 0-4.2-4.2l-1 1M11.5 8.5a3 3 0 0 0-4.2 0l-2.8 2.8a3 3 0 0 0 4.2 4.2l1-1"/>`),
  close: () => icon(svg`<path d="M5 5l10 10M15 5L5 15"/>`),
  plus: () => icon(svg`<path d="M10 4v12M4 10h12"/>`),
  offline: () => icon(svg`<path d="M3 3l14 14M7 6.5A5 5 0 0 1 15 10h.5a3 3 0 0 1 1.3 5.7M13.5 16H6a4 4 0 0 1-1.6-7.7"/>`),
  online: () => icon(svg`<circle cx="10" cy="10" r="3.5" fill="currentColor" stroke="none"/>`),
  lock: () => icon(svg`<rect x="4" y="9" width="12" height="8" rx="1.5"/><path d="M7 9V6.5a3 3 0 0 1 6 0V9"/>`),
  warn: () => icon(svg`<path d="M10 3l8 14H2z"/><path d="M10 8.5v3.5M10 14.5v.01"/>`),
  check: () => icon(svg`<path d="M4 10.5l4 4 8-9"/>`),
  retry: () => icon(svg`<path d="M16 8a6 6 0 0 0-11-2M4 12a6 6 0 0 0 11 2M4 3v3h3M16 17v-3h-3"/>`),
  clock: () => icon(svg`<circle cx="10" cy="10" r="7"/><path d="M10 6v4l3 2"/>`),
  trash: () => icon(svg`<path d="M4 6h12M8 6V4h4v2M5.5 6l1 11h7l1-11"/>`),
};
