// Correcting a transcript: the document as last read or saved with its ETag (every PATCH sends it in If-Match, so an
// edit never overwrites one the reader has not seen), the editor of one segment, the Speakers panel, and the message
// shown when someone else edited first (412). The transcript screen (transcript.js) places them and re-renders.

import { ApiError, errorLines, requestWithHeaders } from './api.js';
import { h, isAbort, setAlert, uid } from './dom.js';

export const CONFLICT_MESSAGE = 'Someone else changed this transcript. Reload to see their version before editing.';

/**
 * The strong ETag to send back in If-Match: the one the server sent (a W/ prefix added on the way is dropped), else
 * one made from the revision, which is what the server's ETag is ("3").
 * @param {Headers} headers @param {any} transcription
 */
export function etagOf(headers, transcription) {
  const tag = headers.get('ETag');
  return tag ? tag.replace(/^W\//, '') : `"${transcription?.revision ?? 1}"`;
}

/**
 * A job's transcript as last read or saved, and its ETag. Edits and reloads run one after another, so each PATCH sends
 * the ETag of the answer before it (two quick saves of one's own never collide with each other).
 */
export class TranscriptDocument {
  /** @param {{ jobId: string, transcription: any, etag: string, signal: AbortSignal }} options */
  constructor({ jobId, transcription, etag, signal }) {
    this.jobId = jobId;
    this.transcription = transcription;
    this.etag = etag;
    this.signal = signal;
    /** @type {Promise<unknown>} */
    this.queue = Promise.resolve();
  }

  /**
   * PATCH /api/v1/transcriptions/{id} with If-Match; resolves with the new transcript (and keeps it and its ETag).
   * Throws ApiError: 412 when someone edited since, 400 naming the field.
   * @param {{ segments?: { index: number, text: string }[], speakers?: Record<string, string | null> }} body
   * @returns {Promise<any>}
   */
  patch(body) {
    return this.enqueue(() => requestWithHeaders(`/api/v1/transcriptions/${encodeURIComponent(this.transcription.id)}`, {
      method: 'PATCH', json: body, headers: { 'If-Match': this.etag }, signal: this.signal,
    }));
  }

  /** Reads the job's transcript again (after a 412); resolves with it (and keeps it and its ETag). @returns {Promise<any>} */
  reload() {
    return this.enqueue(() => requestWithHeaders(`/api/v1/jobs/${encodeURIComponent(this.jobId)}/transcription`, { signal: this.signal }));
  }

  /** @param {() => Promise<{ data: any, headers: Headers }>} call @returns {Promise<any>} */
  enqueue(call) {
    const run = async () => {
      const { data, headers } = await call();
      this.transcription = data;
      this.etag = etagOf(headers, data);
      return data;
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => {});
    return next;
  }
}

/** The labels the transcript's segments and words carry (S1, S2... in that order). @param {any} transcription @returns {string[]} */
export function speakerLabels(transcription) {
  const labels = new Set();
  for (const segment of transcription?.segments ?? []) {
    if (segment.speaker) labels.add(String(segment.speaker));
    for (const word of segment.words ?? []) if (word.speaker) labels.add(String(word.speaker));
  }
  return [...labels].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/** Text as the server takes it: line breaks and runs of spaces become one space (it refuses control characters). @param {string} text */
export function normalizeText(text) {
  return String(text ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * Fills a role="alert" element with the 412 message and a "Reload" button that reads the transcript again.
 * @param {HTMLElement} alert @param {() => Promise<void>} reload
 */
export function showConflict(alert, reload) {
  let busy = false;
  const button = h('button', { type: 'button', text: 'Reload' });
  button.addEventListener('click', async () => {
    if (busy) return;
    busy = true;
    button.setAttribute('aria-disabled', 'true');
    try {
      await reload(); // on success the screen is drawn again, this alert with it
    } catch (err) {
      if (isAbort(err)) return;
      alert.replaceChildren(...errorLines(err).map((line) => h('p', { text: line })), h('div', { class: 'actions' }, button));
    } finally {
      busy = false;
      button.removeAttribute('aria-disabled');
    }
  });
  alert.replaceChildren(h('p', { text: CONFLICT_MESSAGE }), h('div', { class: 'actions' }, button));
  alert.hidden = false;
}

/**
 * Shows why a save failed in the alert: the 412 message with Reload, else the problem's detail and field errors.
 * @param {HTMLElement} alert @param {unknown} err @param {() => Promise<void>} reload
 */
function showSaveError(alert, err, reload) {
  if (err instanceof ApiError && err.status === 412) showConflict(alert, reload);
  else setAlert(alert, errorLines(err));
}

/**
 * The editor of one segment: a textarea labelled "Text of segment N", "Save" (also Ctrl+Enter) and "Cancel" (also
 * Escape), and an alert for what the server refused. `save` gets the normalised text and resolves once the screen has
 * the new transcript (it replaces this editor); an unchanged text just closes the editor.
 * @param {{ number: number, text: string, draft?: string, save: (text: string) => Promise<void>, cancel: () => void,
 *           reload: () => Promise<void> }} options
 */
export function segmentEditor({ number, text, draft, save, cancel, reload }) {
  const id = uid('segment-text');
  const hintId = uid('segment-hint');
  const original = normalizeText(text);
  const textarea = /** @type {HTMLTextAreaElement} */ (h('textarea', {
    id, class: 'segment-input', value: draft ?? text ?? '', rows: Math.min(8, Math.max(2, Math.ceil(String(draft ?? text ?? '').length / 60))),
    maxLength: 10000, spellcheck: true, 'aria-describedby': hintId,
  }));
  const saveButton = h('button', { type: 'button', class: 'primary', text: 'Save' });
  const cancelButton = h('button', { type: 'button', text: 'Cancel' });
  const alert = h('div', { class: 'alert', role: 'alert', hidden: true });
  const element = h('div', { class: 'segment-editor' },
    h('label', { htmlFor: id, class: 'visually-hidden', text: `Text of segment ${number}` }),
    textarea,
    h('p', { id: hintId, class: 'hint', text: 'Ctrl+Enter saves, Escape cancels. The words keep their timings where they match.' }),
    h('div', { class: 'actions' }, saveButton, cancelButton),
    alert);
  let busy = false;

  /** @param {boolean} on */
  const setBusy = (on) => {
    busy = on;
    textarea.readOnly = on;
    for (const button of [saveButton, cancelButton]) {
      if (on) button.setAttribute('aria-disabled', 'true');
      else button.removeAttribute('aria-disabled');
    }
    if (on) element.setAttribute('aria-busy', 'true');
    else element.removeAttribute('aria-busy');
  };

  const submit = async () => {
    if (busy) return;
    const next = normalizeText(textarea.value);
    if (next === original) {
      cancel();
      return;
    }
    setAlert(alert, null);
    setBusy(true);
    try {
      await save(next);
    } catch (err) {
      if (!isAbort(err)) showSaveError(alert, err, reload);
    } finally {
      setBusy(false);
    }
  };

  saveButton.addEventListener('click', () => void submit());
  cancelButton.addEventListener('click', () => {
    if (!busy) cancel();
  });
  element.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !busy) {
      event.preventDefault();
      event.stopPropagation();
      cancel();
    } else if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && event.target === textarea) {
      event.preventDefault();
      void submit();
    }
  });

  return {
    element,
    /** The text as typed. */
    get value() {
      return textarea.value;
    },
    /** True when the text differs from the segment's (a change that Cancel would drop). */
    get dirty() {
      return normalizeText(textarea.value) !== original;
    },
    focus() {
      textarea.focus();
    },
  };
}

