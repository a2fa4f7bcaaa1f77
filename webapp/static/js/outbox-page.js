// The outbox page: what is waiting on this device, why a refused entry failed, and a way
// to dismiss it once read.

import { listEntries, onOutboxChange, removeEntry } from './outbox.js';
import { syncOutbox } from './sync.js';

const list = document.querySelector('[data-outbox-list]');
const empty = document.querySelector('[data-outbox-empty]');
const syncButton = document.querySelector('[data-sync-now]');

function formatWhen(iso) {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? '' : at.toLocaleString([], {
    day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit',
  });
}

function renderEntry(entry) {
  const item = document.createElement('li');
  item.className = 'list-row outbox-entry';
  item.dataset.entryId = entry.id;
  item.dataset.status = entry.status;
  const text = document.createElement('div');
  text.className = 'grow';
  const title = document.createElement('p');
  title.className = 'card-name';
  title.textContent = entry.label || entry.kind;
  const meta = document.createElement('p');
  meta.className = 'list-meta';
  meta.textContent = entry.status === 'failed'
    ? `Not sent: ${entry.error?.message || 'refused by the server'}`
    : `Waiting since ${formatWhen(entry.happenedAt)}`;
  text.append(title, meta);
  item.append(text);
  if (entry.status === 'failed') {
    const dismiss = document.createElement('button');
    dismiss.type = 'button';
    dismiss.className = 'secondary button-small';
    dismiss.textContent = 'Dismiss';
    dismiss.setAttribute('aria-label', `Dismiss: ${title.textContent}`);
    dismiss.addEventListener('click', () => removeEntry(entry.id));
    item.append(dismiss);
  } else {
    const pill = document.createElement('span');
    pill.className = 'badge-pill';
    pill.textContent = 'Waiting';
    item.append(pill);
  }
  return item;
}

async function render() {
  const entries = await listEntries();
  list.replaceChildren(...entries.map(renderEntry));
  list.hidden = entries.length === 0;
  empty.hidden = entries.length > 0;
  syncButton.hidden = !entries.some((entry) => entry.status === 'pending');
}

syncButton.addEventListener('click', async () => {
  syncButton.disabled = true;
  await syncOutbox();
  syncButton.disabled = false;
});
onOutboxChange(render);
render();
