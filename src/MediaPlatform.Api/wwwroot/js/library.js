// The library screen (#/): upload, transcript search, the jobs table with live progress, and the media list.

import { errorLines, getMedia, mediaName, query, rememberMedia, request } from './api.js';
import { formatBytes, formatDate, formatTime, h, isAbort, replace, setAlert, uid } from './dom.js';
import { JobWatcher, isFinal } from './live.js';
import { createUpload } from './upload.js';

const STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];
const PAGE_SIZE = 25;

/**
 * @param {HTMLElement} container
 * @param {{ signal: AbortSignal, announce: (message: string) => void }} ctx
 */
export function mountLibrary(container, ctx) {
  const { signal, announce } = ctx;
  const media = createMediaPanel(ctx);
  const jobs = createJobsPanel(ctx, media.ready);
  const upload = createUpload({
    signal,
    announce,
    onJob: (job) => jobs.addNew(job),
    onMedia: (item) => media.addNew(item),
  });
  replace(container,
    h('h1', { tabIndex: -1, text: 'Library' }),
    h('div', { class: 'library-top' }, upload, createSearchPanel(ctx)),
    jobs.section,
    media.section);
  document.title = 'Library · MediaPlatform';
}

/**
 * @param {{ signal: AbortSignal, announce: (message: string) => void }} ctx
 * @param {Promise<void>} mediaReady the media list's first page (names of recent media without a request each)
 */
