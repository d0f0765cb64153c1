// The transcript screen (#/jobs/{id}?t=seconds): the native player beside the transcript, every word a button that
// seeks, the current word highlighted while playing, corrections (an Edit button per segment, the Speakers panel),
// the analyses, a words-per-minute chart and the exports.

import { ApiError, errorLines, getMedia, mediaName, request, requestWithHeaders, session } from './api.js';
import { barChart, wordsPerMinute } from './charts.js';
import { formatDate, formatDuration, formatTime, h, isAbort, replace, setAlert, uid } from './dom.js';
import { JobWatcher, isFinal } from './live.js';
import { TranscriptDocument, etagOf, segmentEditor, speakerLabels, speakersPanel } from './transcript-edit.js';

const EXPORTS = [['TXT', 'txt'], ['SRT', 'srt'], ['VTT', 'vtt'], ['JSON', 'json']];

/**
 * @param {HTMLElement} container
 * @param {{ signal: AbortSignal, announce: (message: string) => void }} ctx
 * @param {{ id: string, t: number | null }} params
 */
export function mountTranscript(container, ctx, { id, t }) {
  const { signal, announce } = ctx;
  const heading = h('h1', { tabIndex: -1, text: 'Transcript' });
  const alert = h('div', { class: 'alert', role: 'alert', hidden: true });
  const body = h('div', { class: 'transcript-body' }, h('p', { class: 'muted', text: 'Loading…' }));
  replace(container,
    h('p', { class: 'back' }, h('a', { href: '#/', text: '← Back to library' })),
    heading, alert, body);
  document.title = 'Transcript · MediaPlatform';

  /** @type {JobWatcher | null} */
  let watcher = null;

  const load = async () => {
    try {
      const job = await request(`/api/v1/jobs/${encodeURIComponent(id)}`, { signal });
      const media = await getMedia(job.mediaId).catch(() => null);
      const name = mediaName(media, job.mediaId);
      heading.textContent = name;
      document.title = `${name} · MediaPlatform`;
      if (job.status !== 'succeeded') {
        showPending(job, media);
        return;
      }
      const [read, analyses] = await Promise.all([
        requestWithHeaders(`/api/v1/jobs/${encodeURIComponent(id)}/transcription`, { signal }).catch((err) => {
          if (err instanceof ApiError && err.status === 404) return null;
          throw err;
        }),
        request(`/api/v1/jobs/${encodeURIComponent(id)}/analyses`, { signal }).catch((err) => {
          if (isAbort(err)) throw err;
          setAlert(alert, errorLines(err));
          return [];
        }),
        // The cookie the player and the downloads use must hold this tab's key (another tab may have changed it).
        session.open().catch(() => undefined),
      ]);
      const doc = read
        ? new TranscriptDocument({ jobId: job.id, transcription: read.data, etag: etagOf(read.headers, read.data), signal })
        : null;
      showTranscript(job, media, doc, analyses ?? []);
    } catch (err) {
      if (isAbort(err)) return;
      if (err instanceof ApiError && err.status === 404) {
        heading.textContent = 'Job not found';
        replace(body, h('p', { text: 'There is no such job (or it was deleted).' }));
        return;
      }
      setAlert(alert, errorLines(err));
      replace(body);
    }
  };

  /** A job that has not succeeded: its state, followed live until it ends. @param {any} job @param {any} media */
  const showPending = (job, media) => {
    const state = h('div', { class: 'panel pending' });
    const render = (/** @type {any} */ current) => {
      const parts = [h('p', {}, 'Status: ', h('span', { class: `badge status-${current.status}`, text: current.status }))];
      if (current.status === 'running') {
        parts.push(h('p', {},
          h('progress', { max: 100, value: current.progress ?? 0, 'aria-label': 'Job progress' }),
          ` ${current.progress ?? 0} %${current.currentStep ? ` · ${current.currentStep}` : ''}`));
      } else if (current.status === 'queued') {
        parts.push(h('p', { class: 'muted', text: 'Waiting for a worker. The transcript appears here when the job succeeds.' }));
      } else if (current.status === 'failed') {
        parts.push(h('p', { class: 'error-text', text: current.error?.message ?? 'The job failed.' }));
      } else if (current.status === 'cancelled') {
        parts.push(h('p', { class: 'muted', text: 'The job was cancelled.' }));
      }
      replace(state, parts);
    };
    render(job);
    replace(body, state, media && (media.status === 'stored' || media.status === 'ready') ? playerBlock(media, signal).block : null);
    if (!isFinal(job.status)) {
      watcher = new JobWatcher({
        signal,
        maxStreams: 1,
        onUpdate: (current) => {
          render(current);
          if (current.status === 'succeeded') {
            announce('The job succeeded; loading its transcript.');
            void load();
          } else if (isFinal(current.status)) {
            announce(`The job ${current.status}.`);
          }
        },
        onGone: () => replace(body, h('p', { text: 'The job was deleted.' })),
      });
      watcher.watch(job);
    }
  };

  /**
   * The player, the downloads and facts, the transcript (editable) and the analyses. Every saved edit draws the
   * transcript, the facts (its revision) and the words-per-minute chart again from the server's answer.
   * @param {any} job @param {any} media @param {TranscriptDocument | null} doc @param {any[]} analyses
   */
  const showTranscript = (job, media, doc, analyses) => {
    const player = media ? playerBlock(media, signal) : null;
    const downloads = h('nav', { class: 'downloads', 'aria-label': 'Download the transcript' },
      h('span', { class: 'muted', text: 'Download: ' }),
      EXPORTS.map(([label, format]) => h('a', {
        href: `/api/v1/jobs/${encodeURIComponent(job.id)}/export?format=${format}`, download: '', class: 'button-link', text: label,
      })));
    const facts = h('div', { class: 'facts-slot' });

    const duration = media?.durationSeconds ?? 0;
    const panels = analysesPanels(analyses, player?.element ?? null);
    const sentimentChart = sentimentParts(analyses);
    const wpmPanel = h('div', { class: 'panel chart-panel', hidden: true });
    const analysesSection = h('section', { class: 'analyses', 'aria-labelledby': 'analyses-heading' },
      h('h2', { id: 'analyses-heading', text: 'Analyses' }),
      h('div', { class: 'analyses-grid' }, panels, wpmPanel, sentimentChart ? h('div', { class: 'panel chart-panel' }, sentimentChart) : null));

    /** The facts and the chart for a version of the transcript. @param {any} transcription @param {{ start: number }[]} words */
    const update = (transcription, words) => {
      replace(facts, metaList(job, transcription));
      replace(wpmPanel, words.length > 0
        ? barChart({
          title: 'Words per minute',
          description: `Words per minute over time, in 30-second steps, counted from the word timings of the transcript (${words.length} words).`,
          points: wordsPerMinute(words, duration),
          valueLabel: 'Words per minute',
        })
        : null);
      wpmPanel.hidden = words.length === 0;
      analysesSection.hidden = panels.length === 0 && !sentimentChart && wpmPanel.hidden;
    };

    const text = doc
      ? editableTranscript(doc, { player: player?.element ?? null, signal, announce, onChange: update })
      : h('p', { class: 'muted', text: 'This job has no transcript of its own.' });
    if (!doc) analysesSection.hidden = panels.length === 0 && !sentimentChart;

    const layout = h('div', { class: 'transcript-layout' },
      h('div', { class: 'player-col' },
        player ? player.block : h('p', { class: 'muted', text: 'The media is no longer available.' }),
        downloads,
        facts),
      h('div', { class: 'text-col' }, text));

    replace(body, layout, analysesSection);

    if (player && t !== null && Number.isFinite(t)) seek(player.element, t, false);
  };

  void load();
}

