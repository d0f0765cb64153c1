// The API client: the key (sessionStorage only), fetch with the Bearer header (and any other, such as If-Match),
// problem+json errors, answers with their headers (ETag), uploads with progress (XMLHttpRequest), the server-sent
// events reader, and a cache of media by id.

const STORAGE_KEY = 'mediaplatform.apiKey';

/** @type {string | null} */
let apiKey = null;

/** The key: in memory and in sessionStorage (never localStorage, a cookie or a URL). */
export const auth = {
  /** @returns {string | null} */
  stored() {
    try {
      return sessionStorage.getItem(STORAGE_KEY);
    } catch {
      return null;
    }
  },
  /** @param {string} key */
  set(key) {
    apiKey = key;
    try {
      sessionStorage.setItem(STORAGE_KEY, key);
    } catch {
      // storage refused (private mode): the key stays in memory for this page
    }
  },
  clear() {
    apiKey = null;
    try {
      sessionStorage.removeItem(STORAGE_KEY);
    } catch {
      // nothing stored
    }
  },
  get signedIn() {
    return apiKey !== null;
  },
};

/**
 * An answer that was not 2xx. `problem` is the problem+json body when there is one: `detail`, `code` and, for a 400,
 * `errors` (field -> messages). `retryAfter`: the answer's Retry-After in seconds (a 429 or 503), else null.
 */
export class ApiError extends Error {
  /** @param {number} status @param {any} problem @param {string} [fallback] @param {number | null} [retryAfter] */
  constructor(status, problem, fallback, retryAfter = null) {
    super(problemText(status, problem, fallback));
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem ?? null;
    this.code = problem?.code ?? problem?.error?.code ?? null;
    this.retryAfter = retryAfter;
  }

  /** The detail and each `errors` entry ("field: message"), for an alert. @returns {string[]} */
  get lines() {
    const lines = [this.message];
    const errors = this.problem?.errors;
    if (errors && typeof errors === 'object') {
      for (const [field, messages] of Object.entries(errors)) {
        for (const message of Array.isArray(messages) ? messages : [messages]) {
          const text = String(message);
          lines.push(text.toLowerCase().startsWith(field.toLowerCase()) ? text : `${field}: ${text}`);
        }
      }
    }
    return lines;
  }
}

/** @param {number} status @param {any} problem @param {string} [fallback] */
function problemText(status, problem, fallback) {
  if (problem && typeof problem === 'object') {
    if (typeof problem.detail === 'string' && problem.detail) return problem.detail;
    if (typeof problem.error?.message === 'string') return problem.error.message; // OpenAI's shape on /v1
    if (typeof problem.title === 'string' && problem.title) return problem.title;
  }
  if (fallback) return fallback;
  if (status === 0) return 'The service could not be reached.';
  return `The service answered ${status}.`;
}

/** The lines to show for any error (an ApiError's detail and field errors, or a plain message). @param {unknown} err */
export function errorLines(err) {
  if (err instanceof ApiError) return err.lines;
  if (err instanceof TypeError) return ['The service could not be reached. Check the connection and try again.'];
  return [err instanceof Error ? err.message : String(err)];
}

/**
 * A Retry-After header in seconds: delta-seconds or an HTTP date; null when absent or unreadable.
 * @param {string | null} value @returns {number | null}
 */
export function retryAfterSeconds(value) {
  if (!value) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/** Tells the app that the key stopped working (revoked or expired) during a session. */
function unauthorized() {
  window.dispatchEvent(new CustomEvent('mp:unauthorized'));
}

/** @param {Response} response */
async function readProblem(response) {
  const type = response.headers.get('Content-Type') ?? '';
  try {
    if (type.includes('json')) return await response.json();
    const text = await response.text();
    return text ? { detail: text.slice(0, 500) } : null;
  } catch {
    return null;
  }
}

/**
 * Calls the API with the Bearer key. Returns the parsed JSON (null for 204), the text for other types, or the
 * Response itself with `raw`. Throws ApiError on a non-2xx answer (and DOMException AbortError when aborted).
 * `headers` are sent as well (If-Match...); `json` is sent as the body with any method (POST, PATCH...).
 * @param {string} path
 * @param {RequestOptions} [options]
 */
export async function request(path, options = {}) {
  const response = await send(path, options);
  return options.raw ? response : readBody(response);
}

/**
 * As request, with the answer's headers and status too, for a caller that needs them (the ETag it sends back in
 * If-Match). Resolves with { data, headers, status }; throws as request does.
 * @param {string} path
 * @param {RequestOptions} [options]
 * @returns {Promise<{ data: any, headers: Headers, status: number }>}
 */
export async function requestWithHeaders(path, options = {}) {
  const response = await send(path, options);
  return { data: await readBody(response), headers: response.headers, status: response.status };
}

/**
 * @typedef {{ method?: string, json?: any, headers?: Record<string, string>, signal?: AbortSignal, raw?: boolean,
 *             key?: string, quiet401?: boolean }} RequestOptions
 */

/** The fetch behind request: the Response of a 2xx answer, else ApiError. @param {string} path @param {RequestOptions} options */
async function send(path, options) {
  const { method = 'GET', json, signal, quiet401 = false } = options;
  const key = options.key ?? apiKey;
  /** @type {Record<string, string>} */
  const headers = { Accept: 'application/json', ...options.headers };
  if (key) headers.Authorization = `Bearer ${key}`;
  /** @type {RequestInit} */
  const init = { method, headers, signal, credentials: 'same-origin', cache: 'no-store' };
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(json);
  }
  const response = await fetch(path, init);
  if (!response.ok) {
    const problem = await readProblem(response);
    if (response.status === 401 && !quiet401 && auth.signedIn) unauthorized();
    throw new ApiError(response.status, problem, undefined, retryAfterSeconds(response.headers.get('Retry-After')));
  }
  return response;
}