function createJobsPanel({ signal, announce }, mediaReady) {
  const headingId = uid('jobs-heading');
  const statusId = uid('status-filter');
  const filter = /** @type {HTMLSelectElement} */ (h('select', { id: statusId },
    h('option', { value: '', text: 'All' }),
    STATUSES.map((status) => h('option', { value: status, text: status }))));
  const refresh = h('button', { type: 'button', text: 'Refresh' });
  const alert = h('div', { class: 'alert', role: 'alert', hidden: true });
  const tbody = h('tbody');
  const empty = h('p', { class: 'empty', text: 'No jobs yet. Upload media above to start one.', hidden: true });
  const more = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', text: 'More', hidden: true }));
  const section = h('section', { class: 'panel jobs', 'aria-labelledby': headingId },
    h('div', { class: 'panel-head' },
      h('h2', { id: headingId, text: 'Jobs' }),
      h('div', { class: 'toolbar' },
        h('div', { class: 'field inline' }, h('label', { htmlFor: statusId, text: 'Status' }), filter),
        refresh)),
    alert,
    h('div', { class: 'table-wrap' },
      h('table', { class: 'jobs-table' },
        h('caption', { class: 'visually-hidden', text: 'Jobs, newest first' }),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col', text: 'Media' }),
          h('th', { scope: 'col', text: 'Status' }),
          h('th', { scope: 'col', text: 'Progress' }),
          h('th', { scope: 'col', class: 'col-created', text: 'Created' }),
          h('th', { scope: 'col', text: 'Actions' }))),
        tbody)),
    empty,
    h('div', { class: 'actions' }, more));

  /** @typedef {{ job: any, name: string, tr: HTMLTableRowElement, nameCell: HTMLElement, statusCell: HTMLElement,
   *              progressCell: HTMLElement, createdCell: HTMLElement, actionsCell: HTMLElement, gone: boolean }} Row */
  /** @type {Map<string, Row>} */
  const rows = new Map();
  /** @type {string | null} */
  let cursor = null;
  let generation = 0;

  const watcher = new JobWatcher({
    signal,
    onUpdate: (job) => update(job),
    onGone: (id) => {
      const row = rows.get(id);
      if (row) markGone(row);
    },
  });

  /** The job was deleted (a 404 while following it): the row stays, says so, and has no actions. @param {Row} row */
  const markGone = (row) => {
    if (row.gone) return;
    row.gone = true;
    const active = document.activeElement;
    const hadFocus = active instanceof Node && row.tr.contains(active);
    const badge = h('span', { class: 'badge status-deleted', text: 'deleted', tabIndex: hadFocus ? -1 : null });
    replace(row.statusCell, badge);
    replace(row.progressCell, h('span', { class: 'muted', text: 'This job was deleted.' }));
    replace(row.actionsCell);
    row.tr.dataset.status = 'deleted';
    if (hadFocus) badge.focus(); // its Cancel button is gone: keep the keyboard in the row
    announce(`${row.name}: the job was deleted.`);
  };

  const showEmpty = () => {
    empty.hidden = rows.size > 0;
  };

  /** @param {Row} row */
  const render = (row) => {
    const { job } = row;
    replace(row.statusCell, h('span', { class: `badge status-${job.status}`, text: job.status }));
    replace(row.progressCell, progressContent(job, row.name));
    replace(row.createdCell, formatDate(job.createdAt));
    // The buttons change only with the status: a progress event must not take the focus off Cancel.
    if (row.tr.dataset.status !== job.status) {
      replace(row.actionsCell, actionsContent(row));
    } else {
      // The media's name may have arrived since: the button's name says which job it acts on.
      const button = row.actionsCell.querySelector('button');
      if (button) button.setAttribute('aria-label', `${button.textContent} ${row.name}`);
    }
    row.tr.dataset.status = job.status;
  };

  /** @param {Row} row */
  const actionsContent = (row) => {
    const { job } = row;
    if (job.status === 'succeeded') {
      return h('a', { href: `#/jobs/${job.id}`, class: 'button-link', text: 'Transcript' });
    }
    // Every row has its own Cancel or Retry: the accessible name says which media ("Cancel talk.wav"), starting with
    // the visible word (so speech input "click Cancel" still works).
    if (job.status === 'queued' || job.status === 'running') {
      return h('button', { type: 'button', text: 'Cancel', 'aria-label': `Cancel ${row.name}`, on: { click: (/** @type {Event} */ e) => act(row, 'cancel', e) } });
    }
    if (job.status === 'failed' || job.status === 'cancelled') {
      return h('button', { type: 'button', text: 'Retry', 'aria-label': `Retry ${row.name}`, on: { click: (/** @type {Event} */ e) => act(row, 'retry', e) } });
    }
    return null;
  };

  /** @param {Row} row @param {'cancel' | 'retry'} action @param {Event} event */
  const act = async (row, action, event) => {
    const button = /** @type {HTMLButtonElement} */ (event.currentTarget);
    button.disabled = true;
    setAlert(alert, null);
    try {
      const job = await request(`/api/v1/jobs/${row.job.id}/${action}`, { method: 'POST', signal });
      update(job);
      if (isFinal(job.status)) watcher.unwatch(job.id);
      else watcher.watch(job);
      announce(`${row.name}: ${job.status}.`);
      // Keep the keyboard where it was: on the row's new action.
      const next = row.actionsCell.querySelector('button, a');
      if (next instanceof HTMLElement) next.focus();
    } catch (err) {
      if (isAbort(err)) return;
      button.disabled = false;
      setAlert(alert, errorLines(err).map((line, i) => (i === 0 ? `${row.name}: ${line}` : line)));
    }
  };

  /** @param {any} job */
  const update = (job) => {
    const row = rows.get(job.id);
    if (!row || row.gone) return;
    const before = row.job.status;
    row.job = job;
    render(row);
    if (before !== job.status && isFinal(job.status)) {
      const reason = job.status === 'failed' && job.error?.message ? `: ${job.error.message}` : '';
      announce(`${row.name}: ${job.status}${reason}.`);
    }
  };

  /** @param {any} job @param {boolean} top */
  const add = (job, top) => {
    if (rows.has(job.id)) {
      update(job);
      return;
    }
    const nameCell = h('td', { class: 'name' }, h('span', { class: 'muted', text: '…' }));
    /** @type {Row} */
    const row = {
      job,
      name: `Job ${job.id.slice(0, 8)}`,
      nameCell,
      statusCell: h('td', { class: 'status' }),
      progressCell: h('td', { class: 'progress' }),
      createdCell: h('td', { class: 'col-created' }),
      actionsCell: h('td', { class: 'row-actions' }),
      tr: /** @type {HTMLTableRowElement} */ (h('tr')),
      gone: false,
    };
    row.tr.dataset.jobId = job.id;
    row.tr.append(row.nameCell, row.statusCell, row.progressCell, row.createdCell, row.actionsCell);
    rows.set(job.id, row);
    render(row);
    if (top) tbody.prepend(row.tr);
    else tbody.append(row.tr);
    showEmpty();
    watcher.watch(job);
    mediaReady
      .then(() => getMedia(job.mediaId))
      .then((media) => {
        row.name = mediaName(media, job.mediaId);
        replace(nameCell, h('span', { class: 'file-name', text: row.name }),
          media?.durationSeconds ? h('span', { class: 'muted', text: ` ${formatTime(media.durationSeconds)}` }) : null);
        if (!row.gone) render(row);
      })
      .catch(() => replace(nameCell, h('span', { class: 'file-name', text: row.name })));
  };

  /** @param {boolean} reset */
  const load = async (reset) => {
    if (reset) {
      generation += 1;
      for (const id of rows.keys()) watcher.unwatch(id);
      rows.clear();
      tbody.replaceChildren();
      cursor = null;
      more.hidden = true;
    }
    const mine = generation;
    setAlert(alert, null);
    more.disabled = true;
    try {
      const page = await request(`/api/v1/jobs${query({ status: filter.value, limit: PAGE_SIZE, cursor })}`, { signal });
      if (mine !== generation) return;
      for (const job of page.items ?? []) add(job, false);
      cursor = page.nextCursor ?? null;
      more.hidden = !cursor;
      showEmpty();
    } catch (err) {
      if (isAbort(err) || mine !== generation) return;
      setAlert(alert, errorLines(err));
    } finally {
      more.disabled = false;
    }
  };

  filter.addEventListener('change', () => void load(true));
  refresh.addEventListener('click', () => void load(true));
  more.addEventListener('click', () => void load(false));
  void load(true);

  return {
    section,
    /** A job just submitted: at the top at once (when the filter shows queued jobs). @param {any} job */
    addNew(job) {
      if (filter.value === '' || filter.value === job.status) add(job, true);
    },
  };
}

