import { expect, it } from 'vitest';
import { newId } from '../../../server/ids.js';
import type { DeliveryRecord, WebhookRecord } from '../../../server/store/Store.js';
import type { ContractContext } from '../storeContract.js';

const KK = 'Алматы: жаңалық';

function buildHook(overrides: Partial<WebhookRecord> = {}): WebhookRecord {
  const at = new Date().toISOString();
  return {
    id: newId(), newsroomId: 'newsroom-1', liveFileId: 'live-file-1', url: 'https://hooks.example/livedesk', events: ['publish', 'retract'], enabled: true,
    secret: 'whsec_test', siteOrigin: 'https://desk.example', cursorSeq: 0, consecutiveFailures: 0, disabledReason: null, lastAttempt: null,
    createdBy: 'chief-1', createdAt: at, updatedAt: at, ...overrides,
  };
}

function buildDelivery(hookId: string, seq: number, overrides: Partial<DeliveryRecord> = {}): DeliveryRecord {
  const at = new Date(Date.UTC(2026, 0, 1, 12, 0, seq)).toISOString();
  return {
    id: `${hookId}-${seq}`, hookId, liveFileId: 'live-file-1', seq, event: 'publish', entryId: `entry-${seq}`, body: JSON.stringify({ seq, text: KK }),
    status: 'pending', nextAttemptAt: at, attempts: [], createdAt: at, updatedAt: at, ...overrides,
  };
}

const summary = (deliveryId: string, ok: boolean) => ({ deliveryId, at: new Date().toISOString(), outcome: ok ? 'delivered' as const : 'http_error' as const, status: ok ? 200 : 500, durationMs: 12 });

