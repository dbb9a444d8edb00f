import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { EntryView } from '../../shared/schemas/entry.js';
import { Limits } from '../../shared/limits.js';
import { ApiError, type ApiClient } from '../services/apiClient.js';
import { icons } from './icons.js';
import { controlStyles } from './shared-styles.js';

type Field = 'headline' | 'bylines';
interface FieldError {
  message: string;
  details?: string;
}

/** How long typing in the headline may pause before it is saved. */
const HEADLINE_SAVE_MS = 900;

/** Local copies survive a reload while a save has not gone through (never lose text). */
function draftKey(entryId: string) {
  return `livedesk:entry-meta:${entryId}`;
}
interface MetaDraft {
  headline?: string;
  bylines?: string[];
}
function readDraft(entryId: string): MetaDraft {
  try {
    return JSON.parse(localStorage.getItem(draftKey(entryId)) ?? '{}') as MetaDraft;
  } catch {
    return {};
  }
}
function writeDraft(entryId: string, d: MetaDraft) {
  if (d.headline === undefined && d.bylines === undefined) localStorage.removeItem(draftKey(entryId));
  else localStorage.setItem(draftKey(entryId), JSON.stringify(d));
}

/** Plain words for a refused save; the server's own text goes under "Details". */
export function metaErrorText(field: Field, err: unknown): FieldError {
  const what = field === 'headline' ? 'the headline' : 'the bylines';
  if (err instanceof ApiError) {
    const details = `${err.code} (${err.status}): ${err.message}`;
    if (err.code === 'unavailable' || err.status === 0) {
      return { message: `Couldn't save ${what}: the server can't be reached. It stays here and is saved when you try again.`, details };
    }
    if (err.status === 400) return { message: `Couldn't save ${what}: the server refused it. Check it and try again.`, details };
    if (err.status === 403) return { message: `You can't change ${what} of this entry.`, details };
    if (err.status === 401) return { message: `Couldn't save ${what}: you are signed out. It stays here.`, details };
    return { message: `Couldn't save ${what}. It stays here; try again.`, details };
  }
  return { message: `Couldn't save ${what}. It stays here; try again.`, details: String(err) };
}

/**
 * Headline and bylines of one entry (expanded card), saved with PATCH /api/entries/:id.
 * What the user typed stays in the field (and on the device) until the server has it; errors show
 * beside their field. Server updates (entry:updated) only replace fields the user isn't changing.
 * @fires entry-meta-saved - detail: the EntryView the server returned
 */
@customElement('ld-entry-meta')
export class LdEntryMeta extends LitElement {
  @property({ attribute: false }) entry?: EntryView;
  @property({ attribute: false }) api?: ApiClient;
  @property({ type: Boolean }) readonly = false;

  @state() private headline = '';
  @state() private bylines: string[] = [];
  @state() private newByline = '';
  @state() private errors: Partial<Record<Field, FieldError>> = {};
  @state() private saving: Partial<Record<Field, boolean>> = {};
  /** Values the user changed that the server has not confirmed yet. */
  private dirty: MetaDraft = {};
  private headlineTimer?: ReturnType<typeof setTimeout>;
  private entryId?: string;

  static override styles = [
    controlStyles,
    css`
      :host { display: grid; gap: var(--s2); margin-bottom: var(--s2); }
      label, .label { font-size: 12px; font-weight: 600; color: var(--text-muted); display: block; margin-bottom: 2px; }
      input { width: 100%; min-width: 0; box-sizing: border-box; }
      input.headline { font-weight: 700; }
      input[aria-invalid='true'] { border-color: var(--live); }
      .bylines { display: flex; flex-wrap: wrap; gap: var(--s1); align-items: center; }
      .chip { display: inline-flex; align-items: center; gap: 2px; padding-inline-start: var(--s2); border: 1px solid var(--border);
        border-radius: 999px; font-size: 14px; background: var(--surface); max-width: 100%; }
      .chip.ro { padding-inline-end: var(--s2); }
      .chip bdi { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      .chip button { min-height: 28px; min-width: 28px; padding: 0; border: 0; background: transparent; border-radius: 999px; }
      .chip button .icon { width: 14px; height: 14px; }
      .add { display: inline-flex; gap: var(--s1); flex: 1 1 180px; min-width: 0; }
      .add input { flex: 1 1 auto; font-size: 14px; min-height: 32px; }
      .add button { min-height: 32px; }
      .error { color: var(--live); font-size: 14px; margin: var(--s1) 0 0; }
      .error details { color: var(--text-muted); font-size: 12px; }
      .error button { min-height: 28px; font-size: 12px; margin-inline-start: var(--s1); }
      .hint { font-size: 12px; color: var(--text-muted); margin-inline-start: var(--s1); font-weight: 400; }
      @media (max-width: 600px) {
        .add input, .add button { min-height: var(--target); font-size: 16px; }
      }
      /* Phones and touch screens: every button a 44 px target (the chip grows to hold its ✕). */
      @media (max-width: 600px), (pointer: coarse) {
        .chip button, .error button { min-height: var(--target); min-width: var(--target); }
        .error button { font-size: 14px; }
      }
    `,
  ];

