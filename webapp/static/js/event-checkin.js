// Door check-in: keep the "N of M checked in" count live while the page is open.
const box = document.querySelector("[data-checkin-count]");
const POLL_MS = 5000;

async function refreshCount() {
  if (!box || document.hidden || !navigator.onLine) return;
  try {
    const response = await fetch(box.dataset.countUrl, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    if (!response.ok) return;
    const data = await response.json();
    box.querySelector("[data-checked-in]").textContent = data.checked_in_count;
    box.querySelector("[data-registered]").textContent = data.registered;
  } catch {
    // Offline or a network hiccup: keep the last count; the next poll tries again.
  }
}

if (box) {
  setInterval(refreshCount, POLL_MS);
  document.addEventListener("visibilitychange", refreshCount);
  window.addEventListener("online", refreshCount);
  // A door scan from the scanner module announces itself, so the count moves at once.
  document.addEventListener("rapport:checkin", refreshCount);
}