/**
 * The native player for a media: <video> for video, else <audio>; its source is the content endpoint, which the
 * session cookie authorises (a media element cannot send the Authorization header). Leaving the screen stops it.
 * @param {any} media @param {AbortSignal} signal
 */
function playerBlock(media, signal) {
  const type = String(media.contentType ?? '');
  const video = type.startsWith('video/') || (media.hasVideo === true && !type.startsWith('audio/'));
  const element = /** @type {HTMLMediaElement} */ (h(video ? 'video' : 'audio', {
    controls: true, preload: 'metadata', src: `/api/v1/media/${encodeURIComponent(media.id)}/content`,
    'aria-label': `Player: ${mediaName(media, media.id)}`, class: video ? 'player video' : 'player audio',
  }));
  const problem = h('p', { class: 'error-text', hidden: true });
  let renewed = false;
  element.addEventListener('error', () => {
    if (!renewed) {
      // The session cookie may have expired with the browser session or been replaced by another tab: renew it once.
      renewed = true;
      session.open().then(() => element.load(), () => undefined);
      return;
    }
    problem.textContent = 'The media cannot be played here (it may not be stored yet, or the session expired: sign in again).';
    problem.hidden = false;
  });
  signal.addEventListener('abort', () => {
    element.pause();
    element.removeAttribute('src');
    element.load();
  }, { once: true });
  return { element, block: h('div', { class: 'player-block' }, element, problem) };
}

