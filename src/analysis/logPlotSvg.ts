/**
 * A hand-written SVG line chart with a linear x axis and a base-10 logarithmic y axis,
 * enough to redraw paper §4.2 Figure 7 without a plotting dependency.
 */

export interface PlotSeries {
  label: string;
  /** CSS colour, e.g. "#1f77b4". */
  color: string;
  /** Dashed line without markers (comparison curves) instead of a solid line with markers. */
  dashed?: boolean;
  /** (x, y) pairs; y must be > 0 (log axis). Points below the y range are clipped. */
  points: ReadonlyArray<readonly [number, number]>;
}

export interface LogPlotOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly PlotSeries[];
  /** Lowest decade to show (e.g. -30 for 1e-30), rounded down to a labelled one; defaults to the lowest y of the solid series. */
  minDecade?: number;
  width?: number;
  height?: number;
}

const MARGIN = { left: 80, right: 200, top: 50, bottom: 60 };

/** Escapes text for SVG character data and attribute values. */
function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Coordinates rounded to 0.01 px keep the file small and diff-stable. */
function fmt(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** Smallest of 1, 2, 5, 10, 20, … that splits `span` into at most `maxTicks` intervals. */
function niceStep(span: number, maxTicks: number): number {
  for (let magnitude = 1; ; magnitude *= 10) {
    for (const base of [1, 2, 5]) {
      if (span / (base * magnitude) <= maxTicks) return base * magnitude;
    }
  }
}

/** Throws on a series that cannot be drawn on a log axis. */
function assertPlottable(series: readonly PlotSeries[]): void {
  if (series.length === 0) throw new RangeError("logPlotSvg: at least one series is required");
  for (const s of series) {
    if (s.points.length === 0) throw new RangeError(`logPlotSvg: series "${s.label}" has no points`);
    for (const [x, y] of s.points) {
      if (!Number.isFinite(x) || !Number.isFinite(y) || y <= 0) {
        throw new RangeError(`logPlotSvg: series "${s.label}" has unplottable point (${x}, ${y}); y must be finite and > 0`);
      }
    }
  }
}

/** Renders the chart as a standalone SVG document. */
export function renderLogPlotSvg(options: LogPlotOptions): string {
  const { title, xLabel, yLabel, series } = options;
  assertPlottable(series);
  const width = options.width ?? 760;
  const height = options.height ?? 480;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;

  const allX = series.flatMap((s) => s.points.map(([x]) => x));
  const xMin = Math.min(...allX);
  const xMax = Math.max(...allX);
  const solidY = series.filter((s) => !s.dashed).flatMap((s) => s.points.map(([, y]) => y));
  const yForRange = solidY.length > 0 ? solidY : series.flatMap((s) => s.points.map(([, y]) => y));
  const maxDecade = Math.ceil(Math.log10(Math.max(...yForRange)));
  const lowestDecade = Math.min(options.minDecade ?? Math.floor(Math.log10(Math.min(...yForRange))), maxDecade - 1);
  // A label 10^d every `labelStep` decades; the axis starts on a labelled decade.
  const labelStep = niceStep(maxDecade - lowestDecade, 8);
  const minDecade = Math.floor(lowestDecade / labelStep) * labelStep;

  const sx = (x: number) => MARGIN.left + (xMax === xMin ? 0 : ((x - xMin) / (xMax - xMin)) * plotW);
  const sy = (y: number) => MARGIN.top + ((maxDecade - Math.log10(y)) / (maxDecade - minDecade)) * plotH;
  const bottom = MARGIN.top + plotH;
  const out: string[] = [];

  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<defs><clipPath id="plot-area"><rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}"/></clipPath></defs>`,
    `<text x="${fmt(width / 2)}" y="${MARGIN.top - 20}" text-anchor="middle" font-size="15">${escapeXml(title)}</text>`,
  );

  // y axis: a grid line and minor tick per decade, labels on the major ones.
  out.push(`<g class="y-axis">`);
  for (let d = minDecade; d <= maxDecade; d++) {
    const y = fmt(sy(10 ** d));
    const major = d % labelStep === 0;
    out.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y}" y2="${y}" stroke="${major ? "#d0d0d0" : "#eeeeee"}"/>`);
    out.push(`<line x1="${MARGIN.left - (major ? 6 : 3)}" x2="${MARGIN.left}" y1="${y}" y2="${y}" stroke="#000000"/>`);
    if (major) {
      out.push(
        `<text x="${MARGIN.left - 9}" y="${y}" text-anchor="end" dominant-baseline="middle">10<tspan dy="-6" font-size="9">${d < 0 ? `\u2212${-d}` : d}</tspan></text>`,
      );
    }
  }
  out.push(`</g>`);

  // x axis: ticks at a nice step.
  const xStep = niceStep(xMax - xMin || 1, 10);
  out.push(`<g class="x-axis">`);
  for (let x = Math.ceil(xMin / xStep) * xStep; x <= xMax; x += xStep) {
    const px = fmt(sx(x));
    out.push(`<line x1="${px}" x2="${px}" y1="${bottom}" y2="${bottom + 6}" stroke="#000000"/>`);
    out.push(`<text x="${px}" y="${bottom + 20}" text-anchor="middle">${x}</text>`);
  }
  out.push(`</g>`);

  out.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#000000"/>`,
    `<text x="${fmt(MARGIN.left + plotW / 2)}" y="${height - 15}" text-anchor="middle">${escapeXml(xLabel)}</text>`,
    `<text x="20" y="${fmt(MARGIN.top + plotH / 2)}" text-anchor="middle" transform="rotate(-90 20 ${fmt(MARGIN.top + plotH / 2)})">${escapeXml(yLabel)}</text>`,
  );

  // Series, clipped to the plot area.
  out.push(`<g clip-path="url(#plot-area)">`);
  for (const s of series) {
    const path = s.points.map(([x, y], i) => `${i === 0 ? "M" : "L"}${fmt(sx(x))},${fmt(sy(y))}`).join(" ");
    const dash = s.dashed ? ` stroke-dasharray="6 4"` : "";
    out.push(`<path class="series" data-label="${escapeXml(s.label)}" d="${path}" fill="none" stroke="${s.color}" stroke-width="1.8"${dash}/>`);
    if (!s.dashed) {
      for (const [x, y] of s.points) {
        out.push(`<circle cx="${fmt(sx(x))}" cy="${fmt(sy(y))}" r="2.2" fill="${s.color}"/>`);
      }
    }
  }
  out.push(`</g>`);

  // Legend, right of the plot.
  const legendX = MARGIN.left + plotW + 15;
  out.push(`<g class="legend">`);
  series.forEach((s, i) => {
    const y = MARGIN.top + 10 + i * 22;
    const dash = s.dashed ? ` stroke-dasharray="6 4"` : "";
    out.push(`<line x1="${legendX}" x2="${legendX + 28}" y1="${y}" y2="${y}" stroke="${s.color}" stroke-width="1.8"${dash}/>`);
    if (!s.dashed) out.push(`<circle cx="${legendX + 14}" cy="${y}" r="2.2" fill="${s.color}"/>`);
    out.push(`<text x="${legendX + 34}" y="${y}" dominant-baseline="middle">${escapeXml(s.label)}</text>`);
  });
  out.push(`</g>`, `</svg>`);
  return out.join("\n") + "\n";
}
