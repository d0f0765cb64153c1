// Upload: files (input or drag and drop) or a media URL, job options, then one job per file. Each upload shows a
// <progress> bar (XMLHttpRequest upload progress); every job submitted is handed to the library at once.

import { errorLines, query, rememberMedia, request, uploadMedia } from './api.js';
import { h, isAbort, replace, setAlert, uid } from './dom.js';

/** The API's analysis kinds (Domain/Analyses/AnalysisKind.cs, camelCase). */
export const ANALYSES = [
  { value: 'keywords', label: 'Keywords' },
  { value: 'summary', label: 'Summary' },
  { value: 'sentiment', label: 'Sentiment' },
  { value: 'speechStatistics', label: 'Speech statistics' },
];

const LANGUAGES = ['en', 'en-US', 'en-GB', 'de', 'fr', 'es', 'it', 'pt', 'nl', 'sv', 'da', 'no', 'fi', 'ru', 'pl', 'tr'];

/**
 * @param {{ signal: AbortSignal, onJob: (job: any, media: any) => void, onMedia?: (media: any) => void,
 *           announce: (message: string) => void }} ctx
 * @returns {HTMLElement}
 */
export function createUpload(ctx) {
  const fileId = uid('upload-file');
  const urlId = uid('media-url');
  const languageId = uid('language');
  const languagesId = uid('languages');
  const engineId = uid('engine');
  const vocabularyId = uid('vocabulary');
  const speakersId = uid('speakers');
  const redactId = uid('redact');
  const hintId = uid('drop-hint');

  const fileInput = /** @type {HTMLInputElement} */ (h('input', {
    id: fileId, type: 'file', multiple: true, accept: 'audio/*,video/*', 'aria-describedby': hintId,
  }));
  const chosen = h('ul', { class: 'chosen-files', 'aria-label': 'Chosen files' });
  const dropZone = h('div', { class: 'drop-zone' },
    h('label', { htmlFor: fileId, class: 'drop-label', text: 'Upload media' }),
    fileInput,
    h('p', { id: hintId, class: 'hint', text: 'Choose audio or video files, or drop them here.' }),
    chosen);

  const urlInput = /** @type {HTMLInputElement} */ (h('input', {
    id: urlId, type: 'url', inputMode: 'url', placeholder: 'https://example.org/talk.mp3', autocomplete: 'off',
  }));
  const languageInput = /** @type {HTMLInputElement} */ (h('input', {
    id: languageId, type: 'text', placeholder: 'engine default', autocomplete: 'off', spellcheck: false,
    attrs: { list: languagesId }, 'aria-describedby': `${languageId}-hint`,
  }));
  const engineSelect = /** @type {HTMLSelectElement} */ (h('select', { id: engineId }, h('option', { value: '', text: 'Default' })));
  const vocabularySelect = /** @type {HTMLSelectElement} */ (h('select', { id: vocabularyId }, h('option', { value: '', text: 'None' })));
  const speakersBox = /** @type {HTMLInputElement} */ (h('input', { id: speakersId, type: 'checkbox' }));
  const redactBox = /** @type {HTMLInputElement} */ (h('input', { id: redactId, type: 'checkbox' }));
  const analysisBoxes = ANALYSES.map((kind) => {
    const id = uid(`analysis-${kind.value}`);
    const box = /** @type {HTMLInputElement} */ (h('input', { id, type: 'checkbox', value: kind.value, checked: true }));
    return { box, el: h('div', { class: 'check' }, box, h('label', { htmlFor: id, text: kind.label })) };
  });

  const alert = h('div', { class: 'alert', role: 'alert', hidden: true });
  const progressList = h('ul', { class: 'upload-progress', 'aria-label': 'Uploads' });
  const submit = /** @type {HTMLButtonElement} */ (h('button', { type: 'submit', class: 'primary', text: 'Transcribe' }));

  const form = h('form', { class: 'upload-form', noValidate: true },
    dropZone,
    h('div', { class: 'field' },
      h('label', { htmlFor: urlId, text: 'Media URL' }),
      urlInput,
      h('p', { class: 'hint', text: 'Or register media by its http(s) address; a worker fetches it.' })),
    h('fieldset', { class: 'options' },
      h('legend', { text: 'Options' }),
      h('div', { class: 'options-grid' },
        h('div', { class: 'field' },
          h('label', { htmlFor: languageId, text: 'Language' }),
          languageInput,
          h('datalist', { id: languagesId }, LANGUAGES.map((code) => h('option', { value: code }))),
          h('p', { id: `${languageId}-hint`, class: 'hint', text: 'A BCP 47 tag such as en or en-US; optional.' })),
        h('div', { class: 'field' }, h('label', { htmlFor: engineId, text: 'Engine' }), engineSelect),
        h('div', { class: 'field' }, h('label', { htmlFor: vocabularyId, text: 'Vocabulary' }), vocabularySelect),
        h('fieldset', { class: 'analyses' }, h('legend', { text: 'Analyses' }), analysisBoxes.map((a) => a.el)),
        h('div', { class: 'checks' },
          h('div', { class: 'check' }, speakersBox, h('label', { htmlFor: speakersId, text: 'Speaker labels' })),
          h('div', { class: 'check' }, redactBox, h('label', { htmlFor: redactId, text: 'Redact PII' }))))),
    h('div', { class: 'actions' }, submit),
    alert,
    progressList);

  const section = h('section', { class: 'panel upload', 'aria-labelledby': `${fileId}-heading` },
    h('h2', { id: `${fileId}-heading`, text: 'New transcription' }),
    form);

  // Chosen files.
  const showChosen = () => {
    const files = [...(fileInput.files ?? [])];
    replace(chosen, files.map((file) => h('li', { text: file.name })));
  };
  fileInput.addEventListener('change', showChosen);

  // Drag and drop onto the zone puts the files into the input, so there is one list of chosen files.
  let dragDepth = 0;
  dropZone.addEventListener('dragenter', (event) => {
    event.preventDefault();
    dragDepth += 1;
    dropZone.classList.add('dragging');
  });
  dropZone.addEventListener('dragover', (event) => {
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
  });
  dropZone.addEventListener('dragleave', () => {
    dragDepth = Math.max(0, dragDepth - 1);
    if (dragDepth === 0) dropZone.classList.remove('dragging');
  });
  dropZone.addEventListener('drop', (event) => {
    event.preventDefault();
    dragDepth = 0;
    dropZone.classList.remove('dragging');
    const files = event.dataTransfer?.files;
    if (files && files.length > 0) {
      fileInput.files = files;
      showChosen();
    }
  });

  // Engines (GET /v1/models: whisper-1 is the default engine's OpenAI name, the rest are engine names) and saved
  // vocabularies; either list may be missing without harm.
  request('/v1/models', { signal: ctx.signal })
    .then((/** @type {any} */ models) => {
      for (const model of models?.data ?? []) {
        if (model?.id && model.id !== 'whisper-1') engineSelect.append(h('option', { value: model.id, text: model.id }));
      }
    })
    .catch(() => {});
  request(`/api/v1/vocabularies${query({})}`, { signal: ctx.signal })
    .then((/** @type {any} */ page) => {
      for (const vocabulary of page?.items ?? []) {
        const count = vocabulary.terms?.length ?? 0;
        vocabularySelect.append(h('option', { value: vocabulary.id, text: `${vocabulary.name} (${count} ${count === 1 ? 'term' : 'terms'})` }));
      }
    })
    .catch(() => {});

  /** The job's options from the form. */
  const jobOptions = () => {
    /** @type {Record<string, any>} */
    const body = { analyses: analysisBoxes.filter((a) => a.box.checked).map((a) => a.box.value) };
    const language = languageInput.value.trim();
    if (language) body.language = language;
    if (engineSelect.value) body.engine = engineSelect.value;
    if (vocabularySelect.value) body.vocabularyId = vocabularySelect.value;
    if (speakersBox.checked) body.speakerLabels = true;
    if (redactBox.checked) body.redactPii = true;
    return body;
  };

  /** One line of the upload list: name, a <progress> and what happened. @param {string} name */
  const progressItem = (name) => {
    const bar = /** @type {HTMLProgressElement} */ (h('progress', { max: 100, value: 0, 'aria-label': `Upload of ${name}` }));
    const state = h('span', { class: 'upload-state', text: 'waiting' });
    const item = h('li', {}, h('span', { class: 'upload-name', text: name }), bar, state);
    progressList.prepend(item);
    return {
      /** @param {number} percent */
      progress(percent) {
        bar.value = percent;
        state.textContent = `${percent} %`;
      },
      /** @param {string} text @param {boolean} [failed] */
      done(text, failed = false) {
        if (!failed) bar.value = 100;
        state.textContent = text;
        item.classList.toggle('failed', failed);
      },
    };
  };

  /** @param {any} media @param {Record<string, any>} options */
  const submitJob = async (media, options) => {
    rememberMedia(media);
    ctx.onMedia?.(media);
    const job = await request('/api/v1/jobs', { method: 'POST', json: { mediaId: media.id, ...options }, signal: ctx.signal });
    ctx.onJob(job, media);
    return job;
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    setAlert(alert, null);
    const files = [...(fileInput.files ?? [])];
    const url = urlInput.value.trim();
    if (files.length === 0 && !url) {
      setAlert(alert, 'Choose a file to upload (or drop one here), or enter a media URL.');
      fileInput.focus();
      return;
    }
    const options = jobOptions();
    /** @type {string[]} */
    const problems = [];
    submit.disabled = true;
    try {
      for (const file of files) {
        const item = progressItem(file.name);
        try {
          const media = await uploadMedia(file, {
            signal: ctx.signal,
            onProgress: (loaded, total) => item.progress(total > 0 ? Math.round((loaded / total) * 100) : 0),
          });
          item.done('uploaded, submitting');
          await submitJob(media, options);
          item.done('job queued');
          ctx.announce(`${file.name} uploaded; its job is queued.`);
        } catch (err) {
          if (isAbort(err)) return;
          item.done('failed', true);
          problems.push(...errorLines(err).map((line, i) => (i === 0 ? `${file.name}: ${line}` : line)));
        }
      }
      if (url) {
        const item = progressItem(url);
        try {
          const media = await request('/api/v1/media', { method: 'POST', json: { url }, signal: ctx.signal });
          item.done('registered, submitting');
          await submitJob(media, options);
          item.done('job queued');
          urlInput.value = '';
          ctx.announce(`${url} registered; its job is queued.`);
        } catch (err) {
          if (isAbort(err)) return;
          item.done('failed', true);
          problems.push(...errorLines(err).map((line, i) => (i === 0 ? `${url}: ${line}` : line)));
        }
      }
      fileInput.value = '';
      showChosen();
      if (problems.length > 0) setAlert(alert, problems);
    } finally {
      submit.disabled = false;
    }
  });

  return section;
}