export function webhookCases({ store, reopen }: ContractContext): void {
  it('[WH9] hooks: create, find, list per live file oldest first, patch, a cursor that only moves forward, delete; they survive a reopen', async () => {
    const repo = store().webhooks;
    const a = buildHook({ createdAt: '2026-01-01T10:00:00.000Z' });
    const b = buildHook({ createdAt: '2026-01-01T11:00:00.000Z', enabled: false });
    const other = buildHook({ liveFileId: 'live-file-2' });
    for (const h of [b, a, other]) await repo.create(h);
    expect(await repo.findById(a.id)).toEqual(a);
    expect((await repo.listByLiveFile('live-file-1')).map((h) => h.id)).toEqual([a.id, b.id]);
    expect((await repo.listEnabled()).map((h) => h.id).sort()).toEqual([a.id, other.id].sort());
    const patched = await repo.update(a.id, { url: 'https://hooks.example/v2', events: ['correct'], updatedAt: '2026-01-02T00:00:00.000Z' });
    expect(patched).toMatchObject({ url: 'https://hooks.example/v2', events: ['correct'], enabled: true, secret: 'whsec_test' });
    expect(await repo.update('missing', { enabled: false })).toBeNull();
    await repo.advanceCursor(a.id, 7);
    await repo.advanceCursor(a.id, 3);
    expect((await repo.findById(a.id))!.cursorSeq).toBe(7);
    const reopened = await reopen();
    expect(await reopened.webhooks.findById(a.id)).toEqual({ ...patched, cursorSeq: 7 });
    expect(await reopened.webhooks.delete(b.id)).toBe(true);
    expect(await reopened.webhooks.delete(b.id)).toBe(false);
    expect((await reopened.webhooks.listByLiveFile('live-file-1')).map((h) => h.id)).toEqual([a.id]);
  });

  it('[WH9] recordAttempt: 10 concurrent failures count 10; the threshold turns the hook off once; a success resets the count', async () => {
    const repo = store().webhooks;
    const hook = buildHook();
    await repo.create(hook);
    const after = await Promise.all(Array.from({ length: 10 }, (_, i) => repo.recordAttempt(hook.id, summary(`d-${i}`, false), false, 20, new Date().toISOString())));
    expect(Math.max(...after.map((h) => h!.consecutiveFailures))).toBe(10);
    expect((await repo.findById(hook.id))!).toMatchObject({ consecutiveFailures: 10, enabled: true, disabledReason: null });
    const off = await Promise.all(Array.from({ length: 12 }, (_, i) => repo.recordAttempt(hook.id, summary(`e-${i}`, false), false, 15, new Date().toISOString())));
    expect(off.filter((h) => h && !h.enabled).length).toBeGreaterThan(0);
    expect((await repo.findById(hook.id))!).toMatchObject({ consecutiveFailures: 22, enabled: false, disabledReason: 'failures' });
    await repo.update(hook.id, { enabled: true, disabledReason: null, consecutiveFailures: 0 });
    await repo.recordAttempt(hook.id, summary('f-1', false), false, 15, new Date().toISOString());
    const ok = await repo.recordAttempt(hook.id, summary('f-2', true), true, 15, new Date().toISOString());
    expect(ok).toMatchObject({ consecutiveFailures: 0, enabled: true, lastAttempt: expect.objectContaining({ deliveryId: 'f-2', outcome: 'delivered', status: 200 }) });
    expect(await repo.recordAttempt('missing', summary('x', true), true, 3, new Date().toISOString())).toBeNull();
  });

  it('[WH9] deliveries: one per id; due ones earliest first; of 5 concurrent claims one wins; attempts append; release, cancel, list newest first; byte-exact bodies survive a reopen', async () => {
    const repo = store().webhookDeliveries;
    const hookId = newId();
    const [d1, d2, d3] = [1, 2, 3].map((seq) => buildDelivery(hookId, seq));
    for (const d of [d3!, d1!, d2!]) expect(await repo.enqueue(d)).toEqual({ created: true });
    expect(await repo.enqueue({ ...d1!, body: 'other' })).toEqual({ created: false });
    expect(await repo.findById(d1!.id)).toEqual(d1);
    expect((await repo.listDue(d2!.nextAttemptAt!, 10)).map((d) => d.id)).toEqual([d1!.id, d2!.id]);
    expect((await repo.listDue('2099-01-01T00:00:00.000Z', 1)).map((d) => d.id)).toEqual([d1!.id]);
    expect(await repo.nextDueAt()).toBe(d1!.nextAttemptAt);
    const lease = '2026-01-01T12:05:00.000Z';
    const claims = await Promise.all(Array.from({ length: 5 }, () => repo.claim(d1!.id, d1!.nextAttemptAt!, lease)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await repo.nextDueAt()).toBe(d2!.nextAttemptAt);
    await repo.recordAttempt(d1!.id, { at: lease, outcome: 'timeout', durationMs: 5000 }, { status: 'pending', nextAttemptAt: '2026-01-01T12:10:00.000Z' }, lease);
    await repo.recordAttempt(d1!.id, { at: lease, outcome: 'delivered', status: 204, durationMs: 40 }, { status: 'delivered', nextAttemptAt: null }, lease);
    expect(await repo.findById(d1!.id)).toMatchObject({ status: 'delivered', nextAttemptAt: null, attempts: [{ outcome: 'timeout', durationMs: 5000 }, { outcome: 'delivered', status: 204 }] });
    expect(await repo.claim(d1!.id, '2026-01-01T12:10:00.000Z', lease)).toBeNull();
    await repo.claim(d2!.id, d2!.nextAttemptAt!, lease);
    await repo.release(d2!.id, d2!.nextAttemptAt!);
    expect((await repo.findById(d2!.id))!.nextAttemptAt).toBe(d2!.nextAttemptAt);
    expect((await repo.listByHook(hookId, 2)).map((d) => d.seq)).toEqual([3, 2]);
    const reopened = await reopen();
    expect(await reopened.webhookDeliveries.findById(d3!.id)).toEqual(d3);
    expect(JSON.parse((await reopened.webhookDeliveries.findById(d3!.id))!.body).text).toBe(KK);
    expect(await reopened.webhookDeliveries.cancelPending(hookId, lease)).toBe(2);
    expect(await reopened.webhookDeliveries.nextDueAt()).toBeNull();
    expect((await reopened.webhookDeliveries.listByHook(hookId, 10)).map((d) => d.status)).toEqual(['cancelled', 'cancelled', 'delivered']);
    expect(await reopened.webhookDeliveries.deleteByHook(hookId)).toBe(3);
    expect(await reopened.webhookDeliveries.listByHook(hookId, 10)).toEqual([]);
  });
}
