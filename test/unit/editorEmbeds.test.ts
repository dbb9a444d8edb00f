import { describe, expect, it } from 'vitest';
import { parseEmbedUrl } from '../../shared/editor/embeds.js';

describe('parseEmbedUrl', () => {
  it.each([
    ['https://www.youtube.com/watch?v=dQw4w9WgXcQ', 'youtube', 'dQw4w9WgXcQ'],
    ['https://youtu.be/dQw4w9WgXcQ?t=42', 'youtube', 'dQw4w9WgXcQ'],
    ['https://m.youtube.com/shorts/dQw4w9WgXcQ', 'youtube', 'dQw4w9WgXcQ'],
    ['https://vimeo.com/76979871', 'vimeo', '76979871'],
    ['https://player.vimeo.com/video/76979871', 'vimeo', '76979871'],
    ['https://x.com/someone/status/1790000000000000000', 'x', '1790000000000000000'],
    ['https://twitter.com/someone/status/20', 'x', '20'],
    ['https://www.instagram.com/p/C1a2B3c4D5e/', 'instagram', 'C1a2B3c4D5e'],
    ['https://www.instagram.com/reel/C1a2B3c4D5e/', 'instagram', 'C1a2B3c4D5e'],
    ['https://www.facebook.com/watch/?v=123456789', 'facebook', '123456789'],
    ['https://www.facebook.com/somepage/posts/pfbid0abc', 'facebook', 'pfbid0abc'],
    ['https://www.tiktok.com/@user/video/7300000000000000000', 'tiktok', '7300000000000000000'],
    ['https://t.me/durov/142', 'telegram', 'durov/142'],
    ['https://t.me/s/durov/142', 'telegram', 'durov/142'],
  ])('%s → %s', (url, provider, id) => {
    expect(parseEmbedUrl(url)).toEqual({ provider, id });
  });

  it.each([
    'https://example.com/watch?v=dQw4w9WgXcQ',
    'https://www.youtube.com/watch?v=short',
    'https://www.youtube.com/',
    'https://evil-youtube.com/watch?v=dQw4w9WgXcQ',
    'https://youtube.com.evil.io/watch?v=dQw4w9WgXcQ',
    'javascript:alert(1)//youtube.com/watch?v=dQw4w9WgXcQ',
    'https://x.com/someone',
    'https://x.com/someone/status/abc',
    'https://t.me/durov',
    'not a url',
    '',
  ])('rejects %j', (url) => {
    expect(parseEmbedUrl(url)).toBeNull();
  });
});
