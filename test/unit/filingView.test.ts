import { describe, expect, it } from 'vitest';
import { buildOutboxView, permalinkOf, type ServerFiling } from '../../client/filing/filingsView.js';
import type { PhotoRecord } from '../../client/filing/outbox/model.js';
import { filing, photo } from '../support/filingFakes.js';

const ME = 'acct000001';
const file = { id: 'file000001', slug: 'almaty-floods', title: 'Almaty floods' };

function server(id: string, status: ServerFiling['entry']['status'], extra: Partial<ServerFiling['entry']> = {}): ServerFiling {
  return { entry: { id, liveFileId: file.id, status, version: 2, preview: `text of ${id}`, createdAt: `2026-01-01T10:0${id.length % 10}:00Z`, updatedAt: '2026-01-01T10:00:00Z', ...extra }, liveFile: file };
}

const base = { photos: new Map<string, PhotoRecord>(), server: [] as ServerFiling[], progress: new Map(), inFlight: new Set<string>(), signedOut: false };

describe('My filings, as rows', () => {
  it('[FI11] outbox rows read Waiting to send, Waiting for network, Sending n % (by photo bytes), Not sent; Retry only where it was refused', () => {
    const p1 = photo(ME, 1000);
    const p2 = photo(ME, 3000);
    const fresh = filing(ME, { text: 'fresh' });
    const failedOnce = { ...filing(ME, { text: 'offline' }), lastError: { status: 0, code: 'unavailable', message: '', at: '2026-01-01T10:00:00Z' } };
    const uploading = filing(ME, { text: 'photos going', photos: [p1, p2] });
    const refused = { ...filing(ME, { text: 'refused' }), failed: { status: 409, code: 'conflict', message: 'ended', at: '2026-01-01T10:00:00Z' } };
    const photos = new Map([[p1.id, { ...p1, media: { id: 'm1', width: 1, height: 1, renditions: [] } }], [p2.id, p2]]);
    const view = buildOutboxView({ ...base, items: [fresh, failedOnce, uploading, refused], photos, progress: new Map([[p2.id, { sent: 1500, total: 3000 }]]) });
    expect(view.pending.map((r) => [r.excerpt, r.state, r.label, r.retryable])).toEqual([
      ['fresh', 'waiting', 'Waiting to send', false],
      ['offline', 'waiting', 'Waiting for network', false],
      ['photos going', 'sending', 'Sending 62%', false], // 1000 of 1000 + 1500 of 3000 = 2500 of 4000
      ['refused', 'not-sent', 'Not sent: tap to retry', true],
    ]);
    expect(view.unsent).toBe(4);
    expect(view.unsentPhotos).toBe(1);
    expect(buildOutboxView({ ...base, items: [fresh], signedOut: true }).pending[0]!.label).toBe('Waiting for sign-in');
  });

  it('[FI11] server rows: rejected with the chief\'s note and Edit and resubmit; published with its permalink; the filed copy kept for editing', () => {
    const sent = { ...filing(ME, { text: 'sent from here' }), entryId: 'e-rejected', done: true, submitted: true };
    const rows = buildOutboxView({
      ...base, items: [sent],
      server: [
        server('e-rejected', 'rejected', { note: 'Name the source', lastAction: { action: 'reject', actorName: 'Timur Ospanov', at: '2026-01-01T10:05:00Z' } }),
        server('e-published', 'published', { publishedRevision: 1 }),
        server('e-submitted', 'submitted'),
      ],
    }).filed;
    const byId = new Map(rows.map((r) => [r.entryId, r]));
    expect(byId.get('e-rejected')).toMatchObject({ state: 'rejected', note: 'Name the source', noteBy: 'Timur Ospanov', resubmittable: true, localContent: sent.content });
    expect(byId.get('e-published')).toMatchObject({ state: 'published', permalink: '/live/almaty-floods/e-published', resubmittable: false });
    expect(byId.get('e-submitted')).toMatchObject({ state: 'submitted', resubmittable: false, permalink: undefined });
    expect(permalinkOf('a b', 'x/y')).toBe('/live/a%20b/x%2Fy');
  });

  it('[FI11] a filing sent from here but not yet in the server\'s list shows as Sent; one being resubmitted shows once, in the outbox', () => {
    const done = { ...filing(ME, { text: 'just sent' }), entryId: 'e-new', done: true, submitted: true, sentAt: '2026-01-01T11:00:00Z' };
    const resubmitting = { ...filing(ME, { text: 'fixed', entryId: 'e-rej', version: 3 }) };
    const view = buildOutboxView({ ...base, items: [done, resubmitting], server: [server('e-rej', 'rejected', { note: 'why' })] });
    expect(view.filed.map((r) => [r.excerpt, r.state, r.label])).toEqual([['just sent', 'sent', 'Sent']]);
    expect(view.pending.map((r) => [r.entryId, r.state, r.note])).toEqual([['e-rej', 'waiting', 'why']]);
  });
});
