/**
 * The root types each kind of collab document may hold, by name. The server refuses an update
 * that creates any other root (docs/protocol.md "Document schemas"); clients use the same names.
 */
export const ENTRY_FRAGMENT = 'prosemirror';
export const DESK_ENTRIES = 'entries';

/** 'fragment': a Y.XmlFragment of XmlElement / XmlText children; 'map': a Y.Map of Y.Map values. */
export type RootKind = 'fragment' | 'map';

export const DOC_ROOTS = {
  entry: { [ENTRY_FRAGMENT]: 'fragment' },
  file: { [DESK_ENTRIES]: 'map' },
} as const satisfies Record<'entry' | 'file', Record<string, RootKind>>;
