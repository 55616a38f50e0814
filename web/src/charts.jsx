// Charts drawn as SVG by the UI itself (no chart library: small, no eval,
// no inline style, exportable as SVG and PNG as drawn). Every chart has a
// title, a text alternative and its numbers as a table, and downloads as
// CSV, SVG and PNG.
import { useRef } from 'preact/hooks';
import { fmtNum, t } from './i18n.js';
import { xlsx } from './xlsx.js';
import { toCsv } from './csv.js';

const W = 560;
const PALETTE = ['#1d4e89', '#c8553d', '#2a9d8f', '#8a5a9e', '#b08900', '#5c677d', '#d1495b', '#00798c'];

function download(name, blob) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function svgText(svg) {
  const clone = svg.cloneNode(true);
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  return new XMLSerializer().serializeToString(clone);
}

function exportPng(svg, name) {
  const img = new Image();
  const url = URL.createObjectURL(new Blob([svgText(svg)], { type: 'image/svg+xml' }));
  img.onload = () => {
    const vb = svg.viewBox.baseVal;
    const c = document.createElement('canvas');
    c.width = vb.width * 2;
    c.height = vb.height * 2;
    const g = c.getContext('2d');
    g.fillStyle = '#fff';
    g.fillRect(0, 0, c.width, c.height);
    g.drawImage(img, 0, 0, c.width, c.height);
    URL.revokeObjectURL(url);
    c.toBlob((b) => b && download(`${name}.png`, b), 'image/png');
  };
  img.src = url;
}

