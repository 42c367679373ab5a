// Talk together: the turn timer and gentle announcements.
// The server says when the current turn began (data-turn-started) and how long a turn is
// (data-turn-seconds); this counts down from there. htmx re-renders #talk-state every two
// seconds, so everything is re-read after each swap. Loaded with `defer`; no eval, no
// inline handlers (the CSP forbids both).
(function () {
  "use strict";

  var TICK_MS = 250;
  var clockOffset = 0; // the server's clock minus this device's clock, in ms
  var currentState = null;
  var lastStateKey = null;
  var focusWasInside = false;
  var turnsWithTimeLeft = {};
  var announcedTurn = null;

  function byId(id) {
    return document.getElementById(id);
  }

  function setText(element, text) {
    if (element && element.textContent !== text) {
      element.textContent = text;
    }
  }

  function clock(seconds) {
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    return minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function tick() {
    var timer = currentState && currentState.querySelector("[data-turn-started]");
    if (!timer) {
      return;
    }
    var started = Date.parse(timer.getAttribute("data-turn-started"));
    var length = parseInt(timer.getAttribute("data-turn-seconds"), 10);
    if (isNaN(started) || isNaN(length)) {
      return;
    }
    var elapsed = (Date.now() + clockOffset - started) / 1000;
    var remaining = Math.max(0, Math.ceil(length - elapsed));
    setText(timer, clock(remaining));

    // Announce once per turn, and only when the time ran out while this page was open.
    var turn = timer.getAttribute("data-turn-key");
    if (remaining > 0) {
      turnsWithTimeLeft[turn] = true;
    } else if (turnsWithTimeLeft[turn] && announcedTurn !== turn) {
      announcedTurn = turn;
      var region = byId("talk-announcement");
      if (region) {
        setText(region, region.getAttribute("data-times-up") || "");
      }
    }
  }

  function onState(state) {
    if (!state || state === currentState) {
      return;
    }
    currentState = state;
    var timer = state.querySelector("[data-server-now]");
    var serverNow = timer ? Date.parse(timer.getAttribute("data-server-now")) : NaN;
    if (!isNaN(serverNow)) {
      clockOffset = serverNow - Date.now();
    }
    var key = state.getAttribute("data-state-key");
    if (lastStateKey !== null && key !== lastStateKey) {
      // A new step, speaker or pause: on this device or the partner's.
      setText(byId("talk-announcement"), "");
      setText(byId("talk-status-announcement"), state.getAttribute("data-announce") || "");
      var active = document.activeElement;
      if (focusWasInside && (!active || active === document.body)) {
        // The focused button went away (e.g. the talk ended): land on the new heading.
        var heading = state.querySelector("[data-talk-focus]");
        if (heading) {
          heading.focus();
        }
      }
    }
    focusWasInside = false;
    lastStateKey = key;
    tick();
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (target && target.id === "talk-state") {
      focusWasInside = target.contains(document.activeElement);
    }
  });

  document.addEventListener("htmx:load", function () {
    onState(byId("talk-state"));
  });

  onState(byId("talk-state"));
  window.setInterval(tick, TICK_MS);
})();
