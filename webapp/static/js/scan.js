// The camera scanner: rear camera, continuous decoding, the quick-note sheet, and the
// door check-in mode. Every scan goes into the outbox first, then syncs when it can.

import { parseCode } from './codes.js';
import { enqueue, knownPerson, removeEntry } from './outbox.js';
import { requestBackgroundSync, syncOutbox } from './sync.js';

const root = document.querySelector('[data-scanner]');
const $ = (selector, scope = document) => scope.querySelector(selector);

const mode = root.dataset.mode === 'checkin' ? 'checkin' : 'connect';
const baseUrl = root.dataset.baseUrl || '';
const video = $('[data-video]', root);
const view = $('[data-scanner-view]', root);
const statusLine = $('[data-status]', root);
const torchButton = $('[data-torch]', root);
const cameraHelp = $('[data-camera-help]', root);
const toast = $('[data-toast]');
const sheet = $('[data-sheet]');
const sheetForm = sheet && $('[data-sheet-form]', sheet);

// A badge held in front of the camera is seen many times a second: it counts once, until
// another code shows up or the camera has seen no code for this long.
const FORGET_REPEAT_AFTER_MS = 2500;
const FRAME_INTERVAL_MS = 40;
const SCAN_REGION_SIZE = 480;

let stream = null;
let decode = null;
let running = false;
let paused = false;
let lastText = null;
let lastSeenAt = 0;
let current = null; // the scan the sheet is about: {scanId, token, name, contactId, scannedAt}

/** Hooks for each kind of code this server prints; the organizer area adds check-in. */
export const codeHandlers = {
  badge: (code, text) => (mode === 'checkin' ? queueCheckin(code, text) : queueScan(code, text)),
  // Space posters: queue a space check-in the same way (POST /api/v1/spaces/checkins).
  space: (code, text) => (mode === 'checkin' ? refuse('This is a space poster, not a badge.')
    : queueSpaceCheckin(code, text)),
  join: (code) => { window.location.assign(code.path); },
};

function setStatus(message, tone = '') {
  statusLine.textContent = message;
  statusLine.dataset.tone = tone;
}

let toastTimer = 0;
function showToast(message, tone = 'ok') {
  toast.textContent = message;
  toast.dataset.tone = tone;
  toast.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { toast.hidden = true; }, 3500);
}

function buzz(pattern) {
  if (navigator.vibrate) navigator.vibrate(pattern);
}

function refuse(message = 'This is not a Rapport badge.') {
  setStatus(message, 'error');
  buzz([40, 60, 40]);
}

/* ---------- Camera ---------- */

async function startCamera() {
  cameraHelp.hidden = true;
  if (!navigator.mediaDevices?.getUserMedia) {
    showCameraHelp('This browser cannot use the camera on this page. The scanner needs HTTPS.');
    return;
  }
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } },
    });
  } catch (error) {
    showCameraHelp(cameraErrorMessage(error));
    return;
  }
  video.srcObject = stream;
  view.hidden = false;
  try {
    await video.play();
  } catch {
    // Autoplay of a muted, inline video is allowed; a refusal here only delays the first frame.
  }
  setupTorch(stream.getVideoTracks()[0]);
  performance.mark('scanner:camera-ready');
  if (!decode) decode = await loadDecoder();
  running = true;
  scanLoop();
}

function stopCamera() {
  running = false;
  stream?.getTracks().forEach((track) => track.stop());
  stream = null;
}

function cameraErrorMessage(error) {
  switch (error && error.name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'Camera access was refused for this site.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No camera was found on this device.';
    case 'NotReadableError':
      return 'Another app is using the camera.';
    default:
      return 'Rapport could not start the camera.';
  }
}

function showCameraHelp(reason) {
  view.hidden = true;
  $('[data-camera-reason]', cameraHelp).textContent = reason;
  cameraHelp.hidden = false;
  setStatus('Type the code under the QR code instead.');
}

function setupTorch(track) {
  const capabilities = track?.getCapabilities ? track.getCapabilities() : {};
  if (!capabilities.torch) return;
  torchButton.hidden = false;
  torchButton.onclick = async () => {
    const on = torchButton.getAttribute('aria-pressed') !== 'true';
    try {
      await track.applyConstraints({ advanced: [{ torch: on }] });
      torchButton.setAttribute('aria-pressed', String(on));
    } catch {
      torchButton.hidden = true;
    }
  };
}

/** The native BarcodeDetector where there is one, else the vendored decoder, loaded now. */
async function loadDecoder() {
  if ('BarcodeDetector' in window) {
    try {
      const formats = await window.BarcodeDetector.getSupportedFormats();
      if (formats.includes('qr_code')) {
        const detector = new window.BarcodeDetector({ formats: ['qr_code'] });
        return async (source) => (await detector.detect(source))[0]?.rawValue ?? null;
      }
    } catch {
      // fall through to the bundled decoder
    }
  }
  const { default: QrScanner } = await import(root.dataset.decoderUrl);
  const engine = await QrScanner.createQrEngine();
  const canvas = document.createElement('canvas');
  return async (source) => {
    const side = Math.min(source.videoWidth, source.videoHeight);
    const scanRegion = {
      x: Math.round((source.videoWidth - side) / 2),
      y: Math.round((source.videoHeight - side) / 2),
      width: side,
      height: side,
      downScaledWidth: Math.min(side, SCAN_REGION_SIZE),
      downScaledHeight: Math.min(side, SCAN_REGION_SIZE),
    };
    try {
      const result = await QrScanner.scanImage(source, {
        qrEngine: engine, canvas, scanRegion, returnDetailedScanResult: true,
      });
      return result.data || null;
    } catch {
      return null; // no code in this frame
    }
  };
}

