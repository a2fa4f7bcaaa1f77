// The outbox: scans, notes and check-ins are written to IndexedDB before anything else,
// then sent by sync.js. Entries survive reloads, closed tabs and dead batteries.

const DB_NAME = 'rapport';
const DB_VERSION = 1;
const OUTBOX = 'outbox';
const PEOPLE = 'people';
const CHANGED = 'rapport:outbox-changed';
// Other tabs hear about changes too, so every open page shows the same pending count.
const channel = 'BroadcastChannel' in window ? new BroadcastChannel('rapport-outbox') : null;

let opening = null;

function open() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = () => {
        const db = request.result;
        if (!db.objectStoreNames.contains(OUTBOX)) {
          db.createObjectStore(OUTBOX, { keyPath: 'id' }).createIndex('queuedAt', 'queuedAt');
        }
        // Names of people scanned before, so an offline rescan still greets them by name.
        if (!db.objectStoreNames.contains(PEOPLE)) db.createObjectStore(PEOPLE, { keyPath: 'token' });
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }
  return opening;
}

async function run(storeName, mode, work) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(storeName, mode);
    let result;
    Promise.resolve(work(tx.objectStore(storeName))).then((value) => { result = value; });
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error('transaction aborted'));
  });
}

function requestValue(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function announce() {
  window.dispatchEvent(new CustomEvent(CHANGED));
  if (channel) channel.postMessage('changed');
}

if (channel) channel.onmessage = () => window.dispatchEvent(new CustomEvent(CHANGED));

/** Call `listener` whenever this tab or another one changes the outbox. */
export function onOutboxChange(listener) {
  window.addEventListener(CHANGED, listener);
}

let sequence = 0;

/**
 * Store one write to send later. `entry` has id (client UUID), kind, url, body and label;
 * the user id keeps one person's queue from being sent under someone else's session.
 */
export async function enqueue(entry) {
  const record = {
    status: 'pending',
    error: null,
    attempts: 0,
    ...entry,
    userId: String(entry.userId ?? document.body.dataset.userId ?? ''),
    // Date.now() can repeat within a millisecond; the sequence keeps the order of writes.
    queuedAt: Date.now() + (sequence++ % 1000) / 1000,
  };
  await run(OUTBOX, 'readwrite', (store) => store.put(record));
  announce();
  return record;
}

/** The entries of `userId`, oldest first (the order they must be sent in). */
export async function listEntries(userId = document.body.dataset.userId) {
  const all = await run(OUTBOX, 'readonly', (store) => requestValue(store.index('queuedAt').getAll()));
  return all.filter((entry) => entry.userId === String(userId ?? ''));
}

/** Forget one entry: it was delivered, or the user dismissed its failure. */
export async function removeEntry(id) {
  await run(OUTBOX, 'readwrite', (store) => store.delete(id));
  announce();
}

/** Change fields of an entry, if it is still there. */
export async function updateEntry(id, changes) {
  await run(OUTBOX, 'readwrite', async (store) => {
    const current = await requestValue(store.get(id));
    if (current) store.put({ ...current, ...changes });
  });
  announce();
}

/** Remember who a badge token belongs to, from a successful scan. */
export async function rememberPerson(token, person) {
  await run(PEOPLE, 'readwrite', (store) => store.put({ token, ...person }));
}

/** The remembered person behind a badge token, or undefined. */
export async function knownPerson(token) {
  return run(PEOPLE, 'readonly', (store) => requestValue(store.get(token)));
}
