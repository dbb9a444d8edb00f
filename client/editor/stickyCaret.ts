import { Plugin } from 'prosemirror-state';
import * as Y from 'yjs';
import { ySyncPluginKey } from 'y-prosemirror';

/**
 * Keeps a collapsed caret glued to the character on its left when remote text arrives.
 *
 * y-prosemirror remembers the selection with right association, so a caret at the end of a
 * paragraph follows the end: when two people type at the same spot, each caret jumps past the
 * other's letters and their words interleave ("DПoрsо…"). Left association keeps each person
 * typing after their own last letter, so both words stay whole.
 */
export function stickyCaretPlugin(): Plugin {
  return new Plugin({
    view(view) {
      let doc: Y.Doc | null = null;
      // Runs after the binding's own listener (registered earlier), replacing what it stored.
      const reassociate = () => {
        const binding = bindingOf(view.state);
        const selection = view.state.selection;
        if (!binding?.beforeTransactionSelection || !selection.empty || binding.beforeTransactionSelection.type !== 'text') return;
        const stored = binding.beforeTransactionSelection;
        const left = leftAssociated(stored.anchor, binding.doc);
        stored.anchor = left;
        stored.head = left;
      };
      const attach = () => {
        const binding = bindingOf(view.state);
        if (!binding || binding.doc === doc) return;
        doc?.off('beforeAllTransactions', reassociate);
        doc = binding.doc;
        doc.on('beforeAllTransactions', reassociate);
      };
      attach();
      return {
        update: attach,
        destroy: () => doc?.off('beforeAllTransactions', reassociate),
      };
    },
  });
}

interface RelativeSelection {
  type: string;
  anchor: Y.RelativePosition | null;
  head: Y.RelativePosition | null;
}
interface BindingLike {
  doc: Y.Doc;
  beforeTransactionSelection: RelativeSelection | null;
}

function bindingOf(state: Parameters<typeof ySyncPluginKey.getState>[0]): BindingLike | null {
  // y-prosemirror's plugin state is untyped JS; only these two binding fields are read.
  const pluginState = ySyncPluginKey.getState(state) as { binding?: BindingLike | null } | undefined;
  return pluginState?.binding ?? null;
}

/** The same caret, associated with the character before it (unchanged at the start of a text). */
export function leftAssociated(position: Y.RelativePosition | null, doc: Y.Doc): Y.RelativePosition | null {
  if (!position) return position;
  const absolute = Y.createAbsolutePositionFromRelativePosition(position, doc);
  if (!absolute || !(absolute.type instanceof Y.XmlText) || absolute.index === 0) return position;
  return Y.createRelativePositionFromTypeIndex(absolute.type, absolute.index, -1);
}