async function scanLoop() {
  while (running) {
    if (!paused && video.readyState >= 2 && video.videoWidth) {
      const text = await decode(video);
      const now = performance.now();
      if (text) {
        if (text !== lastText) await handleCode(text);
        lastText = text;
        lastSeenAt = now;
      } else if (lastText && now - lastSeenAt > FORGET_REPEAT_AFTER_MS) {
        lastText = null;
      }
    }
    await new Promise((resolve) => { setTimeout(resolve, FRAME_INTERVAL_MS); });
  }
}

/* ---------- What a code does ---------- */

async function handleCode(text) {
  const code = parseCode(text, baseUrl);
  if (!code) {
    refuse();
    return;
  }
  performance.mark('scanner:code-seen');
  await codeHandlers[code.kind](code, text.trim());
}

function newId() {
  return crypto.randomUUID();
}

async function queueScan(code, text) {
  const id = newId();
  const scannedAt = new Date().toISOString();
  const person = await knownPerson(code.token).catch(() => undefined);
  await enqueue({
    id,
    kind: 'scan',
    url: '/api/v1/scans',
    body: { id, code: text, scanned_at: scannedAt },
    token: code.token,
    label: person?.name ? `Scan of ${person.name}` : 'Badge scan',
    happenedAt: scannedAt,
  });
  current = { scanId: id, token: code.token, name: person?.name, contactId: person?.contactId, scannedAt };
  openSheet();
  performance.mark('scanner:saved');
  buzz(30);
  if (!navigator.onLine) {
    await requestBackgroundSync();
    return;
  }
  // Not awaited: on slow Wi-Fi the scanner must stay ready while the request is under way.
  syncOutbox().then((results) => showScanResult(id, results.get(id)));
}

function showScanResult(scanId, result) {
  if (!result || current?.scanId !== scanId) return;
  if (result.status < 300) {
    const { contact } = result.data;
    current.name = contact.name;
    current.contactId = contact.id;
    fillSheet(result.data.new_connection ? 'Connected' : 'Already connected');
  } else {
    showSheetFailure(result.data?.error);
  }
}

async function queueCheckin(code, text) {
  const checkinUrl = root.dataset.checkinUrl;
  const id = newId();
  const checkedInAt = new Date().toISOString();
  await enqueue({
    id,
    kind: 'checkin',
    url: checkinUrl,
    body: { id, code: text, checked_in_at: checkedInAt },
    token: code.token,
    label: 'Door check-in',
    happenedAt: checkedInAt,
  });
  performance.mark('scanner:saved');
  buzz(30);
  setStatus('Checked in — saved on this device.', 'ok');
  const syncing = navigator.onLine ? syncOutbox() : Promise.resolve(new Map());
  syncing.then((results) => showCheckinResult(id, results.get(id)));
}

async function showCheckinResult(id, result) {
  if (!result) {
    showToast('Saved. It will sync when the network is back.');
    await requestBackgroundSync();
    return;
  }
  if (result.status < 300) {
    const { attendee, already_checked_in: again, checked_in_count: count } = result.data;
    const who = attendee?.name || 'Attendee';
    const message = again ? `${who} was already checked in.` : `${who} checked in.`;
    setStatus(`${message} ${count ?? ''}${count !== undefined ? ' in so far.' : ''}`.trim(), 'ok');
    showToast(message);
  } else {
    await removeEntry(id);
    refuse(result.data?.error?.message || 'This badge was not accepted.');
  }
}

async function queueSpaceCheckin(code, text) {
  const id = newId();
  const checkedInAt = new Date().toISOString();
  await enqueue({
    id,
    kind: 'space-checkin',
    url: '/api/v1/spaces/checkins',
    body: { id, code: text, checked_in_at: checkedInAt },
    label: 'Space check-in',
    happenedAt: checkedInAt,
  });
  buzz(30);
  setStatus('Space check-in saved.', 'ok');
  const syncing = navigator.onLine ? syncOutbox() : Promise.resolve(new Map());
  syncing.then((results) => showSpaceResult(id, results.get(id)));
}

async function showSpaceResult(id, result) {
  if (result && result.status < 300) {
    const space = result.data.space || {};
    showToast(`You're in ${space.name || 'this space'}: people you meet are linked to it.`);
  } else if (result) {
    await removeEntry(id);
    refuse(result.data?.error?.message || 'This space poster was not accepted.');
  } else {
    showToast('Space check-in saved. It will sync when the network is back.');
  }
}

