/*
 * Portal progressive enhancement. Everything works without it; no inline handlers
 * (the Content-Security-Policy forbids inline scripts).
 *
 *   data-confirm="Question?"   on a <form>, a submit button or a link: ask before going on.
 *   data-autosubmit            on a <select> (or any input): submit its form on change.
 *   data-copy="text"           on a button: copy the text to the clipboard.
 *   data-select-all="name"     on a (hidden) button: shown, it ticks every checkbox named
 *                              "name" in its form (or clears them when all are ticked).
 *   data-formset="prefix"      on a container holding a Django formset:
 *       [data-formset-body]        where the forms live (defaults to the container)
 *       [data-formset-form]        each form (row)
 *       <template data-formset-empty>{{ formset.empty_form }}</template>
 *       [data-formset-add]         button that appends a new form
 *       [data-formset-remove]      button inside a form that removes it (ticks DELETE when present)
 *   data-select-filter="Label" on a <select>: a search box above it hides the options (and
 *                              empty <optgroup>s) whose text does not contain what is typed.
 */
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  /* ---- data-confirm ---- */
  document.addEventListener("click", function (event) {
    var el = event.target.closest("a[data-confirm]");
    if (el && !window.confirm(el.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var message = (submitter && submitter.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
      return;
    }
    // Avoid double submission of the same form (slow networks, double clicks).
    if (!event.defaultPrevented && form.method.toLowerCase() === "post") {
      if (form.dataset.submitted === "1") {
        event.preventDefault();
      } else {
        form.dataset.submitted = "1";
        window.setTimeout(function () { delete form.dataset.submitted; }, 5000);
      }
    }
  });

  /* ---- data-autosubmit ---- */
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (!el.hasAttribute || !el.hasAttribute("data-autosubmit") || !el.form) {
      return;
    }
    if (typeof el.form.requestSubmit === "function") {
      el.form.requestSubmit();
    } else {
      el.form.submit();
    }
  });

  /* ---- data-select-all ---- */
  document.querySelectorAll("[data-select-all]").forEach(function (button) {
    button.hidden = false;
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-select-all]");
    if (!button || !button.form) {
      return;
    }
    var name = button.getAttribute("data-select-all");
    var boxes = Array.prototype.filter.call(button.form.elements, function (el) {
      return el.type === "checkbox" && el.name === name;
    });
    var all = boxes.every(function (box) { return box.checked; });
    boxes.forEach(function (box) { box.checked = !all; });
  });

  /* ---- data-copy ---- */
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button || !navigator.clipboard) {
      return;
    }
    event.preventDefault();
    navigator.clipboard.writeText(button.getAttribute("data-copy")).then(function () {
      button.classList.add("copied");
      window.setTimeout(function () { button.classList.remove("copied"); }, 1500);
    });
  });

  /* ---- data-formset ---- */
  function formsetInput(root, prefix, name) {
    return root.querySelector('input[name="' + prefix + "-" + name + '"]');
  }

  function renumber(el, prefix, from, to) {
    var pattern = new RegExp("^(id_)?" + prefix + "-" + from + "-");
    var replacement = "$1" + prefix + "-" + to + "-";
    el.querySelectorAll("[name], [id], label[for], [aria-describedby]").forEach(function (node) {
      ["name", "id", "for", "aria-describedby"].forEach(function (attr) {
        var value = node.getAttribute(attr);
        if (value) {
          node.setAttribute(attr, value.split(" ").map(function (token) {
            return token.replace(pattern, replacement);
          }).join(" "));
        }
      });
    });
  }

  function setupFormset(root) {
    var prefix = root.getAttribute("data-formset") || "form";
    var total = formsetInput(root, prefix, "TOTAL_FORMS");
    var initial = formsetInput(root, prefix, "INITIAL_FORMS");
    var max = formsetInput(root, prefix, "MAX_NUM_FORMS");
    var template = root.querySelector("template[data-formset-empty]");
    var body = root.querySelector("[data-formset-body]") || root;
    var addButton = root.querySelector("[data-formset-add]");
    if (!total || !template) {
      return;
    }

    function count() { return parseInt(total.value, 10) || 0; }

    function refresh() {
      if (addButton && max) {
        addButton.disabled = count() >= (parseInt(max.value, 10) || 1000);
      }
    }

    if (addButton) {
      addButton.addEventListener("click", function (event) {
        event.preventDefault();
        var index = count();
        var wrapper = document.createElement("div");
        wrapper.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
        var nodes = Array.prototype.slice.call(wrapper.childNodes);
        nodes.forEach(function (node) { body.appendChild(node); });
        total.value = String(index + 1);
        refresh();
        var first = body.lastElementChild && body.lastElementChild.querySelector("input:not([type=hidden]), select, textarea");
        if (first) {
          first.focus();
        }
      });
    }

    root.addEventListener("click", function (event) {
      var button = event.target.closest("[data-formset-remove]");
      if (!button || !root.contains(button)) {
        return;
      }
      event.preventDefault();
      var form = button.closest("[data-formset-form]");
      if (!form) {
        return;
      }
      var deleteBox = form.querySelector('input[type=checkbox][name$="-DELETE"]');
      var nameHolder = form.querySelector('[name^="' + prefix + '-"]');
      var match = nameHolder && nameHolder.getAttribute("name").match(new RegExp("^" + prefix + "-(\\d+)-"));
      var index = match ? parseInt(match[1], 10) : -1;
      var initialCount = initial ? parseInt(initial.value, 10) || 0 : 0;

      if (index >= initialCount && index >= 0) {
        // A new, unsaved form: drop it and close the gap in the numbering.
        form.remove();
        var forms = body.querySelectorAll("[data-formset-form]");
        forms.forEach(function (other) {
          var holder = other.querySelector('[name^="' + prefix + '-"]');
          var m = holder && holder.getAttribute("name").match(new RegExp("^" + prefix + "-(\\d+)-"));
          var i = m ? parseInt(m[1], 10) : -1;
          if (i > index) {
            renumber(other, prefix, i, i - 1);
          }
        });
        total.value = String(count() - 1);
      } else if (deleteBox) {
        deleteBox.checked = true;
        form.classList.add("formset-deleted");
      }
      refresh();
    });

    refresh();
  }

  /* ---- data-select-filter ---- */
  function setupSelectFilter(select) {
    var box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1 select-filter";
    box.setAttribute("aria-label", select.getAttribute("data-select-filter"));
    box.placeholder = select.getAttribute("data-select-filter");
    if (select.id) {
      box.setAttribute("aria-controls", select.id);
    }
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", function () {
      var term = box.value.trim().toLowerCase();
      select.querySelectorAll("option").forEach(function (option) {
        var keep = !term || option.value === "" || option.selected ||
          option.textContent.toLowerCase().indexOf(term) !== -1;
        option.hidden = !keep;
      });
      select.querySelectorAll("optgroup").forEach(function (group) {
        group.hidden = !group.querySelector("option:not([hidden])") &&
          group.label.toLowerCase().indexOf(term) === -1;
        if (group.label.toLowerCase().indexOf(term) !== -1) {
          group.querySelectorAll("option").forEach(function (option) { option.hidden = false; });
        }
      });
    });
  }

  function init() {
    document.querySelectorAll("[data-formset]").forEach(setupFormset);
    document.querySelectorAll("select[data-select-filter]").forEach(setupSelectFilter);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
