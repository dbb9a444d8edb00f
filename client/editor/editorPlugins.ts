import { Plugin, type Command } from 'prosemirror-state';
import { Decoration, DecorationSet } from 'prosemirror-view';
import { keymap } from 'prosemirror-keymap';
import { baseKeymap, toggleMark, setBlockType, wrapIn, chainCommands, exitCode } from 'prosemirror-commands';
import { splitListItem, liftListItem, sinkListItem, wrapInList } from 'prosemirror-schema-list';
import { inputRules, wrappingInputRule, textblockTypeInputRule, smartQuotes, ellipsis, emDash } from 'prosemirror-inputrules';
import { undo, redo, ySyncPluginKey } from 'y-prosemirror';
import { entrySchema as s } from '../../shared/editor/schema.js';
import { parseEmbedUrl } from '../../shared/editor/embeds.js';
import { isSafeHref } from '../../shared/editor/safeHref.js';

export interface EditorHooks {
  onEscape(): void;
  onSave(): void;
  onSubmit(): void;
}

const hardBreak: Command = chainCommands(exitCode, (state, dispatch) => {
  dispatch?.(state.tr.replaceSelectionWith(s.nodes.hard_break.create()).scrollIntoView());
  return true;
});

/** Keys: Mod-z/y undo only our own changes (yUndoPlugin), marks, lists, Esc back to the card. */
export function editorKeymaps(hooks: EditorHooks): Plugin[] {
  return [
    keymap({
      'Mod-z': undo,
      'Mod-y': redo,
      'Mod-Shift-z': redo,
      'Mod-b': toggleMark(s.marks.bold),
      'Mod-i': toggleMark(s.marks.italic),
      'Mod-u': toggleMark(s.marks.underline),
      'Mod-Shift-x': toggleMark(s.marks.strike),
      'Mod-Shift-7': wrapInList(s.nodes.ordered_list),
      'Mod-Shift-8': wrapInList(s.nodes.bullet_list),
      'Ctrl->': wrapIn(s.nodes.blockquote),
      'Mod-Alt-0': setBlockType(s.nodes.paragraph),
      'Mod-Alt-1': setBlockType(s.nodes.heading, { level: 1 }),
      'Mod-Alt-2': setBlockType(s.nodes.heading, { level: 2 }),
      'Mod-Alt-3': setBlockType(s.nodes.heading, { level: 3 }),
      'Shift-Enter': hardBreak,
      Enter: splitListItem(s.nodes.list_item),
      Tab: sinkListItem(s.nodes.list_item),
      'Shift-Tab': liftListItem(s.nodes.list_item),
      'Mod-s': () => (hooks.onSave(), true),
      'Mod-Enter': () => (hooks.onSubmit(), true),
      Escape: () => (hooks.onEscape(), true),
    }),
    keymap(baseKeymap),
  ];
}

