// Loaded on every page: service worker, the "waiting to sync" count, outbox replay,
// and the "offline — as of 10:42" mark on saved copies of pages.

import { listEntries, onOutboxChange } from './outbox.js';
import { syncOutbox } from './sync.js';

const LAST_USER_KEY = 'rapport:user-id';
const isOfflineCopy = document.documentElement.hasAttribute('data-offline-copy');
// The offline fallback page may have been saved before login: it takes the last user seen.
const isOfflinePage = document.querySelector('[data-offline-page]') !== null;
const userId = rememberUser(document.body.dataset.userId);

function rememberUser(id) {
  let user = id;
  try {
    if (id) localStorage.setItem(LAST_USER_KEY, id);
    else if (isOfflinePage) user = localStorage.getItem(LAST_USER_KEY) || undefined;
  } catch {
    // storage can be disabled; the count then shows on regular pages only
  }
  if (user) document.body.dataset.userId = user;
  return user;
}

async function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  try {
    await navigator.serviceWorker.register('/sw.js', { scope: '/' });
  } catch (error) {
    console.warn('Rapport: service worker not registered', error);
    return;
  }
  // The page that installs the worker (often the badge, right after login) loaded before
  // the worker could see it. Ask the worker to keep a copy anyway, so this first visit is
  // already enough for the page to work offline.
  const navigation = performance.getEntriesByType('navigation')[0];
  const loadSeenByWorker = Boolean(navigation && navigation.workerStart > 0);
  navigator.serviceWorker.ready.then((registration) => {
    if (!loadSeenByWorker && registration.active) {
      registration.active.postMessage({ type: 'save-page', url: location.pathname + location.search });
    }
  });
  // The worker asks for a sync when it starts and when Background Sync fires.
  navigator.serviceWorker.addEventListener('message', (event) => {
    if (event.data && event.data.type === 'sync') syncOutbox();
  });
}

/** Delete saved pages, so a signed-out device keeps nobody's contacts. */
export async function forgetSavedPages() {
  if (!('caches' in window)) return;
  const names = await caches.keys();
  await Promise.all(names.filter((n) => n.startsWith('rapport-pages-')).map((n) => caches.delete(n)));
}

/** Show "3 waiting to sync" (and failures) in #sync-status, linking to the outbox. */
async function renderSyncStatus() {
  const status = document.getElementById('sync-status');
  if (!status || !userId) return;
  let entries = [];
  try {
    entries = await listEntries(userId);
  } catch {
    return; // private browsing without IndexedDB: nothing can be waiting
  }
  const waiting = entries.filter((e) => e.status !== 'failed').length;
  const failed = entries.length - waiting;
  status.replaceChildren();
  status.hidden = entries.length === 0;
  status.classList.toggle('sync-status-failed', failed > 0);
  if (!entries.length) return;
  const parts = [];
  if (waiting) parts.push(`${waiting} waiting to sync`);
  // The session ended (401): the queue is safe, but only a login will let it through.
  if (entries.some((e) => e.status !== 'failed' && e.lastStatus === 401)) parts.push('log in to send');
  if (failed) parts.push(`${failed} could not be sent — review`);
  const link = document.createElement('a');
  link.href = '/outbox';
  link.textContent = parts.join(' · ');
  link.dataset.pendingCount = String(waiting);
  status.append(link);
}

function formatAsOf(iso) {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  const time = at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const sameDay = at.toDateString() === new Date().toDateString();
  return sameDay ? time : `${at.toLocaleDateString([], { day: 'numeric', month: 'short' })}, ${time}`;
}

/** On a copy served by the service worker, say how old it is and disable server forms. */
function markOfflineCopy() {
  if (!isOfflineCopy || document.querySelector('[data-scanner], [data-outbox-list]')) return;
  const renderedAt = document.querySelector('meta[name="rendered-at"]')?.content;
  const banner = document.createElement('p');
  banner.className = 'offline-banner';
  banner.dataset.offlineBanner = '';
  banner.textContent = `Offline — as of ${formatAsOf(renderedAt)}. This is a read-only copy.`;
  document.getElementById('main')?.prepend(banner);
  document.querySelectorAll('form[method="post" i] button, form[method="post" i] input[type="submit"]')
    .forEach((button) => { button.disabled = true; });
}

/** Rewrite server times (written in UTC) in the phone's own time zone; keep UTC as a hint. */
function showLocalTimes() {
  const format = new Intl.DateTimeFormat([], {
    day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit',
  });
  document.querySelectorAll('time[data-local-time]').forEach((element) => {
    const at = new Date(element.dateTime);
    if (Number.isNaN(at.getTime())) return;
    element.title = element.textContent;
    element.textContent = format.format(at);
  });
}

function forgetPagesOnLogout() {
  document.querySelectorAll('form[action$="/logout"]').forEach((form) => {
    form.addEventListener('submit', async (event) => {
      if (form.dataset.forgotten) return;
      event.preventDefault();
      await forgetSavedPages().catch(() => undefined);
      try { localStorage.removeItem(LAST_USER_KEY); } catch { /* nothing to forget */ }
      form.dataset.forgotten = '1';
      form.submit();
    });
  });
}

registerServiceWorker();
markOfflineCopy();
showLocalTimes();
forgetPagesOnLogout();
if (userId) {
  onOutboxChange(renderSyncStatus);
  renderSyncStatus();
  window.addEventListener('online', () => syncOutbox());
  syncOutbox();
} else if (!isOfflineCopy && !isOfflinePage) {
  // A signed-out page fresh from the server: nobody's saved pages stay on this device.
  forgetSavedPages();
}
