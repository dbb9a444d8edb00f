import { appendFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDocLogs } from '../../server/store/embedded/docLogs.js';
import { tempDir } from '../support/tempDir.js';

const bytes = (...b: number[]) => Uint8Array.from(b);

describe('embedded document logs (one file per document)', () => {
  it('[ST11] a torn last record (crash mid-write) is cut off; appends continue after the whole ones', async () => {
    const dir = await tempDir('doclogs-');
    const logs = await openDocLogs(dir);
    await logs.append('entry:torn-0001', bytes(1, 2, 3));
    await logs.close();
    const [file] = await readdir(join(dir, 'docs'));
    await appendFile(join(dir, 'docs', file), Buffer.from([40, 0, 0, 0, 1, 9])); // a header promising 40 bytes

    const reopened = await openDocLogs(dir);
    expect((await reopened.load('entry:torn-0001')).updates.map((u) => [...u.update])).toEqual([[1, 2, 3]]);
    const id = await reopened.append('entry:torn-0001', bytes(4));
    const loaded = await reopened.load('entry:torn-0001');
    expect(loaded.updates.map((u) => u.id)).toEqual(['1', id]);
    expect(loaded.updates.map((u) => [...u.update])).toEqual([[1, 2, 3], [4]]);
    await reopened.close();
  });

  it('[ST12] more documents than open handles: every append lands in its own document', async () => {
    const dir = await tempDir('doclogs-');
    const logs = await openDocLogs(dir);
    const names = Array.from({ length: 300 }, (_, i) => `entry:many-${String(i).padStart(5, '0')}`);
    await Promise.all(names.map((n, i) => logs.append(n, bytes(i % 256, 1))));
    await Promise.all(names.map((n, i) => logs.append(n, bytes(i % 256, 2))));
    for (const [i, n] of names.entries()) {
      expect((await logs.load(n)).updates.map((u) => [...u.update])).toEqual([[i % 256, 1], [i % 256, 2]]);
    }
    await logs.close();
  });

  it('[ST13] updates appended while a compaction runs survive it with their ids', async () => {
    const dir = await tempDir('doclogs-');
    const logs = await openDocLogs(dir);
    const first = await logs.append('file:compact-01', bytes(1));
    const [, late] = await Promise.all([logs.compact('file:compact-01', bytes(9, 9), [first]), logs.append('file:compact-01', bytes(2))]);
    const loaded = await logs.load('file:compact-01');
    expect([...loaded.snapshot!]).toEqual([9, 9]);
    expect(loaded.updates).toEqual([{ id: late, update: bytes(2) }]);
    await logs.close();
  });
});
