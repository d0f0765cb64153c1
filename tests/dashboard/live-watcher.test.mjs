// The dashboard's job watcher (wwwroot/js/live.js) against a fake fetch and real timers: backoff after streams that
// end without an event, the stream cap, shared list polling, Retry-After, 403/404. Run by build/test.sh:
//   node tests/dashboard/live-watcher.test.mjs   (exit code 0 and "all passed" when every check holds)
globalThis.window = globalThis;
globalThis.dispatchEvent = () => true;
globalThis.CustomEvent = class extends Event {};
const W = new URL('../../src/MediaPlatform.Api/wwwroot/js/', import.meta.url).href;
const { JobWatcher } = await import(W + 'live.js');
const { ApiError, retryAfterSeconds } = await import(W + 'api.js');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let log = [];
/** @type {(url: string, init: any) => Promise<Response>} */
let handler = async () => new Response('{}', { status: 500 });
globalThis.fetch = async (url, init) => {
  log.push({ url: String(url), at: Date.now(), headers: init.headers });
  return handler(String(url), init);
};
const json = (body, status = 200, headers = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status < 300 ? 'application/json' : 'application/problem+json', ...headers } });
const sse = (chunks, { close = true, signal } = {}) => new Response(new ReadableStream({
  start(controller) {
    for (const c of chunks) controller.enqueue(new TextEncoder().encode(c));
    if (close) controller.close();
    else signal?.addEventListener('abort', () => { try { controller.error(new DOMException('Aborted', 'AbortError')); } catch {} });
  },
}), { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
const event = (job) => `id: ${job.status}-${job.progress}\nevent: job\ndata: ${JSON.stringify(job)}\n\n`;
const count = (re) => log.filter((r) => re.test(r.url)).length;
let failures = 0;
const check = (name, ok, detail = '') => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` (${detail})` : ''}`);
  if (!ok) failures += 1;
};
const job = (id, status = 'queued', progress = 0) => ({ id, status, progress, currentStep: null, attempts: 0 });

// retryAfterSeconds
check('Retry-After seconds', retryAfterSeconds('7') === 7 && retryAfterSeconds(null) === null && retryAfterSeconds('x') === null);
check('Retry-After date', Math.abs(retryAfterSeconds(new Date(Date.now() + 10_000).toUTCString()) - 10) <= 1);

// 1. A stream that answers 200 and closes at once, without an event: backoff, no tight loop.
{
  log = [];
  handler = async (url, init) => url.includes('/events') ? sse([]) : json(job('a'));
  const ctl = new AbortController();
  const w = new JobWatcher({ onUpdate: () => {}, pollMs: 100, signal: ctl.signal });
  w.watch(job('a'));
  await sleep(7600);
  ctl.abort();
  const streams = log.filter((r) => r.url.includes('/events')).map((r) => r.at);
  const gaps = streams.slice(1).map((t, i) => t - streams[i]);
  check('empty 200 streams back off', streams.length <= 5, `${streams.length} stream requests in 7.6 s, gaps ${gaps.join(',')}`);
  check('backoff grows', gaps.length >= 2 && gaps.every((g, i) => i === 0 || g > gaps[i - 1]), gaps.join(','));
  check('job still read meanwhile (single GET)', count(/\/jobs\/a$/) >= 10, `${count(/\/jobs\/a$/)} reads`);
  const before = log.length;
  await sleep(300);
  check('nothing after stop', log.length === before);
}

// 1b. A stream that delivers an event then closes: the next stream waits the poll interval, failures reset.
{
  log = [];
  let n = 0;
  handler = async (url) => url.includes('/events') ? sse([event(job('b', 'running', ++n))]) : json(job('b', 'running', n));
  const ctl = new AbortController();
  const updates = [];
  const w = new JobWatcher({ onUpdate: (j) => updates.push(j), pollMs: 200, signal: ctl.signal });
  w.watch(job('b'));
  await sleep(2100);
  ctl.abort();
  const streams = log.filter((r) => r.url.includes('/events')).map((r) => r.at);
  const gaps = streams.slice(1).map((t, i) => t - streams[i]);
  check('ended-with-events: reconnect no sooner than pollMs', gaps.every((g) => g >= 190) && streams.length >= 4 && streams.length <= 11, `${streams.length} streams, gaps ${gaps.join(',')}`);
  check('Last-Event-ID sent on reconnect', log.filter((r) => r.url.includes('/events')).slice(1).every((r) => r.headers['Last-Event-ID']));
  check('updates delivered', updates.length >= 4);
}

// 2. 25 queued jobs, 3 streams (held open): the other 22 are read by two list requests per round.
{
  log = [];
  const jobs = new Map(Array.from({ length: 25 }, (_, i) => [`j${i}`, job(`j${i}`)]));
  handler = async (url, init) => {
    if (url.includes('/events')) {
      const id = url.split('/')[4];
      return sse([event(jobs.get(id))], { close: false, signal: init.signal });
    }
    const m = url.match(/\/api\/v1\/jobs\?status=(\w+)&limit=100$/);
    if (m) return json({ items: [...jobs.values()].filter((j) => j.status === m[1]).reverse(), nextCursor: null });
    const one = url.match(/\/api\/v1\/jobs\/(\w+)$/);
    if (one) return jobs.has(one[1]) ? json(jobs.get(one[1])) : json({ code: 'job.not_found' }, 404);
    return json({}, 500);
  };
  const ctl = new AbortController();
  const updates = [];
  const w = new JobWatcher({ onUpdate: (j) => updates.push(j), pollMs: 200, signal: ctl.signal });
  for (const j of jobs.values()) w.watch(j);
  await sleep(1050);
  const lists = count(/status=/);
  const singles = count(/\/jobs\/j\d+$/);
  check('3 streams', count(/events/) === 3, String(count(/events/)));
  check('lists: 2 per round', lists >= 8 && lists <= 10, `${lists} list requests in ~5 rounds`);
  check('no per-job polling while all are listed', singles === 0, `${singles} single GETs`);
  check('unchanged jobs not redrawn', updates.filter((u) => u.id !== 'j0' && u.id !== 'j1' && u.id !== 'j2').length === 0, String(updates.length));
  // j10 starts running (found in the running list), j11 succeeds (missing from both lists: read once on its own).
  jobs.set('j10', job('j10', 'running', 40));
  jobs.set('j11', job('j11', 'succeeded', 100));
  log = [];
  await sleep(650);
  check('running job updated from the list', updates.some((u) => u.id === 'j10' && u.status === 'running'));
  check('finished job read once on its own', count(/\/jobs\/j11$/) === 1 && updates.some((u) => u.id === 'j11' && u.status === 'succeeded'), `${count(/\/jobs\/j11$/)}`);
  check('finished job no longer followed', w.modeOf('j11') === null);
  // A deleted job: missing from the lists, 404 on its own: onGone.
  ctl.abort();
}

// 2b. More than 100 queued: the ones beyond the lists are read on their own, at most 4 per round.
{
  log = [];
  const jobs = Array.from({ length: 110 }, (_, i) => job(`k${i}`));
  handler = async (url) => {
    if (url.includes('status=queued')) return json({ items: jobs.slice(0, 100), nextCursor: 'x' });
    if (url.includes('status=running')) return json({ items: [], nextCursor: null });
    const one = url.match(/\/jobs\/(k\d+)$/);
    if (one) return json(jobs.find((j) => j.id === one[1]));
    return json({ code: 'streams.limit' }, 429, { 'Retry-After': '60' });
  };
  const ctl = new AbortController();
  const w = new JobWatcher({ onUpdate: () => {}, pollMs: 100, maxStreams: 0, signal: ctl.signal });
  for (const j of jobs) w.watch(j);
  await sleep(1050);
  ctl.abort();
  const singles = count(/\/jobs\/k\d+$/);
  const rounds = count(/status=queued/);
  check('singles capped per round', singles <= rounds * 4 && singles > 0, `${singles} singles over ${rounds} rounds`);
  const distinct = new Set(log.filter((r) => /\/jobs\/k\d+$/.test(r.url)).map((r) => r.url));
  check('singles rotate over the missing jobs', distinct.size === 10, `${distinct.size} distinct`);
}

// 3. 429 streams.limit: that job is polled for good; Retry-After holds back other streams.
{
  log = [];
  let limited = true;
  handler = async (url) => {
    if (url.includes('/events')) return limited ? json({ code: 'streams.limit' }, 429, { 'Retry-After': '1' }) : sse([], { close: false });
    return json(job(url.split('/').pop()));
  };
  const ctl = new AbortController();
  const w = new JobWatcher({ onUpdate: () => {}, pollMs: 100, maxStreams: 3, signal: ctl.signal });
  w.watch(job('s1'));
  await sleep(50);
  check('limited job is polled', w.modeOf('s1') === 'poll');
  w.watch(job('s2'));
  await sleep(50);
  check('Retry-After holds back a new stream', count(/events/) === 1 && w.modeOf('s2') === 'poll', String(count(/events/)));
  limited = false;
  await sleep(1100);
  check('after Retry-After the other job streams', w.modeOf('s2') === 'stream');
  check('the limited one never streams again', log.filter((r) => r.url.includes('/s1/events')).length === 1 && w.modeOf('s1') === 'poll');
  ctl.abort();
}

// 3b. 429 tenant.requests_per_minute on the lists: no request at all for Retry-After.
{
  log = [];
  let limitedUntil = 0;
  handler = async (url) => {
    if (Date.now() < limitedUntil || (limitedUntil === 0 && url.includes('status='))) {
      if (limitedUntil === 0) limitedUntil = Date.now() + 1000;
      return json({ code: 'tenant.requests_per_minute' }, 429, { 'Retry-After': '1' });
    }
    if (url.includes('status=')) return json({ items: [job('r1'), job('r2'), job('r3')], nextCursor: null });
    return json(job(url.split('/').pop()));
  };
  const ctl = new AbortController();
  const w = new JobWatcher({ onUpdate: () => {}, pollMs: 100, maxStreams: 0, signal: ctl.signal });
  for (const id of ['r1', 'r2', 'r3']) w.watch(job(id));
  await sleep(700);
  check('rate limit: nothing more during Retry-After', log.length === 2, `${log.length} requests`);
  await sleep(800);
  check('rate limit: polling resumes', log.length > 2, `${log.length}`);
  ctl.abort();
}

// 4. 404 and 403 on the event stream: no retries; 404 tells onGone.
{
  log = [];
  handler = async (url) => url.includes('/gone/') ? json({ code: 'job.not_found' }, 404) : json({ code: 'auth.scope' }, 403);
  const ctl = new AbortController();
  const gone = [];
  const w = new JobWatcher({ onUpdate: () => {}, onGone: (id) => gone.push(id), pollMs: 100, signal: ctl.signal });
  w.watch(job('gone'));
  w.watch(job('denied'));
  await sleep(600);
  check('404/403: one request each, then stop', log.length === 2 && w.modeOf('gone') === null && w.modeOf('denied') === null, `${log.length}`);
  check('404 tells onGone, 403 does not', gone.length === 1 && gone[0] === 'gone');
  ctl.abort();
}

// 5. Network error on a stream: backoff with jitter; polling continues meanwhile.
{
  log = [];
  handler = async (url) => { if (url.includes('/events')) throw new TypeError('Failed to fetch'); return json(job('n')); };
  const ctl = new AbortController();
  const w = new JobWatcher({ onUpdate: () => {}, pollMs: 100, signal: ctl.signal });
  w.watch(job('n'));
  await sleep(2000);
  ctl.abort();
  check('network errors back off', count(/events/) <= 3, String(count(/events/)));
}

// 6. A job that ends on its stream: finished, no more requests.
{
  log = [];
  handler = async () => sse([event(job('f', 'running', 50)), event(job('f', 'succeeded', 100))]);
  const w = new JobWatcher({ onUpdate: () => {}, pollMs: 100 });
  w.watch(job('f'));
  await sleep(400);
  check('final event ends following', log.length === 1 && w.modeOf('f') === null);
}

console.log(failures === 0 ? 'all passed' : `${failures} failed`);
process.exit(failures === 0 ? 0 : 1);
