// After a failed submit, start where the errors are listed: the summary (id "fehler") takes the focus,
// so screen readers read it and keyboard users continue from there to the first field to fix.
(function () {
  "use strict";
  var summary = document.getElementById("fehler");
  if (summary) {
    summary.focus();
  }
})();
