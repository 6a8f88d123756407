/* Type-ahead for the catalog search box: asks catalog:search_suggest as the user types and
   shows names, providers, categories and terms in a listbox. Keyboard: arrows move, Enter
   opens the chosen one, Escape closes. Without JavaScript the box is a plain search form. */
(function () {
  "use strict";

  function setUp(input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var url = input.getAttribute("data-suggest-url");
    if (!list || !url) { return; }
    var timer = null;
    var active = -1;
    var items = [];
    var asked = "";

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function choose(index) {
      active = index;
      items.forEach(function (item, i) {
        item.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", items[index].id);
      }
    }

    function show(suggestions) {
      list.textContent = "";
      items = suggestions.map(function (s, i) {
        var li = document.createElement("li");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.dataset.url = s.url;
        var kind = document.createElement("span");
        kind.className = "suggestion-kind";
        kind.textContent = s.kind_label;
        var label = document.createElement("span");
        label.textContent = s.label; // text, never markup
        li.appendChild(kind);
        li.appendChild(label);
        li.addEventListener("mousedown", function (event) {
          event.preventDefault();
          window.location.assign(s.url);
        });
        list.appendChild(li);
        return li;
      });
      if (items.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        active = -1;
      } else {
        close();
      }
    }

    function ask() {
      var q = input.value.trim();
      if (!q) { close(); return; }
      if (q === asked) { return; }
      asked = q;
      fetch(url + "?q=" + encodeURIComponent(q), {
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      })
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (data) { if (input.value.trim() === q) { show(data.suggestions || []); } })
        .catch(close);
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, 200);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown") {
        event.preventDefault();
        choose(Math.min(active + 1, items.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        choose(Math.max(active - 1, -1));
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        window.location.assign(items[active].dataset.url);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 100); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-suggest-url]").forEach(setUp);
  });
})();