/**
 * The Speakers panel: one field per label (labelled by the label: "S1"...), prefilled with its name, and "Save names",
 * which sends every label's name (an emptied field sends null, removing the name). Nothing is sent when no name
 * changed. `save` resolves once the screen has the new transcript (it replaces this panel).
 * @param {{ labels: string[], names: Record<string, string>, classOf: (label: string) => string,
 *           save: (speakers: Record<string, string | null>) => Promise<void>, reload: () => Promise<void>,
 *           announce: (message: string) => void }} options
 */
export function speakersPanel({ labels, names, classOf, save, reload, announce }) {
  const headingId = uid('speakers-heading');
  const hintId = uid('speakers-hint');
  const inputs = labels.map((label) => {
    const id = uid('speaker');
    const input = /** @type {HTMLInputElement} */ (h('input', {
      id, type: 'text', value: names[label] ?? '', maxLength: 100, autocomplete: 'off', 'aria-describedby': hintId,
    }));
    return { label, input, field: h('div', { class: ['field', classOf(label)] }, h('label', { htmlFor: id, class: 'speaker', text: label }), input) };
  });
  const saveButton = h('button', { type: 'submit', class: 'primary', text: 'Save names' });
  const alert = h('div', { class: 'alert', role: 'alert', hidden: true });
  const form = h('form', { class: 'speakers-form', novalidate: true },
    h('div', { class: 'speaker-fields' }, inputs.map((i) => i.field)),
    h('div', { class: 'actions' }, saveButton),
    alert);
  let busy = false;

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy) return;
    /** @type {Record<string, string | null>} */
    const speakers = {};
    let changed = false;
    for (const { label, input } of inputs) {
      const name = normalizeText(input.value);
      speakers[label] = name || null;
      if (name !== (names[label] ?? '')) changed = true;
    }
    setAlert(alert, null);
    if (!changed) {
      announce('The speaker names are unchanged.');
      return;
    }
    busy = true;
    saveButton.setAttribute('aria-disabled', 'true');
    try {
      await save(speakers);
    } catch (err) {
      if (!isAbort(err)) showSaveError(alert, err, reload);
    } finally {
      busy = false;
      saveButton.removeAttribute('aria-disabled');
    }
  });

  const element = h('section', { class: 'panel speakers', 'aria-labelledby': headingId },
    h('h2', { id: headingId, text: 'Speakers' }),
    h('p', { id: hintId, class: 'hint', text: 'Name the voices the transcript tells apart; an empty field removes the name.' }),
    form);
  return {
    element,
    focusSave() {
      saveButton.focus();
    },
    focusFirst() {
      inputs[0]?.input.focus();
    },
  };
}
