import { describe, expect, it } from 'vitest';
import { BACKOFF, backoffDelay, createBody, paragraphs, pickPhoto, pickText, stageOf, verdictOf, cleanLinks } from '../../client/filing/outbox/schedule.js';
import { OutboxRunner } from '../../client/filing/outbox/runner.js';
import type { OutboxItem, PhotoRecord } from '../../client/filing/outbox/model.js';
import { FakeServer, ManualClock, MemoryOutboxStore, filing, photo } from '../support/filingFakes.js';

const ME = 'acct000001';
const mapOf = (...ps: PhotoRecord[]) => new Map(ps.map((p) => [p.id, p]));

/** Lets every pending promise of the runner run until both lanes are quiet. */
async function settle(runner: OutboxRunner): Promise<void> {
  for (let i = 0; i < 200; i++) {
    await new Promise((r) => setImmediate(r));
    if (runner.state !== 'running') {
      await new Promise((r) => setImmediate(r));
      if ((runner.state as string) !== 'running') return;
    }
  }
}

function setup(opts: { random?: () => number } = {}) {
  const store = new MemoryOutboxStore();
  const server = new FakeServer();
  const clock = new ManualClock();
  server.clock = clock.now;
  let keys = 0;
  const runner = new OutboxRunner({
    store, transport: server, now: clock.now, setTimer: clock.setTimer, clearTimer: clock.clearTimer,
    random: opts.random ?? (() => 0.5), newKey: () => `00000000-0000-4000-8000-${String(++keys).padStart(12, '0')}`,
  });
  const file = (item: OutboxItem, ...photos: PhotoRecord[]) => {
    for (const p of photos) store.putPhoto({ ...p, itemId: item.id });
    store.putItem(item);
    runner.kick();
  };
  return { store, server, clock, runner, file, settle: () => settle(runner) };
}

