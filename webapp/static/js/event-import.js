// Import preview: while the server imports, say so clearly and stop a second submit.
const form = document.querySelector("[data-import-form]");

if (form) {
  form.addEventListener("submit", () => {
    const button = form.querySelector("[data-import-button]");
    const progress = form.querySelector("[data-import-progress]");
    const count = Number(form.dataset.count || 0).toLocaleString();
    // Disable after the submit has been dispatched, so the form still sends.
    setTimeout(() => {
      button.disabled = true;
      button.textContent = `Importing ${count} attendees…`;
    }, 0);
    progress.textContent = `Importing ${count} attendees… this takes a few seconds; keep this page open.`;
    // No value: an indeterminate bar, since the server answers once, when all rows are in.
    const bar = document.createElement("progress");
    bar.setAttribute("aria-label", "Import progress");
    progress.append(document.createElement("br"), bar);
    form.setAttribute("aria-busy", "true");
  });
}