/** What the progress cell says for a job. @param {any} job @param {string} name */
function progressContent(job, name) {
  switch (job.status) {
    case 'running': {
      const percent = Math.max(0, Math.min(100, job.progress ?? 0));
      return [
        h('progress', { max: 100, value: percent, 'aria-label': `Progress of ${name}` }),
        h('span', { class: 'progress-text', text: `${percent} %${job.currentStep ? ` · ${job.currentStep}` : ''}` }),
      ];
    }
    case 'queued': {
      const retry = job.attempts > 0 ? ` (attempt ${job.attempts + 1} of ${job.maxAttempts})` : '';
      const position = job.queuePosition ? ` · position ${job.queuePosition > 1000 ? '1000+' : job.queuePosition}` : '';
      return h('span', { class: 'muted', text: `waiting${position}${retry}` });
    }
    case 'failed':
      return h('span', { class: 'error-text' }, job.error?.message ?? 'The job failed.',
        job.error?.code ? h('span', { class: 'code', text: ` (${job.error.code})` }) : null);
    case 'succeeded':
      return h('span', { class: 'muted', text: `done ${formatDate(job.finishedAt)}` });
    case 'cancelled':
      return h('span', { class: 'muted', text: 'cancelled' });
    default:
      return null;
  }
}

/** Search across transcripts: hits with their highlighted snippet, each linking to the transcript at its time. */
function createSearchPanel({ signal }) {
  const headingId = uid('search-heading');
  const inputId = uid('search');
  const input = /** @type {HTMLInputElement} */ (h('input', { id: inputId, type: 'search', autocomplete: 'off', placeholder: 'words, "a phrase", -exclude' }));
  const alert = h('div', { class: 'alert', role: 'alert', hidden: true });
  const summary = h('p', { class: 'muted search-summary', hidden: true });
  const hits = h('ol', { class: 'hits' });
  const next = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', text: 'Next hits', hidden: true }));
  const form = h('form', { role: 'search', class: 'search-form', noValidate: true },
    h('label', { htmlFor: inputId, text: 'Search transcripts' }),
    h('div', { class: 'search-row' }, input, h('button', { type: 'submit', text: 'Search' })));
  const section = h('section', { class: 'panel search', 'aria-labelledby': headingId },
    h('h2', { id: headingId, text: 'Search' }),
    form, alert, summary, hits, h('div', { class: 'actions' }, next));

  let q = '';
  /** @type {string | null} */
  let cursor = null;
  let count = 0;
  let generation = 0;

  /** @param {boolean} reset */
  const run = async (reset) => {
    if (reset) {
      generation += 1;
      q = input.value.trim();
      cursor = null;
      count = 0;
      hits.replaceChildren();
      next.hidden = true;
      summary.hidden = true;
      setAlert(alert, null);
      if (!q) return;
    }
    const mine = generation;
    next.disabled = true;
    try {
      const page = await request(`/api/v1/search${query({ q, limit: 20, cursor })}`, { signal });
      if (mine !== generation) return;
      for (const hit of page.items ?? []) {
        count += 1;
        hits.append(hitItem(hit));
      }
      cursor = page.nextCursor ?? null;
      next.hidden = !cursor;
      summary.textContent = count === 0 ? `No transcript matches “${q}”.` : `${count}${cursor ? '+' : ''} ${count === 1 ? 'transcript matches' : 'transcripts match'} “${q}”.`;
      summary.hidden = false;
    } catch (err) {
      if (isAbort(err) || mine !== generation) return;
      setAlert(alert, errorLines(err));
    } finally {
      next.disabled = false;
    }
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void run(true);
  });
  next.addEventListener('click', () => void run(false));
  return section;
}

