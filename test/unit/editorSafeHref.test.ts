import { describe, expect, it } from 'vitest';
import { isSafeHref } from '../../shared/editor/schema.js';

describe('isSafeHref', () => {
  it.each(['https://example.com', 'http://example.com/a?b=c#d', 'mailto:desk@example.com', ' https://ex.kz/путь '])(
    'accepts %s',
    (href) => expect(isSafeHref(href)).toBe(true),
  );
  it.each([
    'javascript:alert(1)',
    'JAVASCRIPT:alert(1)',
    'java\tscript:alert(1)',
    ' javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    'ftp://example.com',
    '//example.com',
    '/relative/path',
    'example.com',
    '',
    'https://',
    'mailto:',
  ])('rejects %j', (href) => expect(isSafeHref(href)).toBe(false));
  it('rejects non-strings', () => {
    expect(isSafeHref(undefined)).toBe(false);
    expect(isSafeHref(42)).toBe(false);
  });
});
