import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];
let cleanupRegistered = false;

/** A fresh directory under the OS temp dir, removed when the process exits. */
export async function tempDir(prefix = 'livedesk-'): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  if (!cleanupRegistered) {
    cleanupRegistered = true;
    // 'exit' handlers must be synchronous.
    process.once('exit', () => {
      for (const path of made) rmSync(path, { recursive: true, force: true });
    });
  }
  return dir;
}
