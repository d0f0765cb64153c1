// The operators screen (#/operators, admin keys): the queue (refreshed every 5 s while shown), failed jobs with
// Retry, and tenants with their keys (read-only).

import { errorLines, getMedia, mediaName, query, request } from './api.js';
import { formatAge, formatBytes, formatDate, formatDuration, h, isAbort, replace, setAlert, uid } from './dom.js';

const QUEUE_REFRESH_MS = 5000;

/**
 * @param {HTMLElement} container
 * @param {{ signal: AbortSignal, announce: (message: string) => void, isAdmin: boolean }} ctx
 */
export function mountOperators(container, ctx) {
  document.title = 'Operators · MediaPlatform';
  if (!ctx.isAdmin) {
    replace(container,
      h('h1', { tabIndex: -1, text: 'Operators' }),
      h('p', { text: 'This screen needs an API key with the admin scope.' }),
      h('p', {}, h('a', { href: '#/', text: 'Back to the library' })));
    return;
  }
  replace(container,
    h('h1', { tabIndex: -1, text: 'Operators' }),
    queuePanel(ctx),
    failedPanel(ctx),
    tenantsPanel(ctx));
}

/** @param {{ signal: AbortSignal }} ctx */
function queuePanel({ signal }) {
  const headingId = uid('queue-heading');
  const updated = h('p', { class: 'muted', text: 'Loading…' });
  const alert = h('div', { class: 'alert', role: 'alert', hidden: true });
  const content = h('div', { class: 'queue-content' });
  const section = h('section', { class: 'panel queue', 'aria-labelledby': headingId },
    h('div', { class: 'panel-head' }, h('h2', { id: headingId, text: 'Queue' }), updated),
    alert, content);

  let timer = 0;
  const refresh = async () => {
    timer = 0;
    if (document.hidden) {
      schedule();
      return;
    }
    try {
      const queue = await request('/api/v1/queue', { signal });
      setAlert(alert, null);
      render(queue);
      updated.textContent = `Updated ${new Date(queue.at ?? Date.now()).toLocaleTimeString()} · every ${QUEUE_REFRESH_MS / 1000} s`;
    } catch (err) {
      if (isAbort(err)) return;
      setAlert(alert, errorLines(err));
    }
    schedule();
  };
  const schedule = () => {
    if (!signal.aborted) timer = window.setTimeout(refresh, QUEUE_REFRESH_MS);
  };
  signal.addEventListener('abort', () => window.clearTimeout(timer), { once: true });

  /** @param {any} queue */
  const render = (queue) => {
    const depth = queue.depth ?? {};
    const throughput = queue.throughput ?? {};
    const facts = h('dl', { class: 'facts queue-facts' },
      h('dt', { text: 'Queued' }), h('dd', { text: String(depth.queued ?? 0) }),
      h('dt', { text: 'Scheduled (retry backoff)' }), h('dd', { text: String(depth.scheduled ?? 0) }),
      h('dt', { text: 'Running' }), h('dd', { text: String(depth.running ?? 0) }),
      h('dt', { text: 'Oldest queued job waits' }), h('dd', { text: queue.oldestQueuedAgeSeconds === null || queue.oldestQueuedAgeSeconds === undefined ? 'none waiting' : formatDuration(queue.oldestQueuedAgeSeconds) }),
      h('dt', { text: `Finished in the last ${throughput.windowSeconds ?? 60} s` }),
      h('dd', { text: `${throughput.succeeded ?? 0} succeeded, ${throughput.failed ?? 0} failed (${Number(throughput.perSecond ?? 0).toFixed(2)} per second)` }),
      h('dt', { text: 'Scope' }), h('dd', { text: queue.scope === 'all' ? 'every tenant' : 'this tenant' }));

    const priorities = (queue.byPriority ?? []).length === 0
      ? h('p', { class: 'muted', text: 'No jobs waiting or running.' })
      : table('Depth by priority', ['Priority', 'Queued', 'Scheduled', 'Running'],
        queue.byPriority.map((/** @type {any} */ p) => [String(p.priority), String(p.queued), String(p.scheduled), String(p.running)]));

    const workers = (queue.workers ?? []).length === 0
      ? h('p', { class: 'muted', text: 'No worker holds a job now.' })
      : table('Workers and their jobs', ['Worker', 'Job', 'Step', 'Progress', 'Last heartbeat', 'Lease expires'],
        queue.workers.map((/** @type {any} */ w) => [
          w.worker, h('code', { class: 'id', text: w.jobId }), w.step ?? '–', `${w.progress ?? 0} %`,
          formatAge(w.lastHeartbeat), formatDate(w.leaseExpiresAt)]));

    // The worker processes alive, idle ones too (an admin key's view; a tenant's key gets none).
    const processes = (queue.processes ?? []).length === 0
      ? h('p', { class: 'muted', text: queue.scope === 'all' ? 'No worker process is running.' : 'Worker processes are shown to admin keys.' })
      : table('Worker processes alive', ['Process', 'Job loops', 'Part loops', 'Jobs held', 'Started', 'Last seen'],
        queue.processes.map((/** @type {any} */ p) => [
          p.id, String(p.jobLoops), String(p.partLoops), String(p.runningJobs), formatDate(p.startedAt), formatAge(p.lastSeenAt)]));

    replace(content, facts, h('h3', { text: 'By priority' }), priorities, h('h3', { text: 'Workers' }), workers,
      h('h3', { text: 'Worker processes' }), processes);
  };

  void refresh();
  return section;
}

