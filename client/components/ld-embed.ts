import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { isEmbedProvider, type EmbedProvider } from '../../shared/editor/embeds.js';
import { isSafeHref } from '../../shared/editor/safeHref.js';
import { icons } from './icons.js';

const NAMES: Record<EmbedProvider, string> = {
  youtube: 'YouTube', vimeo: 'Vimeo', x: 'X', instagram: 'Instagram', facebook: 'Facebook', tiktok: 'TikTok', telegram: 'Telegram',
};

/**
 * A video or social post as our own link card (thumbnail where the provider has a stable one).
 * Never an iframe from the author: the reader page decides what, if anything, to embed.
 */
@customElement('ld-embed')
export class LdEmbed extends LitElement {
  @property() provider = '';
  @property({ attribute: 'embed-id' }) embedId = '';
  @property() url = '';
  @property() caption = '';

  static override styles = css`
    :host { display: block; margin: 0 0 var(--s2); }
    a { display: flex; gap: var(--s3); align-items: center; padding: var(--s2); border: 1px solid var(--border);
      border-radius: var(--r2); color: var(--text); text-decoration: none; background: var(--surface); max-width: 520px; }
    a:focus-visible { outline: 2px solid var(--accent); }
    .thumb { position: relative; width: 96px; height: 54px; flex: none; border-radius: var(--r1); overflow: hidden;
      background: var(--bg); display: grid; place-items: center; color: var(--text-muted); }
    .thumb img { width: 100%; height: 100%; object-fit: cover; }
    .thumb svg { position: absolute; width: 20px; height: 20px; }
    .meta { min-width: 0; }
    .provider { font-size: 12px; font-weight: 700; color: var(--text-muted); }
    .url { font-size: 14px; color: var(--accent); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; display: block; }
    .caption { font-size: 14px; }
    .invalid { color: var(--text-muted); font-size: 14px; }
  `;

  override render() {
    if (!isEmbedProvider(this.provider) || !isSafeHref(this.url)) {
      return html`<div class="invalid" dir="auto">Unsupported embed</div>`;
    }
    const thumb = this.provider === 'youtube' && /^[A-Za-z0-9_-]{11}$/.test(this.embedId)
      ? html`<img src=${`https://i.ytimg.com/vi/${this.embedId}/mqdefault.jpg`} alt="" loading="lazy" width="96" height="54" referrerpolicy="no-referrer" />`
      : nothing;
    return html`<a href=${this.url} target="_blank" rel="noopener noreferrer nofollow" contenteditable="false" data-testid="embed-card">
      <span class="thumb">${thumb}${icons.play()}</span>
      <span class="meta">
        <span class="provider">${NAMES[this.provider]}</span>
        ${this.caption ? html`<span class="caption" dir="auto">${this.caption}</span>` : nothing}
        <span class="url" dir="ltr">${this.url}</span>
      </span>
    </a>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ld-embed': LdEmbed;
  }
}
