import { describe, expect, it } from 'vitest';
import type { EntryView } from '../../shared/schemas/entry.js';
import type { DeskItem } from '../../shared/collab/deskDoc.js';
import { matchesSearch, searchWords } from '../../client/pages/deskSearch.js';
import { deskRows } from '../../client/pages/deskRows.js';

function entry(id: string, preview: string, extra: Partial<EntryView> = {}): EntryView {
  return {
    id, liveFileId: 'file-000001', authorId: 'acct-000001', authorName: 'Dana Editor', status: 'draft', version: 1, revision: 1, preview,
    bylines: [], contributorIds: [], contributors: [], createdAt: '2026-11-25T10:00:00.000Z', updatedAt: '2026-11-25T10:00:00.000Z',
    ...extra,
  };
}

describe('desk search', () => {
  it('[DS1] words are folded: Cyrillic, Kazakh and Latin match whatever the case; Arabic as typed', () => {
    const ru = entry('e-ru-00001', 'Вода поднялась на улицах Медеуского района.');
    const kk = entry('e-kk-00001', 'Медеу ауданында су көшелерге шықты. Құтқарушылар жұмыс істеп жатыр.');
    const ar = entry('e-ar-00001', 'فيضانات في ألماتي');
    expect(matchesSearch(ru, searchWords('МЕДЕУ'))).toBe(true);
    expect(matchesSearch(kk, searchWords('медеу ҚҰТҚАРУШЫЛАР'))).toBe(true);
    expect(matchesSearch(ar, searchWords('ألماتي'))).toBe(true);
    expect(matchesSearch(ru, searchWords('Медеу қайық'))).toBe(false); // every word must appear
  });

  it('[DS2] headline, bylines and author count; a decomposed é matches a composed one', () => {
    const e = entry('e-en-00001', 'Shelters are open.', { headline: 'Where to get help', bylines: ['Aigerim Café'] });
    expect(matchesSearch(e, searchWords('help shelters'))).toBe(true);
    expect(matchesSearch(e, searchWords('cafe\u0301'))).toBe(true);
    expect(matchesSearch(e, searchWords('dana'))).toBe(true);
    expect(matchesSearch(e, searchWords('   '))).toBe(true); // nothing typed hides nothing
    expect(matchesSearch(e, searchWords('flood'))).toBe(false);
  });

  it('[DS3] the query hides rows, never reorders them, and combines with the filter', () => {
    const byId = new Map([
      ['e1', entry('e1', 'Dam breach confirmed above the river')],
      ['e2', entry('e2', 'Shelters open', { status: 'published' })],
      ['e3', entry('e3', 'Second breach reported downstream')],
    ]);
    const items: DeskItem[] = [
      { entryId: 'e3', position: 'a0', pinned: false, keyEvent: false, label: '' },
      { entryId: 'e2', position: 'a1', pinned: true, keyEvent: false, label: '' },
      { entryId: 'e1', position: 'a2', pinned: false, keyEvent: false, label: '' },
    ];
    const ids = (r: ReturnType<typeof deskRows>) => [...r.pinned, ...r.rest].map((x) => x.entry.id);
    expect(ids(deskRows(items, byId, 'all', undefined))).toEqual(['e2', 'e3', 'e1']);
    expect(ids(deskRows(items, byId, 'all', undefined, 'BREACH'))).toEqual(['e3', 'e1']);
    expect(ids(deskRows(items, byId, 'drafts', undefined, 'breach dam'))).toEqual(['e1']);
    expect(ids(deskRows(items, byId, 'all', undefined, 'nothing like this'))).toEqual([]);
  });
});
