// Polls the batch's progress every 2 seconds and updates the bar, the live text and the download link.
// Without JavaScript the page reloads itself (<noscript> refresh).
(function () {
  "use strict";
  var root = document.getElementById("letter-batch");
  if (!root || root.dataset.running !== "1") { return; }
  var bar = document.getElementById("letter-batch-bar");
  var text = root.querySelector("[data-field=text]");
  var label = root.querySelector("[data-field=status_label]");
  var error = document.getElementById("letter-batch-error");
  var download = document.getElementById("letter-batch-download");
  function poll() {
    fetch(root.dataset.progressUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (p) {
        bar.max = p.total; bar.value = p.done; bar.textContent = p.text;
        text.textContent = p.text; label.textContent = p.status_label;
        if (p.error) { error.textContent = p.error; error.hidden = false; }
        if (p.download) { download.querySelector("a").href = p.download; download.hidden = false; }
        if (p.status === "queued" || p.status === "running") { window.setTimeout(poll, 2000); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