describe('the outbox schedule (pure)', () => {
  it('[FI6] backoff: 1 s doubling to a 30 s cap, ±20 % jitter', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4, 5, 6, 7, 12].map((n) => backoffDelay(n, mid))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    expect(backoffDelay(1, () => 0)).toBe(800);
    expect(backoffDelay(1, () => 0.999999)).toBe(1200);
    expect(backoffDelay(10, () => 1)).toBe(BACKOFF.maxMs * 1.2);
    expect(backoffDelay(0, mid), 'a first failure however counted').toBe(1000);
  });

  it('[FI6] [FI7] [FI8] which failures are retried, which wait for sign-in, which wait for the person', () => {
    for (const s of [0, 408, 429, 500, 502, 503, 504]) expect(verdictOf(s), String(s)).toBe('retry');
    expect(verdictOf(401)).toBe('auth');
    for (const s of [400, 403, 404, 409, 413, 415, 422]) expect(verdictOf(s), String(s)).toBe('refused');
  });

  it('[FI4] the text lane takes the oldest filing first and never passes one waiting out its backoff', () => {
    const a = filing(ME, { text: 'first' });
    const b = filing(ME, { text: 'second' });
    const pick = pickText([b, a], new Map(), 0);
    expect(pick && 'step' in pick && pick.step.item.id).toBe(a.id);
    const waiting = { ...a, nextAttemptAt: 5000, lastError: { status: 0, code: 'unavailable', message: '', at: new Date(100).toISOString() } };
    expect(pickText([b, waiting], new Map(), 1000)).toEqual({ wait: 5000 });
    // The server was reached after that failure: its backoff is over.
    const again = pickText([b, waiting], new Map(), 1000, 200);
    expect(again && 'step' in again && again.step.item.id).toBe(a.id);
  });

  it('[FI5] a filing whose photo is still to upload steps aside: the later text-only filing goes first', () => {
    const p = photo(ME, 10_000_000);
    const withPhoto = filing(ME, { text: 'dam breach, photo', photos: [p] });
    const textOnly = filing(ME, { text: 'three hurt' });
    const photos = mapOf(p);
    expect(stageOf(withPhoto, photos)).toBe('photos');
    const pick = pickText([withPhoto, textOnly], photos, 0);
    expect(pick && 'step' in pick && pick.step.kind === 'create' && pick.step.item.id).toBe(textOnly.id);
    const up = pickPhoto([withPhoto, textOnly], photos, 0);
    expect(up && 'step' in up && up.step.id).toBe(p.id);
    // Uploaded: it is next in the text lane, with its photo by the server's id.
    const sent = mapOf({ ...p, media: { id: 'media00001', width: 2048, height: 1536, renditions: [] } });
    const next = pickText([withPhoto], sent, 0);
    expect(next && 'step' in next && next.step.kind === 'create' && next.step.body.photos).toEqual([{ mediaId: 'media00001', caption: `caption ${p.id}`, credit: 'Dana' }]);
  });

  it('[FI5] photos upload one at a time in filing order; a photo in backoff holds the photos after it, not the text', () => {
    const p1 = { ...photo(ME), nextAttemptAt: 9000, lastError: { status: 0, code: 'x', message: '', at: new Date(10).toISOString() } };
    const p2 = photo(ME);
    const a = filing(ME, { photos: [p1] });
    const b = filing(ME, { photos: [p2] });
    const c = filing(ME, { text: 'text' });
    expect(pickPhoto([a, b, c], mapOf(p1, p2), 1000)).toEqual({ wait: 9000 });
    const t = pickText([a, b, c], mapOf(p1, p2), 1000);
    expect(t && 'step' in t && t.step.item.id).toBe(c.id);
  });

  it('[FI3] a create retries the body frozen at its first attempt, under the same key', () => {
    const item = filing(ME, { text: 'as first sent' });
    const frozen = { ...item, createSent: createBody(item, new Map()), content: { ...item.content, text: 'edited later' } };
    const pick = pickText([frozen], new Map(), 0);
    expect(pick && 'step' in pick && pick.step.kind === 'create' && pick.step.body).toEqual({ idempotencyKey: item.createKey, text: 'as first sent' });
  });

  it('[FI16] the create body: paragraphs, place, links (http/https only), headline, byline as the desk; empty fields left out', () => {
    const item = filing(ME, { text: ' Line one \n\n\nLine two\r\nLine three ' });
    item.content = { ...item.content, headline: ' Dam breach ', place: ' Medeu district ', links: [' https://youtu.be/x ', 'javascript:alert(1)', '', 'https://youtu.be/x', 'ftp://a'], bylineAsDesk: true };
    expect(createBody(item, new Map())).toEqual({
      idempotencyKey: item.createKey, text: 'Line one\n\nLine two\n\nLine three', headline: 'Dam breach', place: 'Medeu district',
      links: ['https://youtu.be/x'], bylineAsDesk: true,
    });
    expect(paragraphs('\n \n')).toBe('');
    expect(cleanLinks(['http://a.kz/1', 'https://t.me/x', 'mailto:x@y'])).toEqual(['http://a.kz/1', 'https://t.me/x']);
    const bare = filing(ME, { text: 'just text' });
    expect(createBody(bare, new Map())).toEqual({ idempotencyKey: bare.createKey, text: 'just text' });
  });
});

