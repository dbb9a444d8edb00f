import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { controlStyles } from '../components/shared-styles.js';
import { filingStyles } from './filingStyles.js';
import { fi } from './filingIcons.js';
import type { FilingSession } from './filingSession.js';
import type { Intent, PhotoRef } from './outbox/model.js';

/**
 * The compose form: place, what happened, photos, headline, links, byline; Save draft and Submit
 * at the bottom, within thumb reach. Every keystroke goes to the session, which keeps it on the
 * device; filing puts it in the outbox and empties the form at once (no spinner, no wait).
 */
@customElement('ld-compose')
export class LdCompose extends LitElement {
  @property({ attribute: false }) session!: FilingSession;
  /** Bumped by the app on every session change (the session object itself stays the same). */
  @property({ type: Number }) revision = 0;
  @state() private errors: Record<string, string> = {};
  @state() private status = '';
  @state() private busy: Intent | null = null;

  static override styles = [
    controlStyles,
    filingStyles,
    css`
      :host { display: block; }
      form { display: grid; gap: var(--s5); padding: var(--s4) var(--s4) var(--s4); }
      .field { display: grid; gap: var(--s1); min-width: 0; }
      fieldset { border: 0; margin: 0; padding: 0; min-width: 0; display: grid; gap: var(--s2); }
      legend { padding: 0; margin-bottom: var(--s2); }
      textarea#text { min-height: 9.5em; field-sizing: content; max-height: 60vh; }
      .chips { display: flex; flex-wrap: wrap; gap: var(--s2); margin-top: var(--s1); }
      .chips button { font-size: 15px; border-radius: 22px; padding: 0 var(--s4); background: var(--surface); max-width: 100%; overflow: hidden; text-overflow: ellipsis; }
      .photo { display: grid; grid-template-columns: 88px 1fr; gap: var(--s2) var(--s3); align-items: start; padding: var(--s3);
        border: 1px solid var(--border); border-radius: var(--r2); background: var(--surface); }
      .photo img, .photo .ph { width: 88px; height: 88px; object-fit: cover; border-radius: var(--r1); background: var(--bg); display: block; }
      .photo .ph { display: grid; place-items: center; font-size: 12px; color: var(--text-muted); text-align: center; padding: var(--s1); }
      .photo .meta { display: grid; gap: var(--s2); min-width: 0; }
      .photo .meta label { font-size: 14px; font-weight: 600; display: grid; gap: 2px; }
      .photo .remove { grid-column: 1 / -1; justify-self: start; }
      .add { display: grid; grid-template-columns: 1fr 1fr; gap: var(--s2); }
      .add .btn { position: relative; gap: var(--s2); min-height: 48px; background: var(--bg); }
      .add .btn:focus-within { outline: 2px solid var(--accent); outline-offset: 2px; }
      .add input { position: absolute; inset: 0; opacity: 0; width: 100%; height: 100%; cursor: pointer; min-height: 0; }
      .link-row { display: grid; grid-template-columns: 1fr auto; gap: var(--s2); }
      .add-link { justify-self: start; gap: var(--s2); }
      .switch { display: grid; grid-template-columns: 1fr auto; align-items: center; gap: var(--s3); padding: var(--s3);
        border: 1px solid var(--border); border-radius: var(--r2); }
      .switch .what { display: grid; gap: 2px; }
      .switch .what span { font-size: 14px; color: var(--text-muted); }
      button[role='switch'] { width: 60px; min-width: 60px; padding: 0; border-radius: 22px; position: relative; background: var(--surface); }
      button[role='switch']::after { content: ''; position: absolute; inset-block: 6px; inset-inline-start: 6px; width: 30px; border-radius: 50%;
        background: var(--text-muted); }
      button[role='switch'][aria-checked='true'] { background: var(--accent); border-color: var(--accent); }
      button[role='switch'][aria-checked='true']::after { inset-inline-start: 22px; background: var(--bg); }
      button[role='switch'][disabled] { opacity: 0.5; }
      .editing { display: grid; gap: var(--s2); padding: var(--s3); border-radius: var(--r2); background: var(--badge-rejected-bg); color: var(--text); border: 1px solid var(--border); }
      .editing.draft { background: var(--surface); }
      .editing p { margin: 0; }
      .editing .note { font-style: italic; }
      .editing button { justify-self: start; }
      .status { margin: 0; padding: var(--s3); border-radius: var(--r2); background: var(--badge-scheduled-bg); color: var(--badge-scheduled); font-weight: 600; }
      .actions { position: sticky; bottom: calc(var(--tabs-height, 64px) + env(safe-area-inset-bottom)); z-index: 2; display: grid;
        grid-template-columns: minmax(0, 1fr) minmax(0, 1.5fr); gap: var(--s2); padding: var(--s2) var(--s4) var(--s2);
        background: var(--bg); border-top: 1px solid var(--border); margin: 0 calc(-1 * var(--s4)); }
      .actions button { min-height: 52px; font-size: 17px; gap: var(--s2); padding: 0 var(--s2); }
      @media (max-width: 359px) { .actions .icon { display: none; } }
      .actions .error { grid-column: 1 / -1; margin: 0; }
      @media (min-width: 700px) { form { padding-inline: 0; } .actions { margin: 0; border-radius: var(--r2); border: 1px solid var(--border); } }
    `,
  ];

