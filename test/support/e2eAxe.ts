import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import type { AxeResults, ImpactValue, Result, RunOptions } from 'axe-core';

/**
 * axe-core inside a page under test: its source is evaluated in the page (no network, works
 * offline and under the desk's CSP, which refuses inline scripts) and `axe.run` checks the whole document,
 * open shadow roots included (every Lit component of ours).
 */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export const BLOCKING_IMPACTS: readonly ImpactValue[] = ['serious', 'critical'];

export interface AxeFinding {
  id: string;
  impact: ImpactValue | null | undefined;
  help: string;
  /** One line per offending node: its selector path and axe's summary of what is wrong. */
  nodes: string[];
}

/** Runs axe on the page as it is now; injects axe-core first if the page does not have it yet. */
export async function runAxe(page: Page, options: RunOptions = {}): Promise<AxeResults> {
  // Evaluated through the DevTools protocol, not as a <script>: the desk's CSP refuses inline scripts.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (opts) => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: unknown): Promise<AxeResults> } }).axe;
    return axe.run(document, { resultTypes: ['violations'], ...opts });
  }, options as Record<string, unknown>);
}

/** The violations of `impacts` (serious and critical by default), each with its nodes, for messages. */
export function findings(results: AxeResults, impacts: readonly ImpactValue[] = BLOCKING_IMPACTS): AxeFinding[] {
  return results.violations
    .filter((v: Result) => v.impact && impacts.includes(v.impact))
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => `${n.target.map((t) => (Array.isArray(t) ? t.join(' >> ') : String(t))).join(' >> ')}: ${(n.failureSummary ?? '').replace(/\s+/g, ' ').trim()}`),
    }));
}

/** Serious and critical violations on the page right now (an empty list when it passes). */
export async function blockingViolations(page: Page, options: RunOptions = {}): Promise<AxeFinding[]> {
  return findings(await runAxe(page, options));
}

export function formatFindings(list: AxeFinding[]): string {
  return list.map((f) => `${f.impact} ${f.id} (${f.help}):\n    ${f.nodes.slice(0, 8).join('\n    ')}`).join('\n  ');
}
