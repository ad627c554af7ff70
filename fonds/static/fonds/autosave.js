// Saves a step of the application form while the user types: the same POST the button sends,
// marked X-Autosave, answered with JSON. Without JavaScript the buttons save as before.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form) return;
  var status = form.querySelector("[data-autosave-status]");
  var preview = document.getElementById("vorschau");
  var en = document.documentElement.lang === "en";
  var pending = null, dirty = false, busy = false, submitted = false;

  function say(text) { if (status) status.textContent = text; }
  // The state for anyone who must wait until nothing is left to save (the browser tests do): idle, pending, saving.
  function state(value) { form.dataset.autosaveState = value; }
  state("idle");

  function save() {
    pending = null;
    if (submitted) { state("idle"); return; }
    if (busy) { dirty = true; return; }
    busy = true; dirty = false;
    state("saving");
    fetch(form.action || window.location.href, {
      method: "POST", body: new FormData(form), credentials: "same-origin", redirect: "manual",
      headers: {"X-Autosave": "1", "X-Requested-With": "XMLHttpRequest"}
    }).then(function (response) {
      if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) {
        say(en ? "Your session has ended. Please log in again; everything saved so far is kept."
               : "Ihre Sitzung ist abgelaufen. Bitte melden Sie sich neu an; alles bisher Gespeicherte bleibt erhalten.");
        return null;
      }
      return response.json();
    }).then(function (data) {
      if (!data) return;
      var open = Object.keys(data.errors || {}).length;
      say((en ? "Saved at " : "Gespeichert um ") + data.saved_at +
          (open ? (en ? " – some fields still need attention." : " – einige Felder brauchen noch Ihre Angabe.") : "."));
      if (preview && data.preview) preview.innerHTML = data.preview;
      document.dispatchEvent(new CustomEvent("fondsflow:saved"));
    }).catch(function () {
      say(en ? "Could not save automatically. Please use the button." : "Automatisches Speichern nicht möglich. Bitte nutzen Sie die Schaltfläche.");
    }).finally(function () {
      busy = false;
      if (dirty) schedule(); else state("idle");
    });
  }
  function schedule() {
    if (pending) clearTimeout(pending);
    pending = setTimeout(save, 1200);
    if (!busy) state("pending");
  }
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  // The buttons send the whole step themselves: an autosave still waiting (or fired as the page is left) would
  // reach the server after that POST and overwrite it with an older copy of the same form.
  form.addEventListener("submit", function () {
    submitted = true;
    if (pending) { clearTimeout(pending); pending = null; }
    if (!busy) state("idle");
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && pending && !submitted) { clearTimeout(pending); save(); }
  });
})();
