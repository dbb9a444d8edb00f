// The servers' --profile requests for bench/readers.ts (ourServer.ts, peerServer.ts): a V8 CPU
// profile of a measured stretch only, started and stopped when the parent says, written to
// bench/results/prof/<name>.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { REPO_ROOT } from '../collab/lib/proc.js';

export function profilingRequests() {
  let profiler: Session | null = null;
  return {
    profileStart: async () => {
      profiler = new Session();
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.setSamplingInterval', { interval: 200 });
      await profiler.post('Profiler.start');
      return true;
    },
    profileStop: async (a: Record<string, unknown>) => {
      if (!profiler) return null;
      const { profile } = await profiler.post('Profiler.stop');
      profiler.disconnect();
      profiler = null;
      const dir = join(REPO_ROOT, 'bench/results/prof');
      mkdirSync(dir, { recursive: true });
      const path = join(dir, String(a.name));
      writeFileSync(path, JSON.stringify(profile));
      return path;
    },
  };
}
