// The self-screening in short steps: one fieldset at a time, Next/Back buttons, focus moved
// to the step's heading so keyboard and screen-reader users know where they are. Without
// this file every step shows and the form still works (one POST either way).
(function () {
  "use strict";
  function start() {
    var form = document.getElementById("screening-form");
    if (!form) { return; }
    var steps = Array.prototype.slice.call(form.querySelectorAll("section.step"));
    var labels = document.querySelectorAll("[data-step-label]");
    if (steps.length < 2) { return; }
    var current = 0;
    function show(index, moveFocus) {
      current = Math.max(0, Math.min(index, steps.length - 1));
      steps.forEach(function (step, i) { step.hidden = i !== current; });
      Array.prototype.forEach.call(labels, function (label, i) {
        label.classList.toggle("current", i === current);
        if (i === current) { label.setAttribute("aria-current", "step"); }
        else { label.removeAttribute("aria-current"); }
      });
      if (moveFocus) {
        var heading = steps[current].querySelector("h2");
        if (heading) { heading.focus(); }
      }
    }
    form.querySelectorAll("[data-step-next]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { show(current + 1, true); });
    });
    form.querySelectorAll("[data-step-back]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { show(current - 1, true); });
    });
    // A link in the error summary opens the step that holds the field.
    document.querySelectorAll(".error-summary a").forEach(function (link) {
      link.addEventListener("click", function () {
        var target = document.querySelector(link.getAttribute("href"));
        var step = target && target.closest("section.step");
        if (step) { show(steps.indexOf(step), false); }
      });
    });
    var firstError = steps.findIndex(function (s) { return s.classList.contains("has-error"); });
    show(firstError >= 0 ? firstError : 0, false);
    form.classList.add("js-steps");
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
})();
