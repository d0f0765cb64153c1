// The dashboard: sign-in, the session cookie, and hash routing between the screens (#/, #/jobs/{id}, #/operators).
// Plain ES modules, no build step (docs/adr/0021-dashboard-without-a-build-step.md).

import { ApiError, auth, clearCaches, errorLines, request, session } from './js/api.js';
import { h, replace, setAlert } from './js/dom.js';
import { mountLibrary } from './js/library.js';
import { mountOperators } from './js/operators.js';
import { mountTranscript } from './js/transcript.js';

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));

const signinSection = $('signin');
const signinForm = /** @type {HTMLFormElement} */ ($('signin-form'));
const keyInput = /** @type {HTMLInputElement} */ ($('api-key'));
const signinButton = /** @type {HTMLButtonElement} */ ($('signin-button'));
const signinAlert = $('signin-alert');
const header = $('app-header');
const operatorsLink = $('nav-operators');
const who = $('who');
const signoutButton = $('signout');
const screen = $('screen');
const announcer = $('announcer');

/** @type {{ me: any, isAdmin: boolean } | null} */
let state = null;
/** @type {AbortController | null} */
let screenController = null;

/** Says something in the role="status" live region. @param {string} message */
function announce(message) {
  announcer.textContent = '';
  window.setTimeout(() => {
    announcer.textContent = message;
  }, 50);
}

/**
 * Checks a key with GET /api/v1/me, keeps it in sessionStorage and asks for the session cookie.
 * @param {string} key @param {{ silent?: boolean }} [options]
 */
async function signIn(key, { silent = false } = {}) {
  setAlert(signinAlert, null);
  signinButton.disabled = true;
  try {
    const me = await request('/api/v1/me', { key, quiet401: true });
    auth.set(key);
    try {
      await session.open(key);
    } catch {
      // Without the cookie only the player and the download links fail; everything else works with the key.
    }
    const scopes = Array.isArray(me?.scopes) ? me.scopes : [];
    state = { me, isAdmin: scopes.includes('admin') };
    keyInput.value = '';
    showApp();
    if (!silent) announce(`Signed in to ${me?.tenant?.name ?? 'MediaPlatform'}.`);
  } catch (err) {
    auth.clear();
    showSignin();
    if (err instanceof ApiError && err.status === 401) {
      setAlert(signinAlert, silent ? 'The saved API key is invalid or was revoked. Sign in again.' : 'That API key is invalid.');
    } else {
      setAlert(signinAlert, errorLines(err));
    }
  } finally {
    signinButton.disabled = false;
  }
}

/** Clears the cookie (while the key still works), the key and everything shown. @param {string | null} [message] */
async function signOut(message = null) {
  const hadKey = auth.signedIn;
  stopScreen();
  if (hadKey && !message) {
    try {
      await session.close();
    } catch {
      // the cookie expires on its own
    }
  }
  auth.clear();
  clearCaches();
  state = null;
  showSignin();
  setAlert(signinAlert, message);
  if (!message) announce('Signed out.');
}

function showSignin() {
  stopScreen();
  header.hidden = true;
  screen.hidden = true;
  screen.replaceChildren();
  signinSection.hidden = false;
  document.title = 'Sign in · MediaPlatform';
  keyInput.focus();
}

function showApp() {
  signinSection.hidden = true;
  header.hidden = false;
  screen.hidden = false;
  operatorsLink.hidden = !state?.isAdmin;
  const me = state?.me;
  replace(who,
    h('span', { class: 'tenant', text: me?.tenant?.name ?? '' }),
    me?.key?.name ? h('span', { class: 'muted', text: ` · ${me.key.name}` }) : null);
  route(true);
}

function stopScreen() {
  screenController?.abort();
  screenController = null;
}

/** Reads the hash: #/, #/jobs/{id}?t=12.5, #/operators. */
function parseHash() {
  const raw = location.hash.startsWith('#') ? location.hash.slice(1) : '';
  const [path, search = ''] = raw.split('?', 2);
  return { path: path || '/', params: new URLSearchParams(search) };
}

/** Shows the screen the hash names. @param {boolean} [first] */
function route(first = false) {
  if (!state) return;
  stopScreen();
  const controller = new AbortController();
  screenController = controller;
  const ctx = { signal: controller.signal, announce, isAdmin: state.isAdmin, me: state.me };
  const { path, params } = parseHash();
  const job = /^\/jobs\/([0-9a-fA-F-]{36})$/.exec(path);

  for (const link of header.querySelectorAll('nav a[data-route]')) {
    const current = (link.getAttribute('data-route') === 'library' && path === '/')
      || (link.getAttribute('data-route') === 'operators' && path === '/operators');
    if (current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }

  screen.replaceChildren();
  if (path === '/' || path === '') {
    mountLibrary(screen, ctx);
  } else if (job) {
    const t = params.has('t') ? Number(params.get('t')) : null;
    mountTranscript(screen, ctx, { id: job[1], t: t !== null && Number.isFinite(t) ? t : null });
  } else if (path === '/operators') {
    mountOperators(screen, ctx);
  } else {
    document.title = 'Not found · MediaPlatform';
    replace(screen,
      h('h1', { tabIndex: -1, text: 'Not found' }),
      h('p', {}, 'There is no such page. ', h('a', { href: '#/', text: 'Go to the library' })));
  }
  // Move focus to the new screen's heading (not on the first screen after a page load with a saved key).
  if (!first || document.activeElement === keyInput || document.activeElement === document.body) {
    const heading = screen.querySelector('h1');
    if (heading instanceof HTMLElement) heading.focus({ preventScroll: first });
  }
  if (!first) window.scrollTo(0, 0);
}

signinForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const key = keyInput.value.trim();
  if (!key) {
    setAlert(signinAlert, 'Enter an API key.');
    keyInput.focus();
    return;
  }
  void signIn(key);
});

signoutButton.addEventListener('click', () => void signOut());
window.addEventListener('hashchange', () => route());
window.addEventListener('mp:unauthorized', () => {
  if (state) void signOut('That API key is invalid or was revoked. Sign in again.');
});

// The skip link focuses the screen without touching the hash (the hash is the route).
$('skip-link').addEventListener('click', (event) => {
  event.preventDefault();
  const target = screen.hidden ? keyInput : screen.querySelector('h1') ?? screen;
  if (target instanceof HTMLElement) target.focus();
});

// A key kept in this tab's sessionStorage signs in silently.
const saved = auth.stored();
if (saved) {
  void signIn(saved, { silent: true });
} else {
  showSignin();
}
