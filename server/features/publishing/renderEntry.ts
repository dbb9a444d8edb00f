import { createHash } from 'node:crypto';
import { parseHTML } from 'linkedom';
import { DOMSerializer, type DOMOutputSpec, type Node as PmNode } from 'prosemirror-model';
import { yXmlFragmentToProseMirrorRootNode } from 'y-prosemirror';
import * as Y from 'yjs';
import { isEmbedProvider } from '../../../shared/editor/embeds.js';
import { docToPlainText } from '../../../shared/editor/plainText.js';
import { isSafeHref } from '../../../shared/editor/safeHref.js';
import { entrySchema } from '../../../shared/editor/schema.js';
import { ENTRY_FRAGMENT } from '../entries/entryText.js';
import { LINK_REL, sanitizeEntryHtml } from './sanitizePolicy.js';

/** ProseMirror JSON (`node.toJSON()`) of an entry. */
export interface EntryDocJson {
  type: string;
  text?: string;
  attrs?: Record<string, unknown>;
  marks?: Array<{ type: string; attrs?: Record<string, unknown> }>;
  content?: EntryDocJson[];
}

export interface RenderedEntry {
  doc: EntryDocJson;
  /** Sanitized HTML (sanitizePolicy.ts). */
  html: string;
  /** Plain text: blocks joined by a blank line, list items by a line break. */
  text: string;
}

/**
 * An entry's Yjs state as readers get it: the editor's fragment read through the one entry schema,
 * serialized by that schema's own toDOM, then sanitized. Works on a private copy: y-prosemirror
 * deletes what the schema refuses (an unknown node or mark, an unsafe link) from the doc it reads,
 * so the published text is what the editors see, and the live document is never touched.
 */
/** A stored photo's reader renditions (MediaService's view): what a photo block renders from. */
export interface PhotoSources {
  width: number;
  height: number;
  renditions: ReadonlyArray<{ width: number; type: string; url: string }>;
}

/**
 * `photos`: the renditions of the photos the entry names, by media id. A photo found there is a
 * `<picture>` with WebP and JPEG `srcset`, its size and the caption as alt text; one that is not
 * (not looked up, or gone) keeps only its caption: readers never get the newsroom's own copy.
 */
export function renderEntry(state: Y.Doc | Uint8Array, opts: { photos?: ReadonlyMap<string, PhotoSources> } = {}): RenderedEntry {
  return readEntry(state).render(opts);
}

/**
 * An entry read once: its ProseMirror JSON now (to find the photos it names), its HTML once their
 * renditions are known. Pass the stored bytes rather than a decoded doc: bytes are decoded once,
 * a doc is copied first (see above).
 */
export function readEntry(state: Y.Doc | Uint8Array): { doc: EntryDocJson; render(opts?: { photos?: ReadonlyMap<string, PhotoSources> }): RenderedEntry } {
  const node = readEntryNode(state);
  const doc = node.toJSON() as EntryDocJson;
  return {
    doc,
    render: (opts = {}) => ({ doc, html: sanitizeEntryHtml(toHtml(node, opts.photos ? withPhotos(opts.photos) : deskSerializer)), text: docToPlainText(doc) }),
  };
}

/** Only the ProseMirror JSON (no HTML): what the revision fingerprint needs, on every recorded edit. */
export function readEntryJson(state: Y.Doc | Uint8Array): Pick<RenderedEntry, 'doc'> {
  return { doc: readEntryNode(state).toJSON() as EntryDocJson };
}

function readEntryNode(state: Y.Doc | Uint8Array): PmNode {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, state instanceof Uint8Array ? state : Y.encodeStateAsUpdate(state));
  const fragment = copy.getXmlFragment(ENTRY_FRAGMENT);
  // No editor writes text at the top; y-prosemirror would throw on it rather than skip it.
  for (let i = fragment.length - 1; i >= 0; i--) if (!(fragment.get(i) instanceof Y.XmlElement)) fragment.delete(i, 1);
  const node = yXmlFragmentToProseMirrorRootNode(fragment, entrySchema);
  copy.destroy();
  return node;
}

