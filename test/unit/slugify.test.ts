import { describe, expect, it } from 'vitest';
import { slugify } from '../../server/features/liveFiles/slugify.js';

describe('slugify', () => {
  it('[LF7] keeps letters of any script', () => {
    expect(slugify('Almaty floods: live')).toBe('almaty-floods-live');
    expect(slugify('Выборы 2026')).toBe('выборы-2026');
    expect(slugify('Алматыда су тасқыны')).toBe('алматыда-су-тасқыны');
  });
  it('[LF8] never empty', () => {
    expect(slugify('!!!')).toBe('live');
  });
});
