import { describe, expect, it } from 'vitest';
import { firstUnsafeChar, isSafeText, safeText } from '../../shared/text.js';
import { AR, KK, MIXED, RU } from '../support/fixtures.js';

describe('safeText', () => {
  it('[BI10] NUL and unpaired surrogates are refused, with where', () => {
    expect(firstUnsafeChar('ab\u0000')).toEqual({ index: 2, problem: 'nul' });
    expect(firstUnsafeChar('a\ud800')).toEqual({ index: 1, problem: 'lone-surrogate' }); // high at the end
    expect(firstUnsafeChar('\ud800x')).toEqual({ index: 0, problem: 'lone-surrogate' }); // high, then no low
    expect(firstUnsafeChar('x\udc00')).toEqual({ index: 1, problem: 'lone-surrogate' }); // low first
    expect(firstUnsafeChar('\udc00\ud800')).toEqual({ index: 0, problem: 'lone-surrogate' }); // reversed pair
    expect(firstUnsafeChar('😀\ud83d')).toEqual({ index: 2, problem: 'lone-surrogate' });
    const result = safeText().safeParse('a\u0000');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toMatch(/NUL/);
    expect(safeText().safeParse('\udfff').error?.issues[0].message).toMatch(/surrogate/);
  });

  it('[BI12] multilingual text and proper surrogate pairs pass untouched', () => {
    for (const s of [RU, KK, AR, MIXED, '👩🏽‍💻', '𝔘𝔫𝔦', '\ufffd', '', 'tab\tand\nnewline']) {
      expect(isSafeText(s), s).toBe(true);
      expect(safeText().parse(s)).toBe(s);
    }
  });

  it('[BI10] checks chain like z.string() (trim, min, max)', () => {
    const title = safeText().trim().min(1).max(5);
    expect(title.parse('  ab  ')).toBe('ab');
    expect(title.safeParse('   ').success).toBe(false);
    expect(title.safeParse('abcdef').success).toBe(false);
    expect(title.safeParse(' \u0000 ').success).toBe(false);
  });
});
