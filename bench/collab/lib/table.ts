// Plain-text tables for the console.
export function printTable(title: string, header: string[], rows: (string | number)[][]): void {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => '| ' + r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ') + ' |';
  const sep = '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|';
  console.log(`\n${title}\n${line(header)}\n${sep}\n${cells.slice(1).map(line).join('\n')}`);
}

export function verdict(ok: boolean): string {
  return ok ? 'PASS' : 'FAIL';
}
