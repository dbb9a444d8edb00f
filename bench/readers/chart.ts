// The delivery-time distribution: one panel per reader count, a CDF per server (share of readers
// that had the change, by ms after the publish request started). Hand-written SVG, like lib/svg.ts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const COLORS: Record<string, string> = { ours: '#2f6db5', ws: '#3a9a5b', sio: '#d9822b', oursWire: '#7fa8d9', sioWire: '#e8b27a' };
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export interface CdfPanel {
  title: string;
  /** Per series: sorted latencies (ms) and a label for the legend. */
  series: Array<{ key: string; name: string; sorted: ArrayLike<number> }>;
}

function niceStep(x: number): number {
  const p = 10 ** Math.floor(Math.log10(x));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((s) => s >= x) ?? 10 * p;
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + word.length + 1 > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}

export function writeCdfChart(path: string, title: string, panels: CdfPanel[], note: string): void {
  const W = 820, PH = 300, L = 70, R = 20, T = 50, B = 44, gap = 24;
  const parts: string[] = [];
  let y0 = T;
  for (const p of panels) {
    const raw = Math.max(1, ...p.series.map((s) => (s.sorted.length ? s.sorted[s.sorted.length - 1]! : 0))) * 1.02;
    const step = niceStep(raw / 6);
    const xMax = Math.ceil(raw / step) * step;
    const sx = (x: number) => L + (x / xMax) * (W - L - R);
    const sy = (f: number) => y0 + PH - B - f * (PH - B - 28);
    parts.push(`<text x="10" y="${y0 + 14}" font-size="13" font-weight="bold">${esc(p.title)}</text>`);
    for (let i = 0; i <= 4; i++) {
      const f = i / 4;
      parts.push(`<line x1="${L}" x2="${W - R}" y1="${sy(f).toFixed(1)}" y2="${sy(f).toFixed(1)}" stroke="#ddd"/>`);
      parts.push(`<text x="${L - 6}" y="${(sy(f) + 4).toFixed(1)}" text-anchor="end" font-size="11">${f * 100}%</text>`);
    }
    for (let x = 0; x <= xMax + 1e-9; x += step) {
      parts.push(`<text x="${sx(x).toFixed(1)}" y="${y0 + PH - B + 16}" text-anchor="middle" font-size="11">${Number(x.toPrecision(6)).toLocaleString('en-US')}</text>`);
    }
    parts.push(`<line x1="${L}" y1="${y0 + PH - B}" x2="${W - R}" y2="${y0 + PH - B}" stroke="#333"/><line x1="${L}" y1="${y0 + 28}" x2="${L}" y2="${y0 + PH - B}" stroke="#333"/>`);
    parts.push(`<text x="${(L + W - R) / 2}" y="${y0 + PH - B + 32}" text-anchor="middle" font-size="12">ms after the publish (trigger) request started</text>`);
    p.series.forEach((s, i) => {
      const n = s.sorted.length;
      if (!n) return;
      const steps = Math.min(n, 400);
      const pts: string[] = [`M${sx(0).toFixed(1)},${sy(0).toFixed(1)}`];
      for (let j = 1; j <= steps; j++) {
        const idx = Math.min(n - 1, Math.ceil((j / steps) * n) - 1);
        pts.push(`L${sx(s.sorted[idx]!).toFixed(1)},${sy((idx + 1) / n).toFixed(1)}`);
      }
      const color = COLORS[s.key] ?? '#7a4fb5';
      parts.push(`<path d="${pts.join(' ')}" fill="none" stroke="${color}" stroke-width="2"/>`);
      parts.push(`<text x="${W - R - 10}" y="${y0 + PH - B - 12 - (p.series.length - 1 - i) * 15}" text-anchor="end" font-size="12" fill="${color}">${esc(s.name)}</text>`);
    });
    y0 += PH + gap;
  }
  for (const line of wrap(note, 130)) {
    parts.push(`<text x="10" y="${y0}" font-size="11" fill="#555">${esc(line)}</text>`);
    y0 += 14;
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${y0 + 14}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
<text x="10" y="24" font-size="16" font-weight="bold">${esc(title)}</text>
${parts.join('\n')}
</svg>
`;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, svg);
}
