// The time-zone list (accounts/widgets/time_zone_select.html): the zone this device uses
// comes first, and a search box narrows the list as one types.
// Without this script the list works on its own. Loaded with `defer`; no inline code.
(function () {
  "use strict";

  function browserTimeZone() {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (error) {
      return "";
    }
  }

  // Lower case, without accents, "_" and "/" as spaces: "São Paulo" is found by "sao paulo".
  function plain(text) {
    return String(text || "")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[_/]/g, " ")
      .toLowerCase();
  }

  function aliasesOf(option) {
    return (option.getAttribute("data-aliases") || "").split(" ").filter(Boolean);
  }

  // The device's zone (or the old name it goes by, such as "Asia/Calcutta") heads the
  // suggestions, marked as this device's. On sign-up (data-detect-time-zone) it is also
  // chosen, unless the person already chose something else.
  function putDeviceZoneFirst(box, select) {
    var zone = browserTimeZone();
    if (!zone) {
      return;
    }
    var options = Array.prototype.slice.call(select.options);
    var match = options.filter(function (option) {
      return option.value === zone || aliasesOf(option).indexOf(zone) !== -1;
    })[0];
    if (!match) {
      return;
    }
    var guess = box.querySelector("[data-time-zone-guess]");
    if (guess) {
      guess.value = match.value;
    }
    var initial = options.filter(function (option) {
      return option.defaultSelected;
    })[0];
    var untouched = !initial || select.value === initial.value || select.value === match.value;

    var suggestedLabel = box.getAttribute("data-suggested");
    var first = select.querySelector("optgroup");
    var suggested = first && first.label === suggestedLabel ? first : null;
    if (!suggested) {
      suggested = document.createElement("optgroup");
      suggested.label = suggestedLabel;
      select.insertBefore(suggested, select.firstChild);
    }
    Array.prototype.slice.call(suggested.children).forEach(function (option) {
      if (option.value === match.value) {
        suggested.removeChild(option);
      }
    });
    var device = document.createElement("option");
    device.value = match.value;
    device.textContent = match.textContent + " \u00b7 " + box.getAttribute("data-this-device");
    device.setAttribute("data-aliases", match.getAttribute("data-aliases") || "");
    suggested.insertBefore(device, suggested.firstChild);
    if (select.hasAttribute("data-detect-time-zone") && untouched) {
      select.value = match.value;
    } else if (select.value === match.value) {
      device.selected = true;
    }
  }

  function setUpSearch(box, select) {
    var row = box.querySelector("[data-time-zone-search-row]");
    var search = box.querySelector("[data-time-zone-search]");
    var status = box.querySelector("[data-time-zone-status]");
    if (!row || !search) {
      return;
    }
    var groups = Array.prototype.slice.call(select.querySelectorAll("optgroup")).map(function (
      group
    ) {
      return {
        element: group,
        options: Array.prototype.slice.call(group.children).map(function (option) {
          return {
            element: option,
            text: plain(
              [option.textContent, option.value].concat(aliasesOf(option)).join(" ")
            ),
          };
        }),
      };
    });

    function show(matching) {
      var chosen = select.value;
      groups.forEach(function (group) {
        group.element.replaceChildren();
        group.options.forEach(function (option) {
          if (!matching || matching(option)) {
            group.element.appendChild(option.element);
          }
        });
        if (group.element.children.length) {
          select.appendChild(group.element); // in their first order, as they were
        } else if (group.element.parentNode) {
          select.removeChild(group.element);
        }
      });
      var still = Array.prototype.some.call(select.options, function (option) {
        return option.value === chosen;
      });
      if (still) {
        select.value = chosen;
      } else {
        select.selectedIndex = 0;
      }
    }

    function narrow() {
      var words = plain(search.value).split(/\s+/).filter(Boolean);
      if (!words.length) {
        show(null);
        status.textContent = "";
        return;
      }
      var matching = function (option) {
        return words.every(function (word) {
          return option.text.indexOf(word) !== -1;
        });
      };
      var count = 0;
      var seen = {};
      groups.forEach(function (group) {
        group.options.forEach(function (option) {
          if (matching(option) && !seen[option.element.value]) {
            seen[option.element.value] = true;
            count += 1;
          }
        });
      });
      if (!count) {
        show(null); // the whole list stays, so there is always something to choose
        status.textContent = box.getAttribute("data-matches-none");
        return;
      }
      show(matching);
      status.textContent =
        count === 1
          ? box.getAttribute("data-matches-one")
          : box.getAttribute("data-matches-many").replace("%(count)s", String(count));
    }

    row.hidden = false;
    search.addEventListener("input", narrow);
    search.addEventListener("keydown", function (event) {
      // Enter or the down arrow goes on to the narrowed list instead of sending the form.
      if (event.key === "Enter" || event.key === "ArrowDown") {
        event.preventDefault();
        select.focus();
      }
    });
  }

  document.querySelectorAll("[data-time-zone-picker]").forEach(function (box) {
    var select = box.querySelector("select");
    if (!select) {
      return;
    }
    putDeviceZoneFirst(box, select);
    setUpSearch(box, select);
  });
})();
