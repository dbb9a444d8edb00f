/**
 * A touch screen without hover (phones, most tablets): no keyboard to press "P" on, no tooltips.
 * Key hints ("Pin (P)", the N key cap) are left out there; `aria-keyshortcuts` still names the key.
 */
const touchQuery = typeof matchMedia === 'function' ? matchMedia('(hover: none) and (pointer: coarse)') : null;

export function isTouchScreen(): boolean {
  return touchQuery?.matches ?? false;
}

/** "Pin (P)" where there is a keyboard to press it on, plain "Pin" on a touch screen. */
export function withKeyHint(label: string, hint: string): string {
  return isTouchScreen() ? label : `${label} (${hint})`;
}
