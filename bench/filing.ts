// npm run bench:filing: what filing from the field costs.
//  1. Server: a 12-megapixel photo accepted and re-encoded through POST /api/media, one at a time
//     and 10 at once, with the peak extra memory (bench/filingMedia.ts). Targets ≤ 1 s, ≤ 300 MB.
//  2. Phone: the /file page's first-load weight (JS + CSS, gzip) and its time to interactive
//     under slow-3G in Chromium (bench/filingPage.ts). Targets ≤ 150 KB, ≤ 3 s.
// Results: bench/results/filing.json and filing.svg. 127.0.0.1 only; every loop is bounded.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchFilingMedia, describeMediaFigures } from './filingMedia.js';
import { writeBarChart } from './collab/lib/svg.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = join(ROOT, 'bench/results');
const argv = process.argv.slice(2);
const serial = Number(argv.find((a) => a.startsWith('--photos='))?.slice(9) ?? '10');
const COMMAND = `npm run bench:filing${argv.length ? ' -- ' + argv.join(' ') : ''}`;

const media = await benchFilingMedia({ serial });
console.log(`\n${COMMAND}  (MALLOC_ARENA_MAX=${process.env.MALLOC_ARENA_MAX ?? 'unset'})\n`);
for (const line of describeMediaFigures(media)) console.log(line);

let page: unknown = null;
try {
  const { benchFilingPage, describePageFigures } = await import('./filingPage.js');
  const figures = await benchFilingPage();
  page = figures;
  console.log('');
  for (const line of describePageFigures(figures)) console.log(line);
} catch (error) {
  if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
  console.log('\n(the /file page bench runs once bench/filingPage.ts exists)');
}

mkdirSync(RESULTS, { recursive: true });
writeFileSync(join(RESULTS, 'filing.json'), JSON.stringify({ command: COMMAND, at: new Date().toISOString(), media, page }, null, 2));
writeBarChart(join(RESULTS, 'filing.svg'), '12 MP photo: accept and re-encode (ms, p50)', [
  { label: 'one photo', bars: [{ name: 'Livedesk /api/media (7 outputs)', value: media.serialMs.p50 }, { name: 'sharp alone (1 re-encode)', value: media.peerMs.p50 }] },
], COMMAND);
