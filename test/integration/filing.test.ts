import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newsroomPeople, type Person } from '../support/newsroomPeople.js';
import { api, startTestServer, type TestServer } from '../support/startTestServer.js';
import { photoWithSecrets } from '../support/photos.js';
import { publicGet, slugOf, transition } from '../support/workflowApi.js';

let server: TestServer;
const people = newsroomPeople(() => server);
let correspondent: Person;
let other: Person;
let chief: Person;
let fileId: string;

beforeAll(async () => {
  server = await startTestServer({ env: { DESK_BYLINE: 'Almaty desk' } });
  correspondent = await people.newPerson('correspondent');
  other = await people.newPerson('correspondent');
  chief = await people.newPerson('chief');
  fileId = await people.newLiveFile(chief, 'Filing');
});
afterAll(() => server.close());

async function uploadPhoto(who: Person): Promise<{ id: string; renditions: Array<{ width: number; type: string; url: string }> }> {
  const res = await fetch(`${server.url}/api/media`, {
    method: 'POST',
    headers: { 'content-type': 'image/jpeg', 'idempotency-key': randomUUID(), cookie: who.cookie },
    body: await photoWithSecrets({ width: 1800, height: 1200 }),
  });
  expect(res.status).toBe(201);
  return res.json() as Promise<{ id: string; renditions: Array<{ width: number; type: string; url: string }> }>;
}

const file = (who: Person, body: Record<string, unknown>) => api(server, who.cookie, 'POST', `/api/live-files/${fileId}/entries`, { idempotencyKey: randomUUID(), ...body });

describe('filing from the field', () => {
  it('[FS1] a filing with a headline, a place typed by hand, links and a photo becomes one draft; published, readers get the photo as srcset with its caption, and the desk byline when asked', async () => {
    const photo = await uploadPhoto(correspondent);
    const created = await file(correspondent, {
      headline: 'Толпа у акимата',
      text: 'Около двухсот человек собрались у здания акимата.\n\nПолиция не вмешивается.',
      place: 'Алматы, площадь Республики',
      links: ['https://www.youtube.com/watch?v=dQw4w9WgXcQ', 'https://example.org/report'],
      photos: [{ mediaId: photo.id, caption: 'Площадь в 14:05', credit: 'Фото: Д. С.' }],
      bylineAsDesk: true,
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ status: 'draft', place: 'Алматы, площадь Республики', bylines: ['Almaty desk'], authorId: correspondent.account.id });
    const id = created.json.id as string;
    expect((await transition(server, correspondent, id, 'submit', { version: created.json.version as number })).status).toBe(200);
    expect((await transition(server, chief, id, 'publish', { version: (created.json.version as number) + 1 })).status).toBe(200);
    const page = await publicGet(server, `/api/public/live/${encodeURIComponent(await slugOf(server, fileId))}`);
    const entry = (page.json.entries as Array<Record<string, unknown>>).find((e) => e.id === id)!;
    expect(entry).toMatchObject({ headline: 'Толпа у акимата', place: 'Алматы, площадь Республики', bylines: ['Almaty desk'] });
    expect(entry.text).toContain('Около двухсот человек собрались у здания акимата.\n\nПолиция не вмешивается.');
    const html = entry.html as string;
    expect(html).toMatch(/<img[^>]+srcset="[^"]*\/media\/[^"]+ 480w/);
    expect(html).toContain('alt="Площадь в 14:05"');
    expect(html).toMatch(/width="1800"/);
    expect(html).toMatch(/height="1200"/);
    expect(html).toMatch(/<source [^>]*type="image\/webp"/);
    expect(html).toContain('Фото: Д. С.');
    expect(html).not.toContain('/api/media/');
    expect(html).toContain('https://www.youtube.com/watch?v=dQw4w9WgXcQ');
    expect(html).toContain('href="https://example.org/report"');
    // The real author stays in the newsroom's audit log, never in what readers get.
    expect(JSON.stringify(page.json)).not.toContain(correspondent.account.displayName);
    expect((await server.store.audit.listByEntry(id))[0].actorId).toBe(correspondent.account.id);
    for (const r of photo.renditions) expect(html).toContain(r.url);
  });

  it('[FS2] a filing retried after a lost response is created once; the same key with another payload is 409; photos must be real uploads of the newsroom', async () => {
    const key = randomUUID();
    const body = { idempotencyKey: key, text: 'Once.', place: 'Медеу' };
    const first = await api(server, correspondent.cookie, 'POST', `/api/live-files/${fileId}/entries`, body);
    const again = await api(server, correspondent.cookie, 'POST', `/api/live-files/${fileId}/entries`, body);
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.json.id).toBe(first.json.id);
    const other = await api(server, correspondent.cookie, 'POST', `/api/live-files/${fileId}/entries`, { ...body, place: 'Elsewhere' });
    expect(other.status).toBe(409);
    const fake = await file(correspondent, { text: 'x', photos: [{ mediaId: 'no-such-photo-123', caption: '', credit: '' }] });
    expect(fake.status).toBe(400);
    const badLink = await file(correspondent, { text: 'x', links: ['javascript:alert(1)'] });
    expect(badLink.status).toBe(400);
  });

  it('[FS3] "My filings" lists only my own entries with their state and the chief’s note; Edit and resubmit rewrites the filing while it is mine to write', async () => {
    const mine = await file(correspondent, { text: 'Первая версия.' });
    await file(other, { text: 'Not hers.' });
    const id = mine.json.id as string;
    await transition(server, correspondent, id, 'submit', { version: mine.json.version as number });
    expect((await api(server, correspondent.cookie, 'PUT', `/api/entries/${id}/content`, { text: 'Too early.' })).status).toBe(409);
    await transition(server, chief, id, 'reject', { version: (mine.json.version as number) + 1, note: 'Добавьте источник.' });
    const filings = await api(server, correspondent.cookie, 'GET', '/api/me/filings');
    const list = filings.json.filings as Array<{ entry: { id: string; status: string; note?: string; authorId: string }; liveFile: { slug: string } }>;
    expect(list.every((f) => f.entry.authorId === correspondent.account.id)).toBe(true);
    expect(list.find((f) => f.entry.id === id)).toMatchObject({ entry: { status: 'rejected', note: 'Добавьте источник.' }, liveFile: { slug: await slugOf(server, fileId) } });
    const rewritten = await api(server, correspondent.cookie, 'PUT', `/api/entries/${id}/content`, { text: 'Вторая версия. Источник: МЧС.', place: 'Алматы', bylineAsDesk: true });
    expect(rewritten.status).toBe(200);
    expect(rewritten.json).toMatchObject({ preview: 'Вторая версия. Источник: МЧС.', place: 'Алматы', bylines: ['Almaty desk'] });
    expect(rewritten.json.revision).toBeGreaterThan(mine.json.revision as number);
    expect((await api(server, other.cookie, 'PUT', `/api/entries/${id}/content`, { text: 'Hijack.' })).status).toBe(404);
    expect((await api(server, other.cookie, 'GET', '/api/me/filings')).json.filings).toHaveLength(1);
  });
});
