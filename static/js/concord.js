/* Concord progressive enhancement: everything works without this file. */
(function () {
  "use strict";

  // Oppose and block need a rationale: reveal the field (with its own submit button) first
  // instead of posting an empty one; an empty rationale gets its error beside the field.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-needs-rationale], button[data-rationale-submit]");
    if (!button) return;
    var box = button.form && button.form.querySelector(".rationale");
    var field = box && box.querySelector("textarea");
    if (!field || (!box.hidden && field.value.trim())) return;
    event.preventDefault();
    var wasHidden = box.hidden;
    box.hidden = false;
    field.setAttribute("aria-required", "true");
    if (button.hasAttribute("data-needs-rationale")) {
      field.dataset.intent = button.value;
      setRationaleSubmit(box, button.value);
    }
    if (!wasHidden && !field.value.trim()) showRationaleError(box, field);
    field.focus();
  });

  function setRationaleSubmit(box, position) {
    var submit = box.querySelector("button[data-rationale-submit]");
    if (!submit) return;
    submit.value = position;
    var label = submit.getAttribute("data-label-" + position);
    if (label) submit.textContent = label;
  }

  function showRationaleError(box, field) {
    var submit = box.querySelector("button[data-rationale-submit]");
    var id = field.id + "-error";
    var message = document.getElementById(id);
    if (!message) {
      message = document.createElement("p");
      message.className = "error";
      message.id = id;
      message.setAttribute("role", "alert");
      field.insertAdjacentElement("afterend", message);
    }
    message.textContent = (submit && submit.getAttribute("data-required")) || "A rationale is required.";
    field.setAttribute("aria-invalid", "true");
    field.setAttribute("aria-describedby", id);
  }

  // After htmx swaps a vote block, put focus back on the control the person used.
  var lastFocus = null;
  document.addEventListener("htmx:beforeRequest", function () {
    lastFocus = document.activeElement && document.activeElement.id;
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var invalid = document.querySelector(".vote-block textarea[aria-invalid='true']");
    if (invalid) { invalid.focus(); return; }
    if (lastFocus && document.getElementById(lastFocus)) {
      document.getElementById(lastFocus).focus();
    } else if (lastFocus) {
      focusWithin(event.detail.target);  // the control is gone (Retract, Verify): stay near it
    }
    lastFocus = null;
  });

  function focusWithin(target) {
    if (!target || !target.isConnected) target = document.getElementById(target && target.id);
    if (!target) return;
    var control = target.querySelector("[aria-pressed='true']") ||
      target.querySelector("button:not([disabled])") ||
      target.querySelector("a[href], input:not([type=hidden]), select, textarea");
    if (!control) {
      if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
      control = target;
    }
    control.focus();
  }

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

  // #14: announce votes in a live region, keep the progress count current, retire a used
  // "keep my position" offer, and let keyboards reach scrolling tables.
  var live = null;
  function announce(text) {
    if (!live) {
      live = document.createElement("div");
      live.className = "visually-hidden";
      live.setAttribute("role", "status");
      live.setAttribute("aria-live", "polite");
      live.id = "concord-live";
      document.body.appendChild(live);
    }
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 50);
  }

  function updateProgress() {
    var box = document.getElementById("voting-progress");
    if (!box) return;
    var blocks = document.querySelectorAll(".vote-block");
    var votable = parseInt(box.getAttribute("data-votable"), 10);
    if (blocks.length !== votable) return;  // not every clause is on this page
    var voted = document.querySelectorAll(".vote-block legend .current").length;
    var meter = box.querySelector("progress");
    var text = box.querySelector(".progress-text");
    if (meter) meter.value = voted;
    if (text && text.getAttribute("data-template")) {
      text.textContent = text.getAttribute("data-template").replace("{n}", voted).replace("{m}", votable);
    }
  }

  document.addEventListener("htmx:afterRequest", function (event) {
    var source = event.detail.elt;
    if (!event.detail.successful || !source) return;
    if (source.matches && source.matches("form[data-carry]")) source.remove();
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var block = event.detail.target;
    var verb = event.detail.requestConfig && event.detail.requestConfig.verb;
    if (!block || !block.classList || !block.classList.contains("vote-block") || verb !== "post") return;
    var fresh = document.getElementById(block.id) || block;
    if (fresh.getAttribute("data-announce")) announce(fresh.getAttribute("data-announce"));
    updateProgress();
  });

  function reachableTables() {
    document.querySelectorAll(".table-wrap, .chart-wrap").forEach(function (wrap) {
      if (wrap.scrollWidth <= wrap.clientWidth || wrap.hasAttribute("tabindex")) return;
      var caption = wrap.querySelector("caption, svg > title");
      var section = wrap.closest("section");
      var heading = section && section.querySelector("h2, h3");
      var name = (caption && caption.textContent) || (heading && heading.textContent) || "";
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      if (name.trim()) wrap.setAttribute("aria-label", name.trim());
    });
  }

  document.addEventListener("DOMContentLoaded", reachableTables);
  window.addEventListener("resize", reachableTables);

  // After posting, editing or endorsing a comment the page comes back at #comment-<id>: the
  // browser scrolls there but leaves the focus on <body>; put it on the comment itself so that
  // the next Tab continues from it (and a screen reader reads it).
  function focusComment() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = /^comment-[0-9]+$/.test(id) && document.getElementById(id);
    if (!target) return;
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus({preventScroll: true});
  }
  document.addEventListener("DOMContentLoaded", focusComment);
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