/** @param {any} hit */
function hitItem(hit) {
  const href = hit.start === null || hit.start === undefined
    ? `#/jobs/${hit.jobId}`
    : `#/jobs/${hit.jobId}?t=${Number(hit.start).toFixed(2).replace(/\.?0+$/, '')}`;
  const link = h('a', { href, text: hit.start === null || hit.start === undefined ? 'Open' : `Open at ${formatTime(hit.start)}` });
  const name = h('span', { class: 'file-name', text: `Media ${String(hit.mediaId).slice(0, 8)}` });
  getMedia(hit.mediaId)
    .then((media) => {
      name.textContent = mediaName(media, hit.mediaId);
      link.textContent = hit.start === null || hit.start === undefined ? `Open ${name.textContent}` : `Open ${name.textContent} at ${formatTime(hit.start)}`;
    })
    .catch(() => {});
  return h('li', { class: 'hit' },
    h('div', { class: 'hit-head' }, name, hit.language ? h('span', { class: 'muted', text: ` · ${hit.language}` }) : null),
    snippet(hit.snippet ?? ''),
    link);
}

/**
 * The snippet with its <mark>ed words, built as text nodes and <mark> elements (never innerHTML: the text is the
 * transcript's, unescaped).
 * @param {string} text
 */
export function snippet(text) {
  const p = h('p', { class: 'snippet' });
  let marked = false;
  for (const part of text.split(/(<mark>|<\/mark>)/)) {
    if (part === '<mark>') marked = true;
    else if (part === '</mark>') marked = false;
    else if (part) p.append(marked ? h('mark', { text: part }) : document.createTextNode(part));
  }
  return p;
}

/** The tenant's media, newest first. */
function createMediaPanel({ signal }) {
  const headingId = uid('media-heading');
  const alert = h('div', { class: 'alert', role: 'alert', hidden: true });
  const tbody = h('tbody');
  const empty = h('p', { class: 'empty', text: 'No media yet.', hidden: true });
  const older = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', text: 'Load older media', hidden: true }));
  const section = h('section', { class: 'panel media', 'aria-labelledby': headingId },
    h('h2', { id: headingId, text: 'Media' }),
    alert,
    h('div', { class: 'table-wrap' },
      h('table', { class: 'media-table' },
        h('caption', { class: 'visually-hidden', text: 'Media, newest first' }),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col', text: 'Name' }),
          h('th', { scope: 'col', text: 'State' }),
          h('th', { scope: 'col', text: 'Length' }),
          h('th', { scope: 'col', class: 'col-size', text: 'Size' }),
          h('th', { scope: 'col', class: 'col-created', text: 'Added' }))),
        tbody)),
    empty,
    h('div', { class: 'actions' }, older));

  /** @type {Set<string>} */
  const shown = new Set();
  /** @type {string | null} */
  let cursor = null;

  /** @param {any} media */
  const row = (media) => h('tr', {},
    h('td', { class: 'name' }, h('span', { class: 'file-name', text: mediaName(media, media.id) }),
      media.rejectionReason ? h('span', { class: 'error-text block', text: media.rejectionReason }) : null),
    h('td', {}, h('span', { class: `badge media-${media.status}`, text: media.status })),
    h('td', { text: formatTime(media.durationSeconds) }),
    h('td', { class: 'col-size', text: formatBytes(media.sizeBytes) }),
    h('td', { class: 'col-created', text: formatDate(media.createdAt) }));

  const load = async () => {
    older.disabled = true;
    try {
      const page = await request(`/api/v1/media${query({ limit: PAGE_SIZE, cursor })}`, { signal });
      for (const media of page.items ?? []) {
        rememberMedia(media);
        if (shown.has(media.id)) continue;
        shown.add(media.id);
        tbody.append(row(media));
      }
      cursor = page.nextCursor ?? null;
      older.hidden = !cursor;
      empty.hidden = shown.size > 0;
    } catch (err) {
      if (isAbort(err)) return;
      setAlert(alert, errorLines(err));
    } finally {
      older.disabled = false;
    }
  };
  older.addEventListener('click', () => void load());
  const ready = load();

  return {
    section,
    ready,
    /** @param {any} media */
    addNew(media) {
      if (shown.has(media.id)) return;
      shown.add(media.id);
      tbody.prepend(row(media));
      empty.hidden = true;
    },
  };
}