/** A 2xx answer's body: null for 204, JSON when it says so, else text. @param {Response} response */
async function readBody(response) {
  if (response.status === 204) return null;
  const type = response.headers.get('Content-Type') ?? '';
  return type.includes('json') ? response.json() : response.text();
}

/** Query string from an object, skipping empty values. @param {Record<string, any>} params */
export function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/**
 * The session cookie for the native media element and download links: POST sets an HttpOnly SameSite=Strict cookie
 * (path /api/v1) the server honours only for media content and exports; DELETE clears it.
 */
export const session = {
  /**
   * Sets the cookie to this tab's key (or `key`). Called at sign-in and again before a screen uses the player or the
   * downloads: another tab may have signed in with another key since (one cookie per browser), or signed out.
   * @param {string} [key]
   */
  async open(key) {
    await request('/api/v1/session', { method: 'POST', key, quiet401: true });
  },
  async close() {
    await request('/api/v1/session', { method: 'DELETE', quiet401: true });
  },
};

/**
 * Uploads one file (multipart, field `file`) with upload progress; resolves with the media (MediaAssetDto).
 * @param {File} file
 * @param {{ onProgress?: (loaded: number, total: number) => void, signal?: AbortSignal }} [options]
 * @returns {Promise<any>}
 */
export function uploadMedia(file, { onProgress, signal } = {}) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new DOMException('Aborted', 'AbortError'));
      return;
    }
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/v1/media');
    if (apiKey) xhr.setRequestHeader('Authorization', `Bearer ${apiKey}`);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.responseType = 'text';
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) onProgress?.(event.loaded, event.total);
    });
    xhr.addEventListener('load', () => {
      let body = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        body = xhr.responseText ? { detail: xhr.responseText.slice(0, 500) } : null;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress?.(file.size, file.size);
        resolve(body);
      } else {
        if (xhr.status === 401) unauthorized();
        reject(new ApiError(xhr.status, body, undefined, retryAfterSeconds(xhr.getResponseHeader('Retry-After'))));
      }
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, null, `The upload of ${file.name} failed: the connection was lost.`)));
    xhr.addEventListener('abort', () => reject(new DOMException('Aborted', 'AbortError')));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

/**
 * Reads a text/event-stream body and calls onEvent for every event ({ event, data, id }). Resolves when the stream
 * ends; rejects on a network error or an abort.
 * @param {Response} response
 * @param {(event: { event: string, data: string, id: string | null }) => void} onEvent
 * @param {AbortSignal} [signal]
 */
export async function readEventStream(response, onEvent, signal) {
  if (!response.body) throw new TypeError('The event stream has no body.');
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const cancel = () => {
    reader.cancel().catch(() => {});
  };
  signal?.addEventListener('abort', cancel, { once: true });
  let buffer = '';
  let lastId = /** @type {string | null} */ (null);
  let eventName = '';
  /** @type {string[]} */
  let data = [];

  /** @param {string} line */
  const processLine = (line) => {
    if (line === '') {
      if (data.length > 0) onEvent({ event: eventName || 'message', data: data.join('\n'), id: lastId });
      eventName = '';
      data = [];
      return;
    }
    if (line.startsWith(':')) return; // comment (keep-alive)
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') eventName = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id' && !value.includes('\0')) lastId = value;
  };

  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (signal?.aborted) throw new DOMException('Aborted', 'AbortError');
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      // A lone \r at the end may be the first half of \r\n: keep it for the next chunk.
      const keepCr = buffer.endsWith('\r');
      const text = (keepCr ? buffer.slice(0, -1) : buffer).replace(/\r\n?/g, '\n');
      const lines = text.split('\n');
      buffer = (lines.pop() ?? '') + (keepCr ? '\r' : '');
      for (const line of lines) processLine(line);
    }
  } finally {
    signal?.removeEventListener('abort', cancel);
  }
}

/** Media by id (GET /api/v1/media/{id}), cached for the session; lists feed it too. */
const mediaCache = new Map();

/** @param {any} media */
export function rememberMedia(media) {
  if (media?.id) mediaCache.set(media.id, Promise.resolve(media));
}

/**
 * @param {string} id
 * @param {AbortSignal} [signal]
 * @returns {Promise<any | null>} the media, or null when it cannot be read (deleted)
 */
export function getMedia(id, signal) {
  let pending = mediaCache.get(id);
  if (!pending) {
    pending = request(`/api/v1/media/${encodeURIComponent(id)}`, { signal }).catch((err) => {
      mediaCache.delete(id);
      if (err instanceof ApiError && err.status === 404) return null;
      throw err;
    });
    mediaCache.set(id, pending);
  }
  return pending;
}

/** A media's name for people: its file name, else its URL, else its id. @param {any} media @param {string} [id] */
export function mediaName(media, id) {
  return media?.fileName || media?.url || (id ? `Media ${id.slice(0, 8)}` : 'Unknown media');
}

export function clearCaches() {
  mediaCache.clear();
}