/* ---------- The quick-note sheet ---------- */

function openSheet() {
  paused = true;
  sheetForm.reset();
  syncDueOnField();
  sheet.dataset.state = 'saved';
  sheet.hidden = false;
  fillSheet(navigator.onLine ? 'Saved · connecting…' : 'Saved on this device · will sync');
  $('[data-sheet-save]', sheet).disabled = false;
  $('#quick-note', sheet).disabled = false;
  $('[data-sheet-title]', sheet).focus({ preventScroll: true });
  setStatus('Scan saved. Add a note, or skip.', 'ok');
}

function fillSheet(state) {
  $('[data-sheet-state]', sheet).textContent = state;
  $('[data-sheet-title]', sheet).textContent = current?.name ? `You met ${current.name}` : 'New contact';
  $('[data-sheet-sub]', sheet).textContent = current?.name
    ? 'Jot down what you talked about while it is fresh.'
    : 'Their name appears once the scan syncs. Your note is kept with the scan.';
}

function showSheetFailure(error) {
  sheet.dataset.state = 'failed';
  const reasons = {
    badge_not_found: 'This badge is no longer valid: its owner may have replaced it.',
    own_badge: "That's your own badge.",
  };
  $('[data-sheet-state]', sheet).textContent = 'Not connected';
  $('[data-sheet-title]', sheet).textContent = reasons[error?.code] || error?.message || 'This scan was refused.';
  $('[data-sheet-sub]', sheet).textContent = 'Nothing was saved. Close this and scan again.';
  $('[data-sheet-save]', sheet).disabled = true;
  $('#quick-note', sheet).disabled = true;
  buzz([40, 60, 40]);
}

async function closeSheet() {
  if (sheet.dataset.state === 'failed' && current) {
    // The user has seen why it failed: that counts as dismissing it.
    await removeEntry(current.scanId);
  }
  sheet.hidden = true;
  current = null;
  paused = false;
  lastSeenAt = performance.now();
  setStatus('Ready for the next badge.');
}

function isoDate(date) {
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60000);
  return local.toISOString().slice(0, 10);
}

function dueOn(choice) {
  const today = new Date();
  if (choice === 'tomorrow') return isoDate(new Date(today.getTime() + 86400000));
  if (choice === 'next-week') return isoDate(new Date(today.getTime() + 7 * 86400000));
  if (choice === 'date') return $('[data-due-on]', sheet).value || null;
  return null;
}

function syncDueOnField() {
  const picker = $('[data-due-on]', sheet);
  const pickDate = sheetForm.elements.follow_up.value === 'date';
  picker.hidden = !pickDate;
  picker.required = pickDate;
  if (pickDate && !picker.value) picker.value = isoDate(new Date(Date.now() + 3 * 86400000));
}

async function saveNote(event) {
  event.preventDefault();
  if (!current || sheet.dataset.state === 'failed') {
    await closeSheet();
    return;
  }
  const body = sheetForm.elements.body.value.trim();
  const due = dueOn(sheetForm.elements.follow_up.value);
  if (!body && !due) {
    await closeSheet();
    return;
  }
  const id = newId();
  const what = current.name ? `Follow up with ${current.name}` : 'Follow up';
  const payload = { id, body: body || what, happened_at: current.scannedAt };
  if (due) payload.follow_up = { what, due_on: due };
  // Before the scan has synced its contact id is unknown: the scan's client id stands in.
  const url = current.contactId
    ? `/api/v1/contacts/${current.contactId}/notes`
    : `/api/v1/scans/${current.scanId}/notes`;
  await enqueue({
    id, kind: 'note', url, body: payload,
    label: current.name ? `Note on ${current.name}` : 'Note on a new contact',
    happenedAt: current.scannedAt,
  });
  buzz([20, 40, 20]);
  showToast(navigator.onLine ? 'Note saved.' : 'Note saved on this device. It will sync later.');
  await closeSheet();
  if (navigator.onLine) syncOutbox();
  else requestBackgroundSync();
}

/* ---------- Manual entry ---------- */

async function submitManualCode(event) {
  event.preventDefault();
  const input = event.target.elements.code;
  const text = input.value.trim();
  if (!text) return;
  const code = parseCode(text, baseUrl);
  if (!code) {
    refuse();
    input.focus();
    return;
  }
  input.value = '';
  lastText = text;
  lastSeenAt = performance.now();
  await codeHandlers[code.kind](code, text);
}

/* ---------- Wiring ---------- */

$('[data-manual-form]', root).addEventListener('submit', submitManualCode);
$('[data-camera-retry]', root).addEventListener('click', () => startCamera());
if (sheetForm) {
  sheetForm.addEventListener('submit', saveNote);
  sheetForm.addEventListener('change', syncDueOnField);
  $('[data-sheet-skip]', sheet).addEventListener('click', () => closeSheet());
}
document.addEventListener('visibilitychange', () => {
  // Release the camera in the background: it drains the battery and lights the LED.
  if (document.hidden) stopCamera();
  else if (!stream && cameraHelp.hidden) startCamera();
});
startCamera();