/** Seeks when the media can (before its metadata, when it has it). @param {HTMLMediaElement} player @param {number} time @param {boolean} play */
function seek(player, time, play) {
  const go = () => {
    try {
      player.currentTime = Math.max(0, time);
    } catch {
      return;
    }
    if (play) player.play().catch(() => {});
  };
  if (player.readyState >= 1) go();
  else {
    player.addEventListener('loadedmetadata', go, { once: true });
    if (play) player.play().catch(() => {}); // a click is the gesture that lets playback start
    try {
      player.currentTime = Math.max(0, time);
    } catch {
      // set again once the metadata is in
    }
  }
}

/** The speaker class (speaker-1..8) and name for a label. */
function speakerStyle() {
  /** @type {Map<string, number>} */
  const order = new Map();
  return (/** @type {string} */ label) => {
    const match = /^S(\d+)$/.exec(label);
    let n = match ? Number(match[1]) : 0;
    if (!n) {
      if (!order.has(label)) order.set(label, order.size + 1);
      n = /** @type {number} */ (order.get(label));
    }
    return `speaker-${((n - 1) % 8) + 1}`;
  };
}

/**
 * The transcript column, editable: the transcript (an "Edit segment N" button per segment opens its editor in place of
 * its words) and, when the transcript has speaker labels, the Speakers panel. Saves go through the document (If-Match
 * with the ETag last read); each answer draws the transcript again (the server re-timed its words) and is passed to
 * onChange with the words. One segment is edited at a time; the other segments' words still play.
 * @param {TranscriptDocument} doc
 * @param {{ player: HTMLMediaElement | null, signal: AbortSignal, announce: (message: string) => void,
 *           onChange: (transcription: any, words: { start: number }[]) => void }} options
 */
