import { describe, expect, it } from 'vitest';
import { diffSummary, wordDiff } from '../../client/workflow/wordDiff.js';
import { ageLevel, formatAgo, formatWaiting, minutesBetween, waitingSince } from '../../client/workflow/waiting.js';
import { defaultClock, describeSchedule, formatClock, parseClock, scheduleAt, zonedToUtc } from '../../client/workflow/schedule.js';
import { actorOf, flowButtons, hasPendingCorrection, refusalOf } from '../../client/workflow/flowActions.js';
import { ApiError } from '../../client/services/apiClient.js';
import type { EntryView } from '../../shared/schemas/entry.js';

const T0 = Date.parse('2025-06-02T09:00:00.000Z'); // 14:00 in Almaty (UTC+5)
const min = (n: number) => new Date(T0 - n * 60_000).toISOString();

function entry(over: Partial<EntryView> = {}): EntryView {
  return {
    id: 'entry-0001', liveFileId: 'file-0001', authorId: 'dana-0001', authorName: 'Dana Sadykova', status: 'submitted', version: 3,
    preview: 'Two people were hurt.', bylines: [], contributorIds: ['dana-0001'], contributors: [], revision: 2,
    createdAt: min(30), updatedAt: min(4), ...over,
  };
}

describe('the queue diff: word level, against the published wording', () => {
  it('[QU2] one changed word shows as that word struck and its replacement underlined, nothing else', () => {
    const d = wordDiff('Two people were hurt, police said.', 'Three people were hurt, police said.');
    expect(d.parts).toEqual([
      { kind: 'removed', text: 'Two' },
      { kind: 'added', text: 'Three' },
      { kind: 'same', text: ' people were hurt, police said.' },
    ]);
    expect(d.isNew).toBe(false);
    expect(diffSummary(d)).toBe('1 word added, 1 removed');
  });

  it('[QU2] Kazakh and Russian words stay whole (no half-word changes), paragraphs are kept', () => {
    const d = wordDiff('Вода поднялась.\n\nҚұтқарушылар келді.', 'Вода сильно поднялась.\n\nҚұтқарушылар келді.');
    expect(d.parts.filter((p) => p.kind !== 'same').map((p) => p.text.trim())).toEqual(['сильно']);
    expect(d.parts.map((p) => p.text).join('')).toBe('Вода сильно поднялась.\n\nҚұтқарушылар келді.');
    const k = wordDiff('Құтқарушылар келді.', 'Құтқарушылар кетті.');
    expect(k.parts.filter((p) => p.kind === 'removed').map((p) => p.text)).toEqual(['келді']);
    expect(k.parts.filter((p) => p.kind === 'added').map((p) => p.text)).toEqual(['кетті']);
  });

  it('[QU2] a new entry (nothing published) is all added; no change says so', () => {
    const d = wordDiff(null, 'Power is out in 6,000 homes.');
    expect(d.parts).toEqual([{ kind: 'added', text: 'Power is out in 6,000 homes.' }]);
    expect(d.isNew).toBe(true);
    expect(diffSummary(d)).toBe('6 words, all new');
    expect(diffSummary(wordDiff('Same text.', 'Same text.'))).toBe('No change in wording');
    expect(wordDiff(null, '').parts).toEqual([]);
  });

  it('[QU2] removed words only: the summary counts them', () => {
    expect(diffSummary(wordDiff('Three people were badly hurt.', 'Three people were hurt.'))).toBe('1 word removed');
  });
});

