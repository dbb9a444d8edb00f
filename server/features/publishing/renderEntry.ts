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
export function renderEntry(state: Y.Doc | Uint8Array): RenderedEntry {
  const node = readEntryNode(state);
  const doc = node.toJSON() as EntryDocJson;
  return { doc, html: sanitizeEntryHtml(toHtml(node)), text: docToPlainText(doc) };
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
const serializer = new DOMSerializer({ ...schemaSerializer.nodes, embed: embedCard }, schemaSerializer.marks);

function toHtml(node: PmNode): string {
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
export function contentHash(rendered: Pick<RenderedEntry, 'doc'>, headline: string, bylines: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify(canonical([rendered.doc, headline, bylines])), 'utf8').digest('base64url');
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  return Object.fromEntries(Object.keys(obj).sort().filter((k) => obj[k] !== undefined).map((k) => [k, canonical(obj[k])]));
}