  protected override willUpdate(changed: PropertyValues<this>) {
    const e = this.entry;
    if (!e) return;
    if (this.entryId !== e.id) {
      this.entryId = e.id;
      this.dirty = readDraft(e.id);
    }
    if (changed.has('entry')) {
      // Keep what is in the field when the server only differs by the spaces it trims (mid-typing).
      const server = e.headline ?? '';
      if (this.dirty.headline !== undefined) this.headline = this.dirty.headline;
      else if (this.headline.trim() !== server) this.headline = server;
      this.bylines = this.dirty.bylines ?? (e.bylines.length ? [...e.bylines] : [e.authorName]);
    }
    // A draft from an earlier visit (or a failed save) goes out as soon as we can.
    if (changed.has('api') && this.api) {
      if (this.dirty.headline !== undefined) void this.save('headline');
      if (this.dirty.bylines !== undefined) void this.save('bylines');
    }
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    // Leaving with a pending headline: send it now rather than drop the timer.
    if (this.headlineTimer) {
      clearTimeout(this.headlineTimer);
      this.headlineTimer = undefined;
      void this.save('headline');
    }
  }

  override render() {
    const e = this.entry;
    if (!e) return nothing;
    const hErr = this.errors.headline;
    const bErr = this.errors.bylines;
    const full = this.bylines.length >= Limits.maxBylines;
    return html`
      <div>
        <label for="headline">Headline <span class="hint">optional</span></label>
        <input id="headline" class="headline" dir="auto" data-testid="entry-headline-input" .value=${this.headline}
          maxlength=${Limits.headlineMax + 50} placeholder="No headline" ?readonly=${this.readonly}
          aria-invalid=${hErr ? 'true' : 'false'} aria-describedby=${hErr ? 'headline-error' : nothing}
          @input=${this.onHeadlineInput} @blur=${this.flushHeadline} @keydown=${this.onHeadlineKey} />
        ${this.renderError('headline', hErr)}
      </div>
      <div role="group" aria-labelledby="bylines-label">
        <span class="label" id="bylines-label">Bylines</span>
        <div class="bylines" data-testid="entry-bylines">
          ${repeat(this.bylines, (b) => b, (b, i) => html`<span class="chip ${this.readonly ? 'ro' : ''}" data-testid="byline-chip"><bdi dir="auto">${b}</bdi>
            ${this.readonly ? nothing : html`<button type="button" aria-label=${`Remove byline ${b}`} title=${`Remove ${b}`}
              data-testid="byline-remove" @click=${() => this.removeByline(i)}>${icons.close()}</button>`}</span>`)}
          ${this.readonly ? nothing : html`<span class="add">
            <input dir="auto" aria-label="Add a byline" placeholder=${full ? `At most ${Limits.maxBylines} names` : 'Add a name'}
              data-testid="byline-input" .value=${this.newByline} ?disabled=${full} maxlength=${Limits.bylineMax + 20}
              aria-invalid=${bErr ? 'true' : 'false'} aria-describedby=${bErr ? 'bylines-error' : nothing}
              @input=${(ev: Event) => (this.newByline = (ev.target as HTMLInputElement).value)} @keydown=${this.onBylineKey} />
            <button type="button" data-testid="byline-add" ?disabled=${full || !this.newByline.trim()} @click=${this.addByline}>Add</button>
          </span>`}
        </div>
        ${this.renderError('bylines', bErr)}
      </div>`;
  }

