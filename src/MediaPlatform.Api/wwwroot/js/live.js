// Live job progress: follows GET /api/v1/jobs/{id}/events (server-sent events read with fetch, since EventSource
// cannot send the Authorization header) and reconnects with Last-Event-ID, backing off (with jitter) after an error or
// a stream that ended without an event (a proxy that answers 200 and closes at once must not cause a reconnect loop).
//
// A browser opens at most 6 HTTP/1.1 connections per origin and every open stream holds one, so at most
// `maxStreams` streams are open at once. The jobs without a stream are polled together: every `pollMs`, one
// GET /api/v1/jobs?status=queued and one ?status=running (newest first, 100 each) read them all; only a job missing
// from both (finished, or older than the newest 100) is read on its own, a few per round. A 429 waits its
// Retry-After; the server's limit of open streams (`streams.limit`) makes that job polled for good. A 404 or 403 on a
// job ends following it (a 404 tells `onGone`).

import { ApiError, query, readEventStream, request } from './api.js';

const FINAL = new Set(['succeeded', 'failed', 'cancelled']);

/** The problem code of the server's limit of open event streams (src/MediaPlatform.Api/Endpoints/JobEventEndpoints.cs). */
const STREAM_LIMIT = 'streams.limit';
/** The problem code of the tenant's request rate: every kind of request waits for it. */
const RATE_LIMIT = 'tenant.requests_per_minute';
/** Jobs per list request (the API allows up to 200). */
const LIST_LIMIT = 100;
/** Below this many polled jobs, reading each on its own costs no more than the two list requests. */
const LIST_FROM = 3;
/** Jobs read on their own per round at most (those missing from the lists), the least recently read first. */
const SINGLES_PER_ROUND = 4;
/** Longest wait between stream attempts, and between poll rounds after errors. */
const MAX_BACKOFF_MS = 30_000;
/** A stream that stayed open this long without an event was not a reconnect loop (only keep-alives, nothing new). */
const QUIET_STREAM_MS = 30_000;
/** Retry-After when a 429 has none, and the most of one this page honours. */
const DEFAULT_RETRY_S = 5;
const MAX_RETRY_S = 300;

/** @param {string} status */
export function isFinal(status) {
  return FINAL.has(status);
}

/**
 * One followed job. `mode`: 'stream' while its stream is open, 'poll' otherwise (read by the poll rounds).
 * `streamAfter`: no stream attempt before this time (backoff, or the poll interval after a stream ended);
 * `readAfter`: no poll read before this time; `readAt`: its last read on its own (for fairness).
 * @typedef {{ id: string, controller: AbortController, mode: 'stream' | 'poll', lastEventId: string | null,
 *             failures: number, pollOnly: boolean, streamAfter: number, readAfter: number, readAt: number,
 *             state: string }} Entry
 */

/** @typedef {'stream' | 'list' | 'job'} Kind */

export class JobWatcher {
  /** @type {Map<string, Entry>} */
  #entries = new Map();
  #open = 0;
  #stopped = false;
  #maxStreams;
  #pollMs;
  #onUpdate;
  #onGone;
  /** Aborts the list requests when the watcher stops. */
  #controller = new AbortController();
  /** The next poll round's timer, and whether a round is in flight. */
  #timer = 0;
  #polling = false;
  #pollFailures = 0;
  /** @type {Record<Kind, number>} no request of that kind before this time (a 429's Retry-After) */
  #notBefore = { stream: 0, list: 0, job: 0 };

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
    const now = Date.now();
    /** @type {Entry} */
    const entry = {
      id: job.id, controller: new AbortController(), mode: 'poll', lastEventId: null, failures: 0, pollOnly: false,
      streamAfter: 0, readAfter: now + this.#pollMs, readAt: now, state: stateOf(job),
    };
    this.#entries.set(job.id, entry);
    if (this.#canStream(entry, now)) void this.#stream(entry);
    else this.#schedule(this.#pollMs);
  }

  /** Stops following a job. @param {string} id */
  unwatch(id) {
    const entry = this.#entries.get(id);
    if (entry) this.#finish(entry);
  }