function editableTranscript(doc, { player, signal, announce, onChange }) {
  const textSlot = h('div', { class: 'transcript-slot' });
  const speakersSlot = h('div', { class: 'speakers-slot' });
  const classOf = speakerStyle();
  /** @type {ReturnType<typeof transcriptView>} */
  let view;
  /** @type {{ index: number, editor: ReturnType<typeof segmentEditor> } | null} */
  let editing = null;
  /** @type {ReturnType<typeof speakersPanel> | null} */
  let speakers = null;
  // The player's listeners belong to one drawing of the transcript: drawing it again (or leaving) removes them.
  let viewController = new AbortController();
  signal.addEventListener('abort', () => viewController.abort(), { once: true });

  /** Draws the transcript from the document; an open editor's draft is kept when keepDraft. @param {boolean} keepDraft */
  const render = (keepDraft) => {
    const draft = keepDraft && editing ? { index: editing.index, text: editing.editor.value } : null;
    editing = null;
    viewController.abort();
    viewController = new AbortController();
    view = transcriptView(doc.transcription, player, viewController.signal, { classOf, onEdit: (index) => openEditor(index) });
    replace(textSlot, view.block);
    if (draft) openEditor(draft.index, { draft: draft.text, focus: false });
    onChange(doc.transcription, view.words);
  };

  /** Draws the Speakers panel from the document (none when no segment has a speaker label). */
  const renderSpeakers = () => {
    const labels = speakerLabels(doc.transcription);
    speakers = labels.length > 0
      ? speakersPanel({ labels, names: doc.transcription.speakers ?? {}, classOf, save: saveNames, reload: () => reload(() => speakers?.focusFirst()), announce })
      : null;
    replace(speakersSlot, speakers?.element ?? null);
  };

  /** @param {number} index @param {{ draft?: string, focus?: boolean }} [options] */
  const openEditor = (index, { draft, focus = true } = {}) => {
    if (editing) {
      if (editing.index === index) {
        editing.editor.focus();
        return;
      }
      if (editing.editor.dirty) {
        announce(`Save or cancel your change to segment ${editing.index + 1} first.`);
        editing.editor.focus();
        return;
      }
      closeEditor(false);
    }
    const part = view.segments[index];
    if (!part) return;
    const editor = segmentEditor({
      number: index + 1,
      text: part.segment.text ?? '',
      draft,
      save: (text) => saveSegment(index, text),
      cancel: () => closeEditor(true),
      reload: () => reload(() => view.segments[index]?.editButton.focus()),
    });
    part.group.replaceWith(editor.element);
    editing = { index, editor };
    view.keepTabStop();
    if (focus) editor.focus();
  };

  /** Puts the words back in place of the editor. @param {boolean} focusButton */
  const closeEditor = (focusButton) => {
    if (!editing) return;
    const part = view.segments[editing.index];
    editing.editor.element.replaceWith(part.group);
    editing = null;
    if (focusButton) part.editButton.focus();
  };

  /** @param {number} index @param {string} text */
  const saveSegment = async (index, text) => {
    const saved = await doc.patch({ segments: [{ index, text }] });
    render(false);
    view.segments[index]?.editButton.focus();
    announce(`Segment ${index + 1} saved (revision ${saved.revision}).`);
  };

  /** @param {Record<string, string | null>} names */
  const saveNames = async (names) => {
    const saved = await doc.patch({ speakers: names });
    render(true);
    renderSpeakers();
    speakers?.focusSave();
    announce(`Speaker names saved (revision ${saved.revision}).`);
  };

  /** Reads the transcript again (after a 412), dropping what was being edited. @param {() => void} focus */
  const reload = async (focus) => {
    const fresh = await doc.reload();
    render(false);
    renderSpeakers();
    focus();
    announce(`Transcript reloaded (revision ${fresh.revision}).`);
  };

  render(false);
  renderSpeakers();
  return h('div', { class: 'transcript-edit' }, textSlot, speakersSlot);
}

/**
 * The transcript: segments with their time, speaker and an "Edit segment N" button; every word a button (its name is
 * its text) that seeks the player to its start and plays. Each segment's words are a group named "Transcript" holding
 * nothing but the word buttons. Arrow keys move between words (one tab stop for the whole transcript).
 * @param {any} transcription @param {HTMLMediaElement | null} player @param {AbortSignal} signal
 * @param {{ classOf: (label: string) => string, onEdit: (index: number) => void }} options
 */
