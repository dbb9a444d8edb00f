import { css, html } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { LiveFileView } from '../../shared/schemas/liveFile.js';
import { formatTimeOrDate, zoneLabel } from '../format.js';
import { icons } from '../components/icons.js';

/**
 * The live files as links, one row each: LIVE or ENDED, title, and what the viewer can see of it
 * (the server counts only the entries she can open, and "updated" follows them). Shared by the
 * live-files list and the admin home; the styles go into each page's shadow root.
 */
export function liveFileRows(files: LiveFileView[]) {
  return html`<ul class="files" data-testid="live-file-list">
      ${repeat(files, (f) => f.id, (f) => html`<li>
        <a class="file" href=${`#/files/${f.id}`} data-testid="live-file-item" data-live-file-id=${f.id}>
          ${f.status === 'live' ? html`<span class="live">${icons.live()}LIVE</span>` : html`<span class="ended">ENDED</span>`}
          <span class="title" dir="auto">${f.title}</span>
          <span class="meta"><span data-testid="live-file-count">${f.entryCount} ${f.entryCount === 1 ? 'entry' : 'entries'}</span> · ${zoneLabel(f.timezone)} ·
            updated <time datetime=${f.updatedAt} data-testid="live-file-updated">${formatTimeOrDate(f.updatedAt, f.timezone)}</time></span>
        </a></li>`)}
    </ul>`;
}

export const liveFileRowStyles = css`
  ul.files { list-style: none; padding: 0; margin: 0; display: grid; gap: var(--s2); }
  a.file { display: flex; align-items: center; gap: var(--s3); padding: var(--s3); border: 1px solid var(--border);
    border-radius: var(--r2); color: var(--text); text-decoration: none; min-height: 56px; }
  a.file:hover { background: var(--surface); }
  a.file:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
  a.file .title { font-weight: 700; font-size: 16px; flex: 1; min-width: 0; }
  a.file .meta { color: var(--text-muted); font-size: 14px; font-variant-numeric: tabular-nums; white-space: nowrap; }
  a.file .live { color: var(--live); font-weight: 700; font-size: 12px; display: inline-flex; align-items: center; }
  a.file .live .icon { width: 14px; }
  a.file .ended { color: var(--text-muted); font-size: 12px; font-weight: 700; }
  /* Phones: the count and last update go on their own line rather than away. */
  @media (max-width: 600px) { a.file { flex-wrap: wrap; row-gap: var(--s1); } a.file .meta { flex-basis: 100%; white-space: normal; } }
`;