describe('the outbox runner against a fake server', () => {
  it('[FI3] [FI4] three filings with two photos: each created and submitted once, in the order filed', async () => {
    const t = setup();
    const p1 = photo(ME);
    const p2 = photo(ME);
    const a = filing(ME, { text: 'one' });
    const b = filing(ME, { text: 'two', photos: [p1] });
    const c = filing(ME, { text: 'three', photos: [p2] });
    t.runner.start(ME);
    t.file(a);
    t.file(b, p1);
    t.file(c, p2);
    await t.settle();
    expect(t.server.entries.size).toBe(3);
    expect(t.server.media.size).toBe(2);
    expect([...t.server.entries.values()].map((e) => e.body.text)).toEqual(['one', 'two', 'three']);
    expect(t.server.submitted.map((id) => t.server.entries.get(id)!.body.text)).toEqual(['one', 'two', 'three']);
    expect(t.server.requests('create').map((r) => r.key)).toEqual([a.createKey, b.createKey, c.createKey]);
    expect(t.server.requests('upload').map((r) => r.key)).toEqual([p1.uploadKey, p2.uploadKey]);
    const items = await t.store.listItems(ME);
    expect(items.every((i) => i.done && i.submitted)).toBe(true);
    // Sent: the photos' bytes leave the device; their server ids stay.
    const photos = await t.store.listPhotos(ME);
    expect(photos.map((p) => [!!p.blob, !!p.media])).toEqual([[false, true], [false, true]]);
  });

  it('[FI3] dropped answers: the server did the work, the retry carries the same key and body, nothing is made twice', async () => {
    const t = setup();
    const p = photo(ME);
    const a = filing(ME, { text: 'dropped all the way', photos: [p] });
    t.server.trouble('upload', { kind: 'drop' }).trouble('create', { kind: 'drop' }).trouble('submit', { kind: 'drop' });
    t.runner.start(ME);
    t.file(a, p);
    await t.settle();
    // Each dropped answer: a backoff (nothing else succeeded meanwhile). Let the timers run.
    await t.clock.advance(60_000, t.settle);
    expect(t.server.media.size).toBe(1);
    expect(t.server.entries.size).toBe(1);
    expect(t.server.submitted).toHaveLength(1);
    const uploads = t.server.requests('upload');
    const creates = t.server.requests('create');
    const submits = t.server.requests('submit');
    expect(uploads.length).toBe(2);
    expect(new Set(uploads.map((r) => r.key))).toEqual(new Set([p.uploadKey]));
    expect(creates.length).toBe(2);
    expect(new Set(creates.map((r) => r.key))).toEqual(new Set([a.createKey]));
    expect(creates[1]!.body).toEqual(creates[0]!.body);
    expect(submits.length).toBe(2);
    expect(new Set(submits.map((r) => r.key))).toEqual(new Set([a.submitKey]));
    expect((await t.store.listItems(ME))[0]).toMatchObject({ done: true, submitted: true, createKey: a.createKey, submitKey: a.submitKey });
  });

  it('[FI6] offline: retries back off 1, 2, 4 … s; a request that reaches the server ends the wait at once', async () => {
    const t = setup();
    for (let i = 0; i < 4; i++) t.server.trouble('create', { kind: 'fail', status: 0, code: 'unavailable' });
    t.runner.start(ME);
    const a = filing(ME, { text: 'offline' });
    t.file(a);
    await t.settle();
    const at = () => t.server.requests('create').map((r) => r.at - t.server.requests('create')[0]!.at);
    expect(at()).toEqual([0]);
    await t.clock.advance(999, t.settle);
    expect(at()).toEqual([0]);
    await t.clock.advance(1, t.settle);
    expect(at()).toEqual([0, 1000]);
    await t.clock.advance(2000 + 4000, t.settle);
    expect(at()).toEqual([0, 1000, 3000, 7000]);
    expect((await t.store.listItems(ME))[0]).toMatchObject({ attempts: 4, done: false });
    // Next try would be in 8 s; the session check succeeds now: it goes at once.
    t.runner.serverReached();
    await t.settle();
    expect(at()).toEqual([0, 1000, 3000, 7000, 7000]);
    expect(t.server.submitted).toHaveLength(1);
  });

  it('[FI6] Retry-After of a 429 is waited out', async () => {
    const t = setup();
    t.server.trouble('create', { kind: 'fail', status: 429, code: 'rate_limited', retryAfterMs: 20_000 });
    t.runner.start(ME);
    t.file(filing(ME));
    await t.settle();
    await t.clock.advance(19_999, t.settle);
    expect(t.server.requests('create')).toHaveLength(1);
    await t.clock.advance(1, t.settle);
    expect(t.server.requests('create')).toHaveLength(2);
  });

  it('[FI5] a slow photo upload does not hold the text filed after it', async () => {
    const t = setup();
    let release!: () => void;
    const until = new Promise<void>((r) => (release = r));
    t.server.trouble('upload', { kind: 'stall', until });
    const big = photo(ME, 10_000_000);
    const withPhoto = filing(ME, { text: 'big photo', photos: [big] });
    const text = filing(ME, { text: 'text after it' });
    t.runner.start(ME);
    t.file(withPhoto, big);
    t.file(text);
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    expect(t.server.submitted.map((id) => t.server.entries.get(id)!.body.text)).toEqual(['text after it']);
    expect(t.runner.progress.has(big.id), 'the upload is under way').toBe(true);
    release();
    await t.settle();
    expect(t.server.submitted.map((id) => t.server.entries.get(id)!.body.text)).toEqual(['text after it', 'big photo']);
  });

  it('[FI7] a 401 stops sending and keeps every record; after sign-in it all goes, each once', async () => {
    const t = setup();
    let signedOut = 0;
    t.runner.onSignedOut(() => signedOut++);
    t.server.trouble('create', { kind: 'fail', status: 401, code: 'unauthenticated' });
    t.runner.start(ME);
    const a = filing(ME, { text: 'a' });
    const b = filing(ME, { text: 'b' });
    t.file(a);
    t.file(b);
    await t.settle();
    expect(signedOut).toBe(1);
    expect(t.runner.state).toBe('signed-out');
    await t.clock.advance(120_000, t.settle);
    expect(t.server.requests('create')).toHaveLength(1);
    const kept = await t.store.listItems(ME);
    expect(kept.map((i) => [i.done, i.failed, i.attempts])).toEqual([[false, undefined, 0], [false, undefined, 0]]);
    t.runner.resume();
    await t.settle();
    expect(t.server.submitted.map((id) => t.server.entries.get(id)!.body.text)).toEqual(['a', 'b']);
    expect(new Set(t.server.requests('create').filter((r) => r.body && (r.body as { text: string }).text === 'a').map((r) => r.key))).toEqual(new Set([a.createKey]));
  });

  it('[FI8] a refusal marks that filing not sent and holds nothing else; Retry sends it with the same keys', async () => {
    const t = setup();
    t.server.trouble('create', { kind: 'fail', status: 403, code: 'forbidden' });
    const a = filing(ME, { text: 'refused' });
    const b = filing(ME, { text: 'fine' });
    t.runner.start(ME);
    t.file(a);
    t.file(b);
    await t.settle();
    const [ra, rb] = (await t.store.listItems(ME)).sort((x, y) => x.seq - y.seq);
    expect(ra!.failed).toMatchObject({ status: 403, code: 'forbidden' });
    expect(rb!.done).toBe(true);
    await t.store.updateItem(a.id, (i) => ({ ...i, failed: undefined }));
    t.runner.kick();
    await t.settle();
    expect(t.server.submitted.map((id) => t.server.entries.get(id)!.body.text)).toEqual(['fine', 'refused']);
    expect(t.server.requests('create').filter((r) => r.key === a.createKey)).toHaveLength(2);
  });

  it('[FI8] a refused photo (415) marks its filing not sent; the upload is not retried on its own', async () => {
    const t = setup();
    t.server.trouble('upload', { kind: 'fail', status: 415, code: 'unsupported_media_type' });
    const p = photo(ME);
    const a = filing(ME, { text: 'bad photo', photos: [p] });
    t.runner.start(ME);
    t.file(a, p);
    await t.settle();
    await t.clock.advance(120_000, t.settle);
    expect(t.server.requests('upload')).toHaveLength(1);
    const photos = await t.store.listPhotos(ME);
    expect(photos[0]!.failed).toMatchObject({ status: 415 });
    expect(stageOf((await t.store.listItems(ME))[0]!, mapOf(photos[0]!))).toBe('failed');
  });

  it('[FI10] Save draft creates the entry and never submits it', async () => {
    const t = setup();
    t.runner.start(ME);
    t.file(filing(ME, { text: 'draft only', intent: 'draft' }));
    await t.settle();
    expect(t.server.entries.size).toBe(1);
    expect(t.server.requests('submit')).toHaveLength(0);
    expect((await t.store.listItems(ME))[0]).toMatchObject({ done: true, submitted: false });
  });

  it('[FI13] Edit and resubmit: the same entry gets the whole filing again (PUT content, headline included), then is submitted', async () => {
    const t = setup();
    const e = await t.server.create('file000001', { idempotencyKey: 'k-original', text: 'old text' });
    t.server.entries.get(e.id)!.status = 'rejected';
    t.server.entries.get(e.id)!.version = 3;
    const edit = filing(ME, { text: 'fixed text', entryId: e.id, version: 3 });
    edit.content.headline = 'Fixed';
    t.runner.start(ME);
    t.file(edit);
    await t.settle();
    expect(t.server.entries.size).toBe(1);
    expect(t.server.requests('create')).toHaveLength(1); // only the original, above
    expect(t.server.entries.get(e.id)!.content).toEqual({ headline: 'Fixed', text: 'fixed text', place: '', links: [], photos: [] });
    expect(t.server.entries.get(e.id)!.status).toBe('submitted');
    expect(t.server.requests('putContent').map((r) => r.entryId)).toEqual([e.id]);
  });

  it('[FI17] submit refused for a stale version: the entry is read again and submitted at its version, under a new key', async () => {
    const t = setup();
    const e = await t.server.create('file000001', { idempotencyKey: 'k-1', text: 'x' });
    t.server.entries.get(e.id)!.status = 'rejected';
    t.server.entries.get(e.id)!.version = 5; // the desk moved it since this device saw version 3
    const edit = { ...filing(ME, { text: 'again', entryId: e.id, version: 3 }), contentDirty: false };
    t.runner.start(ME);
    t.file(edit);
    await t.settle();
    const submits = t.server.requests('submit');
    expect(submits.map((s) => (s.body as { version: number }).version)).toEqual([3, 5]);
    expect(t.server.entries.get(e.id)!.status).toBe('submitted');
    expect(submits.length).toBe(2);
    expect(submits[0]!.key).toBe(edit.submitKey);
    expect(submits[1]!.key).not.toBe(edit.submitKey);
    expect((await t.store.listItems(ME))[0]).toMatchObject({ done: true, submitted: true });
  });

  it('[FI17] submit 409 because the entry is already submitted (an earlier attempt, or the desk): done, not sent again', async () => {
    const t = setup();
    const e = await t.server.create('file000001', { idempotencyKey: 'k-2', text: 'x' });
    t.server.entries.get(e.id)!.status = 'submitted';
    const item = filing(ME, { text: 'x', entryId: e.id, version: 1 });
    item.contentDirty = false;
    t.runner.start(ME);
    t.file(item);
    await t.settle();
    expect(t.server.requests('submit')).toHaveLength(1);
    expect((await t.store.listItems(ME))[0]).toMatchObject({ done: true, submitted: true });
  });

  it('[FI18] edited after its create went out (answer lost): the retry sends the first body, then the new text follows as content', async () => {
    const t = setup();
    let release!: () => void;
    // The first create stalls, then the server does it and the answer is lost.
    t.server.trouble('create', { kind: 'stall', until: new Promise<void>((r) => (release = r)), drop: true });
    const a = filing(ME, { text: 'first words' });
    t.runner.start(ME);
    t.file(a);
    for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
    expect((await t.store.listItems(ME))[0]!.createSent).toEqual({ idempotencyKey: a.createKey, text: 'first words' });
    // The page edits it while the first create is out (what the compose form does for a sent-once filing).
    await t.store.updateItem(a.id, (i) => ({ ...i, content: { ...i.content, text: 'better words' }, contentDirty: !!i.createSent, updatedAt: new Date(5).toISOString() }));
    release();
    await t.settle();
    await t.clock.advance(60_000, t.settle);
    expect(t.server.entries.size).toBe(1);
    expect(t.server.requests('create').map((r) => r.body)).toEqual([
      { idempotencyKey: a.createKey, text: 'first words' },
      { idempotencyKey: a.createKey, text: 'first words' },
    ]);
    const [only] = [...t.server.entries.values()];
    expect(only!.content?.text).toBe('better words');
    expect(only!.status).toBe('submitted');
  });

  it('[FI3] a held filing (open in the compose form) is not sent until filed again', async () => {
    const t = setup();
    const a = { ...filing(ME, { text: 'held' }), held: true };
    t.runner.start(ME);
    t.file(a);
    await t.settle();
    expect(t.server.log).toEqual([]);
    await t.store.updateItem(a.id, (i) => ({ ...i, held: false, updatedAt: new Date(9).toISOString() }));
    t.runner.kick();
    await t.settle();
    expect(t.server.submitted).toHaveLength(1);
  });

  it('another account\'s outbox on the same device is left alone', async () => {
    const t = setup();
    t.file(filing('acct000002', { text: 'not mine' }));
    t.runner.start(ME);
    t.file(filing(ME, { text: 'mine' }));
    await t.settle();
    expect([...t.server.entries.values()].map((e) => e.body.text)).toEqual(['mine']);
  });
});
