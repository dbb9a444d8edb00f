import type { LdEntryCard } from '../components/ld-entry-card.js';

/** True when the key event comes from a place where letters are text (editor, input, select). */
export function isTypingTarget(path: EventTarget[]): boolean {
  for (const t of path) {
    if (!(t instanceof HTMLElement)) continue;
    if (t.isContentEditable || t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT') return true;
    if (t.tagName === 'LD-ENTRY-CARD') return false;
  }
  return false;
}

export function cardFromEvent(path: EventTarget[]): LdEntryCard | null {
  for (const t of path) if (t instanceof HTMLElement && t.tagName === 'LD-ENTRY-CARD') return t as LdEntryCard;
  return null;
}
