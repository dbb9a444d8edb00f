import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedWebhook, WebhookView } from '../../shared/schemas/webhook.js';
import { verifyWebhook } from '../../server/features/webhooks/signature.js';
import { KK, RU } from '../support/fixtures.js';
import { newsroomPeople, type Person } from '../support/newsroomPeople.js';
import { publishFlow } from '../support/publishFlow.js';
import { api, startTestServer, type TestServer } from '../support/startTestServer.js';
import { startReceiver, type Receiver } from '../support/webhookReceiver.js';
import { newEntry, transition } from '../support/workflowApi.js';

const FAST = { WEBHOOKS_ALLOW_PRIVATE: 'true', WEBHOOKS_RETRY_DELAYS_MS: '60,120,240', WEBHOOKS_DISABLE_AFTER: '4', WEBHOOKS_TIMEOUT_MS: '600' };

let server: TestServer;
const people = newsroomPeople(() => server);
let editor: Person;
let chief: Person;
let admin: Person;
let correspondent: Person;
const flow = publishFlow(() => server, () => editor, () => chief);
const receivers: Receiver[] = [];

beforeAll(async () => {
  server = await startTestServer({ env: FAST });
  [editor, chief, admin, correspondent] = await Promise.all([people.newPerson('editor'), people.newPerson('chief'), people.newPerson('admin'), people.newPerson('correspondent')]);
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await server.close();
});

async function receiver(...args: Parameters<typeof startReceiver>): Promise<Receiver> {
  const r = await startReceiver(...args);
  receivers.push(r);
  return r;
}

async function createHook(liveFileId: string, url: string, events = ['publish', 'correct', 'retract'], on: TestServer = server, who: Person = chief): Promise<CreatedWebhook> {
  const res = await api(on, who.cookie, 'POST', `/api/live-files/${liveFileId}/webhooks`, { url, events });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.json as unknown as CreatedWebhook;
}

async function hookView(liveFileId: string, hookId: string, on: TestServer = server): Promise<WebhookView> {
  const res = await api(on, chief.cookie, 'GET', `/api/live-files/${liveFileId}/webhooks`);
  expect(res.status).toBe(200);
  return (res.json.webhooks as WebhookView[]).find((h) => h.id === hookId)!;
}

