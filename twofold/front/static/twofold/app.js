// Twofold's few page behaviours: quick exit, time-zone guess, confirm before submit, and
// the service worker for the home screen.
// Loaded with `defer`; no eval, no inline handlers (the CSP forbids both).
(function () {
  "use strict";

  // --- Quick exit -------------------------------------------------------------
  // A click on the link, or Escape three times within 1.5 s, leaves for the
  // link's address. location.replace keeps this page out of the Back history.
  // On the way, a beacon posts the page's quick-exit form, which ends the session
  // (the browser sends it even as the page goes; nothing waits for its answer).
  var ESCAPE_PRESSES = 3;
  var ESCAPE_WINDOW_MS = 1500;
  var escapeTimes = [];

  function endSession() {
    var form = document.querySelector("form[data-quick-exit-form]");
    if (!form) {
      return;
    }
    try {
      var data = new FormData(form);
      if (!(navigator.sendBeacon && navigator.sendBeacon(form.action, data))) {
        fetch(form.action, {
          method: "POST",
          body: data,
          credentials: "same-origin",
          keepalive: true,
        });
      }
    } catch (error) {
      // Leaving matters more than signing out; the idle timeout still applies.
    }
  }

  function quickExit(href) {
    endSession();
    window.location.replace(href);
    try {
      document.title = "";
      document.body.replaceChildren();
    } catch (error) {
      // Leaving matters more than tidying up.
    }
  }

  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element && event.target.closest("[data-quick-exit]");
    if (link) {
      event.preventDefault();
      quickExit(link.href);
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    var now = Date.now();
    escapeTimes = escapeTimes.filter(function (time) {
      return now - time < ESCAPE_WINDOW_MS;
    });
    escapeTimes.push(now);
    if (escapeTimes.length >= ESCAPE_PRESSES) {
      var link = document.querySelector("a[data-quick-exit]");
      if (link) {
        quickExit(link.href);
      }
    }
  });

  // --- Time-zone guess ----------------------------------------------------------
  // Only while the select still shows its server-rendered default, so a choice
  // the person made (or the browser restored) is never overwritten.
  function browserTimeZone() {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (error) {
      return "";
    }
  }

  function guessTimeZones(root) {
    var timeZone = browserTimeZone();
    if (!timeZone || !root.querySelectorAll) {
      return;
    }
    root.querySelectorAll("select[data-detect-time-zone]").forEach(function (select) {
      var options = Array.prototype.slice.call(select.options);
      var initial = options.filter(function (option) {
        return option.defaultSelected;
      })[0] || options[0];
      var untouched = !initial || select.value === initial.value;
      var available = options.some(function (option) {
        return option.value === timeZone;
      });
      if (untouched && available) {
        select.value = timeZone;
      }
    });
  }

  guessTimeZones(document);
  // Content swapped in by htmx gets the same treatment.
  document.addEventListener("htmx:load", function (event) {
    guessTimeZones(event.target);
  });

  // --- Confirm before submitting --------------------------------------------------
  // <form data-confirm="…"> (or a submit button carrying data-confirm) asks first.
  // Capture phase, so a refusal also stops htmx from sending the form.
  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      var submitter = event.submitter;
      var message =
        (submitter && submitter.getAttribute("data-confirm")) ||
        (form instanceof Element && form.getAttribute("data-confirm"));
      if (message && !window.confirm(message)) {
        event.preventDefault();
        event.stopPropagation();
      }
    },
    true
  );
  // --- Check-in progress ------------------------------------------------------------
  // <form data-checkin-progress>: the bar counts the 0-10 questions answered so far.
  // Without JavaScript the bar stays hidden; each question still says "3 of 9".
  function showCheckinProgress(form) {
    var bar = form.querySelector("progress");
    if (!bar) {
      return;
    }
    var label = form.querySelector('label[for="' + bar.id + '"]');
    var update = function () {
      var answered = form.querySelectorAll(
        "fieldset.scale-question:has(input[type=radio]:checked)"
      ).length;
      form.querySelectorAll("fieldset:not(.scale-question) textarea").forEach(function (box) {
        if (box.value.trim()) {
          answered += 1;
        }
      });
      bar.value = Math.min(answered, Number(bar.max));
    };
    bar.hidden = false;
    if (label) {
      label.hidden = false;
    }
    form.addEventListener("change", update);
    form.addEventListener("input", update);
    update();
  }

  document.querySelectorAll("form[data-checkin-progress]").forEach(showCheckinProgress);

  // --- Copy a link ------------------------------------------------------------------
  // <div data-copy-link> holds a read-only field (data-copy-source) and a hidden button
  // (data-copy-button) shown here. Without JavaScript the field can still be selected
  // and copied by hand; where the clipboard is refused, the text is selected instead.
  function setUpCopyLink(box) {
    var source = box.querySelector("[data-copy-source]");
    var button = box.querySelector("[data-copy-button]");
    var status = box.querySelector("[data-copy-status]");
    if (!source || !button) {
      return;
    }
    var label = button.textContent;
    function done() {
      button.textContent = button.getAttribute("data-copied") || label;
      if (status) {
        status.textContent = button.textContent;
      }
      window.setTimeout(function () {
        button.textContent = label;
      }, 2500);
    }
    function selectText() {
      source.focus();
      source.select();
    }
    button.hidden = false;
    source.addEventListener("focus", function () {
      source.select();
    });
    button.addEventListener("click", function () {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(source.value).then(done, selectText);
      } else {
        selectText();
        try {
          if (document.execCommand("copy")) {
            done();
          }
        } catch (error) {
          // The text stays selected, ready to copy by hand.
        }
      }
    });
  }

  document.querySelectorAll("[data-copy-link]").forEach(setUpCopyLink);

  // --- Home screen ------------------------------------------------------------------
  // The service worker keeps static files and the offline page only (never a page);
  // base.html names it on the manifest link. Without it, everything works the same.
  var manifestLink = document.querySelector("link[rel=manifest][data-service-worker]");
  if (manifestLink && "serviceWorker" in navigator && window.isSecureContext) {
    navigator.serviceWorker.register(manifestLink.getAttribute("data-service-worker")).catch(
      function () {
        // An offline page is a kindness, not a requirement.
      }
    );
  }
})();
