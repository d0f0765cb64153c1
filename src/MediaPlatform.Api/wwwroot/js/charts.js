// Small inline SVG bar charts with a title, a description and a table as their text alternative.

import { formatTime, h, svg, uid } from './dom.js';

/**
 * @typedef {{ label: string, value: number, detail?: string }} Point
 */

/**
 * A bar chart (negative values hang below the zero line).
 * @param {{ title: string, description: string, points: Point[], valueLabel: string, format?: (v: number) => string }} options
 * @returns {HTMLElement}
 */
export function barChart({ title, description, points, valueLabel, format = (v) => String(Math.round(v)) }) {
  const titleId = uid('chart-title');
  const descId = uid('chart-desc');
  const width = 640;
  const height = 220;
  const margin = { top: 12, right: 8, bottom: 30, left: 48 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;

  const values = points.map((p) => p.value);
  const low = Math.min(0, ...values);
  const high = Math.max(0, ...values);
  const top = niceCeil(high);
  const bottom = low < 0 ? -niceCeil(-low) : 0;
  const span = top - bottom || 1;
  const y = (/** @type {number} */ v) => margin.top + ((top - v) / span) * plotH;
  const zero = y(0);
  const slot = plotW / Math.max(1, points.length);
  const barW = Math.max(1, slot * 0.8);

  const chart = svg('svg', {
    viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': `${titleId} ${descId}`, class: 'chart-svg',
    preserveAspectRatio: 'xMidYMid meet',
  },
  svg('title', { id: titleId, text: title }),
  svg('desc', { id: descId, text: description }));

  // Grid lines and value ticks.
  const ticks = bottom < 0 ? [bottom, 0, top] : [0, top / 2, top];
  for (const tick of ticks) {
    chart.append(
      svg('line', { x1: margin.left, x2: width - margin.right, y1: y(tick), y2: y(tick), class: tick === 0 ? 'axis' : 'grid' }),
      svg('text', { x: margin.left - 6, y: y(tick) + 4, 'text-anchor': 'end', class: 'tick', text: format(tick) }));
  }

  // Bars, each with its own tooltip.
  points.forEach((point, i) => {
    const x = margin.left + i * slot + (slot - barW) / 2;
    const yValue = y(point.value);
    const rect = svg('rect', {
      x: x.toFixed(2), y: Math.min(yValue, zero).toFixed(2), width: barW.toFixed(2),
      height: Math.max(point.value === 0 ? 0 : 1, Math.abs(zero - yValue)).toFixed(2),
      class: point.value < 0 ? 'bar negative' : 'bar',
    }, svg('title', { text: `${point.label}: ${point.detail ?? format(point.value)}` }));
    chart.append(rect);
  });

  // At most about eight labels along the bottom.
  const every = Math.max(1, Math.ceil(points.length / 8));
  points.forEach((point, i) => {
    if (i % every !== 0) return;
    chart.append(svg('text', {
      x: margin.left + i * slot + slot / 2, y: height - 10, 'text-anchor': 'middle', class: 'tick', text: point.label,
    }));
  });

  const table = h('table', { class: 'data-table' },
    h('caption', { text: title }),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'When' }), h('th', { scope: 'col', text: valueLabel }))),
    h('tbody', {}, points.map((point) => h('tr', {},
      h('th', { scope: 'row', text: point.label }),
      h('td', { text: point.detail ?? format(point.value) })))));

  return h('figure', { class: 'chart' },
    h('figcaption', { text: title }),
    chart,
    h('details', { class: 'chart-data' }, h('summary', { text: `${title} as a table` }), h('div', { class: 'table-wrap' }, table)));
}

/** A round number at or above v (1, 2, 2.5, 5 times a power of ten). @param {number} v */
function niceCeil(v) {
  if (v <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(v));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (step * power >= v) return step * power;
  }
  return 10 * power;
}

/**
 * Words per minute in buckets of `bucket` seconds, from word start times. The last, shorter bucket is scaled to its
 * length (at least a third of a bucket, so two words at the very end do not look like a sprint).
 * @param {{ start: number }[]} words
 * @param {number} duration seconds (the media's, or 0)
 * @param {number} [bucket]
 * @returns {Point[]}
 */
export function wordsPerMinute(words, duration, bucket = 30) {
  const lastStart = words.reduce((max, w) => Math.max(max, w.start), 0);
  const end = Math.max(duration || 0, lastStart + 0.001);
  const count = Math.max(1, Math.ceil(end / bucket));
  const counts = new Array(count).fill(0);
  for (const word of words) counts[Math.min(count - 1, Math.max(0, Math.floor(word.start / bucket)))] += 1;
  return counts.map((n, i) => {
    const length = Math.max(bucket / 3, Math.min(bucket, end - i * bucket));
    const wpm = (n * 60) / length;
    return {
      label: formatTime(i * bucket),
      value: wpm,
      detail: `${Math.round(wpm)} words per minute (${n} ${n === 1 ? 'word' : 'words'} from ${formatTime(i * bucket)} to ${formatTime(Math.min(end, (i + 1) * bucket))})`,
    };
  });
}