const { document } = parseHTML('<!doctype html><html><body></body></html>');
const schemaSerializer = DOMSerializer.fromSchema(entrySchema);
/** The schema's toDOM for everything but embeds: ld-embed is a desk component, readers get a link. */
const deskSerializer = new DOMSerializer({ ...schemaSerializer.nodes, embed: embedCard }, schemaSerializer.marks);

function withPhotos(photos: ReadonlyMap<string, PhotoSources>): DOMSerializer {
  return new DOMSerializer({ ...schemaSerializer.nodes, embed: embedCard, photo: (node) => photoCard(node, photos.get(String(node.attrs.mediaId))) }, schemaSerializer.marks);
}

/** Most readers' photos are at most ~600 CSS px wide: phones take the whole width. */
const PHOTO_SIZES = '(max-width: 640px) 100vw, 640px';

function photoCard(node: PmNode, sources: PhotoSources | undefined): DOMOutputSpec {
  const { caption, credit } = node.attrs as Record<string, string>;
  const text = caption + (credit ? ` (${credit})` : '');
  const figcaption: DOMOutputSpec[] = text ? [['figcaption', { dir: 'auto' }, text]] : [];
  const set = (type: string) => (sources?.renditions ?? []).filter((r) => r.type === type).sort((a, b) => a.width - b.width);
  const jpeg = set('image/jpeg');
  const webp = set('image/webp');
  if (!sources || jpeg.length === 0) return ['figure', { dir: 'auto', class: 'ld-photo' }, ...figcaption];
  const srcset = (list: typeof jpeg) => list.map((r) => `${r.url} ${r.width}w`).join(', ');
  const fallback = jpeg.find((r) => r.width >= 960) ?? jpeg.at(-1)!;
  return ['figure', { dir: 'auto', class: 'ld-photo' },
    ['picture', {},
      ...(webp.length ? [['source', { type: 'image/webp', srcset: srcset(webp), sizes: PHOTO_SIZES }] as DOMOutputSpec] : []),
      ['img', { src: fallback.url, srcset: srcset(jpeg), sizes: PHOTO_SIZES, width: String(sources.width), height: String(sources.height), alt: caption, loading: 'lazy', decoding: 'async' }]],
    ...figcaption];
}

function toHtml(node: PmNode, serializer: DOMSerializer): string {
  const host = document.createElement('div');
  host.appendChild(serializer.serializeFragment(node.content, { document }));
  return host.innerHTML;
}

/** The embed as the desk card shows it, without script: a figure with the link and its caption. */
function embedCard(node: PmNode): DOMOutputSpec {
  const { provider, embedId, url, caption } = node.attrs as Record<string, string>;
  const parts: DOMOutputSpec[] = [];
  if (isEmbedProvider(provider) && isSafeHref(url)) {
    parts.push(['a', { href: url.trim(), rel: LINK_REL, target: '_blank' }, url.trim()]);
  }
  if (caption) parts.push(['figcaption', { dir: 'auto' }, caption]);
  return ['figure', { dir: 'auto', class: 'ld-embed', 'data-provider': provider, 'data-embed-id': embedId }, ...parts];
}

/**
 * The revision fingerprint: sha256 (base64url) of the canonical JSON (keys sorted) of
 * [doc, headline, bylines]. Equal content, equal hash, whatever the key order it was stored in.
 */
export function contentHash(rendered: Pick<RenderedEntry, 'doc'>, headline: string, bylines: readonly string[], place = ''): string {
  // An entry without a place label hashes as it did before place labels existed.
  const parts = place ? [rendered.doc, headline, bylines, place] : [rendered.doc, headline, bylines];
  return createHash('sha256').update(JSON.stringify(canonical(parts)), 'utf8').digest('base64url');
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  return Object.fromEntries(Object.keys(obj).sort().filter((k) => obj[k] !== undefined).map((k) => [k, canonical(obj[k])]));
}
