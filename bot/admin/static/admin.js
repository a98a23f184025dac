// consultbot console: small progressive enhancements; every page works without this file.
"use strict";
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
    return;
  }
  // One click, one request: a slow upload is not sent twice.
  window.setTimeout(function () {
    form.querySelectorAll("button:not([disabled])").forEach(function (button) {
      button.disabled = true;
      button.setAttribute("data-busy", "");
    });
  }, 0);
});
// Back/forward cache restores a page as it was left: make the buttons we disabled usable again.
window.addEventListener("pageshow", function (event) {
  if (!event.persisted) { return; }
  document.querySelectorAll("button[data-busy]").forEach(function (button) {
    button.disabled = false;
    button.removeAttribute("data-busy");
  });
});