  private get c() {
    return this.session.compose;
  }

  protected override willUpdate() {
    // "Filed at 14:12" stays until the next update is begun.
    if (this.status && this.c && this.c.updatedAt > this.filedAt) this.status = '';
  }

  private filedAt = '';

  override render() {
    const c = this.c;
    if (!c) return html`<p class="hint" role="status" style="padding: 16px">Opening…</p>`;
    const s = this.session;
    const content = c.content;
    const editingEntry = !!c.editing?.entryId;
    const entry = editingEntry ? s.server.find((x) => x.entry.id === c.editing!.entryId)?.entry : undefined;
    return html`<form novalidate @submit=${(e: Event) => e.preventDefault()} aria-label="New update">
      ${this.status ? html`<p class="status" role="status" data-testid="compose-status">${this.status}</p>` : nothing}
      ${c.editing ? html`<div class="editing ${c.editing.status === 'rejected' ? '' : 'draft'}" data-testid="compose-editing">
        <p><strong>${c.editing.status === 'rejected' ? 'Editing your rejected filing' : editingEntry ? 'Editing your draft on the desk' : 'Editing a filing not sent yet'}</strong>
          ${c.editing.liveFile ? html` in <bdi>${c.editing.liveFile.title}</bdi>` : nothing}.</p>
        ${entry?.note ? html`<p class="note" dir="auto">“${entry.note}”${entry.lastAction?.action === 'reject' ? html` — <bdi>${entry.lastAction.actorName}</bdi>` : nothing}</p>` : nothing}
        <button type="button" @click=${this.stopEditing} data-testid="stop-editing">${c.editing.itemId ? 'Put it back unchanged' : 'Stop editing'}</button>
      </div>` : nothing}

      <div class="field">
        <label for="place">Place</label>
        <input id="place" name="place" dir="auto" autocomplete="off" enterkeyhint="next" maxlength="120" placeholder="e.g. Medeu district, Almaty"
          .value=${content.place} @input=${(e: Event) => s.updateCompose({ place: (e.target as HTMLInputElement).value })}
          aria-describedby="place-hint" data-testid="compose-place" />
        <p class="hint" id="place-hint">Typed by you. The phone's location is never read.</p>
        ${s.places.length ? html`<div class="chips" role="group" aria-label="Recent places">
          ${s.places.filter((p) => p !== content.place).slice(0, 4).map((p) => html`<button type="button" dir="auto" data-testid="place-chip"
            @click=${() => s.updateCompose({ place: p })}>${p}</button>`)}
        </div>` : nothing}
      </div>

      <div class="field">
        <label for="text">What happened?</label>
        <textarea id="text" name="text" dir="auto" rows="6" enterkeyhint="enter" autocapitalize="sentences" spellcheck="true"
          .value=${content.text} @input=${(e: Event) => s.updateCompose({ text: (e.target as HTMLTextAreaElement).value })}
          aria-describedby="text-hint ${this.errors.text ? 'text-error' : ''}" aria-invalid=${this.errors.text ? 'true' : 'false'} data-testid="compose-text"></textarea>
        <p class="hint" id="text-hint">Each line is a paragraph. Saved on this phone as you type.</p>
        ${this.errors.text ? html`<p class="error" id="text-error" data-testid="compose-error">${this.errors.text}</p>` : nothing}
      </div>

      <fieldset class="photos">
        <legend>Photos</legend>
        ${content.photos.map((ref, i) => this.photoCard(ref, i))}
        ${s.photoError ? html`<p class="error" role="alert">${s.photoError}</p>` : nothing}
        <div class="add">
          <span class="btn">${fi.camera()} Camera
            <input type="file" accept="image/*" capture="environment" @change=${this.onFiles} aria-label="Take a photo with the camera" data-testid="photo-camera" /></span>
          <span class="btn">${fi.gallery()} Gallery
            <input type="file" accept="image/*" multiple @change=${this.onFiles} aria-label="Add photos from the gallery" data-testid="photo-gallery" /></span>
        </div>
        <p class="hint">Made smaller on this phone before sending; location data is removed.</p>
      </fieldset>

      <div class="field">
        <label for="headline">Headline <span class="hint">(optional)</span></label>
        <input id="headline" name="headline" dir="auto" autocomplete="off" maxlength="300" enterkeyhint="next"
          .value=${content.headline} @input=${(e: Event) => s.updateCompose({ headline: (e.target as HTMLInputElement).value })} data-testid="compose-headline" />
      </div>

      <fieldset class="links">
        <legend>Video and social links</legend>
        ${(content.links.length ? content.links : ['']).map((link, i) => html`<div class="link-row">
          <input type="url" inputmode="url" autocomplete="off" autocapitalize="off" spellcheck="false" placeholder="https://"
            aria-label=${`Link ${i + 1}`} .value=${link} aria-invalid=${this.errors.links && link && !/^https?:\/\//i.test(link.trim()) ? 'true' : 'false'}
            @input=${(e: Event) => this.setLink(i, (e.target as HTMLInputElement).value)} data-testid="compose-link" />
          ${content.links.length > 1 || link ? html`<button type="button" class="ghost" aria-label=${`Remove link ${i + 1}`} @click=${() => this.removeLink(i)}>${fi.close()}</button>` : nothing}
        </div>`)}
        ${this.errors.links ? html`<p class="error" data-testid="compose-error">${this.errors.links}</p>` : nothing}
        ${content.links.length < 10 && content.links.some((l) => l.trim()) ? html`<button type="button" class="add-link" @click=${this.addLink} data-testid="add-link">${fi.plus()} Another link</button>` : nothing}
      </fieldset>

      <div class="switch">
        <span class="what" id="byline-label"><strong>Byline: the desk</strong>
          <span id="byline-hint">${editingEntry ? 'The byline of a filed entry stays as it was.' : content.bylineAsDesk ? 'Readers see the desk’s name, not yours. The desk still knows it was you.' : `Off: readers see ${s.account?.displayName ?? 'your name'}.`}</span></span>
        <button type="button" role="switch" aria-checked=${String(content.bylineAsDesk)} aria-labelledby="byline-label" aria-describedby="byline-hint"
          ?disabled=${editingEntry} @click=${() => s.updateCompose({ bylineAsDesk: !content.bylineAsDesk })} data-testid="byline-desk"></button>
      </div>

      <div class="actions">
        ${this.errors.file || this.errors.form ? html`<p class="error" role="alert" data-testid="compose-error">${this.errors.file ?? this.errors.form}</p>` : nothing}
        <button type="button" @click=${() => this.file('draft')} ?disabled=${this.busy !== null} data-testid="save-draft">${fi.save()} Save draft</button>
        <button type="button" class="primary" @click=${() => this.file('submit')} ?disabled=${this.busy !== null} data-testid="submit-filing">${fi.send()} ${editingEntry && c.editing?.status === 'rejected' ? 'Resubmit' : 'Submit'}</button>
      </div>
    </form>`;
  }

  private photoCard(ref: PhotoRef, i: number) {
    const s = this.session;
    const url = s.thumbOf(ref.photoId);
    const preparing = s.preparing.has(ref.photoId);
    const n = i + 1;
    const update = (patch: Partial<PhotoRef>) => s.updateCompose({ photos: s.compose!.content.photos.map((p) => (p.photoId === ref.photoId ? { ...p, ...patch } : p)) });
    return html`<div class="photo" data-testid="compose-photo" data-photo-id=${ref.photoId} data-ready=${String(!preparing)}>
      ${url ? html`<img src=${url} alt=${`Photo ${n}${ref.caption ? `: ${ref.caption}` : ''}`} width="88" height="88" />` : html`<span class="ph">Photo ${n}</span>`}
      <div class="meta">
        <label>Caption <input dir="auto" .value=${ref.caption} maxlength="1000" placeholder="What it shows" @input=${(e: Event) => update({ caption: (e.target as HTMLInputElement).value })} data-testid="photo-caption" /></label>
        <label>Credit <input dir="auto" .value=${ref.credit} maxlength="120" @input=${(e: Event) => update({ credit: (e.target as HTMLInputElement).value })} data-testid="photo-credit" /></label>
        ${preparing ? html`<span class="hint" role="status">Preparing photo…</span>` : nothing}
      </div>
      <button type="button" class="remove" @click=${() => void s.removePhoto(ref.photoId)} aria-label=${`Remove photo ${n}`} data-testid="photo-remove">${fi.trash()} Remove</button>
    </div>`;
  }

  private onFiles = (e: Event) => {
    const input = e.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = '';
    if (files.length) this.session.addPhotos(files);
  };

  private setLink(i: number, value: string) {
    const links = [...(this.c!.content.links.length ? this.c!.content.links : [''])];
    links[i] = value;
    this.session.updateCompose({ links });
  }

  private removeLink(i: number) {
    const links = this.c!.content.links.filter((_, j) => j !== i);
    this.session.updateCompose({ links });
  }

  private addLink = () => {
    this.session.updateCompose({ links: [...this.c!.content.links, ''] });
    void this.updateComplete.then(() => {
      const inputs = this.renderRoot.querySelectorAll<HTMLInputElement>('[data-testid="compose-link"]');
      inputs[inputs.length - 1]?.focus();
    });
  };

  private stopEditing = async () => {
    await this.session.stopEditing();
    this.errors = {};
  };

  private async file(intent: Intent) {
    if (this.busy) return;
    this.busy = intent;
    this.status = '';
    try {
      const result = await this.session.file(intent);
      if (!result.ok) {
        this.errors = result.errors ?? {};
        await this.updateComplete;
        const first = this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]');
        first?.focus();
        return;
      }
      this.errors = {};
      this.filedAt = new Date().toISOString();
      const at = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date());
      this.status = intent === 'draft' ? `Draft saved at ${at}. It goes to the desk as a draft, not for approval.` : `Filed at ${at}. It is in the outbox and sends on its own.`;
      scrollTo({ top: 0 });
    } finally {
      this.busy = null;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ld-compose': LdCompose;
  }
}