/** Polls `check` until it returns a value (not undefined/false), or fails after timeoutMs. */
async function until<T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('webhooks', () => {
  it('[WH1] chiefs and admins manage a live file\'s hooks; editors and correspondents get 403; outsiders of a restricted file 404; the secret is shown once', async () => {
    const fileId = await people.newLiveFile(chief, 'Hooks');
    const created = await createHook(fileId, 'http://127.0.0.1:9/hook', ['publish']);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(created.webhook).toMatchObject({ url: 'http://127.0.0.1:9/hook', events: ['publish'], enabled: true, consecutiveFailures: 0, lastAttempt: null, deliveries: [] });
    const hookId = created.webhook.id;
    for (const who of [chief, admin]) {
      const list = await api(server, who.cookie, 'GET', `/api/live-files/${fileId}/webhooks`);
      expect(list.status).toBe(200);
      expect((list.json.webhooks as WebhookView[]).map((h) => h.id)).toEqual([hookId]);
      expect(JSON.stringify(list.json)).not.toContain(created.secret);
    }
    const byAdmin = await api(server, admin.cookie, 'POST', `/api/live-files/${fileId}/webhooks`, { url: 'http://127.0.0.1:9/second', events: ['retract'] });
    expect(byAdmin.status).toBe(201);
    for (const who of [editor, correspondent]) {
      expect((await api(server, who.cookie, 'GET', `/api/live-files/${fileId}/webhooks`)).status).toBe(403);
      const post = await api(server, who.cookie, 'POST', `/api/live-files/${fileId}/webhooks`, { url: 'http://127.0.0.1:9/x', events: ['publish'] });
      expect(post.status).toBe(403);
      expect(post.json.error?.code).toBe('forbidden');
      expect((await api(server, who.cookie, 'PATCH', `/api/live-files/${fileId}/webhooks/${hookId}`, { enabled: false })).status).toBe(403);
      expect((await api(server, who.cookie, 'DELETE', `/api/live-files/${fileId}/webhooks/${hookId}`)).status).toBe(403);
    }
    expect((await api(server, null, 'GET', `/api/live-files/${fileId}/webhooks`)).status).toBe(401);
    expect(await hookView(fileId, hookId)).toMatchObject({ enabled: true, url: 'http://127.0.0.1:9/hook' });
    expect((await api(server, chief.cookie, 'GET', `/api/live-files/${fileId}/webhooks`)).json.webhooks).toHaveLength(2);

    // Bad input is 400 and changes nothing.
    for (const body of [{ url: 'ftp://127.0.0.1/x', events: ['publish'] }, { url: 'http://u:p@127.0.0.1/x', events: ['publish'] }, { url: 'http://127.0.0.1/x', events: [] }, { url: 'http://127.0.0.1/x', events: ['delete'] }, { url: 'http://127.0.0.1/x', events: ['publish'], secret: 'mine' }]) {
      expect((await api(server, chief.cookie, 'POST', `/api/live-files/${fileId}/webhooks`, body)).status, JSON.stringify(body)).toBe(400);
    }
    const patched = await api(server, chief.cookie, 'PATCH', `/api/live-files/${fileId}/webhooks/${hookId}`, { events: ['publish', 'retract'], enabled: false });
    expect(patched.json.webhook).toMatchObject({ events: ['publish', 'retract'], enabled: false });

    // A file restricted to named members: another chief learns nothing of it.
    const otherChief = await people.newPerson('chief');
    expect((await api(server, chief.cookie, 'PATCH', `/api/live-files/${fileId}/access`, { members: [chief.account.id], fourEyes: false })).status).toBe(200);
    expect((await api(server, otherChief.cookie, 'GET', `/api/live-files/${fileId}/webhooks`)).status).toBe(404);
    expect((await api(server, otherChief.cookie, 'DELETE', `/api/live-files/${fileId}/webhooks/${hookId}`)).status).toBe(404);
    expect((await api(server, chief.cookie, 'DELETE', `/api/live-files/${fileId}/webhooks/${hookId}`)).status).toBe(204);
    expect((await api(server, chief.cookie, 'DELETE', `/api/live-files/${fileId}/webhooks/${hookId}`)).status).toBe(404);
  });

  it('[WH2] publish, correct and retract arrive signed (HMAC-SHA256 over timestamp.body) with the entry and its permalink; a hook gets only the events it picked', async () => {
    const got = await receiver();
    const fileId = await people.newLiveFile(chief, 'Signed');
    const all = await createHook(fileId, `${got.url}/all`);
    const onlyRetract = await createHook(fileId, `${got.url}/retract`, ['retract']);
    const entryId = await flow.publish(fileId, RU, KK.slice(0, 30));
    await flow.correct(entryId, ' Обновлено.');
    await flow.retract(entryId, 'Не подтвердилось');
    await got.count(4);
    await new Promise((r) => setTimeout(r, 200)); // nothing more comes
    expect(got.received).toHaveLength(4);
    const toAll = got.received.filter((r) => r.path === '/all');
    expect(toAll.map((r) => r.headers['x-livedesk-event'])).toEqual(['publish', 'correct', 'retract']);
    expect(got.received.filter((r) => r.path === '/retract').map((r) => r.headers['x-livedesk-event'])).toEqual(['retract']);
    for (const r of got.received) {
      const secret = r.path === '/all' ? all.secret : onlyRetract.secret;
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['x-livedesk-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
      expect(Math.abs(Number(r.headers['x-livedesk-timestamp']) - Date.now() / 1000)).toBeLessThan(30);
      expect(verifyWebhook(secret, String(r.headers['x-livedesk-timestamp']), r.body, String(r.headers['x-livedesk-signature']))).toBe(true);
      expect(verifyWebhook(secret === all.secret ? onlyRetract.secret : all.secret, String(r.headers['x-livedesk-timestamp']), r.body, String(r.headers['x-livedesk-signature']))).toBe(false);
      expect(r.headers.cookie).toBeUndefined();
    }
    const [published, corrected, retracted] = toAll.map((r) => JSON.parse(r.body));
    const slug = (await server.store.liveFiles.findById(fileId))!.slug;
    expect(published).toMatchObject({
      id: toAll[0]!.headers['x-livedesk-delivery'], event: 'publish', seq: 1,
      liveFile: { slug, url: `${server.url}/live/${slug}` },
      entry: { id: entryId, text: RU, headline: KK.slice(0, 30), url: `${server.url}/live/${slug}/${entryId}`, corrected: false, retracted: null },
    });
    expect(corrected).toMatchObject({ event: 'correct', seq: 2, entry: { text: `${RU} Обновлено.`, corrected: true } });
    expect(retracted).toMatchObject({ event: 'retract', seq: 3, entry: { text: '', html: '', retracted: { reason: 'Не подтвердилось' } } });
    expect(Buffer.from(toAll[0]!.body, 'utf8').includes(Buffer.from(RU, 'utf8'))).toBe(true);
    const log = await hookView(fileId, all.webhook.id);
    expect(log.deliveries.map((d) => [d.seq, d.event, d.status])).toEqual([[3, 'retract', 'delivered'], [2, 'correct', 'delivered'], [1, 'publish', 'delivered']]);
    expect(log.lastAttempt).toMatchObject({ outcome: 'delivered', status: 204 });
  });

  it('[WH3] a failing receiver gets retries after the configured delays, then the delivery has failed; the log shows every attempt and the consecutive failures', async () => {
    const failing = await receiver((res) => res.writeHead(500).end('no'));
    const fileId = await people.newLiveFile(chief, 'Failing');
    const hook = await createHook(fileId, `${failing.url}/hook`, ['publish']);
    await flow.publish(fileId, 'Will fail.');
    await failing.count(4);
    const view = await until(async () => {
      const v = await hookView(fileId, hook.webhook.id);
      return v.deliveries[0]?.status === 'failed' && v.consecutiveFailures === 4 && v;
    }, 'the delivery to fail');
    const times = failing.received.map((r) => r.at);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(gaps[0]).toBeGreaterThanOrEqual(55);
    expect(gaps[1]).toBeGreaterThanOrEqual(115);
    expect(gaps[2]).toBeGreaterThanOrEqual(235);
    expect(new Set(failing.received.map((r) => r.headers['x-livedesk-delivery'])).size).toBe(1);
    const [delivery] = view.deliveries;
    expect(delivery!.attempts).toHaveLength(4);
    for (const a of delivery!.attempts) {
      expect(a).toMatchObject({ outcome: 'http_error', status: 500 });
      expect(a.durationMs).toBeGreaterThanOrEqual(0);
      expect(Number.isNaN(Date.parse(a.at))).toBe(false);
    }
    expect(delivery!.nextAttemptAt).toBeNull();
    expect(view.consecutiveFailures).toBe(4);
    expect(view.lastAttempt).toMatchObject({ outcome: 'http_error', status: 500, deliveryId: delivery!.id });
  });

  it('[WH4] after WEBHOOKS_DISABLE_AFTER failures in a row the hook turns off, its pending deliveries are cancelled and nothing more is sent; turned on again, it starts afresh', async () => {
    const failing = await receiver((res) => res.writeHead(503).end());
    const fileId = await people.newLiveFile(chief, 'Turned off');
    const hook = await createHook(fileId, `${failing.url}/hook`, ['publish']);
    await flow.publish(fileId, 'One.');
    await flow.publish(fileId, 'Two.');
    const off = await until(async () => {
      const v = await hookView(fileId, hook.webhook.id);
      return !v.enabled && v;
    }, 'the hook to turn off');
    expect(off).toMatchObject({ enabled: false, disabledReason: 'failures', consecutiveFailures: 4 });
    await new Promise((r) => setTimeout(r, 600));
    expect(failing.received).toHaveLength(4);
    const settled = await hookView(fileId, hook.webhook.id);
    expect(settled.deliveries.every((d) => d.status === 'cancelled' || d.status === 'failed')).toBe(true);
    expect(settled.deliveries.some((d) => d.status === 'cancelled')).toBe(true);
    await flow.publish(fileId, 'Three, while off.');
    await new Promise((r) => setTimeout(r, 200));
    expect(failing.received).toHaveLength(4);

    failing.answer((res) => res.writeHead(200).end('ok'));
    const on = await api(server, chief.cookie, 'PATCH', `/api/live-files/${fileId}/webhooks/${hook.webhook.id}`, { enabled: true });
    expect(on.json.webhook).toMatchObject({ enabled: true, disabledReason: null, consecutiveFailures: 0 });
    await flow.publish(fileId, 'Four.');
    await failing.count(5);
    const back = await until(async () => {
      const v = await hookView(fileId, hook.webhook.id);
      return v.deliveries[0]?.status === 'delivered' && v;
    }, 'a delivery after turning on');
    expect(JSON.parse(failing.received[4]!.body).entry.text).toBe('Four.');
    expect(back.consecutiveFailures).toBe(0);
  });

  it('[WH5] a receiver that sleeps 30 s never slows publishing (under 200 ms) and its attempt times out', async () => {
    const sleepy = await receiver((res) => void setTimeout(() => res.writeHead(200).end(), 30_000).unref());
    const fileId = await people.newLiveFile(chief, 'Sleepy');
    const hook = await createHook(fileId, `${sleepy.url}/hook`, ['publish']);
    const timings: number[] = [];
    for (const text of ['First.', 'Second, while the hook hangs.', 'Third.']) {
      const entry = await newEntry(server, editor, fileId, text);
      expect((await transition(server, editor, entry.id, 'submit', { version: entry.version })).status).toBe(200);
      const started = performance.now();
      expect((await transition(server, chief, entry.id, 'publish', { version: entry.version + 1 })).status).toBe(200);
      timings.push(performance.now() - started);
      if (sleepy.received.length === 0) await sleepy.count(1); // the first delivery is hanging from here on
    }
    expect(Math.max(...timings), `publish took ${timings.map((t) => t.toFixed(0)).join(', ')} ms`).toBeLessThan(200);
    const timedOut = await until(async () => {
      const v = await hookView(fileId, hook.webhook.id);
      return v.deliveries.flatMap((d) => d.attempts).find((a) => a.outcome === 'timeout');
    }, 'a timed-out attempt');
    expect(timedOut.durationMs).toBeGreaterThanOrEqual(590);
    expect(timedOut.durationMs).toBeLessThan(3000);
  });

  it('[WH6] a redirect is never followed: the 3xx is the failure redirect_refused and its Location gets nothing', async () => {
    const target = await receiver();
    const redirecting = await receiver((res) => res.writeHead(302, { location: `${target.url}/stolen` }).end());
    const fileId = await people.newLiveFile(chief, 'Redirect');
    const hook = await createHook(fileId, `${redirecting.url}/hook`, ['publish']);
    await flow.publish(fileId, 'Redirected?');
    const attempt = await until(async () => (await hookView(fileId, hook.webhook.id)).deliveries[0]?.attempts[0], 'the first attempt');
    expect(attempt).toMatchObject({ outcome: 'redirect_refused', status: 302 });
    await redirecting.count(2);
    expect(target.received).toHaveLength(0);
  });

  it('[WH7] without WEBHOOKS_ALLOW_PRIVATE a loopback URL is refused at creation and change, and a hook that reaches one anyway gets address_refused at delivery', async () => {
    const strict = await startTestServer();
    try {
      const strictPeople = newsroomPeople(() => strict);
      const boss = await strictPeople.newPerson('chief');
      const writer = await strictPeople.newPerson('editor');
      const got = await receiver();
      const fileId = await strictPeople.newLiveFile(boss, 'Strict');
      const port = new URL(got.url).port;
      for (const url of [got.url, `http://localhost:${port}/`, `http://[::1]:${port}/`, `http://[::ffff:127.0.0.1]:${port}/`, 'http://169.254.169.254/latest/meta-data', 'http://10.0.0.1/']) {
        const res = await api(strict, boss.cookie, 'POST', `/api/live-files/${fileId}/webhooks`, { url, events: ['publish'] });
        expect(res.status, url).toBe(400);
        expect((res.json.error as { details?: unknown } | undefined)?.details).toMatchObject({ field: 'url', reason: 'address_refused' });
      }
      // As if a public name later resolved to loopback (DNS rebinding): the delivery checks again.
      const at = new Date().toISOString();
      await strict.store.webhooks.create({
        id: 'rebound-hook-1', newsroomId: boss.account.newsroomId, liveFileId: fileId, url: `http://localhost:${port}/rebound`, events: ['publish'], enabled: true,
        secret: 'whsec_x', siteOrigin: strict.url, cursorSeq: 0, consecutiveFailures: 0, disabledReason: null, lastAttempt: null, createdBy: boss.account.id, createdAt: at, updatedAt: at,
      });
      expect((await api(strict, boss.cookie, 'PATCH', `/api/live-files/${fileId}/webhooks/rebound-hook-1`, { url: `http://127.0.0.1:${port}/x` })).status).toBe(400);
      const strictFlow = publishFlow(() => strict, () => writer, () => boss);
      await strictFlow.publish(fileId, 'To loopback?');
      const attempt = await until(async () => (await strict.store.webhookDeliveries.listByHook('rebound-hook-1', 1))[0]?.attempts[0], 'the refused attempt');
      expect(attempt).toMatchObject({ outcome: 'address_refused' });
      expect(attempt.error).toMatch(/127\.0\.0\.1|::1/);
      expect(got.received).toHaveLength(0);
    } finally {
      await strict.close();
    }
  });

  it('[WH8] a delivery pending when the server stops is sent after it starts again, under the same delivery id', async () => {
    const durable = await startTestServer({ env: { ...FAST, WEBHOOKS_RETRY_DELAYS_MS: '1500' } });
    try {
      const dPeople = newsroomPeople(() => durable);
      const boss = await dPeople.newPerson('chief');
      const writer = await dPeople.newPerson('editor');
      const flaky = await receiver((res) => res.writeHead(500).end());
      const fileId = await dPeople.newLiveFile(boss, 'Durable');
      const created = await createHook(fileId, `${flaky.url}/hook`, ['publish'], durable, boss);
      await publishFlow(() => durable, () => writer, () => boss).publish(fileId, 'Survives a restart.');
      await flaky.count(1);
      await until(async () => (await durable.store.webhookDeliveries.listByHook(created.webhook.id, 1))[0]?.attempts.length === 1, 'the first attempt recorded');
      flaky.answer((res) => res.writeHead(204).end());
      await durable.restart();
      await flaky.count(2, 10_000);
      const [first, second] = flaky.received;
      expect(second!.headers['x-livedesk-delivery']).toBe(first!.headers['x-livedesk-delivery']);
      expect(second!.body).toBe(first!.body);
      expect(verifyWebhook(created.secret, String(second!.headers['x-livedesk-timestamp']), second!.body, String(second!.headers['x-livedesk-signature']))).toBe(true);
      const delivery = await until(async () => {
        const [d] = await durable.store.webhookDeliveries.listByHook(created.webhook.id, 1);
        return d?.status === 'delivered' && d;
      }, 'the delivery after the restart');
      expect(delivery.attempts.map((a) => a.outcome)).toEqual(['http_error', 'delivered']);
    } finally {
      await durable.close();
    }
  });

  it('[WH8] a change stored while no delivery was enqueued (a crash in between) is delivered at the next start, from the hook\'s cursor', async () => {
    const durable = await startTestServer({ env: FAST });
    try {
      const dPeople = newsroomPeople(() => durable);
      const boss = await dPeople.newPerson('chief');
      const writer = await dPeople.newPerson('editor');
      const got = await receiver();
      const fileId = await dPeople.newLiveFile(boss, 'Catch-up');
      const dFlow = publishFlow(() => durable, () => writer, () => boss);
      await dFlow.publish(fileId, 'Before the hook: never sent.');
      const created = await createHook(fileId, `${got.url}/hook`, ['publish'], durable, boss);
      // As if the process died between storing the reader change and enqueueing its delivery.
      await durable.server.services.webhooks.stop();
      const missed = await dFlow.publish(fileId, 'Stored, not enqueued.');
      expect(await durable.store.webhookDeliveries.listByHook(created.webhook.id, 10)).toEqual([]);
      await durable.restart();
      await got.count(1);
      await new Promise((r) => setTimeout(r, 200));
      expect(got.received).toHaveLength(1);
      expect(JSON.parse(got.received[0]!.body)).toMatchObject({ event: 'publish', seq: 2, entry: { id: missed } });
    } finally {
      await durable.close();
    }
  });
});
