import { describe, expect, it } from 'vitest';
import { escapeHtml, html, toString, trusted } from '../../shared/reader/html.js';
import { entryArticle } from '../../shared/reader/readerMarkup.js';
import { compareReaderOrder, detectLang, entryLabel, firstWords, newUpdatesText, relativeTime, timeText, zonedTime, type ReaderEntry } from '../../shared/reader/readerText.js';

const entry = (over: Partial<ReaderEntry> = {}): ReaderEntry => ({
  id: 'entry00001', seq: 3, revision: 1, html: '<p dir="auto">Hi</p>', text: 'Hi', headline: '', bylines: [],
  publishedAt: '2026-12-01T09:05:00.000Z', updatedAt: '2026-12-01T09:05:00.000Z', pinned: false, keyEvent: false, position: 'a0',
  corrected: false, retracted: null, ...over,
});

describe('reader page text and templates', () => {
  it('[RP8] the template escapes every value but sanitized entry HTML; languages by script; times in the file\'s zone, relative under an hour', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    const evil = '"><script>alert(1)</script>';
    expect(toString(html`<p title="${evil}">${evil}</p>`)).toBe('<p title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</p>');
    expect(toString(html`<ul>${['a<', 'b'].map((x) => html`<li>${x}</li>`)}</ul>${null}${false}${undefined}`)).toBe('<ul><li>a&lt;</li><li>b</li></ul>');
    expect(toString(html`${trusted('<b>ok</b>')}`)).toBe('<b>ok</b>');
    const article = toString(entryArticle(entry({ headline: '<img src=x onerror=alert(1)>', bylines: ['A <b>', 'B'], place: '"Almaty"' }), { slug: 'x', timezone: 'Asia/Almaty', now: new Date('2026-12-01T10:00:00Z') }, 1, -1));
    expect(article).not.toContain('<img src=x');
    expect(article).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(article).toContain('<bdi>A &lt;b&gt;</bdi> and <bdi>B</bdi>');
    expect(article).toContain('14:05</time> <span class="zone">Almaty</span>');

    expect(detectLang('Вода поднялась на улицах Медеуского района.')).toBe('ru');
    expect(detectLang('Медеу ауданында су көшелерге шықты.')).toBe('kk');
    expect(detectLang('ارتفع منسوب المياه في الشوارع.')).toBe('ar');
    expect(detectLang('Water rose. 14:10')).toBe('en');
    expect(detectLang('Reuters: «Вода поднялась на улицах»')).toBe('ru');
    expect(detectLang('12:00')).toBe('en');

    const now = new Date('2026-12-01T10:00:00Z');
    expect(zonedTime('2026-12-01T09:05:00Z', 'Asia/Almaty', now)).toEqual({ time: '14:05', date: '' });
    expect(timeText('2026-11-30T18:50:00Z', 'Asia/Almaty', now)).toBe('30 Nov, 23:50');
    expect(timeText('2026-12-01T09:05:00Z', 'Not/AZone', now)).toBe('09:05');
    expect(relativeTime('2026-12-01T09:48:00Z', now)).toBe('12 min ago');
    expect(relativeTime('2026-12-01T09:59:40Z', now)).toBe('just now');
    expect(relativeTime('2026-12-01T08:59:00Z', now)).toBe('');
    expect(newUpdatesText(1)).toBe('1 new update');
    expect(newUpdatesText(3)).toBe('3 new updates');
    expect(firstWords('one two three four five six', 14)).toBe('one two three…');
    expect(entryLabel({ headline: '  ', text: 'Only text here' })).toBe('Only text here');
    const order = [entry({ id: 'b', position: 'a1' }), entry({ id: 'p', position: 'z9', pinned: true }), entry({ id: 'a', position: 'a1' }), entry({ id: 'c', position: 'a0' })];
    expect(order.sort(compareReaderOrder).map((e) => e.id)).toEqual(['p', 'c', 'a', 'b']);
  });
});
