// Repairs to the markup of Dash 4's own components that screen readers and keyboards trip over (axe-core
// finds them: tests/test_a11y_browser.py). Dash renders them and re-renders them at will, so the repairs
// are made again whenever the page changes.
(function () {
  "use strict";

  // dcc.Checklist draws a role="listbox" of label role="option" elements, each around a real checkbox: a
  // control inside a control, in a list with no name (axe: nested-interactive, aria-input-field-name).
  // The checkboxes, named by their labels, already say everything: the roles go, and aria-selected, which
  // Dash sets again on every tick, goes with them. (The categories are grouped by their fieldset's legend.)
  function checklists(root) {
    root.querySelectorAll(".dash-checklist[role]").forEach(function (list) { list.removeAttribute("role"); });
    root.querySelectorAll(".dash-checklist .dash-options-list-option[role], .dash-checklist .dash-options-list-option[aria-selected]")
      .forEach(function (option) { option.removeAttribute("role"); option.removeAttribute("aria-selected"); });
  }

  // dcc.Dropdown puts a hidden, aria-hidden input first in the tab order that hands focus on to the real
  // button (which is kept out of the tab order): a focusable element screen readers are told is not there
  // (axe: aria-hidden-focus). The button itself takes the tab stop instead and the input is disabled. The
  // button is named by its value only ("All actors"): its visible label is put first in that name.
  function dropdowns(root) {
    root.querySelectorAll(".dash-dropdown-wrapper").forEach(function (wrapper) {
      var target = wrapper.querySelector(".dash-dropdown-focus-target");
      var button = wrapper.querySelector("button.dash-dropdown");
      if (!target || !button) return;
      if (!target.disabled) target.disabled = true;
      if (!button.disabled && button.tabIndex !== 0) button.tabIndex = 0;
      var label = button.id && document.querySelector('label[for="' + CSS.escape(button.id) + '"][id]');
      var named = button.getAttribute("aria-labelledby") || "";
      if (label && named.split(" ")[0] !== label.id) button.setAttribute("aria-labelledby", (label.id + " " + named).trim());
    });
  }

  function repair() {
    checklists(document);
    dropdowns(document);
  }

  var queued = false;
  new MutationObserver(function () {
    // attribute changes are repaired at once (before the next paint); the rest once per batch of changes
    if (queued) return;
    queued = true;
    Promise.resolve().then(function () { queued = false; repair(); });
  }).observe(document.documentElement, {subtree: true, childList: true, attributes: true,
                                        attributeFilter: ["role", "aria-selected", "tabindex", "aria-labelledby"]});
  repair();
})();
