import { ensureClientBuilt } from '../../scripts/buildIfNeeded.js';

/**
 * vitest globalSetup of the e2e project: builds the client (`vite build` into dist/) so the tests
 * load the real built pages from the real server. The same check as `npm start`
 * (scripts/buildIfNeeded.ts): skipped when dist/.build-stamp holds the hash of client/, shared/,
 * the build scripts and the lockfile, so reruns start at once; a lock keeps two builds apart.
 */
export default async function setup(): Promise<void> {
  if (process.env.E2E_SKIP_BUILD === '1') return;
  await ensureClientBuilt({ log: (m) => console.log(`[e2e] ${m}`) });
}
