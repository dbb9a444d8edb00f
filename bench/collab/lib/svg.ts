// Hand-written SVG charts: grouped horizontal bars, no dependencies.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface BarGroup {
  label: string;
  bars: Array<{ name: string; value: number; text?: string }>;
}

const COLORS = ['#2f6db5', '#d9822b', '#3a9a5b', '#b53a3a', '#7a4fb5'];
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** One panel per group (each with its own scale), bars side by side. */
export function writeBarChart(path: string, title: string, groups: BarGroup[], note = ''): void {
  const barH = 22, gap = 6, panelPad = 34, left = 170, width = 760, right = 150;
  const plotW = width - left - right;
  let y = 50;
  const parts: string[] = [];
  for (const g of groups) {
    const max = Math.max(1e-9, ...g.bars.map((b) => (Number.isFinite(b.value) ? b.value : 0)));
    parts.push(`<text x="10" y="${y}" font-weight="bold" font-size="13">${esc(g.label)}</text>`);
    y += 8;
    g.bars.forEach((b, i) => {
      const w = Number.isFinite(b.value) ? Math.max(1, (b.value / max) * plotW) : 0;
      parts.push(`<text x="${left - 8}" y="${y + barH * 0.7}" text-anchor="end" font-size="12">${esc(b.name)}</text>`);
      parts.push(`<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${barH}" fill="${COLORS[i % COLORS.length]}"/>`);
      parts.push(`<text x="${left + w + 6}" y="${y + barH * 0.7}" font-size="12">${esc(b.text ?? String(b.value))}</text>`);
      y += barH + gap;
    });
    y += panelPad - gap;
  }
  if (note) {
    parts.push(`<text x="10" y="${y}" font-size="11" fill="#555">${esc(note)}</text>`);
    y += 16;
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y + 10}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
<text x="10" y="26" font-size="16" font-weight="bold">${esc(title)}</text>
${parts.join('\n')}
</svg>
`;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, svg);
}

/** A line chart of series over a shared x axis (e.g. heap over time). */
export function writeLineChart(path: string, title: string, xLabel: string, yLabel: string, series: Array<{ name: string; points: Array<[number, number]> }>): void {
  const W = 760, H = 360, L = 70, R = 20, T = 40, B = 50;
  const all = series.flatMap((s) => s.points);
  const xMax = Math.max(1e-9, ...all.map((p) => p[0]));
  const yMax = Math.max(1e-9, ...all.map((p) => p[1])) * 1.1;
  const sx = (x: number) => L + (x / xMax) * (W - L - R);
  const sy = (v: number) => H - B - (v / yMax) * (H - T - B);
  const parts: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const v = (yMax * i) / 4;
    parts.push(`<line x1="${L}" x2="${W - R}" y1="${sy(v)}" y2="${sy(v)}" stroke="#ddd"/>`);
    parts.push(`<text x="${L - 6}" y="${sy(v) + 4}" text-anchor="end" font-size="11">${v.toFixed(v < 10 ? 1 : 0)}</text>`);
  }
  for (let i = 0; i <= 5; i++) {
    const x = (xMax * i) / 5;
    parts.push(`<text x="${sx(x)}" y="${H - B + 16}" text-anchor="middle" font-size="11">${x.toFixed(1)}</text>`);
  }
  series.forEach((s, i) => {
    const d = s.points.map((p, j) => `${j ? 'L' : 'M'}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join(' ');
    parts.push(`<path d="${d}" fill="none" stroke="${COLORS[i % COLORS.length]}" stroke-width="2"/>`);
    parts.push(`<text x="${L + 10 + i * 180}" y="${T - 8}" font-size="12" fill="${COLORS[i % COLORS.length]}">${esc(s.name)}</text>`);
  });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
<text x="10" y="20" font-size="15" font-weight="bold">${esc(title)}</text>
<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="#333"/><line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="#333"/>
<text x="${(L + W - R) / 2}" y="${H - 12}" text-anchor="middle" font-size="12">${esc(xLabel)}</text>
<text x="14" y="${(T + H - B) / 2}" font-size="12" transform="rotate(-90 14 ${(T + H - B) / 2})" text-anchor="middle">${esc(yLabel)}</text>
${parts.join('\n')}
</svg>
`;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, svg);
}