export function editorInputRules(): Plugin {
  return inputRules({
    rules: [
      ...smartQuotes,
      ellipsis,
      emDash,
      wrappingInputRule(/^\s*>\s$/, s.nodes.blockquote),
      wrappingInputRule(/^\s*([-+*])\s$/, s.nodes.bullet_list),
      wrappingInputRule(/^(\d+)\.\s$/, s.nodes.ordered_list, (m) => ({ order: Number(m[1]) }), (m, n) => n.childCount + n.attrs.order === Number(m[1])),
      textblockTypeInputRule(/^(#{1,3})\s$/, s.nodes.heading, (m) => ({ level: m[1]!.length })),
    ],
  });
}

/**
 * Pasting a lone video/social URL inserts an embed node (rendered by ld-embed); any other lone
 * safe URL pasted over a selection becomes a link.
 */
export function pasteEmbedsPlugin(): Plugin {
  return new Plugin({
    props: {
      handlePaste(view, event) {
        const text = event.clipboardData?.getData('text/plain')?.trim();
        if (!text || /\s/.test(text)) return false;
        const ref = parseEmbedUrl(text);
        const { state } = view;
        if (ref && isSafeHref(text)) {
          const node = s.nodes.embed.create({ provider: ref.provider, embedId: ref.id, url: text, caption: '' });
          view.dispatch(state.tr.replaceSelectionWith(node).scrollIntoView());
          return true;
        }
        if (isSafeHref(text) && !state.selection.empty) {
          view.dispatch(state.tr.addMark(state.selection.from, state.selection.to, s.marks.link.create({ href: text })));
          return true;
        }
        return false;
      },
    },
  });
}

/** Grey hint in an empty document; a decoration, so it never enters the shared text. */
export function placeholderPlugin(text: string): Plugin {
  return new Plugin({
    props: {
      decorations(state) {
        const doc = state.doc;
        if (doc.childCount !== 1 || !doc.firstChild!.isTextblock || doc.firstChild!.content.size > 0) return null;
        const hint = () => {
          const el = document.createElement('span');
          el.className = 'ld-editor-placeholder';
          el.textContent = text;
          return el;
        };
        return DecorationSet.create(doc, [Decoration.widget(1, hint, { side: 1 })]);
      },
    },
  });
}

/** How long a caret's name shows after the person arrives in the text (ux.md §1). */
export const CARET_NAME_MS = 2000;
/** A caret not rebuilt for this long has left; seeing it again is a new arrival. */
const CARET_GONE_MS = 10_000;
const carets = new Map<number, { arrived: number; seen: number }>();

/**
 * When a caret's name should go quiet, given when its person arrived. y-prosemirror rebuilds caret
 * elements on every awareness change, so the 2 s are counted from the arrival, not from the rebuild.
 */
export function caretArrival(clientId: number, now: number): number {
  const c = carets.get(clientId);
  const arrived = c && now - c.seen < CARET_GONE_MS ? c.arrived : now;
  carets.set(clientId, { arrived, seen: now });
  return arrived;
}

/** y-prosemirror caret with the name shown for 2 s on arrival, then on hover (ux.md §1). */
export function caretBuilder(user: { name?: string; color?: string }, clientId = 0): HTMLElement {
  const color = typeof user.color === 'string' && /^#[0-9a-f]{3,8}$/i.test(user.color) ? user.color : '#8a919e';
  const caret = document.createElement('span');
  caret.classList.add('ProseMirror-yjs-cursor');
  caret.style.borderColor = color;
  const label = document.createElement('div');
  label.style.backgroundColor = color;
  label.setAttribute('dir', 'auto');
  label.setAttribute('aria-hidden', 'true');
  label.textContent = user.name ?? 'Someone';
  caret.append(document.createTextNode('\u2060'), label, document.createTextNode('\u2060'));
  const now = Date.now();
  const left = caretArrival(clientId, now) + CARET_NAME_MS - now;
  if (left <= 0) caret.classList.add('ld-caret-quiet');
  else setTimeout(() => caret.classList.add('ld-caret-quiet'), left);
  return caret;
}

/**
 * Keeps remote caret names inside the editor: a label that would run past the edge (a caret at the
 * end of a line) flips to end at the caret, and one wider than the room left is held at the edge.
 * Measured in the frame after each view update or resize, before paint.
 */
export function caretLabelFitPlugin(): Plugin {
  return new Plugin({
    view(view) {
      let frame = 0;
      const schedule = () => {
        if (frame) return;
        frame = requestAnimationFrame(() => {
          frame = 0;
          if (view.dom.isConnected) fitCaretLabels(view.dom);
        });
      };
      const resize = typeof ResizeObserver === 'function' ? new ResizeObserver(schedule) : undefined;
      resize?.observe(view.dom);
      schedule();
      return {
        update: schedule,
        destroy() {
          cancelAnimationFrame(frame);
          resize?.disconnect();
        },
      };
    },
  });
}

/** Places each caret label of `root` (see caretLabelFitPlugin) within its inner edges. */
export function fitCaretLabels(root: HTMLElement): void {
  const labels = root.querySelectorAll<HTMLElement>('.ProseMirror-yjs-cursor > div');
  if (labels.length === 0) return;
  const box = root.getBoundingClientRect();
  const minX = box.left + root.clientLeft;
  const maxX = minX + root.clientWidth;
  for (const label of labels) {
    const caret = label.parentElement!;
    const origin = caret.getBoundingClientRect().left + caret.clientLeft; // where `left: 0` puts the label
    const width = label.offsetWidth;
    let start = origin - 1; // the default: the label starts at the caret's line
    const flip = start + width > maxX;
    if (flip) start = origin + 1 - width; // ends at the caret instead
    if (start < minX) start = minX;
    label.classList.toggle('ld-caret-flip', flip);
    label.style.left = `${Math.round(start - origin)}px`;
    label.style.maxWidth = `${Math.max(0, Math.floor(maxX - minX))}px`;
  }
}

/**
 * y-prosemirror 1.3.7 batches cursor/awareness metas and dispatches them on a `setTimeout(0)`
 * (lib.js `setMeta` → `updateMetas`). `updateMetas` skips views whose `binding.isDestroyed` is true,
 * but ProsemirrorBinding never defines that flag: its destroy() only nulls `prosemirrorView`.
 * So a remote caret moving just before the card closes (Esc) queued a dispatch into the destroyed
 * view: "Cannot read properties of null (reading 'matchesNode')". This plugin gives the binding the
 * flag the library already checks. Must come after ySyncPlugin (its view creates the binding).
 */
export function yBindingLifecyclePlugin(): Plugin {
  return new Plugin({
    view(view) {
      const binding = (ySyncPluginKey.getState(view.state) as { binding?: { prosemirrorView: unknown } } | undefined)?.binding;
      if (binding && !Object.prototype.hasOwnProperty.call(binding, 'isDestroyed')) {
        Object.defineProperty(binding, 'isDestroyed', { get: () => binding.prosemirrorView == null, configurable: true });
      }
      return {};
    },
  });
}
