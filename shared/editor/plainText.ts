import type * as Y from 'yjs';

/**
 * Plain text of an entry for previews, search and notifications. Works on ProseMirror JSON
 * (`doc.toJSON()`) or the live Y.XmlFragment 'prosemirror'. No DOM, no yjs at runtime:
 * the server imports this too.
 */
export interface PmJson {
  type: string;
  text?: string;
  attrs?: Record<string, unknown>;
  content?: PmJson[];
}

/** Blocks whose children are other blocks; their children are joined, not their text. */
const CONTAINERS = new Set(['doc', 'blockquote', 'bullet_list', 'ordered_list', 'list_item']);
const LISTS = new Set(['bullet_list', 'ordered_list']);

export function docToPlainText(input: PmJson | Y.XmlFragment | null | undefined): string {
  if (!input) return '';
  const json = isPmJson(input) ? input : xmlFragmentToJson(input);
  return blockText(json).replace(/\n{3,}/g, '\n\n').trim();
}

function blockText(node: PmJson): string {
  if (node.type === 'text') return node.text ?? '';
  if (node.type === 'hard_break') return '\n';
  const kids = node.content ?? [];
  if (CONTAINERS.has(node.type)) {
    const sep = LISTS.has(node.type) || node.type === 'list_item' ? '\n' : '\n\n';
    return kids.map(blockText).filter((t) => t !== '').join(sep);
  }
  const attrs = node.attrs ?? {};
  switch (node.type) {
    case 'photo':
      return [str(attrs.caption), str(attrs.credit) && `(${str(attrs.credit)})`].filter(Boolean).join(' ');
    case 'embed':
      return str(attrs.caption) || str(attrs.url);
    case 'quote': {
      const words = kids.map(blockText).join('');
      const who = str(attrs.attribution);
      return who ? `“${words}” (${who})` : `“${words}”`;
    }
    default:
      return kids.map(blockText).join('');
  }
}

function str(v: unknown): string {
  return typeof v === 'string' ? v.trim() : '';
}

function isPmJson(v: unknown): v is PmJson {
  return typeof v === 'object' && v !== null && typeof (v as PmJson).type === 'string' && !('toArray' in v);
}

/** Structural reading of Y.XmlElement / Y.XmlText, so this module never imports yjs at runtime. */
interface XmlNodeLike {
  nodeName?: string;
  toArray?: () => XmlNodeLike[];
  getAttributes?: () => Record<string, unknown>;
  toDelta?: () => Array<{ insert: unknown }>;
}

function xmlFragmentToJson(fragment: Y.XmlFragment): PmJson {
  return { type: 'doc', content: (fragment as unknown as XmlNodeLike).toArray!().map(xmlNodeToJson) };
}

function xmlNodeToJson(node: XmlNodeLike): PmJson {
  if (typeof node.toDelta === 'function' && node.nodeName === undefined) {
    const text = node.toDelta().map((d) => (typeof d.insert === 'string' ? d.insert : '')).join('');
    return { type: 'text', text };
  }
  return {
    type: node.nodeName ?? 'paragraph',
    attrs: node.getAttributes?.() ?? {},
    content: (node.toArray?.() ?? []).map(xmlNodeToJson),
  };
}