// A chart card: title, the SVG, downloads, and the numbers as a table.
export function ChartCard({ id, title, note, columns, rows, children, height }) {
  const ref = useRef(null);
  const file = id;
  return (
    <figure class="card chart" aria-labelledby={`${id}-t`}>
      <figcaption id={`${id}-t`}>
        <h2>{title}</h2>
        {note && <p class="muted">{note}</p>}
      </figcaption>
      <svg ref={ref} viewBox={`0 0 ${W} ${height || 260}`} role="img" aria-labelledby={`${id}-t`} class="chart-svg" font-family="sans-serif" font-size="13">
        <rect width={W} height={height || 260} fill="#ffffff" />
        {children}
      </svg>
      <div class="chart-actions" role="group" aria-label={t('chart.download', { what: title })}>
        <button type="button" onClick={() => download(`${file}.csv`, new Blob([toCsv(columns, rows)], { type: 'text/csv' }))}>CSV</button>
        <button type="button" onClick={() => download(`${file}.xlsx`, new Blob([xlsx(columns, rows, title)], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }))}>
          XLSX
        </button>
        <button type="button" onClick={() => download(`${file}.svg`, new Blob([svgText(ref.current)], { type: 'image/svg+xml' }))}>SVG</button>
        <button type="button" onClick={() => exportPng(ref.current, file)}>PNG</button>
      </div>
      <details>
        <summary>{t('chart.table')}</summary>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                {columns.map((c) => (
                  <th scope="col" key={c}>
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={i}>
                  {r.map((v, j) => (
                    <td key={j}>{typeof v === 'number' ? fmtNum(v) : v}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

function niceMax(v) {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  const m = v / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

// A bar label on at most two lines of about 30 characters (cut with an
// ellipsis beyond; the full label is the row's <title> and in the table).
export function wrapLabel(text, max = 30) {
  const words = String(text).split(/\s+/);
  const lines = [''];
  for (const w of words) {
    const cur = lines[lines.length - 1];
    if (!cur || (cur + ' ' + w).length <= max) lines[lines.length - 1] = cur ? `${cur} ${w}` : w;
    else lines.push(w);
  }
  if (lines.length > 2) {
    lines.length = 2;
    lines[1] = `${lines[1].slice(0, max - 1)}…`;
  }
  return lines.map((l) => (l.length > max ? `${l.slice(0, max - 1)}…` : l));
}

// The height Bars needs for its items.
export function barsHeight(items) {
  const two = items.some((i) => wrapLabel(i.label).length > 1);
  return Math.max(120, 20 + items.length * (two ? 36 : 26));
}

// Horizontal bars: items [{label, value, color?, masked?}]. A cell the API
// masked ("<5": 1 to 4; "x": suppressed to protect another cell) is drawn
// as a dashed outline up to 4 (for "<5") and labelled as the API wrote it.
export function Bars({ items, height }) {
  const h = height || barsHeight(items);
  const left = 220;
  const max = niceMax(Math.max(4, ...items.map((i) => i.value)));
  const bh = Math.min(36, (h - 20) / Math.max(1, items.length));
  return (
    <g>
      {items.map((it, i) => {
        const shown = it.masked === '<5' ? 4 : it.masked ? 0 : it.value;
        const w = ((W - left - 50) * shown) / max;
        const y = 10 + i * bh;
        const lines = wrapLabel(it.label);
        return (
          <g key={i}>
            <title>{`${it.label}: ${it.masked || fmtNum(it.value)}`}</title>
            <text x={left - 6} y={y + bh / 2 + 4 - (lines.length - 1) * 7} text-anchor="end" fill="#222">
              {lines.map((l, j) => (
                <tspan key={j} x={left - 6} dy={j ? 14 : 0}>
                  {l}
                </tspan>
              ))}
            </text>
            {it.masked ? (
              <rect x={left} y={y + 3} width={Math.max(0, w)} height={bh - 6} fill="none" stroke={it.color || PALETTE[0]} stroke-dasharray="4 3" />
            ) : (
              <rect x={left} y={y + 3} width={Math.max(0, w)} height={bh - 6} fill={it.color || PALETTE[0]} />
            )}
            <text x={left + w + 4} y={y + bh / 2 + 4} fill="#222">
              {it.masked || fmtNum(it.value)}
            </text>
          </g>
        );
      })}
    </g>
  );
}

// Lines over x (years): series [{name, points: [[x, y]...]}]
export function Lines({ series, height }) {
  const h = height || 260;
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p[0])))].sort();
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.points.map((p) => p[1]))));
  const L = 50;
  const R = W - 110;
  const T = 15;
  const B = h - 30;
  const x = (v) => (xs.length < 2 ? (L + R) / 2 : L + ((R - L) * xs.indexOf(v)) / (xs.length - 1));
  const y = (v) => B - ((B - T) * v) / max;
  return (
    <g>
      {[0, 0.5, 1].map((f) => (
        <g key={f}>
          <line x1={L} x2={R} y1={y(max * f)} y2={y(max * f)} stroke="#ddd" />
          <text x={L - 6} y={y(max * f) + 4} text-anchor="end" fill="#444">
            {fmtNum(max * f)}
          </text>
        </g>
      ))}
      {xs.map((v) => (
        <text key={v} x={x(v)} y={B + 16} text-anchor="middle" fill="#444">
          {v}
        </text>
      ))}
      {series.map((s, i) => (
        <g key={s.name}>
          <polyline fill="none" stroke={PALETTE[i % PALETTE.length]} stroke-width="2" points={s.points.map((p) => `${x(p[0])},${y(p[1])}`).join(' ')} />
          {s.points.map((p) => (
            <circle key={p[0]} cx={x(p[0])} cy={y(p[1])} r="3" fill={PALETTE[i % PALETTE.length]} />
          ))}
          <text x={R + 8} y={T + 14 * i + 4} fill={PALETTE[i % PALETTE.length]}>
            {String(s.name).slice(0, 16)}
          </text>
        </g>
      ))}
    </g>
  );
}

// Flows origin -> detection: links [{from, to, value}], two columns.
export function Sankey({ links, height }) {
  const h = height || 300;
  const total = links.reduce((a, l) => a + l.value, 0) || 1;
  const left = [...new Set(links.map((l) => l.from))];
  const right = [...new Set(links.map((l) => l.to))];
  const gap = 6;
  const sum = (side, key) => side.map((n) => links.filter((l) => l[key] === n).reduce((a, l) => a + l.value, 0));
  const ls = sum(left, 'from');
  const rs = sum(right, 'to');
  const scaleL = (h - 20 - gap * (left.length - 1)) / total;
  const scaleR = (h - 20 - gap * (right.length - 1)) / total;
  const pos = (vals, scale) => {
    let y = 10;
    return vals.map((v) => {
      const p = y;
      y += v * scale + gap;
      return p;
    });
  };
  const ly = pos(ls, scaleL);
  const ry = pos(rs, scaleR);
  const offL = left.map(() => 0);
  const offR = right.map(() => 0);
  const X1 = 165;
  const X2 = W - 175;
  return (
    <g>
      {links.map((l, i) => {
        const a = left.indexOf(l.from);
        const b = right.indexOf(l.to);
        const y1 = ly[a] + offL[a];
        const y2 = ry[b] + offR[b];
        const w1 = l.value * scaleL;
        const w2 = l.value * scaleR;
        offL[a] += w1;
        offR[b] += w2;
        const m = (X1 + X2) / 2;
        const d = `M${X1},${y1} C${m},${y1} ${m},${y2} ${X2},${y2} L${X2},${y2 + w2} C${m},${y2 + w2} ${m},${y1 + w1} ${X1},${y1 + w1} Z`;
        return <path key={i} d={d} fill={PALETTE[a % PALETTE.length]} fill-opacity="0.45" />;
      })}
      {left.map((n, i) => (
        <g key={n}>
          <rect x={X1 - 8} y={ly[i]} width="8" height={Math.max(1, ls[i] * scaleL)} fill={PALETTE[i % PALETTE.length]} />
          <text x={X1 - 12} y={ly[i] + (ls[i] * scaleL) / 2 + 4} text-anchor="end" fill="#222">
            {String(n).slice(0, 26)}
          </text>
        </g>
      ))}
      {right.map((n, i) => (
        <g key={n}>
          <rect x={X2} y={ry[i]} width="8" height={Math.max(1, rs[i] * scaleR)} fill="#5c677d" />
          <text x={X2 + 12} y={ry[i] + (rs[i] * scaleR) / 2 + 4} fill="#222">
            {String(n).slice(0, 26)}
          </text>
        </g>
      ))}
    </g>
  );
}

// Histogram of values (bootstrap replicates), with lines at marks [{x, label}].
export function Histogram({ values, marks, height }) {
  const h = height || 240;
  if (!values.length) return null;
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const n = 30;
  const step = (hi - lo) / n || 1;
  const bins = new Array(n).fill(0);
  for (const v of values) bins[Math.min(n - 1, Math.floor((v - lo) / step))]++;
  const max = Math.max(...bins);
  const L = 40;
  const R = W - 20;
  const B = h - 30;
  const x = (v) => L + ((R - L) * (v - lo)) / (hi - lo || 1);
  const bw = (R - L) / n;
  return (
    <g>
      {bins.map((c, i) => (
        <rect key={i} x={L + i * bw} y={B - ((B - 20) * c) / max} width={bw - 1} height={((B - 20) * c) / max} fill={PALETTE[0]} />
      ))}
      <line x1={L} x2={R} y1={B} y2={B} stroke="#444" />
      <text x={L} y={B + 16} fill="#444">
        {fmtNum(Math.round(lo))}
      </text>
      <text x={R} y={B + 16} text-anchor="end" fill="#444">
        {fmtNum(Math.round(hi))}
      </text>
      {(marks || []).map((m) => (
        <g key={m.label}>
          <line x1={x(m.x)} x2={x(m.x)} y1={15} y2={B} stroke="#c8553d" stroke-dasharray="4 3" />
          <text x={x(m.x)} y={12} text-anchor="middle" fill="#a33b25">
            {m.label}
          </text>
        </g>
      ))}
    </g>
  );
}