function transcriptView(transcription, player, signal, { classOf, onEdit }) {
  const names = transcription.speakers ?? {};
  /** @type {{ start: number, end: number, el: HTMLButtonElement }[]} */
  const words = [];
  /** @type {{ segment: any, group: HTMLElement, editButton: HTMLButtonElement }[]} */
  const segments = [];
  const hintId = uid('words-hint');
  const box = h('div', { class: 'words' });

  (transcription.segments ?? []).forEach((/** @type {any} */ segment, /** @type {number} */ index) => {
    const label = segment.speaker ?? null;
    const group = h('p', { class: 'segment-text', role: 'group', 'aria-label': 'Transcript', 'aria-describedby': hintId });
    const list = Array.isArray(segment.words) && segment.words.length > 0
      ? segment.words
      : [{ text: segment.text, start: segment.start, end: segment.end }];
    list.forEach((/** @type {any} */ word, /** @type {number} */ i) => {
      if (!word.text) return;
      if (i > 0) group.append(' ');
      const button = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', class: 'word', tabIndex: -1, text: word.text }));
      button.dataset.index = String(words.length);
      words.push({ start: Number(word.start) || 0, end: Number(word.end) || 0, el: button });
      group.append(button);
    });
    if (!group.hasChildNodes()) group.append(h('span', { class: 'muted', text: '(no words)' }));
    const editButton = /** @type {HTMLButtonElement} */ (h('button', {
      type: 'button', class: 'segment-edit', text: 'Edit', 'aria-label': `Edit segment ${index + 1}`,
      on: { click: () => onEdit(index) },
    }));
    segments.push({ segment, group, editButton });
    box.append(h('div', { class: ['segment', label ? classOf(label) : null] },
      h('div', { class: 'segment-head' },
        h('span', { class: 'time', text: formatTime(segment.start) }),
        label ? h('span', { class: 'speaker', text: names[label] || label }) : null,
        editButton),
      group));
  });
  if (words.length > 0) words[0].el.tabIndex = 0;

  /** Moves focus to the first word from index, in step's direction, that is shown (not under an open editor). @param {number} index @param {number} step */
  const focusWord = (index, step) => {
    for (let i = Math.max(0, Math.min(words.length - 1, index)); i >= 0 && i < words.length; i += step) {
      const next = words[i];
      if (!next.el.isConnected) continue;
      for (const w of words) if (w.el.tabIndex === 0 && w !== next) w.el.tabIndex = -1;
      next.el.tabIndex = 0;
      next.el.focus();
      return;
    }
  };

  /** Keeps the one tab stop on a word that is shown (an editor may have taken the words that had it). */
  const keepTabStop = () => {
    const shown = words.filter((w) => w.el.isConnected);
    if (shown.some((w) => w.el.tabIndex === 0)) return;
    for (const w of words) w.el.tabIndex = -1;
    if (shown.length > 0) shown[0].el.tabIndex = 0;
  };

  box.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('button.word') : null;
    if (!(button instanceof HTMLButtonElement)) return;
    const index = Number(button.dataset.index);
    for (const w of words) if (w.el.tabIndex === 0) w.el.tabIndex = -1;
    button.tabIndex = 0;
    if (player) {
      seek(player, words[index].start, true);
      highlight(words[index].start);
    }
  });
  box.addEventListener('keydown', (event) => {
    const button = event.target instanceof Element ? event.target.closest('button.word') : null;
    if (!(button instanceof HTMLButtonElement)) return;
    const index = Number(button.dataset.index);
    /** @type {Record<string, [number, number]>} */
    const moves = { ArrowRight: [index + 1, 1], ArrowDown: [index + 1, 1], ArrowLeft: [index - 1, -1], ArrowUp: [index - 1, -1], Home: [0, 1], End: [words.length - 1, -1] };
    if (event.key in moves) {
      event.preventDefault();
      focusWord(...moves[event.key]);
    }
  });

  // Highlight: the word with start <= currentTime < end; words are searched by start.
  const byStart = [...words].sort((a, b) => a.start - b.start);
  /** @type {HTMLButtonElement | null} */
  let current = null;
  /** @param {number} time */
  const find = (time) => {
    let lo = 0;
    let hi = byStart.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (byStart[mid].start <= time) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found >= 0 && time < byStart[found].end ? byStart[found].el : null;
  };
  /** @param {number} time */
  const highlight = (time) => {
    const next = find(time);
    if (next === current) return;
    if (current) {
      current.classList.remove('current');
      current.removeAttribute('aria-current');
    }
    current = next;
    if (current) {
      current.classList.add('current');
      current.setAttribute('aria-current', 'true');
      if (player && !player.paused && current.isConnected) keepVisible(box, current);
    }
  };

  if (player) {
    let frame = 0;
    const tick = () => {
      highlight(player.currentTime);
      frame = !player.paused && !player.ended ? requestAnimationFrame(tick) : 0;
    };
    const onTime = () => highlight(player.currentTime);
    player.addEventListener('timeupdate', onTime, { signal });
    player.addEventListener('seeked', onTime, { signal });
    player.addEventListener('play', () => {
      if (!frame) frame = requestAnimationFrame(tick);
    }, { signal });
    player.addEventListener('pause', () => {
      cancelAnimationFrame(frame);
      frame = 0;
      onTime();
    }, { signal });
    signal.addEventListener('abort', () => cancelAnimationFrame(frame), { once: true });
    // Drawn again while the media plays (after an edit): follow it from here.
    if (!player.paused && !player.ended) frame = requestAnimationFrame(tick);
    else if (player.currentTime > 0) onTime();
  }

  const block = h('section', { class: 'panel transcript', 'aria-labelledby': 'transcript-heading' },
    h('h2', { id: 'transcript-heading', text: 'Transcript' }),
    h('p', { id: hintId, class: 'hint', text: 'Select a word to play from it; the arrow keys move between words.' }),
    segments.length > 0 ? box : h('p', { class: 'muted', text: 'Nothing was recognised in this media.' }));
  return { block, words, segments, keepTabStop };
}

