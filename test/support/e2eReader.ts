// The reader page in Chromium: a breaking story published through the real workflow, reader
// contexts (no sign-in), and what the tests read off the page.
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { setKeyEvent, setPinned } from '../../shared/collab/deskDoc.js';
import { DESKTOP, PHONE, SOCKET_TRACKER, watchErrors } from './chromium.js';
import { newsroomPeople, type Person } from './newsroomPeople.js';
import { photoWithSecrets } from './photos.js';
import { correctEntry, onDesk, publishEntry, retractEntry } from './readerPageFlow.js';
import { api, type TestServer } from './startTestServer.js';
import { slugOf, transition } from './workflowApi.js';

export interface Newsroom {
  editor: Person;
  chief: Person;
  correspondent: Person;
  publish(fileId: string, text: string, headline?: string): Promise<string>;
  correct(entryId: string, more: string): Promise<void>;
  retract(entryId: string, reason: string): Promise<void>;
}

export async function newsroom(server: TestServer): Promise<Newsroom> {
  const people = newsroomPeople(() => server);
  const [editor, chief, correspondent] = [await people.newPerson('editor'), await people.newPerson('chief'), await people.newPerson('correspondent')];
  return {
    editor, chief, correspondent,
    publish: (fileId, text, headline) => publishEntry(server, editor, chief, fileId, text, headline),
    correct: (entryId, more) => correctEntry(server, editor, chief, entryId, more),
    retract: (entryId, reason) => retractEntry(server, chief, entryId, reason),
  };
}

export interface Story {
  fileId: string;
  slug: string;
  title: string;
  pinned: string;
  keyEvents: string[];
  ru: string;
  kk: string;
  ar: string;
  photo: string;
  corrected: string;
  retracted: string;
}


async function filePhotoEntry(server: TestServer, room: Newsroom, fileId: string): Promise<string> {
  const upload = await fetch(`${server.url}/api/media`, {
    method: 'POST',
    headers: { 'content-type': 'image/jpeg', 'idempotency-key': randomUUID(), cookie: room.correspondent.cookie },
    body: new Uint8Array(await photoWithSecrets({ width: 1600, height: 1000 })),
  });
  expect(upload.status).toBe(201);
  const photo = (await upload.json()) as { id: string };
  const created = await api(server, room.correspondent.cookie, 'POST', `/api/live-files/${fileId}/entries`, {
    idempotencyKey: randomUUID(),
    headline: 'Rescuers reach Medeu district',
    text: 'Boats from the emergency ministry are taking residents from the flooded streets near the river.',
    place: 'Medeu district',
    photos: [{ mediaId: photo.id, caption: 'A rescue boat on Dostyk Avenue', credit: 'Photo: A. Bekova' }],
  });
  expect(created.status).toBe(201);
  const id = created.json.id as string;
  const version = created.json.version as number;
  expect((await transition(server, room.correspondent, id, 'submit', { version })).status).toBe(200);
  expect((await transition(server, room.chief, id, 'publish', { version: version + 1 })).status).toBe(200);
  return id;
}

/**
 * A breaking story of 23 entries (20 on the first page): a pinned summary, four key events, a
 * photo from the field with its place, Russian, Kazakh and Arabic updates, a correction and a
 * withdrawn update.
 */
