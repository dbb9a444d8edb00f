// node --import tsx bench/readers/profileSummary.ts bench/results/prof/readers-ours-10000.cpuprofile [top]
// Where a V8 CPU profile spends its busy time: self time by package (node_modules/<name>, our
// server/ and shared/ folders, node: internals, GC) and the top functions. Idle is left out.
import { readFileSync } from 'node:fs';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[] }

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.log('usage: profileSummary.ts <file.cpuprofile> [top functions, default 25]');
  process.exit(1);
}
const prof = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
prof.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0)));

function area(url: string, fn: string): string {
  if (fn === '(garbage collector)') return 'GC';
  if (fn === '(program)') return '(program: native, outside JS)';
  if (!url) return `(native) ${fn}`;
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const ours = /\/(server|shared|bench)\/(.*)$/.exec(url);
  if (ours) return `${ours[1]}/${ours[2]!.split('/').slice(0, -1).join('/') || '.'}`;
  return url;
}

const areas = new Map<string, number>();
const fns = new Map<string, number>();
let busy = 0, idle = 0;
for (const [id, us] of self) {
  const n = byId.get(id)!;
  const { functionName: fn, url, lineNumber } = n.callFrame;
  if (fn === '(idle)') { idle += us; continue; }
  busy += us;
  const a = area(url, fn);
  areas.set(a, (areas.get(a) ?? 0) + us);
  const key = `${fn || '(anonymous)'}  ${a}${url ? `:${lineNumber + 1}` : ''}`;
  fns.set(key, (fns.get(key) ?? 0) + us);
}
const pct = (us: number) => `${((us / busy) * 100).toFixed(1).padStart(5)} %`;
console.log(`${file}: busy ${(busy / 1000).toFixed(0)} ms, idle ${(idle / 1000).toFixed(0)} ms`);
console.log('\nself time by area:');
for (const [a, us] of [...areas].sort((x, y) => y[1] - x[1]).slice(0, 20)) console.log(`  ${pct(us)}  ${(us / 1000).toFixed(1).padStart(8)} ms  ${a}`);
console.log(`\ntop ${Number(topArg ?? 25)} functions by self time:`);
for (const [f, us] of [...fns].sort((x, y) => y[1] - x[1]).slice(0, Number(topArg ?? 25))) console.log(`  ${pct(us)}  ${(us / 1000).toFixed(1).padStart(8)} ms  ${f}`);