/** @param {{ signal: AbortSignal, announce: (message: string) => void }} ctx */
function failedPanel({ signal, announce }) {
  const headingId = uid('failed-heading');
  const alert = h('div', { class: 'alert', role: 'alert', hidden: true });
  const content = h('div', {}, h('p', { class: 'muted', text: 'Loading…' }));
  const section = h('section', { class: 'panel failed', 'aria-labelledby': headingId },
    h('h2', { id: headingId, text: 'Failed jobs' }),
    h('p', { class: 'hint', text: 'This key’s tenant; the newest 100.' }),
    alert, content);

  const load = async () => {
    try {
      const page = await request(`/api/v1/jobs${query({ status: 'failed', limit: 100 })}`, { signal });
      const jobs = page.items ?? [];
      if (jobs.length === 0) {
        replace(content, h('p', { class: 'muted', text: 'No failed jobs.' }));
        return;
      }
      const tbody = h('tbody');
      for (const job of jobs) {
        const nameCell = h('td', { class: 'name', text: `Job ${job.id.slice(0, 8)}` });
        const retry = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', text: 'Retry', 'aria-label': `Retry ${nameCell.textContent}` }));
        const tr = h('tr', {},
          nameCell,
          h('td', {}, h('span', { class: 'error-text', text: job.error?.message ?? 'failed' }),
            job.error?.code ? h('span', { class: 'code', text: ` (${job.error.code})` }) : null),
          h('td', { class: 'col-created', text: formatDate(job.finishedAt ?? job.updatedAt) }),
          h('td', { class: 'row-actions' }, retry));
        getMedia(job.mediaId).then((media) => {
          nameCell.textContent = mediaName(media, job.mediaId);
          retry.setAttribute('aria-label', `Retry ${nameCell.textContent}`);
        }).catch(() => {});
        retry.addEventListener('click', async () => {
          retry.disabled = true;
          setAlert(alert, null);
          try {
            const again = await request(`/api/v1/jobs/${job.id}/retry`, { method: 'POST', signal });
            // The button goes; the keyboard stays in the row, on its new state (unless it has moved on meanwhile).
            const active = document.activeElement;
            const keepFocus = !active || active === retry || active === document.body;
            const badge = h('span', { class: `badge status-${again.status}`, text: again.status, tabIndex: -1 });
            replace(/** @type {HTMLElement} */ (tr.lastElementChild), badge);
            if (keepFocus) badge.focus();
            announce(again.status === 'queued'
              ? `${nameCell.textContent}: queued again.`
              : `${nameCell.textContent}: retried, now ${again.status}.`);
          } catch (err) {
            if (isAbort(err)) return;
            retry.disabled = false;
            setAlert(alert, errorLines(err));
          }
        });
        tbody.append(tr);
      }
      replace(content, h('div', { class: 'table-wrap' }, h('table', {},
        h('caption', { class: 'visually-hidden', text: 'Failed jobs' }),
        h('thead', {}, h('tr', {}, ['Media', 'Error', 'Failed', 'Actions'].map((title, i) =>
          h('th', { scope: 'col', class: i === 2 ? 'col-created' : null, text: title })))),
        tbody)));
    } catch (err) {
      if (isAbort(err)) return;
      replace(content);
      setAlert(alert, errorLines(err));
    }
  };
  void load();
  return section;
}