/** Scrolls the transcript's own box (when it scrolls) so the current word stays in view. @param {HTMLElement} box @param {HTMLElement} el */
function keepVisible(box, el) {
  if (box.scrollHeight <= box.clientHeight + 1) return;
  const word = el.getBoundingClientRect();
  const area = box.getBoundingClientRect();
  if (word.top < area.top || word.bottom > area.bottom) box.scrollTop += word.top - area.top - area.height / 3;
}

/** Facts of the transcript. @param {any} job @param {any} transcription */
function metaList(job, transcription) {
  const items = [
    ['Language', transcription.language || job.language || '–'],
    ['Engine', [transcription.engine, transcription.model].filter(Boolean).join(' · ') || '–'],
    ['Words', String(transcription.wordCount ?? 0)],
    ['Confidence', transcription.confidence === null || transcription.confidence === undefined ? '–' : `${Math.round(transcription.confidence * 100)} %`],
    ['Revision', transcription.editedAt ? `${transcription.revision} (edited ${formatDate(transcription.editedAt)})` : String(transcription.revision ?? 1)],
  ];
  if (Array.isArray(transcription.redactions)) items.push(['Redacted', `${transcription.redactions.length} ${transcription.redactions.length === 1 ? 'span' : 'spans'}`]);
  return h('dl', { class: 'facts' }, items.map(([term, value]) => [h('dt', { text: term }), h('dd', { text: value })]));
}