export async function breakingStory(server: TestServer, room: Newsroom): Promise<Story> {
  const title = `Almaty floods ${randomUUID().slice(0, 4)}`;
  const created = await api(server, room.editor.cookie, 'POST', '/api/live-files', { title, timezone: 'Asia/Almaty' });
  expect(created.status).toBe(201);
  const fileId = created.json.id as string;
  const p = (text: string, headline?: string) => room.publish(fileId, text, headline);
  const older: string[] = [];
  for (let i = 1; i <= 6; i++) older.push(await p(`Earlier: river gauge reading number ${i} shows the water still rising along the Malaya Almatinka.`));
  const pinned = await p('Heavy rain since Sunday night has flooded parts of Almaty. Shelters are open in three districts; the emergency line is 112. This summary is updated as we learn more.', 'What we know');
  const k1 = await p('The city akimat confirmed a breach in the small dam above the Malaya Almatinka river at 11:40 local time.', 'Dam breach confirmed');
  const fillers: string[] = [];
  for (let i = 1; i <= 4; i++) fillers.push(await p(`Traffic police closed Al-Farabi Avenue between Dostyk and Furmanov, update ${i}. Drivers are asked to use the Eastern bypass.`));
  const k2 = await p('Evacuation of 1,200 residents from the Medeu district has begun, the emergency ministry says.', 'Evacuation under way');
  const ru = await p('Акимат города: «Эвакуация проводится в штатном режиме, паники нет». Жителей просят не подходить к реке.');
  const kk = await p('Медеу ауданында су көшелерге шықты. Тұрғындар заттарын екінші қабатқа шығарып жатыр.');
  const ar = await p('ارتفع منسوب المياه في شوارع حي ميديو، وبدأت فرق الإنقاذ بإجلاء السكان.');
  const k3 = await p('Schools in three districts will stay closed tomorrow, the education department says.', 'Schools closed tomorrow');
  const retracted = await p('Reports of a second dam breach upstream are circulating on social media.');
  const corrected = await p('About 200 people have been moved to the shelter at School No. 12.', 'Shelter filling up');
  const photo = await filePhotoEntry(server, room, fileId);
  const more: string[] = [];
  for (let i = 1; i <= 2; i++) more.push(await p(`Volunteers are bringing blankets and water to the Baluan Sholak sports palace, round ${i}.`));
  const k4 = await p('Rain is expected to ease after midnight, the weather service says; the river should peak around 02:00.', 'Rain to ease after midnight');
  await room.correct(corrected, ' Update: the number is now about 350.');
  await room.retract(retracted, 'A second breach was not confirmed by the akimat.');
  const keyEvents = [k1, k2, k3, k4];
  await onDesk(server, room.editor, fileId, 5, (doc) => {
    setPinned(doc, pinned, true);
    for (const k of keyEvents) setKeyEvent(doc, k, true);
  });
  return { fileId, slug: await slugOf(server, fileId), title, pinned, keyEvents, ru, kk, ar, photo, corrected, retracted };
}

export interface ReaderSession {
  context: BrowserContext;
  page: Page;
  errors: string[];
}

export async function newReaderContext(browser: Browser, opts: { phone?: boolean; javaScriptEnabled?: boolean; reducedMotion?: boolean } = {}): Promise<ReaderSession> {
  const context = await browser.newContext({
    viewport: opts.phone ? PHONE : DESKTOP,
    ...(opts.phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : { deviceScaleFactor: 1 }),
    locale: 'en-GB',
    timezoneId: 'Europe/London',
    reducedMotion: opts.reducedMotion === false ? 'no-preference' : 'reduce',
    javaScriptEnabled: opts.javaScriptEnabled ?? true,
  });
  context.setDefaultTimeout(20_000);
  await context.addInitScript(SOCKET_TRACKER);
  const page = await context.newPage();
  return { context, page, errors: watchErrors(page) };
}

export const livePath = (slug: string, entryId?: string) => `/live/${encodeURIComponent(slug)}${entryId ? `/${encodeURIComponent(entryId)}` : ''}`;

/** The page's articles, in order. */
export function articleIds(page: Page): Promise<string[]> {
  return page.locator('[role="feed"] > article').evaluateAll((list) => list.map((a) => (a as HTMLElement).dataset.id ?? ''));
}

/** Waits until the reader script is subscribed and caught up. */
export async function waitLive(page: Page): Promise<void> {
  await expect.poll(() => page.locator('#feed').getAttribute('data-live'), { timeout: 20_000 }).toBe('live');
}

/** Where the first entry on screen is: its id and its top, for "nothing moved". */
export function firstOnScreen(page: Page): Promise<{ id: string; top: number; scrollY: number }> {
  return page.evaluate(() => {
    const a = [...document.querySelectorAll<HTMLElement>('#feed > article')].find((el) => el.getBoundingClientRect().bottom > 0)!;
    return { id: a.dataset.id!, top: Math.round(a.getBoundingClientRect().top), scrollY: Math.round(scrollY) };
  });
}