/** @param {{ signal: AbortSignal }} ctx */
function tenantsPanel({ signal }) {
  const headingId = uid('tenants-heading');
  const alert = h('div', { class: 'alert', role: 'alert', hidden: true });
  const content = h('div', { class: 'tenants' }, h('p', { class: 'muted', text: 'Loading…' }));
  const section = h('section', { class: 'panel tenants-panel', 'aria-labelledby': headingId },
    h('h2', { id: headingId, text: 'Tenants' }),
    h('p', { class: 'hint', text: 'Read-only: the newest 200 tenants and their keys (never the secrets).' }),
    alert, content);

  const load = async () => {
    try {
      const page = await request(`/api/v1/tenants${query({ limit: 200 })}`, { signal });
      const tenants = page.items ?? [];
      if (tenants.length === 0) {
        replace(content, h('p', { class: 'muted', text: 'No tenants.' }));
        return;
      }
      const blocks = tenants.map((tenant) => {
        const keys = h('div', {}, h('p', { class: 'muted', text: 'Loading keys…' }));
        const id = uid('tenant');
        return {
          tenant,
          keys,
          el: h('article', { class: 'tenant', 'aria-labelledby': id },
            h('h3', { id, text: tenant.name }),
            h('p', { class: 'muted' }, 'Created ', formatDate(tenant.createdAt), ' · ', h('code', { class: 'id', text: tenant.id })),
            limitsList(tenant.limits),
            h('h4', { text: 'Keys' }),
            keys),
        };
      });
      replace(content, blocks.map((b) => b.el));
      // Keys, a few tenants at a time.
      let next = 0;
      const worker = async () => {
        while (next < blocks.length && !signal.aborted) {
          const block = blocks[next++];
          try {
            const keys = await request(`/api/v1/tenants/${block.tenant.id}/keys`, { signal });
            replace(block.keys, keysTable(block.tenant.name, keys.items ?? []));
          } catch (err) {
            if (isAbort(err)) return;
            replace(block.keys, h('p', { class: 'error-text', text: errorLines(err)[0] }));
          }
        }
      };
      await Promise.all([worker(), worker(), worker()]);
    } catch (err) {
      if (isAbort(err)) return;
      replace(content);
      setAlert(alert, errorLines(err));
    }
  };
  void load();
  return section;
}

/** @param {any} limits */
function limitsList(limits) {
  const names = [
    ['requestsPerMinute', 'Requests per minute', String],
    ['maxConcurrentJobs', 'Concurrent jobs', String],
    ['maxQueuedJobs', 'Queued jobs', String],
    ['storageBytes', 'Storage', formatBytes],
    ['maxMediaSeconds', 'Longest media', formatDuration],
    ['retentionDays', 'Retention', (/** @type {number} */ d) => `${d} days`],
  ];
  const set = names.filter(([key]) => limits?.[/** @type {string} */ (key)] !== null && limits?.[/** @type {string} */ (key)] !== undefined);
  if (set.length === 0) return h('p', { class: 'muted', text: 'No limits.' });
  return h('dl', { class: 'facts' }, set.map(([key, label, format]) => [
    h('dt', { text: /** @type {string} */ (label) }),
    h('dd', { text: /** @type {(v: any) => string} */ (format)(limits[/** @type {string} */ (key)]) }),
  ]));
}

/** @param {string} tenantName @param {any[]} keys */
function keysTable(tenantName, keys) {
  if (keys.length === 0) return h('p', { class: 'muted', text: 'No keys.' });
  return table(`Keys of ${tenantName}`, ['Name', 'Prefix', 'Scopes', 'Created', 'Last used', 'Expires', 'Revoked'],
    keys.map((key) => [
      key.name || '–',
      h('code', { text: key.prefix }),
      (key.scopes ?? []).join(', '),
      formatDate(key.createdAt),
      key.lastUsedAt ? formatAge(key.lastUsedAt) : 'never',
      key.expiresAt ? formatDate(key.expiresAt) : 'never',
      key.revokedAt ? formatDate(key.revokedAt) : 'no',
    ]));
}

/** A simple table in its own scrolling box. @param {string} caption @param {string[]} headers @param {any[][]} rows */
function table(caption, headers, rows) {
  return h('div', { class: 'table-wrap' }, h('table', {},
    h('caption', { class: 'visually-hidden', text: caption }),
    h('thead', {}, h('tr', {}, headers.map((title) => h('th', { scope: 'col', text: title })))),
    h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((cell) => h('td', {}, cell)))))));
}
