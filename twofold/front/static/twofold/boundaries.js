// Boundaries: each answer is saved as it is chosen (htmx posts that row's value alone;
// see program/_boundary_row.html). This file only says so on the page, shows a refused
// answer (400) in its row, and says when a choice could not be saved. Without it, or
// without JavaScript, the page's own form and its button save every answer at once.
// Loaded with `defer` after htmx; no eval, no inline handlers (the CSP forbids both).
(function () {
  "use strict";

  var form = document.querySelector("form[data-boundaries]");
  if (!form || !window.htmx) {
    return;
  }
  form.querySelectorAll("[data-saves-as-you-go]").forEach(function (note) {
    note.hidden = false;
  });

  function rowOf(event) {
    var elt = event.detail && event.detail.elt;
    return elt instanceof Element ? elt.closest(".boundary-row") : null;
  }

  // htmx leaves 4xx answers out; a refused answer says why in its own row.
  form.addEventListener("htmx:beforeSwap", function (event) {
    if (rowOf(event) && event.detail.xhr.status === 400) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  function notSaved(event) {
    var row = rowOf(event);
    var status = row && row.querySelector(".boundary-status");
    if (status) {
      status.textContent = form.getAttribute("data-unsaved") || "";
    }
  }
  form.addEventListener("htmx:responseError", notSaved);
  form.addEventListener("htmx:sendError", notSaved);
})();
