import { html, nothing, type TemplateResult } from 'lit';
import type { LiveFileView } from '../../shared/schemas/liveFile.js';
import type { ConnectionSummary } from '../controllers/CollabHub.js';
import type { PresenceUser } from '../controllers/presence.js';
import { zoneLabel } from '../format.js';
import { icons } from '../components/icons.js';
import { isTouchScreen } from '../components/touch.js';
import { deskFilters, type DeskFilter } from './deskRows.js';
import '../components/ld-presence.js';
import '../components/ld-connection-status.js';

/** What the live-file header shows; the page owns the state and the handlers. */
export interface DeskHeaderView {
  file: LiveFileView;
  presence: PresenceUser[];
  connection: ConnectionSummary;
  /** Phone width: a shorter facepile keeps the header to one row. */
  narrow: boolean;
  /** A touch phone: no keyboard for the shortcut sheet, so no button for it (? still opens it). */
  touchPhone: boolean;
  /** The read-only banner, or nothing. */
  banner: TemplateResult | typeof nothing;
  describeEntry: (entryId: string) => string;
  onJump: (e: CustomEvent<{ entryId: string }>) => void;
  onToggleHelp: () => void;
  /** Opens the file's settings (access, four-eyes, audit export); absent for who may not. */
  onSettings?: () => void;
}

/**
 * The live file's sticky header: back link, title and time zone, who is here, connection, the
 * shortcut-sheet button and, when editing is off, the banner. Rendered into the page's own shadow
 * root (a template, not an element), so the page's styles and the tests' selectors still apply.
 */
export function deskHeader(v: DeskHeaderView) {
  const { file } = v;
  return html`
      <header>
        <a class="back btn ghost" href="#/" aria-label="All live files" title="All live files">${icons.back()}</a>
        <div class="title">
          <h1 dir="auto" data-testid="live-file-title" title=${file.title}>${file.title}</h1>
          <span class="zone" title=${`Times in ${zoneLabel(file.timezone)} (${file.timezone})`}>Times in ${zoneLabel(file.timezone)}<span
            class="zone-id"> (${file.timezone})</span></span>
        </div>
        <ld-presence .users=${v.presence} max=${v.touchPhone ? 2 : v.narrow ? 3 : 5} .describeEntry=${v.describeEntry} @presence-jump=${v.onJump}></ld-presence>
        <ld-connection-status .summary=${v.connection}></ld-connection-status>
        ${v.onSettings ? html`<button class="ghost settings" aria-label="Live file settings and audit export" title="Live file settings and audit export"
          data-testid="file-settings-open" @click=${v.onSettings}>${icons.settings()}</button>` : nothing}
        ${v.touchPhone ? nothing : html`<button class="ghost help" aria-label="Keyboard shortcuts (?)" title="Keyboard shortcuts (?)"
          @click=${v.onToggleHelp}>?</button>`}
        ${v.banner}
      </header>`;
}

/** The sheet the ? key (or the header's ? button) opens. */
export function shortcutHelp(atDesk = true) {
  const deskKeys: Array<[string, string]> = [
    ['P', 'Pin or unpin'], ['K', 'Mark key event'], ['Alt+↑ / Alt+↓', 'Move up / down'], ['Alt+Home', 'Move to top'],
    ['Ctrl+Z / Ctrl+Shift+Z', 'Undo / redo your own change'],
  ];
  const keys: Array<[string, string]> = [
    ['N', 'New entry'], ['↑ / ↓', 'Previous / next card'], ['Enter', 'Edit the card'], ['Esc', 'Back to the card'],
    ...(atDesk ? deskKeys : []), ['Ctrl+Enter', 'Submit the entry'], ...(atDesk ? [['H', 'History of the entry'] as [string, string]] : []), ['Ctrl+S', 'Saving is automatic'],
    ['/', 'Search entries (Esc clears)'],
  ];
  return html`<section class="help" aria-label="Keyboard shortcuts"><dl>
      ${keys.map(([k, v]) => html`<dt><kbd>${k}</kbd></dt><dd>${v}</dd>`)}</dl></section>`;
}

/** The row under the header: New entry, the filter buttons and the search box. */
export function deskToolbar(v: {
  readOnly: boolean; filter: DeskFilter; query: string;
  /** The filters to offer (all of them at the desk; without the desk doc, Key and Mine mean nothing). */
  filters?: readonly DeskFilter[];
  onNew: () => void; onFilter: (f: DeskFilter) => void; onQuery: (q: string) => void;
}) {
  const onSearchKey = (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    const input = e.target as HTMLInputElement;
    if (input.value) v.onQuery('');
    else input.blur();
  };
  const touch = isTouchScreen(); // no keyboard: no key caps
  return html`<div class="toolbar">
        <button class="primary" @click=${v.onNew} ?disabled=${v.readOnly} data-testid="new-entry" aria-keyshortcuts="N">
          ${icons.plus()} New entry${touch ? nothing : html` <kbd>N</kbd>`}</button>
        <div class="filters" role="group" aria-label="Show">
          ${(v.filters ?? deskFilters).map((f) => html`<button class="ghost" aria-pressed=${String(v.filter === f)}
            @click=${() => v.onFilter(f)} data-testid=${`filter-${f}`}>${f[0]!.toUpperCase() + f.slice(1)}</button>`)}
        </div>
        <label class="search">
          <span class="visually-hidden">Search entries</span>
          <input type="search" dir="auto" placeholder="Search" aria-keyshortcuts="/" autocomplete="off" spellcheck="false" data-testid="desk-search"
            .value=${v.query} @input=${(e: InputEvent) => v.onQuery((e.target as HTMLInputElement).value)} @keydown=${onSearchKey}>
          ${touch ? nothing : html`<kbd aria-hidden="true">/</kbd>`}
        </label>
      </div>`;
}