  /** Stops everything (leaving the screen). */
  stop() {
    this.#stopped = true;
    window.clearTimeout(this.#timer);
    this.#timer = 0;
    this.#controller.abort();
    for (const entry of [...this.#entries.values()]) this.#finish(entry);
  }

  /** The way an entry follows its job now ('stream' or 'poll'), for tests and debugging. @param {string} id */
  modeOf(id) {
    return this.#entries.get(id)?.mode ?? null;
  }

  /** @param {Entry} entry @param {number} now */
  #canStream(entry, now) {
    return !entry.pollOnly && this.#open < this.#maxStreams && entry.streamAfter <= now && this.#notBefore.stream <= now;
  }

  /** @param {Entry} entry */
  async #stream(entry) {
    entry.mode = 'stream';
    this.#open += 1;
    const signal = entry.controller.signal;
    const opened = Date.now();
    let events = 0;
    /** @type {'ended' | 'error' | 'limited' | 'waiting' | 'gone' | 'refused' | 'stop'} */
    let outcome = 'ended';
    let retryAfter = 0;
    try {
      /** @type {Record<string, string>} */
      const headers = { Accept: 'text/event-stream' };
      if (entry.lastEventId) headers['Last-Event-ID'] = entry.lastEventId;
      const response = /** @type {Response} */ (
        await request(`/api/v1/jobs/${encodeURIComponent(entry.id)}/events`, { headers, signal, raw: true }));
      await readEventStream(response, (event) => {
        if (event.id) entry.lastEventId = event.id;
        // Only a stream that delivers something proves the way works: then (and not on the 200 alone) the backoff resets.
        events += 1;
        entry.failures = 0;
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
      else if (err instanceof ApiError && err.status === 429) {
        retryAfter = this.#limited('stream', err);
        outcome = err.code === STREAM_LIMIT ? 'limited' : 'waiting';
      } else if (err instanceof ApiError && err.status === 404) outcome = 'gone';
      else if (err instanceof ApiError && err.status === 403) outcome = 'refused';
      else if (err instanceof ApiError && err.status === 401) outcome = 'stop'; // the app signs out
      else outcome = 'error';
    } finally {
      this.#open -= 1;
    }

    if (this.#entries.get(entry.id) === entry && !this.#stopped) {
      const now = Date.now();
      if (outcome === 'ended' && events === 0 && now - opened < QUIET_STREAM_MS) outcome = 'error';
      entry.mode = 'poll';
      switch (outcome) {
        case 'limited': // the server limits open streams per tenant: poll this job from now on
          entry.pollOnly = true;
          entry.readAfter = now;
          break;
        case 'waiting': // the tenant's request rate: no new stream before Retry-After; polled meanwhile
          entry.streamAfter = now + retryAfter;
          entry.readAfter = now + retryAfter;
          break;
        case 'gone':
          this.#finish(entry);
          this.#onGone(entry.id);
          break;
        case 'refused': // 403: the key may not read it; retrying cannot help
        case 'stop':
          this.#finish(entry);
          break;
        case 'error': {
          entry.failures += 1;
          const backoff = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (entry.failures - 1)) * (0.75 + Math.random() * 0.5);
          entry.streamAfter = now + backoff;
          entry.readAfter = now + this.#pollMs;
          break;
        }
        default: // 'ended' after events: the server closed it before the job ended (restarting, say)
          entry.streamAfter = now + this.#pollMs;
          entry.readAfter = now + this.#pollMs;
          break;
      }
      if (this.#entries.get(entry.id) === entry) this.#schedule(this.#pollMs);
    }
    this.#promote();
  }

  /** Gives free stream places to polled jobs that may stream now (not one whose stream just ended or backs off). */
  #promote() {
    if (this.#stopped) return;
    const now = Date.now();
    for (const entry of this.#entries.values()) {
      if (this.#open >= this.#maxStreams || this.#notBefore.stream > now) return;
      if (entry.mode === 'poll' && this.#canStream(entry, now)) void this.#stream(entry);
    }
  }

  /** The next poll round after `delay` (unless one is due or running: a running one schedules its successor). @param {number} delay */
  #schedule(delay) {
    if (this.#stopped || this.#timer || this.#polling) return;
    this.#timer = window.setTimeout(() => {
      this.#timer = 0;
      void this.#round();
    }, delay);
  }

  /** One poll round: streams for those that may have one, then one read of every polled job that is due. */
  async #round() {
    if (this.#stopped) return;
    this.#promote();
    const polled = [...this.#entries.values()].filter((entry) => entry.mode === 'poll');
    if (polled.length === 0) return; // a stream that ends, or watch(), schedules the next round
    const now = Date.now();
    const due = polled.filter((entry) => entry.readAfter <= now);
    let failed = false;
    if (due.length > 0) {
      this.#polling = true;
      try {
        failed = await this.#read(due);
      } finally {
        this.#polling = false;
      }
      if (this.#stopped) return;
    }
    this.#pollFailures = failed ? this.#pollFailures + 1 : 0;
    this.#promote();
    if ([...this.#entries.values()].some((entry) => entry.mode === 'poll')) {
      this.#schedule(failed ? Math.min(MAX_BACKOFF_MS, this.#pollMs * 2 ** Math.min(this.#pollFailures, 4)) : this.#pollMs);
    }
  }

  /**
   * Reads the due jobs: with the lists of queued and running jobs when that saves requests, then on their own the
   * ones missing from them. Resolves true when a request failed (not a 429, which only waits).
   * @param {Entry[]} due
   */
  async #read(due) {
    let rest = due;
    if (due.length >= LIST_FROM && this.#notBefore.list <= Date.now()) {
      const signal = this.#controller.signal;
      try {
        const [queued, running] = await Promise.all(['queued', 'running'].map((status) =>
          request(`/api/v1/jobs${query({ status, limit: LIST_LIMIT })}`, { signal })));
        /** @type {Map<string, any>} */
        const found = new Map();
        for (const job of [...(queued?.items ?? []), ...(running?.items ?? [])]) found.set(job.id, job);
        rest = [];
        for (const entry of due) {
          const job = found.get(entry.id);
          if (!job) {
            rest.push(entry); // finished (or older than the newest 100): read it on its own
            continue;
          }
          entry.readAfter = 0;
          // The lists leave out queuePosition; an unchanged job is not drawn again.
          if (stateOf(job) !== entry.state) this.#update(entry, job);
        }
      } catch (err) {
        if (signal.aborted || (err instanceof ApiError && err.status === 401)) return false;
        if (err instanceof ApiError && err.status === 429) {
          this.#limited('list', err);
          if (err.code === RATE_LIMIT) return false;
        } else {
          return true;
        }
      }
    }
    const singles = rest
      .filter((entry) => this.#entries.get(entry.id) === entry && entry.mode === 'poll')
      .sort((a, b) => a.readAt - b.readAt)
      .slice(0, SINGLES_PER_ROUND);
    for (const entry of singles) {
      if (this.#stopped || this.#notBefore.job > Date.now()) break;
      const outcome = await this.#readOne(entry);
      if (outcome === 'failed') return true;
    }
    return false;
  }

  /** GET /api/v1/jobs/{id}. @param {Entry} entry @returns {Promise<'read' | 'failed' | 'done'>} */
  async #readOne(entry) {
    const signal = entry.controller.signal;
    entry.readAt = Date.now();
    try {
      const job = await request(`/api/v1/jobs/${encodeURIComponent(entry.id)}`, { signal });
      this.#update(entry, job);
      return 'read';
    } catch (err) {
      if (signal.aborted) return 'done';
      if (err instanceof ApiError) {
        if (err.status === 429) {
          this.#limited('job', err);
          return 'done';
        }
        if (err.status === 404) {
          this.#finish(entry);
          this.#onGone(entry.id);
          return 'done';
        }
        if (err.status === 403 || err.status === 401) { // 401: the app signs out
          this.#finish(entry);
          return 'done';
        }
      }
      return 'failed';
    }
  }

  /**
   * A 429: no request of this kind (of any kind for the tenant's request rate) before its Retry-After.
   * @param {Kind} kind @param {ApiError} err @returns {number} the wait in ms
   */
  #limited(kind, err) {
    const seconds = Math.min(MAX_RETRY_S, err.retryAfter ?? DEFAULT_RETRY_S);
    const until = Date.now() + seconds * 1000;
    /** @type {Kind[]} */
    const kinds = err.code === RATE_LIMIT ? ['stream', 'list', 'job'] : [kind];
    for (const k of kinds) this.#notBefore[k] = Math.max(this.#notBefore[k], until);
    return seconds * 1000;
  }

  /** @param {Entry} entry @param {any} job */
  #update(entry, job) {
    if (this.#entries.get(entry.id) !== entry) return;
    entry.state = stateOf(job);
    if (isFinal(job.status)) this.#finish(entry);
    this.#onUpdate(job);
  }

  /** @param {Entry} entry */
  #finish(entry) {
    if (this.#entries.get(entry.id) === entry) this.#entries.delete(entry.id);
    entry.controller.abort();
  }
}

/** What a client sees of a job's state (as the server's event ids: not the update time heartbeats move). @param {any} job */
function stateOf(job) {
  return `${job?.status}-${job?.progress}-${job?.currentStep}-${job?.attempts}`;
}
