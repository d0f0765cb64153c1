// Live job progress: follows GET /api/v1/jobs/{id}/events (server-sent events read with fetch, since EventSource
// cannot send the Authorization header), reconnects with Last-Event-ID after a network error (with backoff), and
// polls GET /api/v1/jobs/{id} every 2 s when the server refuses another stream (429).
//
// A browser opens at most 6 HTTP/1.1 connections per origin and every open stream holds one, so at most
// `maxStreams` streams are open at once; jobs beyond that are polled until a stream's place frees up.

import { ApiError, readEventStream, request } from './api.js';

const FINAL = new Set(['succeeded', 'failed', 'cancelled']);

/** @param {string} status */
export function isFinal(status) {
  return FINAL.has(status);
}

/**
 * @typedef {{ id: string, controller: AbortController, mode: 'stream' | 'poll' | 'wait' | null, timer: number,
 *             lastEventId: string | null, failures: number, pollOnly: boolean }} Entry
 */

export class JobWatcher {
  /** @type {Map<string, Entry>} */
  #entries = new Map();
  #open = 0;
  #stopped = false;
  #maxStreams;
  #pollMs;
  #onUpdate;
  #onGone;

  /**
   * @param {{ onUpdate: (job: any) => void, onGone?: (id: string) => void, maxStreams?: number, pollMs?: number,
   *           signal?: AbortSignal }} options
   */
  constructor({ onUpdate, onGone = () => {}, maxStreams = 3, pollMs = 2000, signal }) {
    this.#onUpdate = onUpdate;
    this.#onGone = onGone;
    this.#maxStreams = maxStreams;
    this.#pollMs = pollMs;
    signal?.addEventListener('abort', () => this.stop(), { once: true });
  }

  /** Follows a job until it ends (nothing happens for a finished job or one already followed). @param {any} job */
  watch(job) {
    if (this.#stopped || !job?.id || isFinal(job.status) || this.#entries.has(job.id)) return;
    /** @type {Entry} */
    const entry = { id: job.id, controller: new AbortController(), mode: null, timer: 0, lastEventId: null, failures: 0, pollOnly: false };
    this.#entries.set(job.id, entry);
    this.#next(entry, 0);
  }

  /** Stops following a job. @param {string} id */
  unwatch(id) {
    const entry = this.#entries.get(id);
    if (entry) this.#finish(entry);
  }

  /** Stops everything (leaving the screen). */
  stop() {
    this.#stopped = true;
    for (const entry of [...this.#entries.values()]) this.#finish(entry);
  }

  /** The way an entry follows its job now, for tests and debugging. @param {string} id */
  modeOf(id) {
    return this.#entries.get(id)?.mode ?? null;
  }

  /** Streams when a place is free (and the server has not refused one), else polls after `delay`. @param {Entry} entry @param {number} delay */
  #next(entry, delay) {
    if (!this.#entries.has(entry.id)) return;
    if (!entry.pollOnly && this.#open < this.#maxStreams) {
      void this.#stream(entry);
    } else {
      this.#poll(entry, delay);
    }
  }

  /** @param {Entry} entry */
  async #stream(entry) {
    entry.mode = 'stream';
    this.#open += 1;
    const signal = entry.controller.signal;
    /** @type {'ended' | 'error' | 'limited' | 'gone' | 'stop'} */
    let outcome = 'ended';
    try {
      /** @type {Record<string, string>} */
      const headers = { Accept: 'text/event-stream' };
      if (entry.lastEventId) headers['Last-Event-ID'] = entry.lastEventId;
      const response = /** @type {Response} */ (
        await request(`/api/v1/jobs/${encodeURIComponent(entry.id)}/events`, { headers, signal, raw: true }));
      entry.failures = 0;
      await readEventStream(response, (event) => {
        if (event.id) entry.lastEventId = event.id;
        if (event.event !== 'job' || !event.data) return;
        let job;
        try {
          job = JSON.parse(event.data);
        } catch {
          return;
        }
        this.#update(entry, job);
      }, signal);
    } catch (err) {
      if (signal.aborted) outcome = 'stop';
      else if (err instanceof ApiError && err.status === 429) outcome = 'limited';
      else if (err instanceof ApiError && err.status === 404) outcome = 'gone';
      else if (err instanceof ApiError && err.status === 401) outcome = 'stop'; // the app signs out
      else outcome = 'error';
    } finally {
      this.#open -= 1;
      if (entry.mode === 'stream') entry.mode = null;
    }

    if (this.#entries.get(entry.id) === entry && !this.#stopped) {
      if (outcome === 'limited') {
        entry.pollOnly = true; // the server limits open streams per tenant: poll this job instead
        this.#poll(entry, 0);
      } else if (outcome === 'gone') {
        this.#finish(entry);
        this.#onGone(entry.id);
      } else if (outcome === 'error') {
        entry.failures += 1;
        const delay = Math.min(30_000, 1000 * 2 ** (entry.failures - 1)) * (0.75 + Math.random() * 0.5);
        entry.mode = 'wait';
        entry.timer = window.setTimeout(() => {
          entry.timer = 0;
          this.#next(entry, this.#pollMs);
        }, delay);
      } else if (outcome === 'ended') {
        // The server closed the stream before the job ended (deleted, or the server restarting): read it once.
        this.#poll(entry, 0);
      }
    }
    this.#promote();
  }

  /** @param {Entry} entry @param {number} delay */
  #poll(entry, delay) {
    entry.mode = 'poll';
    window.clearTimeout(entry.timer);
    entry.timer = window.setTimeout(async () => {
      entry.timer = 0;
      const signal = entry.controller.signal;
      let failed = false;
      try {
        const job = await request(`/api/v1/jobs/${encodeURIComponent(entry.id)}`, { signal });
        entry.failures = 0;
        this.#update(entry, job);
      } catch (err) {
        if (signal.aborted || (err instanceof ApiError && err.status === 401)) return;
        if (err instanceof ApiError && err.status === 404) {
          this.#finish(entry);
          this.#onGone(entry.id);
          return;
        }
        failed = true;
        entry.failures += 1;
      }
      if (!this.#entries.has(entry.id) || this.#stopped) return;
      const wait = failed ? Math.min(30_000, this.#pollMs * 2 ** Math.min(entry.failures, 4)) : this.#pollMs;
      this.#next(entry, wait);
    }, delay);
  }

  /** Gives a free stream place to a job that is being polled only for want of one. */
  #promote() {
    if (this.#stopped) return;
    for (const entry of this.#entries.values()) {
      if (this.#open >= this.#maxStreams) return;
      if (entry.mode === 'poll' && !entry.pollOnly && entry.timer) {
        window.clearTimeout(entry.timer);
        entry.timer = 0;
        void this.#stream(entry);
      }
    }
  }

  /** @param {Entry} entry @param {any} job */
  #update(entry, job) {
    if (this.#entries.get(entry.id) !== entry) return;
    if (isFinal(job.status)) this.#finish(entry);
    this.#onUpdate(job);
  }

  /** @param {Entry} entry */
  #finish(entry) {
    if (this.#entries.get(entry.id) === entry) this.#entries.delete(entry.id);
    window.clearTimeout(entry.timer);
    entry.timer = 0;
    entry.controller.abort();
  }
}
