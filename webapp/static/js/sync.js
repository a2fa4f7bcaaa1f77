// Sends the outbox through the idempotent API, exactly once from the user's point of view:
// every write carries its client UUID, so a replay (another tab, a reload mid-request)
// answers 200 with the first result instead of creating a duplicate.

import { listEntries, rememberPerson, removeEntry, updateEntry } from './outbox.js';

const LOCK_NAME = 'rapport-outbox-sync';
const RETRY_LATER = new Set([401, 408, 425, 429]);
// Venue Wi-Fi can swallow a request for minutes. Give up and retry later: a write that did
// arrive is answered 200 on the replay, so abandoning a request never duplicates it.
const REQUEST_TIMEOUT_MS = 15000;

function timeoutSignal() {
  return AbortSignal.timeout ? AbortSignal.timeout(REQUEST_TIMEOUT_MS) : undefined;
}

class RetryLater extends Error {}

async function freshCsrfToken() {
  // An hour-old token from a cached page must not cost a scan: always ask for a new one.
  let response;
  try {
    response = await fetch('/api/v1/csrf-token', {
      credentials: 'same-origin', cache: 'no-store', signal: timeoutSignal(),
    });
  } catch (error) {
    throw new RetryLater(error.message);
  }
  const data = await readJson(response);
  if (!response.ok || !data || !data.csrf_token) throw new RetryLater('no CSRF token');
  return data.csrf_token;
}

async function readJson(response) {
  // A captive portal answers 200 with HTML: that is not a delivery.
  if (!(response.headers.get('Content-Type') || '').includes('json')) return null;
  try {
    return await response.json();
  } catch {
    return null;
  }
}

async function post(entry, token) {
  let response;
  try {
    response = await fetch(entry.url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRFToken': token },
      body: JSON.stringify(entry.body),
      signal: timeoutSignal(),
    });
  } catch (error) {
    throw new RetryLater(error.message);
  }
  return { status: response.status, data: await readJson(response) };
}

/** Send one entry; resolves to {status, data} when it is settled, throws RetryLater if not. */
async function deliver(entry, session) {
  let result = await post(entry, session.token);
  if (result.status === 400 && result.data?.error?.code === 'csrf_failed') {
    session.token = await freshCsrfToken();
    result = await post(entry, session.token);
  }
  const { status, data } = result;
  if (status >= 200 && status < 300 && data) {
    await removeEntry(entry.id);
    if (entry.kind === 'scan' && entry.token && data.contact) {
      await rememberPerson(entry.token, { name: data.contact.name, contactId: data.contact.id });
    }
    return result;
  }
  const csrfStillFailing = status === 400 && data?.error?.code === 'csrf_failed';
  if (status >= 500 || RETRY_LATER.has(status) || !data || csrfStillFailing) {
    await updateEntry(entry.id, { attempts: (entry.attempts || 0) + 1, lastStatus: status });
    throw new RetryLater(`HTTP ${status}`);
  }
  // A 4xx that will never succeed: keep it, with its reason, until the user dismisses it.
  const error = data.error || {};
  await updateEntry(entry.id, {
    status: 'failed',
    error: { status, code: error.code || 'error', message: error.message || `Refused (${status}).` },
  });
  return result;
}

async function sendAll(userId) {
  const results = new Map();
  const entries = (await listEntries(userId)).filter((entry) => entry.status === 'pending');
  if (!entries.length) return results;
  try {
    const session = { token: await freshCsrfToken() };
    // In order, and stop at the first temporary failure: a note must never overtake its scan.
    for (const entry of entries) {
      results.set(entry.id, await deliver(entry, session));
    }
  } catch (error) {
    if (!(error instanceof RetryLater)) throw error;
    results.retryLater = true;
  }
  return results;
}

let inTab = Promise.resolve(new Map());

/**
 * Send every pending entry of the current user. Resolves to a Map of entry id →
 * {status, data} for the entries settled by this call. One tab at a time (Web Lock);
 * without Web Locks the server's idempotency still prevents duplicates.
 */
export function syncOutbox(userId = document.body.dataset.userId) {
  if (!userId) return Promise.resolve(new Map());
  const attempt = async () => {
    const results = await sendAll(userId);
    if (results.retryLater) await requestBackgroundSync();
    return results;
  };
  const locked = () => (navigator.locks
    ? navigator.locks.request(LOCK_NAME, attempt)
    : attempt());
  inTab = inTab.catch(() => undefined).then(locked);
  return inTab;
}

/** Ask the browser to wake the service worker when the network is back (Chromium only). */
export async function requestBackgroundSync() {
  try {
    const registration = await navigator.serviceWorker?.getRegistration();
    if (registration && 'sync' in registration) await registration.sync.register('rapport-outbox');
  } catch {
    // Background Sync is an extra: the online event and the next page load sync anyway.
  }
}
