/* Rapport service worker: app shell precache, offline pages, and a nudge to sync the outbox.
   Rendered by Flask so the cache names carry a version computed from the shell files. */
'use strict';

const VERSION = {{ version|tojson }};
const SHELL_CACHE = `rapport-shell-${VERSION}`;
// Saved pages outlive a deploy (the badge must keep working offline); bump by hand if the
// page format changes in a way old copies cannot survive.
const PAGES_CACHE = 'rapport-pages-v1';
const SHELL_URLS = {{ shell_urls|tojson }};
const OFFLINE_URL = {{ offline_url|tojson }};
const OFFLINE_PAGES = {{ offline_pages|list|tojson }};
// On bad conference Wi-Fi a request can hang for a minute; show the saved copy sooner.
const NETWORK_TIMEOUT_MS = 4000;

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(SHELL_CACHE);
    // cache: 'reload' skips the HTTP cache so a new version never precaches stale files.
    await cache.addAll(SHELL_URLS.map((url) => new Request(url, { cache: 'reload' })));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const keep = new Set([SHELL_CACHE, PAGES_CACHE]);
    const names = await caches.keys();
    await Promise.all(
      names.filter((name) => name.startsWith('rapport-') && !keep.has(name))
        .map((name) => caches.delete(name)),
    );
    await self.clients.claim();
    await askClientsToSync();
  })());
});

// Each time the browser starts this worker (after an idle stop, a restart, a new version),
// open pages are asked to replay their outbox.
askClientsToSync();

// Background Sync (Chromium): wake an open page to replay the outbox. Without one the
// promise rejects, so the browser tries again later; the next page load syncs anyway.
self.addEventListener('sync', (event) => {
  if (event.tag === 'rapport-outbox') {
    event.waitUntil(askClientsToSync().then((count) => {
      if (!count) throw new Error('no open page to sync from yet');
    }));
  }
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  // Writes and the API always go to the network: nothing that changes data is cached.
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (request.mode === 'navigate') {
    event.respondWith(navigate(event));
  } else if (url.pathname.startsWith('/static/') || url.pathname === '/manifest.webmanifest') {
    event.respondWith(shellFirst(request));
  }
});

/** Tell every open page to replay its outbox; resolves to how many pages were told. */
async function askClientsToSync() {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  windows.forEach((client) => client.postMessage({ type: 'sync' }));
  return windows.length;
}

// "/badge" is one page, "/contacts/" every page under it, "*" one path segment.
const OFFLINE_PATTERNS = OFFLINE_PAGES.map((page) => new RegExp(`^${
  page.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]+')
}${page.endsWith('/') ? '' : '$'}`));

function isOfflinePage(pathname) {
  return OFFLINE_PATTERNS.some((pattern) => pattern.test(pathname));
}

/** Network first; keep good copies of the floor pages; fall back to them, then /offline. */
async function navigate(event) {
  const request = event.request;
  const url = new URL(request.url);
  const keepCopy = fetch(request).then((response) => keepPageCopy(url, response));
  event.waitUntil(keepCopy.catch(() => undefined));
  try {
    return await Promise.race([keepCopy, timeout(NETWORK_TIMEOUT_MS)]);
  } catch (error) {
    const saved = await savedPage(url);
    if (saved) return saved;
    try {
      return await keepCopy; // slow but working network: wait for it after all
    } catch (networkError) {
      return (await caches.match(OFFLINE_URL)) || Response.error();
    }
  }
}

/** Save a good HTML answer for one of the floor pages; returns the response. */
async function keepPageCopy(url, response) {
  if (response.ok && !response.redirected && isOfflinePage(url.pathname)
      && (response.headers.get('Content-Type') || '').startsWith('text/html')) {
    const cache = await caches.open(PAGES_CACHE);
    await cache.put(url.pathname + url.search, response.clone());
  }
  return response;
}

// A page opened before this worker controlled it asks for a copy to be kept ("save-page").
self.addEventListener('message', (event) => {
  const data = event.data || {};
  if (data.type !== 'save-page' || typeof data.url !== 'string') return;
  const url = new URL(data.url, self.location.origin);
  if (url.origin !== self.location.origin || !isOfflinePage(url.pathname)) return;
  event.waitUntil(
    fetch(url, { credentials: 'same-origin' })
      .then((response) => keepPageCopy(url, response))
      .catch(() => undefined),
  );
});

function timeout(ms) {
  return new Promise((resolve, reject) => setTimeout(() => reject(new Error('timeout')), ms));
}

/** The saved copy of a page, marked so the page says it is an offline copy. */
async function savedPage(url) {
  const cache = await caches.open(PAGES_CACHE);
  const response = (await cache.match(url.pathname + url.search))
    || (await cache.match(url.pathname, { ignoreSearch: true }));
  if (!response) return null;
  const html = (await response.text()).replace('<html ', '<html data-offline-copy ');
  const headers = new Headers(response.headers);
  headers.delete('Content-Length');
  return new Response(html, { status: 200, headers });
}

/** Shell files: from the precache, else the network (and remember them). */
async function shellFirst(request) {
  const cache = await caches.open(SHELL_CACHE);
  const cached = await cache.match(request, { ignoreSearch: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}