describe('waiting time', () => {
  it('[QU1] "waiting N min" from the last submit, under a minute said in words, the absolute time from an hour on', () => {
    expect(formatWaiting(min(0.5), T0, 'Asia/Almaty')).toBe('waiting under a minute');
    expect(formatWaiting(min(4), T0, 'Asia/Almaty')).toBe('waiting 4 min');
    expect(formatWaiting(min(59), T0, 'Asia/Almaty')).toBe('waiting 59 min');
    expect(formatWaiting(min(65), T0, 'Asia/Almaty')).toBe('waiting since 12:55');
    expect(minutesBetween(new Date(T0 + 30_000).toISOString(), T0)).toBe(0);
    expect(minutesBetween('not a time', T0)).toBe(0);
    const submitted = entry({ lastAction: { action: 'submit', actorId: 'dana-0001', actorName: 'Dana', at: min(7) }, updatedAt: min(1) });
    expect(waitingSince(submitted)).toBe(min(7));
    expect(waitingSince(entry({ updatedAt: min(2) }))).toBe(min(2));
  });

  it('[QU1] age turns amber at 5 min and red at 15', () => {
    expect([0, 4, 5, 14, 15, 90].map(ageLevel)).toEqual(['fresh', 'fresh', 'amber', 'amber', 'red', 'red']);
  });

  it('[QU5] when someone acted: seconds, then minutes, then the time', () => {
    expect(formatAgo(new Date(T0 - 3000).toISOString(), T0, 'Asia/Almaty')).toBe('3 s ago');
    expect(formatAgo(min(12), T0, 'Asia/Almaty')).toBe('12 min ago');
    expect(formatAgo(min(120), T0, 'Asia/Almaty')).toBe('at 12:00');
  });
});

describe('scheduling at a typed time in the live file\'s zone', () => {
  it('[QU14] "14:30" typed at 14:05 Almaty is today 09:30 UTC, echoed with the zone, UTC and how soon', () => {
    const now = new Date(T0 + 5 * 60_000);
    const c = parseClock('14:30')!;
    const { at, tomorrow } = scheduleAt(c, 'Asia/Almaty', now);
    expect(at.toISOString()).toBe('2025-06-02T09:30:00.000Z');
    expect(tomorrow).toBe(false);
    expect(describeSchedule(at, tomorrow, 'Asia/Almaty', now)).toBe('14:30 Almaty, 09:30 UTC, in 25 min');
  });

  it('[QU14] a time already past today means tomorrow, and says so', () => {
    const now = new Date(T0);
    const { at, tomorrow } = scheduleAt({ h: 9, m: 0 }, 'Asia/Almaty', now);
    expect(at.toISOString()).toBe('2025-06-03T04:00:00.000Z');
    expect(tomorrow).toBe(true);
    expect(describeSchedule(at, tomorrow, 'Asia/Almaty', now)).toBe('tomorrow 09:00 Almaty, 04:00 UTC, in 19 h');
    // A file kept in UTC needs no second clock.
    const utc = scheduleAt({ h: 9, m: 45 }, 'UTC', now);
    expect(describeSchedule(utc.at, utc.tomorrow, 'UTC', now)).toBe('09:45 UTC, in 45 min');
  });

  it('[QU14] typed forms: 14:30, 1430, 9.05; nonsense is refused', () => {
    expect(parseClock('1430')).toEqual({ h: 14, m: 30 });
    expect(parseClock(' 9.05 ')).toEqual({ h: 9, m: 5 });
    expect(['25:00', '12:60', 'noon', '', '1:2'].map(parseClock)).toEqual([null, null, null, null, null]);
    expect(formatClock({ h: 9, m: 5 })).toBe('09:05');
    expect(defaultClock('Asia/Almaty', new Date(T0 + 2 * 60_000))).toEqual({ h: 14, m: 35 });
  });

  it('[QU14] across a daylight-saving change the wall time still means that wall time', () => {
    // London moved to BST on 2025-03-30 at 01:00 UTC.
    expect(zonedToUtc({ y: 2025, mo: 3, d: 30, }, { h: 12, m: 0 }, 'Europe/London').toISOString()).toBe('2025-03-30T11:00:00.000Z');
    expect(zonedToUtc({ y: 2025, mo: 3, d: 29 }, { h: 12, m: 0 }, 'Europe/London').toISOString()).toBe('2025-03-29T12:00:00.000Z');
  });
});

