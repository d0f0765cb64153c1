// Tiny DOM helpers. Everything is built with createElement and textContent: API data never goes through innerHTML.

/**
 * Creates an element.
 * props: `class`, `text`, `on` ({ click: fn }), `attrs` (set as attributes), `dataset`; `aria-*` and `role` become
 * attributes; anything else is set as a property when the element has it (type, value, href, hidden...), else as an
 * attribute. Children: nodes, strings (text nodes), numbers, arrays; null, undefined and false are skipped.
 * @param {string} tag
 * @param {Record<string, any>} [props]
 * @param {...any} children
 * @returns {HTMLElement}
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  applyProps(el, props);
  append(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * Creates an SVG element; props are attributes (plus `class`, `text`).
 * @param {string} tag
 * @param {Record<string, any>} [props]
 * @param {...any} children
 * @returns {SVGElement}
 */
export function svg(tag, props = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'text') el.textContent = String(value);
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

/** @param {Element} el @param {Record<string, any>} props */
function applyProps(el, props) {
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined) continue;
    if (key === 'class') {
      el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : String(value);
    } else if (key === 'text') {
      el.textContent = String(value);
    } else if (key === 'on') {
      for (const [type, handler] of Object.entries(value)) el.addEventListener(type, handler);
    } else if (key === 'attrs') {
      for (const [name, v] of Object.entries(value)) {
        if (v !== null && v !== undefined && v !== false) el.setAttribute(name, v === true ? '' : String(v));
      }
    } else if (key === 'dataset') {
      Object.assign(/** @type {HTMLElement} */ (el).dataset, value);
    } else if (key.startsWith('aria-') || key === 'role') {
      if (value !== false) el.setAttribute(key, String(value));
    } else if (key in el) {
      /** @type {any} */ (el)[key] = value;
    } else if (value !== false) {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
}

/** @param {Node} parent @param {any[]} children */
export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Replaces an element's children. @param {Element} el @param {...any} children */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

let idCounter = 0;
/** A unique element id. @param {string} prefix */
export function uid(prefix = 'id') {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

/**
 * Shows a message in a role="alert" element, hidden while empty (so empty alerts are not in the accessibility tree).
 * @param {HTMLElement} el @param {string | string[] | null} message
 */
export function setAlert(el, message) {
  const lines = (Array.isArray(message) ? message : [message]).filter(Boolean);
  el.replaceChildren();
  if (lines.length === 0) {
    el.hidden = true;
    return;
  }
  if (lines.length === 1) {
    el.textContent = String(lines[0]);
  } else {
    el.append(h('p', { text: lines[0] }), h('ul', {}, lines.slice(1).map((line) => h('li', { text: line }))));
  }
  el.hidden = false;
}

/** Seconds as m:ss or h:mm:ss. @param {number | null | undefined} seconds */
export function formatTime(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  const total = Math.max(0, Math.floor(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** @param {number | null | undefined} bytes */
export function formatBytes(bytes) {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '–';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 10 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/** An ISO date as local date and time. @param {string | null | undefined} iso */
export function formatDate(iso) {
  if (!iso) return '–';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '–' : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** How long ago an ISO date was, in words. @param {string | null | undefined} iso */
export function formatAge(iso) {
  if (!iso) return '–';
  const seconds = (Date.now() - new Date(iso).getTime()) / 1000;
  if (!Number.isFinite(seconds)) return '–';
  return `${formatDuration(Math.max(0, seconds))} ago`;
}

/** A duration in seconds, in words (4.2 s, 3 min 5 s, 2 h 3 min). @param {number | null | undefined} seconds */
export function formatDuration(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** True when the error is a fetch/XHR abort (leaving a screen), which is never reported. @param {unknown} err */
export function isAbort(err) {
  return err instanceof DOMException && err.name === 'AbortError';
}