/** One panel per analysis result. @param {any[]} analyses @param {HTMLMediaElement | null} player */
function analysesPanels(analyses, player) {
  const order = ['summary', 'keywords', 'sentiment', 'speechStatistics'];
  return [...analyses]
    .sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind))
    .map((result) => {
      const payload = result.payload ?? {};
      switch (result.kind) {
        case 'keywords':
          return panel('Keywords', (payload.keywords ?? []).length > 0
            ? h('ol', { class: 'keywords' }, payload.keywords.map((/** @type {any} */ k) => h('li', {},
              h('span', { text: k.phrase }), h('span', { class: 'muted', text: ` × ${k.count}` }))))
            : h('p', { class: 'muted', text: 'No keywords found.' }));
        case 'summary':
          return panel('Summary',
            h('p', { class: 'summary-text', text: payload.summary || 'Nothing to summarise.' }),
            player && Array.isArray(payload.sentences) && payload.sentences.length > 0
              ? h('ul', { class: 'summary-sentences' }, payload.sentences.map((/** @type {any} */ s) => h('li', {},
                h('button', { type: 'button', class: 'link-button', text: `Play from ${formatTime(s.start)}`, on: { click: () => seek(player, s.start, true) } }),
                ' ', s.text)))
              : null);
        case 'sentiment':
          return panel('Sentiment', h('dl', { class: 'facts' },
            h('dt', { text: 'Overall' }), h('dd', {}, h('span', { class: `badge sentiment-${payload.label}`, text: payload.label ?? '–' })),
            h('dt', { text: 'Compound score' }), h('dd', { text: typeof payload.compound === 'number' ? payload.compound.toFixed(2) : '–' }),
            h('dt', { text: 'Positive words' }), h('dd', { text: String(payload.positiveWords ?? '–') }),
            h('dt', { text: 'Negative words' }), h('dd', { text: String(payload.negativeWords ?? '–') })));
        case 'speechStatistics':
          return panel('Speech statistics', h('dl', { class: 'facts' },
            h('dt', { text: 'Duration' }), h('dd', { text: formatDuration(payload.durationSeconds) }),
            h('dt', { text: 'Speaking time' }), h('dd', { text: formatDuration(payload.speakingSeconds) }),
            h('dt', { text: 'Words' }), h('dd', { text: String(payload.wordCount ?? '–') }),
            h('dt', { text: 'Segments' }), h('dd', { text: String(payload.segmentCount ?? '–') }),
            h('dt', { text: 'Words per minute' }), h('dd', { text: typeof payload.wordsPerMinute === 'number' ? payload.wordsPerMinute.toFixed(1) : '–' }),
            h('dt', { text: 'Silence' }), h('dd', { text: typeof payload.silenceRatio === 'number' ? `${Math.round(payload.silenceRatio * 100)} %` : '–' }),
            h('dt', { text: 'Longest pause' }), h('dd', { text: `${formatDuration(payload.longestPauseSeconds)} at ${formatTime(payload.longestPauseStart)}` })));
        default:
          return panel(String(result.kind), h('pre', { class: 'payload', text: JSON.stringify(payload, null, 2) }));
      }
    });
}

/** @param {string} title @param {...any} children */
function panel(title, ...children) {
  const id = uid('analysis');
  return h('section', { class: 'panel analysis', 'aria-labelledby': id }, h('h3', { id, text: title }), children);
}

/**
 * A second chart when the sentiment result carries scores per part of the recording (an array of { start, compound }
 * or { start, score } under `parts`, `segments` or `timeline`); today's analyser writes only the overall score.
 * @param {any[]} analyses
 */
function sentimentParts(analyses) {
  const payload = analyses.find((a) => a.kind === 'sentiment')?.payload;
  const parts = payload?.parts ?? payload?.segments ?? payload?.timeline;
  if (!Array.isArray(parts) || parts.length === 0) return null;
  const points = parts
    .map((part) => ({ start: Number(part.start ?? 0), value: Number(part.compound ?? part.score) }))
    .filter((p) => Number.isFinite(p.value))
    .map((p) => ({ label: formatTime(p.start), value: p.value, detail: p.value.toFixed(2) }));
  if (points.length === 0) return null;
  return barChart({
    title: 'Sentiment over time',
    description: 'Sentiment score of each part of the recording, from -1 (negative) to 1 (positive).',
    points,
    valueLabel: 'Sentiment score',
    format: (v) => v.toFixed(1),
  });
}
