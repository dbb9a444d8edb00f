import { z } from 'zod';

/**
 * Where `s` stops being storable text, or -1: a NUL (U+0000), or a UTF-16 surrogate without its
 * partner. Both survive JSON.parse (`"\u0000"`, `"\ud800"`) but not UTF-8: Buffer.from turns a lone
 * surrogate into U+FFFD, so what we would store, index and send on differs from what was sent.
 */
export function firstUnsafeChar(s: string): { index: number; problem: 'nul' | 'lone-surrogate' } | null {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) return { index: i, problem: 'nul' };
    if (c < 0xd800 || c > 0xdfff) continue;
    const next = s.charCodeAt(i + 1); // NaN past the end
    if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      i++; // a proper pair: emoji and other astral characters
      continue;
    }
    return { index: i, problem: 'lone-surrogate' };
  }
  return null;
}

export function isSafeText(s: string): boolean {
  return firstUnsafeChar(s) === null;
}

export const UNSAFE_TEXT_MESSAGE = {
  nul: 'must not contain the NUL character (U+0000)',
  'lone-surrogate': 'must be valid Unicode (it has an unpaired UTF-16 surrogate)',
} as const;

/**
 * Every free-text field a client sends: a z.string() that refuses NUL and unpaired surrogates.
 * Chain the usual checks after it: `safeText().trim().min(1).max(n)`.
 */
export function safeText() {
  return z.string().superRefine((s, ctx) => {
    const bad = firstUnsafeChar(s);
    if (bad) ctx.addIssue({ code: 'custom', message: `${UNSAFE_TEXT_MESSAGE[bad.problem]} at character ${bad.index}` });
  });
}
