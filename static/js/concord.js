/* Concord progressive enhancement: everything works without this file. */
(function () {
  "use strict";

  // Oppose and block need a rationale: reveal the field first instead of posting an empty one.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-needs-rationale]");
    if (!button) return;
    var box = button.form && button.form.querySelector(".rationale");
    var field = box && box.querySelector("textarea");
    if (!field || (!box.hidden && field.value.trim())) return;
    event.preventDefault();
    box.hidden = false;
    field.setAttribute("aria-required", "true");
    field.dataset.intent = button.value;
    field.focus();
  });

  // After htmx swaps a vote block, put focus back on the control the person used.
  var lastFocus = null;
  document.addEventListener("htmx:beforeRequest", function () {
    lastFocus = document.activeElement && document.activeElement.id;
  });
  document.addEventListener("htmx:afterSettle", function () {
    var invalid = document.querySelector(".vote-block textarea[aria-invalid='true']");
    if (invalid) { invalid.focus(); return; }
    if (lastFocus && document.getElementById(lastFocus)) document.getElementById(lastFocus).focus();
    lastFocus = null;
  });

  // Quote a passage: select words in the clause, press the button, comment on them.
  function setUpQuoting() {
    var text = document.getElementById("clause-text");
    var button = document.getElementById("quote-button");
    var field = document.getElementById("quote-field");
    if (!text || !button || !field) return;
    button.closest(".quote-tool").hidden = false;
    var selected = "";
    document.addEventListener("selectionchange", function () {
      var selection = window.getSelection();
      var inside = selection.rangeCount && text.contains(selection.anchorNode) &&
        text.contains(selection.focusNode);
      var value = inside ? selection.toString().replace(/\s+/g, " ").trim() : "";
      if (value || document.activeElement !== button) selected = value;
      button.disabled = !selected;
    });
    button.addEventListener("click", function () {
      if (!selected) return;
      field.value = selected;
      var body = document.getElementById("body-field");
      if (body) { body.scrollIntoView({block: "center"}); body.focus(); }
    });
  }

  // Show the proposed-wording field only for suggestions.
  function setUpKinds() {
    var kind = document.getElementById("kind-field");
    var wrap = document.getElementById("proposed-wrap");
    if (!kind || !wrap) return;
    var sync = function () { wrap.hidden = kind.value !== "suggestion"; };
    kind.addEventListener("change", sync);
    sync();
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpQuoting();
    setUpKinds();
  });
})();

// The draft editor (#15): clauses are collapsed; the one the address names (#e-<key>, where
// saving a clause returns to) opens.
(function () {
  "use strict";
  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    var details = target && target.querySelector("details.clause-edit");
    if (details) details.open = true;
  }
  document.addEventListener("DOMContentLoaded", openTarget);
  window.addEventListener("hashchange", openTarget);
})();
