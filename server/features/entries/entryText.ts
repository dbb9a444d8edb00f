import * as Y from 'yjs';
import { docToPlainText } from '../../../shared/editor/plainText.js';
import { canonicalEmbedUrl, parseEmbedUrl } from '../../../shared/editor/embeds.js';
import { isSafeHref } from '../../../shared/editor/safeHref.js';

/** The XmlFragment y-prosemirror binds to by default. */
export const ENTRY_FRAGMENT = 'prosemirror';

/** Plain paragraphs (blank-line separated) as ProseMirror paragraph nodes. */
export function writeParagraphs(doc: Y.Doc, text: string): void {
  const fragment = doc.getXmlFragment(ENTRY_FRAGMENT);
  const paragraphs = text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const el = new Y.XmlElement('paragraph');
      el.insert(0, [new Y.XmlText(p)]);
      return el;
    });
  fragment.insert(fragment.length, paragraphs);
}

/** The server's preview of an entry: its plain text, capped. */
export function readPlainText(doc: Y.Doc, maxChars = 500): string {
  return docToPlainText(doc.getXmlFragment(ENTRY_FRAGMENT)).slice(0, maxChars);
}

export interface FiledContent {
  text?: string;
  links?: readonly string[];
  photos?: ReadonlyArray<{ mediaId: string; caption: string; credit: string }>;
}

/**
 * A filing as editor blocks: its paragraphs, then each link (a known video or social post as an
 * embed card, anything else as a linked paragraph), then each photo. Replaces whatever the
 * document held (a resubmitted filing is written again whole).
 */
export function writeFiledContent(doc: Y.Doc, content: FiledContent): void {
  doc.transact(() => {
    const fragment = doc.getXmlFragment(ENTRY_FRAGMENT);
    if (fragment.length > 0) fragment.delete(0, fragment.length);
    writeParagraphs(doc, content.text ?? '');
    const blocks: Y.XmlElement[] = [];
    for (const url of content.links ?? []) {
      const embed = parseEmbedUrl(url);
      if (embed) {
        blocks.push(element('embed', { provider: embed.provider, embedId: embed.id, url: canonicalEmbedUrl(embed), caption: '' }));
      } else if (isSafeHref(url)) {
        const p = new Y.XmlElement('paragraph');
        const t = new Y.XmlText();
        t.insert(0, url, { link: { href: url } });
        p.insert(0, [t]);
        blocks.push(p);
      }
    }
    for (const photo of content.photos ?? []) blocks.push(element('photo', { mediaId: photo.mediaId, caption: photo.caption, credit: photo.credit }));
    fragment.insert(fragment.length, blocks);
  });
}

function element(name: string, attrs: Record<string, string>): Y.XmlElement {
  const el = new Y.XmlElement(name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
}

/** Media ids a document's photo blocks name (publishing looks their renditions up). */
export function photoIdsOf(json: { type: string; attrs?: Record<string, unknown>; content?: unknown[] }): string[] {
  const out: string[] = [];
  const walk = (node: { type: string; attrs?: Record<string, unknown>; content?: unknown[] }) => {
    if (node.type === 'photo' && typeof node.attrs?.mediaId === 'string') out.push(node.attrs.mediaId);
    for (const child of node.content ?? []) walk(child as typeof node);
  };
  walk(json);
  return out;
}