describe('which workflow buttons a viewer sees (the shared permission table)', () => {
  const chief = actorOf({ id: 'timur-0001', role: 'chief' });
  const editor = actorOf({ id: 'arman-0001', role: 'editor' });
  const dana = actorOf({ id: 'dana-0001', role: 'correspondent' });
  const open = { members: null, fourEyes: false };
  const shown = (b: ReturnType<typeof flowButtons>) => b.map((x) => `${x.action}${x.enabled ? '' : ' (disabled)'}`);

  it('[QU6] a chief on a submitted entry: publish, schedule, reject; retract only once something is published', () => {
    expect(shown(flowButtons(chief, open, entry()))).toEqual(['publish', 'schedule', 'reject']);
    expect(shown(flowButtons(chief, open, entry({ publishedRevision: 1 })))).toEqual(['publish', 'schedule', 'reject', 'retract']);
    expect(shown(flowButtons(chief, open, entry({ status: 'scheduled', publishAt: min(-10) })))).toEqual(['publish', 'reject']);
  });

  it('[QU6] editors and the author submit; they never see publish, reject or retract', () => {
    expect(shown(flowButtons(editor, open, entry({ status: 'draft' })))).toEqual(['submit']);
    expect(shown(flowButtons(dana, open, entry({ status: 'draft' })))).toEqual(['submit']);
    expect(shown(flowButtons(dana, open, entry({ status: 'rejected', note: 'Source?' })))).toEqual(['submit']);
    expect(shown(flowButtons(dana, open, entry({ status: 'submitted' })))).toEqual([]);
    expect(shown(flowButtons(editor, open, entry({ status: 'retracted', publishedRevision: 1 })))).toEqual([]);
  });

  it('[QU6] a published entry offers Submit only with a correction waiting', () => {
    expect(shown(flowButtons(editor, open, entry({ status: 'published', revision: 2, publishedRevision: 2 })))).toEqual([]);
    expect(shown(flowButtons(editor, open, entry({ status: 'published', revision: 3, publishedRevision: 2 })))).toEqual(['submit']);
    expect(hasPendingCorrection(entry({ revision: 3, publishedRevision: 2 }))).toBe(true);
    expect(hasPendingCorrection(entry({ revision: 3 }))).toBe(false);
  });

  it('[QU6] four-eyes: the author-chief sees publish and schedule disabled, with the reason; reject stays', () => {
    const own = entry({ authorId: chief.id, contributorIds: [chief.id] });
    const b = flowButtons(chief, { members: null, fourEyes: true }, own);
    expect(shown(b)).toEqual(['publish (disabled)', 'schedule (disabled)', 'reject']);
    expect(b.find((x) => x.action === 'publish')!.reason).toMatch(/Four-eyes is on/);
    // A co-writer is barred too.
    const co = entry({ contributorIds: ['dana-0001', chief.id] });
    expect(shown(flowButtons(chief, { members: null, fourEyes: true }, co))).toEqual(['publish (disabled)', 'schedule (disabled)', 'reject']);
  });

  it('[QU6] a file restricted to others shows a chief nothing', () => {
    expect(flowButtons(chief, { members: ['someone-else'], fourEyes: false }, entry())).toEqual([]);
  });
});

describe('a refused workflow step, in words', () => {
  it('[QU5] a 409 shows the server\'s sentence (who acted first) and carries the entry as it is now', () => {
    const now = entry({ status: 'published', version: 4 });
    const err = new ApiError(409, 'conflict', 'Aizhan Bekova published this 3 s ago', { reason: 'wrong-state', entry: now, by: { id: 'aizhan-001', name: 'Aizhan Bekova' } });
    const r = refusalOf(err, 'publish');
    expect(r).toMatchObject({ text: 'Aizhan Bekova published this 3 s ago.', conflict: true, reason: 'wrong-state', retry: false });
    expect(r.entry?.version).toBe(4);
    // No sentence from the server: the name from the details.
    expect(refusalOf(new ApiError(409, 'conflict', 'someone else changed it at the same moment', { reason: 'stale-version', by: { id: 'x-000001', name: 'Aizhan' } }), 'reject').text)
      .toBe('Aizhan changed this entry first.');
  });

  it('[QU5] no answer from the server: nothing changed, try again (same key); 403 says why', () => {
    expect(refusalOf(new ApiError(0, 'unavailable', "this device can't reach the server"), 'publish'))
      .toMatchObject({ retry: true, conflict: false, text: "Couldn't publish this entry: this device can't reach the server. Nothing was changed; try again." });
    expect(refusalOf(new ApiError(403, 'forbidden', 'Four-eyes is on for this live file: someone who did not write this entry must publish it.'), 'publish'))
      .toMatchObject({ retry: false, text: 'Four-eyes is on for this live file: someone who did not write this entry must publish it.' });
  });
});
