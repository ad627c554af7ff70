// Warns before the session runs out (WCAG 2.2.1 Timing Adjustable) and lets the user extend it.
// The warning takes the focus (on "Angemeldet bleiben") and gives it back to where the user was once the
// session is extended; Escape extends too. When the session has run out, the focus goes to the login link.
(function () {
  "use strict";
  var box = document.getElementById("sitzung");
  if (!box) return;
  var total = parseInt(box.dataset.sessionSeconds, 10) || 0;
  var warn = parseInt(box.dataset.warnSeconds, 10) || 120;
  if (!total) return;
  var csrf = (document.querySelector("input[name=csrfmiddlewaretoken]") || {}).value ||
    (document.cookie.match(/csrftoken=([^;]+)/) || [])[1] || "";
  var expiresAt, timer, returnTo = null;
  var remaining = box.querySelector("[data-session-remaining]");
  var extend = box.querySelector("[data-session-extend]");
  var expired = box.querySelector("[data-session-expired]");
  var title = document.getElementById("sitzung-titel");
  var text = document.getElementById("sitzung-text");

  function open() {
    if (!box.hidden) return false;
    returnTo = document.activeElement;
    box.hidden = false;
    return true;
  }
  function close() {
    var focusInside = box.contains(document.activeElement);
    box.hidden = true;
    if (focusInside && returnTo && returnTo !== document.body && document.contains(returnTo)) returnTo.focus();
    returnTo = null;
  }
  function restart(seconds) {
    expiresAt = Date.now() + seconds * 1000;
    close();
  }
  function minutes(s) {
    var m = Math.ceil(s / 60);
    var en = document.documentElement.lang === "en";
    if (m <= 1) return en ? "less than a minute" : "weniger als eine Minute";
    return m + (en ? " minutes" : " Minuten");
  }
  function tick() {
    var left = Math.round((expiresAt - Date.now()) / 1000);
    if (left <= 0) {
      open();
      extend.hidden = true;
      expired.hidden = false;
      if (text) text.hidden = true;
      if (title && box.dataset.expiredTitle) title.textContent = box.dataset.expiredTitle;
      remaining.textContent = minutes(0);
      var login = expired.querySelector("a");
      if (login) login.focus();
      clearInterval(timer);
      return;
    }
    if (left <= warn) {
      var opened = open();
      remaining.textContent = minutes(left);
      if (opened) extend.focus();
    }
  }
  function stay() {
    fetch(box.dataset.extendUrl, {method: "POST", headers: {"X-CSRFToken": csrf}, credentials: "same-origin",
                                   redirect: "manual"})
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r); })
      .then(function (data) { restart(data.seconds); })
      .catch(function () { expiresAt = Date.now(); tick(); });
  }
  extend.addEventListener("click", stay);
  box.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !extend.hidden) { event.preventDefault(); stay(); }
  });
  // Any autosave or other request renews the session on the server, so renew the clock too.
  document.addEventListener("fondsflow:saved", function () { if (expired.hidden) restart(total); });
  restart(total);
  window.fondsflowSession = {restart: restart, expireIn: function (s) { expiresAt = Date.now() + s * 1000; tick(); }};
  timer = setInterval(tick, 1000);
})();
