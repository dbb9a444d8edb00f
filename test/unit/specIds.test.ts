// docs/spec.md and the tests kept in step: every rule id a test cites is defined there once, and
// every rule defined there (unless marked "(not yet built)") is cited by some test.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SPEC = 'docs/spec.md';
const ID = '[A-Z]{2,3}[0-9]+';
const SECTION = new RegExp(`^## ([A-Z]{2,3}): \\S`);
const RULE = new RegExp(`^- (${ID}): \\S`);
const CITATION = new RegExp(`\\[(${ID})\\]`, 'g');
/** In prose docs: `[CO5]`, `[CO5, CO7]`, `[DK1–DK7]`. */
const DOC_CITATION = new RegExp(`\\[(${ID}(?:\\s*(?:,|–|-)\\s*${ID})*)\\]`, 'g');
const NOT_YET_BUILT = /\(not yet built\)\s*$/;

interface Rule {
  id: string;
  line: number;
  section: string | null;
  notYetBuilt: boolean;
}

function read(path: string): string {
  return readFileSync(join(ROOT, path), 'utf8');
}

function parseSpec(text: string): { rules: Rule[]; strayBullets: string[] } {
  const rules: Rule[] = [];
  const strayBullets: string[] = [];
  let section: string | null = null;
  text.split('\n').forEach((line, i) => {
    const heading = SECTION.exec(line);
    if (heading) section = heading[1];
    else if (line.startsWith('## ')) section = null;
    const rule = RULE.exec(line);
    if (rule) rules.push({ id: rule[1], line: i + 1, section, notYetBuilt: NOT_YET_BUILT.test(line) });
    else if (section && line.startsWith('- ')) strayBullets.push(`${SPEC}:${i + 1}: ${line.slice(0, 60)}`);
  });
  return { rules, strayBullets };
}

function filesUnder(dir: string, ext: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...filesUnder(path, ext));
    else if (entry.name.endsWith(ext)) out.push(path);
  }
  return out.sort();
}

/** id → the test files citing it. */
function citationsInTests(): Map<string, string[]> {
  const self = relative(ROOT, fileURLToPath(import.meta.url)).split('\\').join('/');
  const cited = new Map<string, string[]>();
  for (const file of filesUnder('test', '.ts')) {
    if (file === self) continue;
    for (const [, id] of read(file).matchAll(CITATION)) {
      const files = cited.get(id) ?? [];
      if (!files.includes(file)) files.push(file);
      cited.set(id, files);
    }
  }
  return cited;
}

/** Ids cited in the prose of the other docs (fenced code blocks are examples, not citations). */
function citationsInDocs(): Map<string, string[]> {
  const cited = new Map<string, string[]>();
  for (const file of filesUnder('docs', '.md').filter((f) => f !== SPEC)) {
    const prose = read(file).replace(/^```[\s\S]*?^```/gm, '');
    for (const [, group] of prose.matchAll(DOC_CITATION)) {
      for (const id of group.split(/\s*(?:,|–|-)\s*/)) cited.set(id, [...(cited.get(id) ?? []), file]);
    }
  }
  return cited;
}

const byId = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

describe('docs/spec.md and the rule ids the tests cite', () => {
  const { rules, strayBullets } = parseSpec(read(SPEC));
  const defined = new Map(rules.map((r) => [r.id, r]));
  const cited = citationsInTests();

  it('defines at least the rules it is known to (the parser reads the file)', () => {
    expect(rules.length).toBeGreaterThan(100);
  });

  it('every rule id a test cites is defined in docs/spec.md', () => {
    const undefinedIds = [...cited.keys()].filter((id) => !defined.has(id)).sort(byId);
    expect(undefinedIds.map((id) => `${id} (cited in ${cited.get(id)!.join(', ')})`), 'cited but not defined').toEqual([]);
  });

  it('no id is defined twice', () => {
    const lines = new Map<string, number[]>();
    for (const r of rules) lines.set(r.id, [...(lines.get(r.id) ?? []), r.line]);
    const twice = [...lines].filter(([, at]) => at.length > 1).map(([id, at]) => `${id} (lines ${at.join(', ')})`);
    expect(twice.sort(byId), 'defined more than once').toEqual([]);
  });

  it('every rule not marked "(not yet built)" is cited by a test', () => {
    const uncited = rules.filter((r) => !r.notYetBuilt && !cited.has(r.id)).map((r) => r.id);
    expect(uncited.sort(byId), 'defined but cited by no test (write its test, mark it "(not yet built)", or delete it)').toEqual([]);
  });

  it('a rule a test cites is built: it no longer carries "(not yet built)"', () => {
    const built = rules.filter((r) => r.notYetBuilt && cited.has(r.id)).map((r) => r.id);
    expect(built.sort(byId), 'cited by a test yet marked "(not yet built)"').toEqual([]);
  });

  it('each rule sits under the heading of its prefix, one rule a line', () => {
    const misplaced = rules.filter((r) => r.section !== r.id.replace(/[0-9]+$/, '')).map((r) => `${r.id} (line ${r.line}, under ${r.section ?? 'no rule heading'})`);
    expect(misplaced.sort(byId), 'rules outside their "## <PREFIX>: …" section').toEqual([]);
    expect(strayBullets, 'bullets in a rule section that are not "- <ID>: <rule>"').toEqual([]);
  });

  it('the other docs cite only defined ids', () => {
    const docs = citationsInDocs();
    const unknown = [...docs.keys()].filter((id) => !defined.has(id)).sort(byId);
    expect(unknown.map((id) => `${id} (in ${[...new Set(docs.get(id))].join(', ')})`), 'cited in docs/ but not defined').toEqual([]);
  });
});