  private renderError(field: Field, err: FieldError | undefined) {
    if (!err) return this.saving[field] ? html`<p class="hint" role="status">Saving…</p>` : nothing;
    return html`<div class="error" id=${`${field}-error`} role="alert" data-testid=${`${field}-error`}>${err.message}
      <button type="button" @click=${() => this.save(field)}>Try again</button>
      ${err.details ? html`<details><summary>Details</summary>${err.details}</details>` : nothing}</div>`;
  }

  private onHeadlineInput = (ev: Event) => {
    this.headline = (ev.target as HTMLInputElement).value;
    this.markDirty({ headline: this.headline });
    clearTimeout(this.headlineTimer);
    this.headlineTimer = setTimeout(() => this.flushHeadline(), HEADLINE_SAVE_MS);
  };

  private onHeadlineKey = (ev: KeyboardEvent) => {
    if (ev.key === 'Enter') {
      ev.preventDefault();
      this.flushHeadline();
    }
  };

  private flushHeadline = () => {
    clearTimeout(this.headlineTimer);
    this.headlineTimer = undefined;
    if (this.dirty.headline !== undefined) void this.save('headline');
  };

  private onBylineKey = (ev: KeyboardEvent) => {
    if (ev.key === 'Enter') {
      ev.preventDefault();
      this.addByline();
    }
  };

  private addByline = () => {
    const name = this.newByline.trim().replace(/\s+/g, ' ');
    if (!name) return;
    if (name.length > Limits.bylineMax) {
      this.errors = { ...this.errors, bylines: { message: `A byline can have at most ${Limits.bylineMax} characters (this one has ${name.length}).` } };
      return;
    }
    if (this.bylines.length >= Limits.maxBylines) return;
    if (this.bylines.some((b) => b.toLocaleLowerCase() === name.toLocaleLowerCase())) {
      this.newByline = '';
      return;
    }
    this.bylines = [...this.bylines, name];
    this.newByline = '';
    this.markDirty({ bylines: this.bylines });
    void this.save('bylines');
  };

  private removeByline(i: number) {
    this.bylines = this.bylines.filter((_, j) => j !== i);
    this.markDirty({ bylines: this.bylines });
    void this.save('bylines');
    // Focus stays in the group: the add field (or the next chip) takes it.
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('[data-testid=byline-input]')?.focus());
  }

  private markDirty(d: MetaDraft) {
    this.dirty = { ...this.dirty, ...d };
    if (this.entry) writeDraft(this.entry.id, this.dirty);
  }

  private async save(field: Field) {
    const e = this.entry;
    if (!e || !this.api || this.readonly) return;
    const value = field === 'headline' ? this.headline : [...this.bylines];
    if (field === 'headline' && (value as string).trim().length > Limits.headlineMax) {
      const n = (value as string).trim().length;
      this.errors = { ...this.errors, headline: { message: `The headline can have at most ${Limits.headlineMax} characters (it has ${n}). It stays here until you shorten it.` } };
      return;
    }
    this.saving = { ...this.saving, [field]: true };
    try {
      const body = field === 'headline' ? { headline: (value as string).trim() || null } : { bylines: value as string[] };
      const updated = await this.api.updateEntry(e.id, body);
      // Only forget the local copy if the user didn't change it again meanwhile.
      const current = field === 'headline' ? this.headline : this.bylines;
      if (JSON.stringify(current) === JSON.stringify(value)) {
        const { [field]: _done, ...rest } = this.dirty;
        this.dirty = rest;
        writeDraft(e.id, this.dirty);
      }
      const { [field]: _cleared, ...errs } = this.errors;
      this.errors = errs;
      this.dispatchEvent(new CustomEvent('entry-meta-saved', { detail: updated, bubbles: true, composed: true }));
    } catch (err) {
      this.errors = { ...this.errors, [field]: metaErrorText(field, err) };
    } finally {
      this.saving = { ...this.saving, [field]: false };
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ld-entry-meta': LdEntryMeta;
  }
}
